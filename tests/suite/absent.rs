//! Absent is not zero (issue 11), as a property over the four examples: remove each typed
//! number in turn (write `~` where it was). Either `check` refuses the project (the number is
//! required, or a consistency rule needs it), or the document still builds and
//! - prints no more zeros than before — the missing fact never becomes a 0, and
//! - states no more comparisons than before — no sentence compares with a missing base.
//!
//! The document's data (`/data.json`, the exact strings the templates place) is compared for
//! every removal; the whole PDF is laid out once per distinct key (e.g. `prior`,
//! `three_public.budget.reception`), which is enough to catch a template that cannot take
//! the missing value.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use yaml_rust2::parser::{Event, Parser};

use crate::support::copy_dir;

/// Every plain numeric scalar of a YAML text that is a value (not a key): its byte range and
/// its key path with indices stripped (`units.general_budget.prior`).
fn numbers(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    enum Frame {
        Map {
            expecting_key: bool,
            key: Option<String>,
        },
        Seq,
    }
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    // Markers give a 1-based line and a 0-based column in characters.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let byte_at = |line: usize, col: usize| {
        let start = line_starts[line - 1];
        start
            + text[start..]
                .chars()
                .take(col)
                .map(char::len_utf8)
                .sum::<usize>()
    };
    while let Ok((event, mark)) = parser.next_token() {
        let begin = |stack: &mut Vec<Frame>, path: &mut Vec<String>| {
            if let Some(Frame::Map { key, .. }) = stack.last_mut()
                && let Some(k) = key.take()
            {
                path.push(k);
            } else if let Some(Frame::Seq) = stack.last() {
                path.push(String::new());
            }
        };
        let end = |stack: &mut Vec<Frame>, path: &mut Vec<String>| {
            if let Some(Frame::Map { expecting_key, .. }) = stack.last_mut() {
                *expecting_key = true;
            }
            if !stack.is_empty() {
                path.pop();
            }
        };
        match event {
            Event::StreamEnd => break,
            Event::Scalar(value, style, ..) => {
                if let Some(Frame::Map { expecting_key, key }) = stack.last_mut()
                    && *expecting_key
                {
                    *expecting_key = false;
                    *key = Some(value);
                    continue;
                }
                begin(&mut stack, &mut path);
                let plain = style == yaml_rust2::scanner::TScalarStyle::Plain;
                if plain && value.parse::<f64>().is_ok() {
                    let start = byte_at(mark.line(), mark.col());
                    let keys: Vec<&str> = path
                        .iter()
                        .map(String::as_str)
                        .filter(|k| !k.is_empty())
                        .collect();
                    out.push((start..start + value.len(), keys.join(".")));
                }
                end(&mut stack, &mut path);
            }
            Event::MappingStart(..) => {
                begin(&mut stack, &mut path);
                stack.push(Frame::Map {
                    expecting_key: true,
                    key: None,
                });
            }
            Event::SequenceStart(..) => {
                begin(&mut stack, &mut path);
                stack.push(Frame::Seq);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                end(&mut stack, &mut path);
            }
            _ => {}
        }
    }
    out
}

/// Settings and identities, not facts: removing them is not what the property is about.
fn is_fact(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    !(key.starts_with("format") || matches!(last, "year" | "code" | "unit" | "id" | "date"))
}

fn walk(v: &Value, zeros: &mut usize, comparisons: &mut usize) {
    match v {
        Value::String(s) => {
            let t = s.trim_end_matches('%');
            if !t.is_empty() && t.parse::<f64>().is_ok_and(|x| x == 0.0) {
                *zeros += 1;
            }
        }
        Value::Array(list) => list.iter().for_each(|x| walk(x, zeros, comparisons)),
        Value::Object(map) => {
            if map.contains_key("delta") {
                *comparisons += 1;
            }
            map.values().for_each(|x| walk(x, zeros, comparisons));
        }
        _ => {}
    }
}

