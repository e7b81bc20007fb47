//! One figure, one identity, over the four examples, the three starters and variants of them
//! (a 参公 unit, a department without a per-unit split, a line without its prior 项目支出
//! 执行数, whole-元 tables beside 万元 text): every number printed on a page is a figure of the registry printed at that place
//! (found by its box in the marked layout) or furniture (a page number, a year, a code, an
//! ordinal or column number, a number typed in a text); no figure is a zero nobody typed;
//! and every figure printed twice — a sentence restating a table — prints the same number.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use budgetdoc::explain::Figures;
use budgetdoc::figures::provenance::{NodeId, Op, Trace};

use crate::support::{EXAMPLES, run, stderr};

/// The figures of a project, laid out marked.
fn figures(project: &Path) -> Figures {
    budgetdoc::explain::figures(project, &budgetdoc::BuildOptions::default())
        .unwrap_or_else(|d| panic!("{} builds: {d:?}", project.display()))
}

/// The number tokens of a text: digits with their separators and decimals, a trailing `%`.
fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_digit()
                || ((chars[j] == '.' || chars[j] == ',')
                    && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            j += 1;
        }
        out.push(chars[i..j].iter().collect());
        i = j;
    }
    out
}

/// Every string of the data that is not a figure (names, codes, titles, typed texts and
/// the profile's words), as the numbers they hold.
fn typed_numbers(figures: &Figures) -> BTreeSet<String> {
    let printed: BTreeSet<&str> = figures.printed.iter().map(|p| p.path.as_str()).collect();
    let mut out = BTreeSet::new();
    for (path, leaf) in budgetdoc::render::format::leaves_of(figures.data()) {
        match leaf {
            serde_json::Value::String(s) if !printed.contains(path.as_str()) => {
                out.extend(numbers(s));
            }
            serde_json::Value::Number(n) => {
                out.insert(n.to_string());
            }
            _ => {}
        }
    }
    out
}

/// Whether a number printed outside every figure's box is furniture.
fn furniture(n: &str, page_label: Option<&str>, typed: &BTreeSet<String>) -> bool {
    if typed.contains(n) || page_label == Some(n) {
        return true;
    }
    // Ordinals, row and column numbers (行次, 栏次) and years the templates print.
    match n.parse::<u32>() {
        Ok(v) => v < 100 || (1990..=2100).contains(&v),
        Err(_) => false,
    }
}

/// Where `text` stands in `line` as a whole number (not inside a longer one).
fn whole(line: &str, text: &str) -> Option<usize> {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',');
    let mut from = 0;
    while let Some(i) = line[from..].find(text) {
        let at = from + i;
        let before = line[..at].chars().next_back();
        let after = line[at + text.len()..].chars().next();
        if !digit(before) && !digit(after) {
            return Some(at);
        }
        from = at + text.len().max(1);
    }
    None
}

/// Every number printed on every page that is neither inside a figure's box nor furniture:
/// `(page, line, number)`.
fn strays(figures: &Figures) -> Vec<(usize, String, String)> {
    let typed = typed_numbers(figures);
    let mut out = Vec::new();
    for (i, page) in figures.pages().iter().enumerate() {
        for line in &page.lines {
            // The figures printed on this line, taken out of it once each.
            let mut rest = line.text.clone();
            for b in &page.boxes {
                let (x, y) = b.rect.centre();
                if line.rect.contains(x, y)
                    && let Some(at) = whole(&rest, &b.text)
                {
                    rest.replace_range(at..at + b.text.len(), " ");
                }
            }
            for n in numbers(&rest) {
                if !furniture(&n, page.label.as_deref(), &typed) {
                    out.push((i + 1, line.text.clone(), n));
                }
            }
        }
    }
    out
}

/// The quantity a printed figure states, beneath its rounding and its change of unit, and
/// that unit's divisor and the decimals printed.
fn quantity(trace: &Trace, mut node: NodeId) -> (NodeId, String) {
    let mut unit = String::from("1");
    while let Some(n) = trace.node(node) {
        match (&n.op, n.operands.as_slice()) {
            (Op::Round { .. } | Op::Abs, [inner]) => node = *inner,
            (Op::Quotient, [inner, divisor])
                if matches!(
                    trace.node(*divisor).map(|d| &d.op),
                    Some(Op::Constant("单位换算"))
                ) =>
            {
                unit = trace
                    .node(*divisor)
                    .map(|d| d.value.to_string())
                    .unwrap_or_default();
                node = *inner;
            }
            _ => break,
        }
    }
    (node, unit)
}

/// Whether a printed figure is an absent fact read as zero: the quantity it states (beneath
/// its rounding and unit) is "nothing typed". A sum over a complete list that holds nothing
/// is zero by completeness, not invented.
fn invented(trace: &Trace, node: NodeId) -> bool {
    let (q, _) = quantity(trace, node);
    matches!(trace.node(q).map(|n| &n.op), Some(Op::Empty))
}

