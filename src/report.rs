//! Printing diagnostics: `human` (a source snippet with a caret under the value, coloured on
//! a terminal), `short` (one line each), `json` (one document) and `github` (Actions
//! annotations). Formatting only; the diagnostics come from the pipeline.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics, Location, Severity};

/// An output format of `check` and `build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
    Github,
    Gitlab,
}

/// Renders every diagnostic (already sorted) in `format`; `color` only affects `human`.
pub fn render(diags: &Diagnostics, format: Format, color: bool) -> String {
    match format {
        Format::Human => {
            let mut sources = SourceLines::default();
            diags
                .iter()
                .map(|d| human(d, color, &mut sources))
                .collect()
        }
        Format::Short => diags.iter().map(|d| short(d) + "\n").collect(),
        Format::Json => json(diags) + "\n",
        Format::Github => GithubBudget::default().render(diags),
        Format::Gitlab => gitlab(diags),
    }
}

fn position(l: &Location) -> String {
    format!("{}:{}:{}", l.file.display(), l.line, l.col)
}

/// `file:line:col: error[F15]: message`, always one line: a line break inside the message
/// (a key or a code typed with one) is written as `\n`.
pub fn short(d: &Diagnostic) -> String {
    let mut message = one_line(&d.message);
    if let Some(reason) = &d.accepted {
        message.push_str(&format!(" (accepted: {})", one_line(reason)));
    }
    match &d.location {
        Some(l) => format!("{}: {}: {message}", position(l), d.label()),
        None => format!("budgetdoc: {}: {message}", d.label()),
    }
}

fn one_line(s: &str) -> String {
    s.replace('\r', "\\r").replace('\n', "\\n")
}

/// The files the snippets come from — their texts as loaded ([`crate::diag::source_text`]),
/// never re-read — each split once per report, with the byte offset where each line starts.
#[derive(Default)]
struct SourceLines {
    files: HashMap<PathBuf, Option<(String, Vec<usize>)>>,
}

impl SourceLines {
    /// The line of `loc` from its file, if it can be read.
    fn line(&mut self, loc: &Location) -> Option<&str> {
        let entry = self.files.entry(loc.file.clone()).or_insert_with(|| {
            let text = crate::diag::source_text(&loc.file)?.to_string();
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            Some((text, starts))
        });
        let (text, starts) = entry.as_ref()?;
        let index = loc.line.checked_sub(1)?;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).map_or(text.len(), |e| e - 1);
        Some(text[start..end].trim_end_matches('\r'))
    }
}

/// The width of the value starting at `col` (1-based, in characters) on `line`: up to a
/// comment, a `,`/`}`/`]` of a flow collection, or the end of the line; at least 1.
fn value_width(line: &str, col: usize) -> usize {
    let rest: String = line.chars().skip(col.saturating_sub(1)).collect();
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        // A number (possibly inside a text): the number and its unit.
        let digits = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .count();
        let after: String = rest.chars().skip(digits).collect();
        let spaces = after.chars().take_while(|c| *c == ' ').count();
        let unit = after.trim_start_matches(' ');
        let unit_len = if unit.starts_with("万元") {
            2
        } else if unit.starts_with('元') || unit.starts_with('%') {
            1
        } else {
            0
        };
        if unit_len > 0 {
            return digits + spaces + unit_len;
        }
        let plain_end = rest
            .chars()
            .position(|c| c == ',' || c == '}' || c == ']' || c == '#' || c == ' ')
            .unwrap_or(rest.chars().count());
        return plain_end.max(1);
    }
    let mut width = 0;
    let mut quote: Option<char> = None;
    for (i, ch) in rest.chars().enumerate() {
        match quote {
            Some(q) if ch == q && i > 0 => {
                width = i + 1;
                break;
            }
            Some(_) => {}
            None if i == 0 && (ch == '"' || ch == '\'') => quote = Some(ch),
            None if ch == '#' || ch == ',' || ch == '}' || ch == ']' => break,
            None if ch == ':' && rest.chars().nth(i + 1).is_none_or(|c| c == ' ') => break,
            None => {}
        }
        if quote.is_none() || i > 0 {
            width = i + 1;
        }
    }
    let trimmed: String = rest.chars().take(width).collect();
    trimmed.trim_end().chars().count().max(1)
}

