//! The views and the templates agree: every field a template reads is a key of its kind's
//! view. A view is a tree of typed structs that always writes every key (`null` when
//! absent), so a field renamed on either side — in Rust or in a template — fails here even
//! when no example reaches the sentence that reads it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// Every object key anywhere in `v`.
fn keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                out.insert(k.clone());
                keys(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

/// The fields a template reads: `.name` after an identifier, `)` or `]`, not followed by
/// `(` (a method call), outside comments and string literals.
fn fields(template: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in template.lines() {
        // Strip a line comment and string literals (templates keep strings on one line).
        let mut code = String::new();
        let mut in_string = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '/' if !in_string && chars.peek() == Some(&'/') => break,
                _ if in_string => {}
                _ => code.push(c),
            }
        }
        let b: Vec<char> = code.chars().collect();
        for i in 1..b.len() {
            let before = b[i - 1];
            if b[i] != '.' || !(before.is_alphanumeric() || "_)]".contains(before)) {
                continue;
            }
            let name: String = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '-')
                .collect();
            let next = b.get(i + 1 + name.chars().count());
            let starts_ident = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
            if starts_ident && next != Some(&'(') {
                out.insert(name);
            }
        }
    }
    out
}

/// A kind's embedded templates by virtual path.
type Templates = &'static [(&'static str, &'static str)];

/// Typst's own fields the templates read (`outline.entry`).
const TYPST_FIELDS: &[&str] = &["entry"];

#[test]
fn every_field_a_template_reads_is_a_key_of_its_view() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    // Per kind: the keys of its examples' views (an optional block such as a cover notice
    // is `null` in one example and present in another) and its templates.
    // A kind's documents under a region pack have the pack's templates: each set of
    // templates is checked against the views laid out with it.
    let mut kinds: BTreeMap<(&str, &str), (BTreeSet<String>, Templates)> = BTreeMap::new();
    for entry in std::fs::read_dir(&examples).unwrap() {
        let project = entry.unwrap().path();
        if !project.join("budgetdoc.yaml").is_file() {
            continue; // examples/ci: pipelines, not a project
        }
        let checked = budgetdoc::check(&project).expect("the example checks");
        let document = &checked.document;
        let templates = document.templates();
        let (view_keys, _) = kinds
            .entry((document.kind(), templates[0].1))
            .or_insert_with(|| (BTreeSet::new(), templates));
        keys(&document.data(), view_keys);
    }
    // Every kind is covered by an example, and the pack template by one.
    let covered: BTreeSet<&str> = kinds.keys().map(|(k, _)| *k).collect();
    assert_eq!(covered.len(), budgetdoc::kinds::KINDS.len());
    assert!(
        kinds
            .keys()
            .any(|(_, main)| *main == budgetdoc::pack::TEMPLATES[0].1),
        "no example under a region pack"
    );
    // A component several kinds embed (the form, `targets.typ`) draws every layout, and each
    // kind prints some of them: it is checked against the keys of all the kinds that embed it.
    let mut shared: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (view_keys, templates) in kinds.values() {
        for (_, text) in templates.iter() {
            shared
                .entry(text)
                .or_default()
                .extend(view_keys.iter().cloned());
        }
    }
    for ((kind, _), (_, templates)) in &kinds {
        for (name, text) in templates.iter() {
            let view_keys = &shared[text];
            let unknown: Vec<String> = fields(text)
                .into_iter()
                .filter(|f| !view_keys.contains(f) && !TYPST_FIELDS.contains(&f.as_str()))
                .collect();
            assert!(
                unknown.is_empty(),
                "{kind} template {name} reads fields its view does not have: {unknown:?}"
            );
        }
    }
}

#[test]
fn the_field_scanner_sees_reads_not_calls_comments_or_strings() {
    let found = fields(
        "#let n = data.narrative // data.ignored\n#n.fiscal.total.len() \"a.b\" t.at(0).amount",
    );
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["amount", "fiscal", "narrative", "total"]);
}