/// A printed quantity: its node, its unit's divisor and the decimals printed.
type Quantity = (NodeId, String, usize);

/// Checks one project; returns what breaks the rules, one line each.
fn problems(name: &str, project: &Path) -> Vec<String> {
    let figures = figures(project);
    let mut out = Vec::new();
    for (page, line, n) in strays(&figures) {
        out.push(format!(
            "{name}: page {page}: `{n}` is printed outside every figure: {line}"
        ));
    }
    let trace = &figures.trace;
    let mut by_quantity: BTreeMap<Quantity, Vec<(&str, String)>> = BTreeMap::new();
    for p in &figures.printed {
        if p.node.is_none() {
            continue;
        }
        if invented(trace, p.node) {
            out.push(format!(
                "{name}: `{}` at `{}` is a zero nobody typed",
                p.text, p.path
            ));
        }
        let (q, unit) = quantity(trace, p.node);
        let plain = p.text.replace(',', "");
        let decimals = plain
            .trim_end_matches('%')
            .split_once('.')
            .map_or(0, |(_, d)| d.len());
        by_quantity
            .entry((q, unit, decimals))
            .or_default()
            .push((&p.path, plain.trim_end_matches('%').to_string()));
    }
    for ((_, unit, _), uses) in by_quantity {
        let texts: BTreeSet<&str> = uses.iter().map(|(_, t)| t.as_str()).collect();
        if texts.len() > 1 {
            out.push(format!(
                "{name}: one quantity (unit ÷{unit}) prints as {texts:?} at {:?}",
                uses.iter().map(|(p, _)| *p).collect::<Vec<_>>()
            ));
        }
    }
    out
}

/// A starter of `kind` in a temporary directory, edited by `edit`.
fn starter(kind: &str, edit: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let o = run(&["init", project.to_str().unwrap(), "--kind", kind]);
    assert!(o.status.success(), "{}", stderr(&o));
    edit(&project);
    (dir, project)
}

fn edit_file(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_printed_number_of_the_examples_is_a_figure_or_furniture_and_figures_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for e in EXAMPLES {
        all.extend(problems(e, &root.join(e)));
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn every_printed_number_of_the_starters_and_their_variants_is_a_figure_or_furniture() {
    let mut all = Vec::new();
    for kind in ["budget", "final-accounts", "performance-targets"] {
        let (_dir, project) = starter(kind, |_| {});
        all.extend(problems(&format!("starter {kind}"), &project));
    }
    // A line whose prior 项目支出 执行数 is not typed.
    let (_dir, project) = starter("budget", |p| {
        edit_file(
            &p.join("budgetdoc.yaml"),
            "      - { code: \"2210201\", basic: 40.00, project: 0, prior: 38.00 }",
            "      - { code: \"2210201\", basic: 40.00, project: 0, prior: 38.00 }\n      - { code: \"2080105\", basic: 0, project: 25.00, prior: 20.00 }",
        );
        edit_file(
            &p.join("targets/01-example.yaml"),
            "fiscal: 60",
            "fiscal: 85",
        );
    });
    all.extend(problems("budget with an unknown prior 项目支出", &project));
    // A 参公 unit.
    let (_dir, project) = starter("budget", |p| {
        edit_file(
            &p.join("budgetdoc.yaml"),
            "    nature: 事业\n",
            "    nature: 参公\n",
        );
    });
    all.extend(problems("budget with a 参公 unit", &project));
    // A department without a per-unit split: its units by name, its lines department-wide.
    let (_dir, project) = starter("budget", |p| {
        let main = p.join("budgetdoc.yaml");
        let t = fs::read_to_string(&main).unwrap();
        let (start, end) = (
            t.find("units:").unwrap(),
            t.find("prior_project_execution:").unwrap(),
        );
        let lines: String = t[start..end]
            .lines()
            .filter(|l| l.trim_start().starts_with("- { code: \"2"))
            .map(|l| format!("  {}\n", l.trim()))
            .collect();
        let units = "units:\n  - { code: \"310001\", name: 示例市人力资源和社会保障局机关, nature: 行政 }\n  - { code: \"310002\", name: 示例市就业创业和人才服务中心, nature: 事业 }\n";
        fs::write(
            &main,
            format!(
                "{}{units}general_budget:\n{lines}\n{}",
                &t[..start],
                &t[end..]
            ),
        )
        .unwrap();
    });
    all.extend(problems("budget without a per-unit split", &project));
    // Whole 元 in the tables, 万元 with two decimals in the text.
    let (_dir, project) = starter("budget", |p| {
        let main = p.join("budgetdoc.yaml");
        let text = fs::read_to_string(&main).unwrap();
        fs::write(
            &main,
            format!("{text}\namount_units: {{ tables: 元 }}\nformat: {{ table_separators: true, decimals: {{ tables: 0 }} }}\n"),
        )
        .unwrap();
    });
    all.extend(problems("budget in whole 元 tables", &project));
    assert!(all.is_empty(), "{}", all.join("\n"));
}