/// Display width of a character in a terminal (CJK and full-width forms take two columns).
fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u);
    if wide { 2 } else { 1 }
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[{code}m{s}\u{1b}[0m")
    } else {
        s.to_string()
    }
}

/// rustc-style: the first line as in `short` with the key path, then the source line with a
/// caret under the value, the related values and the hint.
fn human(d: &Diagnostic, color: bool, sources: &mut SourceLines) -> String {
    let mut out = String::new();
    let label_color = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    };
    let label = paint(&d.label(), label_color, color);
    match &d.location {
        Some(l) => {
            let _ = write!(out, "{}: {label}: {}", position(l), d.message);
        }
        None => {
            let _ = write!(out, "budgetdoc: {label}: {}", d.message);
        }
    }
    if let Some(path) = &d.path {
        let _ = write!(out, " (at `{path}`)");
    }
    out.push('\n');
    if let Some(l) = &d.location
        && let Some(line) = sources.line(l)
    {
        let line = line.to_string();
        let number = l.line.to_string();
        let pad = " ".repeat(number.len());
        let indent: usize = line
            .chars()
            .take(l.col.saturating_sub(1))
            .map(char_width)
            .sum();
        let width: usize = line
            .chars()
            .skip(l.col.saturating_sub(1))
            .take(value_width(&line, l.col))
            .map(char_width)
            .sum();
        let bar = paint("|", "1;34", color);
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(out, "{} {bar} {line}", paint(&number, "1;34", color));
        let caret = paint(&"^".repeat(width.max(1)), label_color, color);
        let _ = writeln!(out, "{pad} {bar} {}{caret}", " ".repeat(indent));
    }
    for r in &d.related {
        let _ = write!(out, "  = note: ");
        if let Some(l) = &r.location {
            let _ = write!(out, "{}: ", position(l));
        }
        let _ = write!(out, "{}", r.message);
        if let Some(path) = &r.path {
            let _ = write!(out, " (at `{path}`)");
        }
        out.push('\n');
    }
    if let Some(h) = &d.hint {
        let _ = writeln!(out, "  = hint: {h}");
    }
    if let Some(reason) = &d.accepted {
        let _ = writeln!(out, "  = accepted: {reason}");
    }
    out
}

fn json(diags: &Diagnostics) -> String {
    let loc = |l: &Option<Location>| match l {
        Some(l) => (
            json!(l.file.display().to_string()),
            json!(l.line),
            json!(l.col),
        ),
        None => (json!(null), json!(null), json!(null)),
    };
    let list: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let (file, line, column) = loc(&d.location);
            json!({
                "rule": d.rule.map(|r| r.id),
                "severity": d.severity.word(),
                "accepted": d.accepted,
                "message": d.message,
                "file": file, "line": line, "column": column,
                "path": d.path,
                "hint": d.hint,
                "related": d.related.iter().map(|r| {
                    let (file, line, column) = loc(&r.location);
                    json!({"message": r.message, "file": file, "line": line, "column": column, "path": r.path})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "diagnostics": list,
        "errors": diags.errors(),
        "warnings": diags.warnings(),
        "notes": diags.notes(),
    }))
    .unwrap_or_else(|_| "{}".into())
}

/// One project of a run, as the reports of several projects list it.
#[derive(Debug, Clone)]
pub struct ProjectResult {
    pub project: String,
    /// `built`, `up to date`, `failed`, `ok` (checked), `missing`, `stale`.
    pub status: String,
    pub output: Option<String>,
    pub diagnostics: Diagnostics,
}

/// One JSON document for a run of several projects: each project with its status, output
/// and diagnostics (as `--format json` writes them for one), and the totals.
pub fn json_projects(results: &[ProjectResult]) -> String {
    let projects: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let one: serde_json::Value =
                serde_json::from_str(&json(&r.diagnostics)).unwrap_or_default();
            json!({
                "project": r.project,
                "status": r.status,
                "output": r.output,
                "diagnostics": one["diagnostics"],
                "errors": r.diagnostics.errors(),
                "warnings": r.diagnostics.warnings(),
                "notes": r.diagnostics.notes(),
            })
        })
        .collect();
    let total =
        |f: fn(&Diagnostics) -> usize| results.iter().map(|r| f(&r.diagnostics)).sum::<usize>();
    serde_json::to_string_pretty(&json!({
        "projects": projects,
        "errors": total(Diagnostics::errors),
        "warnings": total(Diagnostics::warnings),
        "notes": total(Diagnostics::notes),
    }))
    .unwrap_or_else(|_| "{}".into())
        + "\n"
}

