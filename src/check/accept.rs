//! validate: acknowledged exceptions. A department sometimes publishes an official figure
//! that breaks a content rule (a cost indicator above the year's funds when a carry-over
//! pays for it). It lists the breach under `accept:` — the rule, the key path (and the file,
//! for an attachment) and a reason — and the problem is then reported as a note carrying the
//! reason instead of blocking the build.
//!
//! Only content rules (F, B, P, T, R) may be accepted: a breach of a rule that protects
//! reading and arithmetic (L, U, C) would make every figure after it unreliable (A01). An
//! entry that matches no problem is stale (A02).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::load::{Loaded, MainInput};
use crate::rules::{self, Rule};

/// One usable entry: the rule, where, and the reason.
#[derive(Debug, Clone)]
struct Entry {
    /// Its index in `accept:`, where a stale entry is reported.
    index: usize,
    rule: &'static Rule,
    file: PathBuf,
    at: String,
    reason: String,
    /// A figure accepted as printed: [`check_printed`] reports it either way (R08 or A03),
    /// so it is never stale.
    printed: bool,
}

/// The project's usable `accept:` entries.
#[derive(Debug, Clone, Default)]
pub struct Acceptance {
    entries: Vec<Entry>,
    /// The main file, where stale entries are reported.
    main: Option<crate::load::SourceFile>,
}

impl Acceptance {
    /// Reads the entries of the main file; an entry that cannot be used is an A01 error.
    pub(crate) fn new<M: MainInput<A>, A>(loaded: &Loaded<M, A>, diags: &mut Diagnostics) -> Self {
        let origin = loaded.main_origin();
        let mut entries = Vec::new();
        let mut refuse = |rel: String, message: String, hint: &str| {
            let (loc, path) = loaded.locate(&origin, &rel);
            diags.push(
                Diagnostic::error(message)
                    .rule(&rules::A01)
                    .at(loc)
                    .path(path)
                    .hint(hint),
            );
        };
        for (i, e) in loaded.main.accept().iter().enumerate() {
            let id = e.rule.as_str().trim();
            let Some(rule) = rules::find(id) else {
                let near = crate::suggest::nearest(id, rules::RULES.iter().map(|r| r.id), 1);
                let hint = match near.first() {
                    Some(near) => format!("did you mean `{near}`? `budgetdoc rules` lists them"),
                    None => "`budgetdoc rules` lists the rules".to_string(),
                };
                refuse(
                    format!("accept[{i}].rule"),
                    format!("no rule `{id}`"),
                    &hint,
                );
                continue;
            };
            if !rule.acceptable() {
                refuse(
                    format!("accept[{i}].rule"),
                    format!(
                        "rule {id} cannot be accepted: it protects reading and arithmetic, so every figure after it would be unreliable"
                    ),
                    "fix the data; only content rules (F, B, P, T, R) can be accepted",
                );
                continue;
            }
            if e.reason.as_str().trim().is_empty() {
                refuse(
                    format!("accept[{i}].reason"),
                    "an accepted exception needs its reason".to_string(),
                    "say why the figure is published as it is, e.g. `reason: 含上年结转资金`",
                );
                continue;
            }
            let at = e.at.as_str().trim();
            if at.is_empty() {
                refuse(
                    format!("accept[{i}].at"),
                    "an accepted exception needs the key path of the problem".to_string(),
                    "copy the path from the problem's message: `(at indicators.output.cost[0].value)`",
                );
                continue;
            }
            let file = match &e.file {
                None => loaded.files[0].path.clone(),
                Some(f) => {
                    let path = loaded.root.join(f.as_str().trim());
                    if !loaded.files.iter().any(|s| same_file(&s.path, &path)) {
                        refuse(
                            format!("accept[{i}].file"),
                            format!("`{}` is not a file of this project", f.as_str().trim()),
                            "name the attachment relative to the project, e.g. `file: targets/03-培训.yaml`",
                        );
                        continue;
                    }
                    path
                }
            };
            entries.push(Entry {
                index: i,
                rule,
                file,
                at: at.to_string(),
                reason: e.reason.as_str().trim().to_string(),
                printed: e.printed.is_some(),
            });
        }
        Acceptance {
            entries,
            main: loaded.files.first().cloned(),
        }
    }

    /// Makes `d` a note with its reason when an entry accepts it.
    pub fn apply(&self, d: &mut Diagnostic) {
        if let Some(e) = self.entries.iter().find(|e| e.accepts(d)) {
            d.severity = Severity::Note;
            d.accepted = Some(e.reason.clone());
            // The hint says how to mend the problem; an accepted one shows its reason instead.
            d.hint = None;
        }
    }

    /// Applies the entries to every diagnostic of `diags`.
    pub fn apply_all(&self, diags: &mut Diagnostics) {
        for d in &mut diags.0 {
            self.apply(d);
        }
    }

    /// The A02 warnings of a validation that stops with errors: for each entry that accepted
    /// none of `diags` although its rule is among their errors, a warning that names where
    /// that rule was reported (the entry's `at:` or `file:` missed it). Entries of other
    /// rules wait for a run without errors, when every check has run ([`Self::stale`]).
    pub fn missed(&self, diags: &Diagnostics) -> Diagnostics {
        let mut out = Diagnostics::default();
        for e in &self.entries {
            let errors: Vec<&Diagnostic> = diags
                .iter()
                .filter(|d| {
                    d.severity == Severity::Error && d.rule.is_some_and(|r| r.id == e.rule.id)
                })
                .collect();
            let used = diags
                .iter()
                .any(|d| d.severity == Severity::Note && e.accepts(d));
            if used || errors.is_empty() {
                continue;
            }
            let mut d = self.stale_entry(e);
            for err in errors {
                d = d.related(
                    err.location.clone(),
                    err.path.clone().unwrap_or_default(),
                    format!("{} is reported here", e.rule.id),
                );
            }
            out.push(d);
        }
        out
    }

