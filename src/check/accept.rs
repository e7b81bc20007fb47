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
            if !used {
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