/// A GitLab Code Quality report (the Code Climate subset GitLab reads): one issue per
/// diagnostic, with a fingerprint that leaves out the line, so an issue keeps its identity
/// when lines move.
pub fn gitlab(diags: &Diagnostics) -> String {
    let issues: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let path = d
                .location
                .as_ref()
                .map(|l| repository_path(&l.file))
                .unwrap_or_default();
            let rule = d.rule.map_or("budgetdoc", |r| r.id);
            let key = format!(
                "{rule}\u{0}{path}\u{0}{}\u{0}{}",
                d.path.as_deref().unwrap_or(""),
                d.message
            );
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            };
            json!({
                "description": format!("{}: {}", d.label(), d.message),
                "check_name": rule,
                "fingerprint": format!("{:032x}", typst::utils::hash128(key.as_bytes())),
                "severity": severity,
                "location": {
                    "path": path,
                    "lines": { "begin": d.location.as_ref().map_or(1, |l| l.line) },
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// GitHub's limits on annotations: this many errors, warnings and notices per step.
pub const GITHUB_ANNOTATIONS: usize = 10;

/// How many annotations of each severity a run has used, and how many it left out.
#[derive(Debug, Default, Clone)]
pub struct GithubBudget {
    used: [usize; 3],
    left_out: [usize; 3],
}

impl GithubBudget {
    /// The diagnostics as GitHub lines: annotations while the limits allow, then plain log
    /// lines (`short`) for the rest, which GitHub would drop as annotations.
    pub fn render(&mut self, diags: &Diagnostics) -> String {
        let mut out = String::new();
        for d in diags.iter() {
            let i = d.severity as usize;
            if self.used[i] < GITHUB_ANNOTATIONS {
                self.used[i] += 1;
                out.push_str(&github(d));
            } else {
                self.left_out[i] += 1;
                out.push_str(&short(d));
            }
            out.push('\n');
        }
        out
    }

    /// The one notice that counts what was not annotated, if anything was left out.
    pub fn finish(&self) -> Option<String> {
        let [notes, warnings, errors] = self.left_out;
        (notes + warnings + errors > 0).then(|| {
            format!(
                "::notice title=budgetdoc::{errors} more error(s), {warnings} more warning(s) and {notes} more note(s) were not annotated (GitHub shows {GITHUB_ANNOTATIONS} of each per step); see the log"
            )
        })
    }
}

/// The Markdown of a run for `$GITHUB_STEP_SUMMARY`: every document built or failed, then
/// every problem.
pub fn step_summary(verb: &str, results: &[ProjectResult]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!(
        "### budgetdoc {verb}\n\n| project | result | PDF | errors | warnings |\n| --- | --- | --- | --- | --- |\n"
    );
    for r in results {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&r.project),
            r.status,
            r.output.as_deref().map(cell).unwrap_or_default(),
            r.diagnostics.errors(),
            r.diagnostics.warnings()
        ));
    }
    let problems: Vec<&Diagnostic> = results.iter().flat_map(|r| r.diagnostics.iter()).collect();
    if !problems.is_empty() {
        out.push_str("\n| problem | where | message |\n| --- | --- | --- |\n");
        for d in problems {
            let at = d
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}", repository_path(&l.file), l.line, l.col))
                .unwrap_or_default();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                d.label(),
                cell(&at),
                cell(&d.message)
            ));
        }
    }
    out.push('\n');
    out
}

