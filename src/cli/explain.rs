//! `budgetdoc explain`: where a printed figure comes from — every place it is printed and
//! its derivation down to the typed facts with their `file:line:col` (`budgetdoc::explain`).

use std::process::ExitCode;

use budgetdoc::explain::{Explanation, Miss, Point, Step};
use clap::{Args, ValueEnum};

use super::{FontArgs, ProjectArgs, ReportArgs, TimeoutArgs, print};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExplainFormat {
    /// A tree, on stdout.
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainCommand {
    #[clap(flatten)]
    pub project: ProjectArgs,
    /// A figure as printed (`182%`, `467,782,266.28`, `94.11`); a table cell as `TABLE ROW
    /// [COLUMN]` (`"公开02表 2080101 1"`, `"表二 行政运行"`, `"02表 合计 3"`: the row's code or
    /// name, the column's number among the amounts); or the key path of a typed fact
    /// (`functional[3].general_budget.basic`): the figures that rest on it.
    #[arg(required_unless_present = "at", conflicts_with = "at")]
    pub query: Option<String>,
    /// The figure printed at a point: `PAGE:X:Y`, PAGE the PDF's page (1 is the first), X
    /// and Y in points from the page's top left corner (as `pdftotext -bbox` reports them).
    /// Exit 1 where no figure is printed (a table's code or number, a year, a page footer).
    #[arg(long, value_name = "PAGE:X:Y", value_parser = parse_point)]
    pub at: Option<budgetdoc::explain::Point>,
    /// How to print the answer.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ExplainFormat,
    #[clap(flatten)]
    pub fonts: FontArgs,
    #[clap(flatten)]
    pub limits: TimeoutArgs,
}

pub fn run(c: ExplainCommand) -> ExitCode {
    let report = ReportArgs::human();
    // Explaining compiles the document once: the same deadline as `build`.
    c.limits.deadline();
    let options = budgetdoc::BuildOptions {
        font_paths: c.fonts.font_path.clone(),
        catalogs: c.project.catalogs.files(),
        ..budgetdoc::BuildOptions::default()
    };
    let figures = match budgetdoc::explain::figures(&c.project.project, &options) {
        Ok(f) => f,
        Err(diags) => {
            let diags = diags.sorted();
            print::diagnostics(&diags, &report);
            eprintln!("explain failed: {}", print::summary(&diags));
            return ExitCode::from(1);
        }
    };
    let answer = match (&c.at, &c.query) {
        (Some(at), _) => match figures.explain_at(*at) {
            Ok(a) => a,
            Err(miss) => return missed(*at, &miss, c.format),
        },
        (None, Some(q)) => figures.explain(q),
        (None, None) => unreachable!("clap requires a query or --at"),
    };
    // Written at once, and a closed pipe (`| head`) is not an error.
    let text = match c.format {
        ExplainFormat::Json => serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n",
        ExplainFormat::Human => human(&answer),
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    if answer.matches.is_empty() {
        if matches!(c.format, ExplainFormat::Human) {
            eprintln!(
                "budgetdoc: error: `{}` is printed nowhere in this document",
                answer.query
            );
            if !answer.nearest.is_empty() {
                eprintln!(
                    "  = hint: the nearest printed figures: {}",
                    answer.nearest.join(", ")
                );
            }
        }
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn parse_point(s: &str) -> Result<budgetdoc::explain::Point, String> {
    s.parse()
}

/// No figure at `at`: say what is there instead, and exit 1.
fn missed(at: Point, miss: &Miss, format: ExplainFormat) -> ExitCode {
    if matches!(format, ExplainFormat::Json) {
        let json = serde_json::json!({
            "query": format!("{}:{}:{}", at.page, at.x, at.y),
            "matches": [],
            "miss": miss,
        });
        let text = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    }
    let (what, hint) = match miss {
        Miss::NoPage { pages } => (
            format!("the document has {pages} page(s), not {}", at.page),
            "PAGE is the PDF's page, 1 for the first".to_string(),
        ),
        Miss::NotAFigure { line } => (
            format!(
                "no figure is printed at ({}, {}) on page {}: the text there, `{line}`, is a code, number, year or word, not a computed figure",
                at.x, at.y, at.page
            ),
            "point at an amount, a rate or a score; `pdftotext -bbox` gives each word's box in points".to_string(),
        ),
        Miss::Blank => (
            format!("nothing is printed at ({}, {}) on page {}", at.x, at.y, at.page),
            "X and Y are points from the page's top left corner, as `pdftotext -bbox` reports them".to_string(),
        ),
    };
    eprintln!("budgetdoc: error: {what}");
    eprintln!("  = hint: {hint}");
    ExitCode::from(1)
}

fn human(answer: &Explanation) -> String {
    let mut out = String::new();
    for (i, m) in answer.matches.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match &m.name {
            Some(name) => out += &format!("{}  {name}\n", m.text),
            None => out += &format!("{}\n", m.text),
        }
        for p in &m.data_paths {
            out += &format!("  in the data at `{p}`\n");
        }
        for place in &m.places {
            let page = match &place.page_label {
                Some(label) if *label != place.page.to_string() => {
                    format!("page {label} (page {} of the PDF)", place.page)
                }
                Some(label) => format!("page {label}"),
                None => format!("page {} of the PDF (it prints no page number)", place.page),
            };
            out += &format!("  printed on {page}: {}\n", place.line);
        }
        match &m.derivation {
            Some(step) => tree(step, "  ", true, &mut out),
            None => out += "  (no derivation recorded: a word or count, not a computed figure)\n",
        }
    }
    out
}

/// One step and its operands, drawn as a tree.
fn tree(step: &Step, prefix: &str, root: bool, out: &mut String) {
    if root {
        *out += &format!("{prefix}= {}\n", heading(step));
    }
    let n = step.operands.len();
    for (i, o) in step.operands.iter().enumerate() {
        let (branch, next) = if i + 1 == n {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        *out += &format!("{prefix}{branch}{}\n", heading(o));
        tree(o, &format!("{prefix}{next}"), false, out);
    }
}

/// A step's line: its value, its name in the document, and its operation or where it was
/// typed.
fn heading(step: &Step) -> String {
    let label = step
        .label
        .as_deref()
        .map(|l| format!(" 【{l}】"))
        .unwrap_or_default();
    let what = match &step.fact {
        Some(f) => format!(
            "{}  typed at {}:{}:{}{}",
            f.name,
            f.file.display(),
            f.line,
            f.column,
            if f.exact {
                ""
            } else {
                " (not at this path any more)"
            }
        ),
        None => step.op.clone(),
    };
    format!("{}{label}  {what}", step.value)
}