/// The cells of a 部门决算's 公开表 and 自评表 funds: there a blank cell is the official way of
/// printing no amount (seed 002 prints an empty 因公出国（境）费 决算 and says "0.00 元"), so a
/// removed cell is a blank one and the table's totals read it as none. Every other number —
/// prior years, 年初预算, counts, vehicles, procurement, assets, all of a 部门预算's and of
/// the target forms' — must never come back as a 0.
fn is_final_accounts_cell(key: &str) -> bool {
    [
        "functional.",
        "balances.",
        "three_public.budget.",
        "three_public.actual.",
        "basic_by_economic",
        "funds.",
    ]
    .iter()
    .any(|p| key.starts_with(p))
}

/// Zeros printed and comparisons stated, from the document's data.
fn counts(data: &Value) -> (usize, usize) {
    let (mut zeros, mut comparisons) = (0, 0);
    walk(data, &mut zeros, &mut comparisons);
    (zeros, comparisons)
}

/// The YAML files of a project, main file first.
fn yaml_files(project: &Path) -> Vec<PathBuf> {
    let mut files = vec![project.join("budgetdoc.yaml")];
    for dir in ["evaluations", "targets"] {
        if let Ok(entries) = fs::read_dir(project.join(dir)) {
            let mut list: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
            list.sort();
            files.extend(list);
        }
    }
    files
}

fn removing_each_number_never_prints_a_zero_or_a_comparison(example: &str) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(example);
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join(example);
    copy_dir(&source, &project);
    let baseline = budgetdoc::check(&project).expect("the example checks");
    let (zeros, comparisons) = counts(&baseline.document.data());
    let (mut removed, mut refused, mut laid_out) = (0, 0, 0);
    let mut keys_laid_out = BTreeSet::new();
    // Three occurrences of each key are enough to exercise its code paths.
    let mut tried: std::collections::BTreeMap<String, usize> = Default::default();
    let final_accounts = baseline.document.kind() == "final-accounts";
    let mut failures = Vec::new();
    for file in yaml_files(&project) {
        let original = fs::read_to_string(&file).unwrap();
        for (range, key) in numbers(&original) {
            let seen = tried.entry(key.clone()).or_default();
            *seen += 1;
            if !is_fact(&key) || *seen > 3 {
                continue;
            }
            let mut edited = original.clone();
            edited.replace_range(range.clone(), "~");
            fs::write(&file, &edited).unwrap();
            let line = original[..range.start].lines().count();
            let at = format!(
                "{}:{line} `{key}`",
                file.file_name().unwrap().to_string_lossy()
            );
            match budgetdoc::check(&project) {
                Err(_) => refused += 1,
                Ok(checked) => {
                    removed += 1;
                    let (z, c) = counts(&checked.document.data());
                    if z > zeros && !(final_accounts && is_final_accounts_cell(&key)) {
                        failures.push(format!("{at}: {} more zeros printed", z - zeros));
                    }
                    if c > comparisons {
                        failures.push(format!("{at}: {} more comparisons stated", c - comparisons));
                    }
                    if keys_laid_out.insert(key.clone()) {
                        laid_out += 1;
                        if let Err(e) = budgetdoc::compile(&project, &[]) {
                            failures.push(format!("{at}: does not build: {e}"));
                        }
                    }
                }
            }
        }
        fs::write(&file, &original).unwrap();
    }
    assert!(removed > 0, "{example}: nothing removable");
    assert!(
        failures.is_empty(),
        "{example}: {} of {removed} removals ({refused} refused by check, {laid_out} laid out):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn budget_example() {
    removing_each_number_never_prints_a_zero_or_a_comparison("zhongwei-hrss-2024-budget");
}

#[test]
fn final_accounts_example() {
    removing_each_number_never_prints_a_zero_or_a_comparison("nx-hrss-2024-final");
}

#[test]
fn regional_targets_example() {
    removing_each_number_never_prints_a_zero_or_a_comparison("nx-employment-2024-targets");
}

#[test]
fn county_targets_example() {
    removing_each_number_never_prints_a_zero_or_a_comparison("yongning-employment-2024-targets");
}