/// GitHub Actions escapes: `%`, CR, LF in data; also `:` and `,` in properties.
/// A file as a forge annotates it: relative to the root of the git repository holding it
/// (the nearest ancestor with `.git`), else to the working directory, without `./`;
/// as given when it lies outside both.
pub fn repository_path(file: &std::path::Path) -> String {
    let absolute = if file.is_absolute() {
        file.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(file),
            Err(_) => return plain(file),
        }
    };
    // Lexically: `a/./b/../c` → `a/c` (the file need not exist, nor links be resolved).
    let mut clean = std::path::PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    let root = clean
        .ancestors()
        .skip(1)
        .find(|a| a.join(".git").exists())
        .map(std::path::Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok());
    match root.as_deref().and_then(|r| clean.strip_prefix(r).ok()) {
        Some(rel) => rel.to_string_lossy().replace('\\', "/"),
        None => plain(file),
    }
}

/// A path as given, without a leading `./`.
fn plain(file: &std::path::Path) -> String {
    let s = file.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(l) = &d.location {
        props.push(format!("file={}", escape(&repository_path(&l.file), true)));
        props.push(format!("line={}", l.line));
        props.push(format!("col={}", l.col));
    }
    props.push(format!(
        "title={}",
        escape(
            &format!("budgetdoc {}", d.rule.map_or(kind, |r| r.id)),
            true,
        )
    ));
    let mut message = d.message.clone();
    if let Some(p) = &d.path {
        message.push_str(&format!(" (at `{p}`)"));
    }
    if let Some(h) = &d.hint {
        message.push_str(&format!("\nhint: {h}"));
    }
    if let Some(reason) = &d.accepted {
        message.push_str(&format!("\naccepted: {reason}"));
    }
    format!("::{kind} {}::{}", props.join(","), escape(&message, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn diag() -> Diagnostic {
        Diagnostic::error("sums differ")
            .rule(&crate::rules::F15)
            .at(Some(Location {
                file: PathBuf::from("a, b.yaml"),
                line: 3,
                col: 5,
            }))
            .path("basic_by_economic.30101")
            .hint("find it")
    }

    #[test]
    fn short_and_github_lines() {
        assert_eq!(short(&diag()), "a, b.yaml:3:5: error[F15]: sums differ");
        let broken = Diagnostic::error("unknown field `a\nb`");
        assert_eq!(short(&broken), "budgetdoc: error: unknown field `a\\nb`");
        assert_eq!(
            github(&diag()),
            "::error file=a%2C b.yaml,line=3,col=5,title=budgetdoc F15::sums differ (at `basic_by_economic.30101`)%0Ahint: find it"
        );
    }

    #[test]
    fn value_widths() {
        assert_eq!(value_width("    \"30101\": 300.00   # 基本工资", 14), 6);
        assert_eq!(value_width("  - { code: \"2080102\", basic: 0 }", 13), 9);
        assert_eq!(value_width("name: 中卫", 7), 2);
    }

    #[test]
    fn json_carries_rule_and_position() {
        let mut d = Diagnostics::default();
        d.push(diag());
        let v: serde_json::Value = serde_json::from_str(&json(&d)).unwrap();
        assert_eq!(v["diagnostics"][0]["rule"], "F15");
        assert_eq!(v["diagnostics"][0]["line"], 3);
        assert_eq!(v["diagnostics"][0]["column"], 5);
        assert_eq!(v["errors"], 1);
    }
}
