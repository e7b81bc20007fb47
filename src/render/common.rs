//! render: the parts of a view every kind shares — the fonts by role, the glossary
//! (名词解释), typed free text as printed.

use serde::Serialize;

use crate::load::common::{FontChoice, GlossaryEntry};
use crate::load::scalar::Text;
use crate::money::chinese_ordinal;

/// What every document's `meta` starts with: the department, the year and the one before
/// it (the headers and sentences name both), and the amount unit.
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub department: String,
    pub year: String,
    pub prior_year: String,
    pub unit: &'static str,
}

impl Identity {
    pub fn new(department: &str, year: i32, unit: &'static str) -> Self {
        Self {
            department: department.trim().to_string(),
            year: year.to_string(),
            prior_year: (year - 1).to_string(),
            unit,
        }
    }
}

/// The font families the project chose, by role (`null`: the embedded default).
#[derive(Debug, Clone, Serialize)]
pub struct FontsView {
    pub body: Option<String>,
    pub heading: Option<String>,
    pub kai: Option<String>,
    pub title: Option<String>,
}

impl FontsView {
    pub fn of(f: &FontChoice) -> Self {
        Self {
            body: trimmed(&f.body),
            heading: trimmed(&f.heading),
            kai: trimmed(&f.kai),
            title: trimmed(&f.title),
        }
    }
}

/// One entry of the 目录's table list: the table's key in the view, its ordinal (一, 二, …),
/// printed title, heading (一、…), unit line (单位：万元) and the note it prints when empty.
#[derive(Debug, Clone, Serialize)]
pub struct TableEntry {
    pub id: String,
    pub ordinal: String,
    pub title: String,
    pub heading: String,
    pub unit_line: String,
    pub empty_note: Option<String>,
    /// The table's code as printed above it (公开01表), where the kind prints one.
    pub code: Option<String>,
}

/// The 目录's table list from (key, title) pairs in print order: ordinals by position, the
/// heading, the unit line and the code from the profile's patterns (`{ordinal}`, `{title}`;
/// `{id}`).
pub fn table_list<'a>(
    tables: impl IntoIterator<Item = (&'static str, &'a str)>,
    heading: &str,
    unit_line: &str,
    code: &str,
) -> Vec<TableEntry> {
    tables
        .into_iter()
        .enumerate()
        .map(|(i, (id, title))| {
            let ordinal = chinese_ordinal(i + 1);
            TableEntry {
                id: id.to_string(),
                heading: crate::profile::fill(heading, &[("ordinal", &ordinal), ("title", title)]),
                unit_line: unit_line.to_string(),
                ordinal,
                title: title.to_string(),
                empty_note: None,
                code: Some(crate::profile::fill(code, &[("id", id)])),
            }
        })
        .collect()
}

/// One 名词解释 entry, with its ordinal (一, 二, …).
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryItem {
    pub ordinal: String,
    pub term: String,
    pub text: String,
}

/// The glossary: the project's own entries, else the kind's embedded default.
pub fn glossary(custom: Option<&[GlossaryEntry]>, default_yaml: &str) -> Vec<GlossaryItem> {
    #[derive(serde::Deserialize)]
    struct Entry {
        term: String,
        text: String,
    }
    let entries: Vec<(String, String)> = match custom {
        Some(list) => list
            .iter()
            .map(|g| (g.term.as_str().trim().into(), g.text.as_str().trim().into()))
            .collect(),
        None => serde_yaml::from_str::<Vec<Entry>>(default_yaml)
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.term.trim().into(), e.text.trim().into()))
            .collect(),
    };
    entries
        .into_iter()
        .enumerate()
        .map(|(i, (term, text))| GlossaryItem {
            ordinal: chinese_ordinal(i + 1),
            term,
            text,
        })
        .collect()
}

/// Typed text as printed: trimmed; absent when nothing (or only blanks) was typed.
pub fn trimmed(t: &Option<Text>) -> Option<String> {
    t.as_ref()
        .map(|t| t.as_str().trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Typed paragraphs as printed, each trimmed.
pub fn paragraphs(list: &[Text]) -> Vec<String> {
    list.iter().map(|t| t.as_str().trim().to_string()).collect()
}