    /// The A02 warning of an entry that accepted nothing.
    fn stale_entry(&self, e: &Entry) -> Diagnostic {
        let rel = format!("accept[{}]", e.index);
        let loc = self.main.as_ref().map(|m| m.location(&rel));
        Diagnostic::warning(format!(
            "this exception accepts nothing: no {} problem at `{}`",
            e.rule.id, e.at
        ))
        .rule(&rules::A02)
        .at(loc)
        .path(rel)
        .hint("remove the entry, or correct its `at:`/`file:` to where the problem is reported (an attachment's problem: `file:` the attachment, `at:` the path inside it)")
    }

    /// An A02 warning for each entry that accepted none of `diags`.
    pub fn stale(&self, diags: &Diagnostics) -> Diagnostics {
        let mut out = Diagnostics::default();
        for e in &self.entries {
            let used = diags
                .iter()
                .any(|d| d.severity == Severity::Note && e.accepts(d));
            if !used && !e.printed {
                out.push(self.stale_entry(e));
            }
        }
        out
    }
}

impl Entry {
    fn accepts(&self, d: &Diagnostic) -> bool {
        let Some(rule) = d.rule else { return false };
        if rule.id != self.rule.id || !rule.acceptable() {
            return false;
        }
        let in_file = match &d.location {
            Some(l) => same_file(&l.file, &self.file),
            None => true,
        };
        let Some(path) = &d.path else { return false };
        in_file && under(path, &self.at)
    }
}

/// Whether `path` is `at` or lies under it (`at.x`, `at[0]`).
fn under(path: &str, at: &str) -> bool {
    path == at
        || path
            .strip_prefix(at)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a.components().eq(b.components())
}

/// The figures a project accepts as printed (`accept:` with `printed:`): each names a table
/// cell the document prints (`cells`, by key; none for a document without region-pack
/// tables) and lies within its `tolerance:` of the derived figure (A03, an error); each is
/// then reported (R08), which its entry turns into a note with its reason, so a figure
/// printed otherwise than derived is never silent.
pub fn check_printed(
    main: &crate::load::SourceFile,
    entries: &[crate::load::common::AcceptEntry],
    cells: Option<&std::collections::BTreeMap<String, crate::figures::Num>>,
) -> Diagnostics {
    let mut out = Diagnostics::default();
    for (i, e) in entries.iter().enumerate() {
        let Some(printed) = e.printed else {
            if e.tolerance.is_some() {
                out.push(a03(
                    main,
                    &format!("accept[{i}].tolerance"),
                    "`tolerance:` goes with `printed:`".into(),
                    "type the figure as printed (`printed:`) or remove `tolerance:`".into(),
                ));
            }
            continue;
        };
        let at = e.at.as_str().trim();
        if e.rule.as_str().trim() != rules::R08.id {
            out.push(a03(
                main,
                &format!("accept[{i}].rule"),
                format!(
                    "a figure accepted as printed is rule R08, not {}",
                    e.rule.as_str().trim()
                ),
                "write `rule: R08`".into(),
            ));
            continue;
        }
        let Some(cells) = cells else {
            out.push(a03(main, &format!("accept[{i}].printed"), "figures accepted as printed are cells of a region pack's tables; this document follows none".into(), "use `printed:` in a project with `region:` or `pack_file:`".into()));
            continue;
        };
        let Some(derived) = cells.get(at) else {
            let near = crate::suggest::nearest(at, cells.keys().map(String::as_str), 3);
            out.push(a03(main, &format!("accept[{i}].at"), format!("no table figure `{at}` in the document"), if near.is_empty() {
                "name the cell `<table id>.<row code or label>.<column figure>`".to_string()
            } else {
                format!("cells are named `<table id>.<row code or label>.<column figure>`; nearest: {}", near.join(", "))
            }));
            continue;
        };
        let tolerance = e.tolerance.map(|t| t.0).unwrap_or_default();
        let diff = (printed.0 - derived.value()).abs();
        if diff > tolerance {
            out.push(a03(main, &format!("accept[{i}].printed"), format!(
                "`{at}` is printed {} but derives to {}: a difference of {} exceeds the tolerance {}",
                printed.0.normalize(), derived.value().normalize(), diff.normalize(), tolerance.normalize()
            ), "a rounding difference of the published document is at most a few units; check the figure".into()));
            continue;
        }
        out.push(
            Diagnostic::warning(format!(
                "`{at}` is printed {} as published, where budgetdoc derives {} (difference {}, tolerance {})",
                printed.0.normalize(),
                derived.value().normalize(),
                diff.normalize(),
                tolerance.normalize()
            ))
            .rule(&rules::R08)
            .at(Some(main.location(&format!("accept[{i}].printed"))))
            .path(at.to_string())
            .hint("print the derived figure by removing the entry"),
        );
    }
    out
}

fn a03(main: &crate::load::SourceFile, path: &str, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(message)
        .rule(&rules::A03)
        .at(Some(main.location(path)))
        .path(path.to_string())
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_lies_under_its_parents_only() {
        assert!(under(
            "indicators.output.cost[0].value",
            "indicators.output.cost[0]"
        ));
        assert!(under("indicators.output.cost[0]", "indicators.output.cost"));
        assert!(under("funds", "funds"));
        assert!(!under("funds_total", "funds"));
        assert!(!under("funds", "funds.other"));
    }
}
