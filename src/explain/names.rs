//! explain: names a typed fact and a printed figure the way a finance clerk does — the
//! 科目's code and name, the form's project, the table, its row and its column — instead of
//! the key path (`functional[4].income.general_budget` reads `2080101 行政运行 · 收入 ·
//! 一般公共预算财政拨款`).
//!
//! The words of the input's keys are in `fields.tsv` (key, tab, words); a key it does not
//! know is shown as typed. A 科目's name is the one the document prints for its code, else
//! the one typed beside it, else the built-in catalog's.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::load::SourceFile;

/// The words of the input's keys.
const FIELDS: &str = include_str!("fields.tsv");

/// What names facts and figures: the typed files as values, and the names the document
/// prints beside each code.
#[derive(Default)]
pub struct Namer {
    files: HashMap<PathBuf, Yaml>,
    /// Code → the name printed beside it (a table's row).
    printed: HashMap<String, String>,
    fields: HashMap<&'static str, &'static str>,
}

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `functional[4].income.general_budget` → its steps.
fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else { break };
            if let Ok(i) = r[..end].parse() {
                out.push(Seg::Index(i));
            }
            rest = &r[end + 1..];
        }
    }
    out
}

impl Namer {
    /// A namer for the files a build read and the data it printed.
    pub fn new(files: &[SourceFile], data: &Json) -> Self {
        let mut printed = HashMap::new();
        collect_codes(data, &mut printed);
        Self {
            files: files
                .iter()
                .filter_map(|f| Some((f.path.clone(), serde_yaml::from_str(&f.text).ok()?)))
                .collect(),
            printed,
            fields: FIELDS
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .collect(),
        }
    }

    /// A 科目 (or an economic classification's item) as `code name`, the name as printed.
    fn code(&self, code: &str, typed: Option<&str>) -> String {
        let name = self
            .printed
            .get(code)
            .map(String::as_str)
            .or(typed)
            .or_else(|| crate::catalog::functional_name(code))
            .or_else(|| crate::catalog::economic_name(code));
        match name {
            Some(n) => format!("{code} {}", n.trim()),
            None => code.to_string(),
        }
    }

    /// A key's words, under `parent` when the words differ there (`vehicles.other`).
    fn key(&self, parent: Option<&str>, key: &str) -> String {
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_digit()) {
            return self.code(key, None);
        }
        parent
            .and_then(|p| self.fields.get(format!("{p}.{key}").as_str()))
            .or_else(|| self.fields.get(key))
            .map(|w| w.to_string())
            .unwrap_or_else(|| key.to_string())
    }

    /// What identifies a list's item: its code and name, its project or its name; `None`
    /// when it has none of these.
    fn item(&self, item: &Yaml) -> Option<String> {
        let text = |k: &str| match item.get(k)? {
            Yaml::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Yaml::Number(n) => Some(n.to_string()),
            _ => None,
        };
        if let Some(code) = text("code") {
            let named = self.code(&code, text("name").as_deref());
            // A line of income other than 财政拨款 says which income funds it.
            return Some(match text("source") {
                Some(source) => format!("{named} · {source}"),
                None => named,
            });
        }
        [
            "project",
            "name",
            "title",
            "indicator",
            "item",
            "label",
            "unit",
        ]
        .into_iter()
        .find_map(text)
    }

    /// A typed fact's name: its row's identity and the words of its keys, joined by ` · `.
    pub fn fact(&self, file: &std::path::Path, path: &str) -> String {
        let segs = segments(path);
        let mut here = self.files.get(file);
        let mut words: Vec<String> = Vec::new();
        // A form's own file (a target, a self-evaluation) is named by its project first.
        if let Some(Yaml::String(project)) = here.and_then(|v| v.get("name"))
            && !project.trim().is_empty()
        {
            words.push(project.trim().to_string());
        }
        let mut parent = None;
        for (i, seg) in segs.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    here = here.and_then(|v| v.get(*k));
                    // A list's key says less than the item that follows it.
                    let listed = matches!(segs.get(i + 1), Some(Seg::Index(_)));
                    if !listed {
                        words.push(self.key(parent, k));
                    }
                    parent = Some(*k);
                }
                Seg::Index(n) => {
                    here = here.and_then(|v| v.get(*n));
                    let named = here.and_then(|v| self.item(v));
                    words.push(named.unwrap_or_else(|| {
                        let list = match i.checked_sub(1).map(|j| &segs[j]) {
                            Some(Seg::Key(k)) => self.key(None, k),
                            _ => String::new(),
                        };
                        format!("{list}第{}项", n + 1)
                    }));
                }
            }
        }
        words.join(" · ")
    }

    /// A printed figure's name: in a table, the table (its code and title), the row's code
    /// and name and the column — its `header` as printed above it when the layout gives one,
    /// else its number among the row's amounts (第1栏); `None` elsewhere (a sentence's
    /// figure is named by its line).
    pub fn cell(&self, data: &Json, path: &str, header: Option<&str>) -> Option<String> {
        let segs = segments(path);
        if let Some(named) = pack_cell(data, &segs, header) {
            return Some(named);
        }
        let Seg::Key(table) = *segs.first()? else {
            return None;
        };
        let t = data.get(table)?;
        let mut words = vec![table_title(data, table)?];
        let column = match segs.get(1..)? {
            [
                Seg::Key("rows"),
                Seg::Index(r),
                Seg::Key("cells"),
                Seg::Index(c),
                ..,
            ] => {
                let row = t.get("rows")?.get(*r)?;
                let code = row.get("code").and_then(Json::as_str).unwrap_or("").trim();
                let name = row.get("name").and_then(Json::as_str).unwrap_or("").trim();
                words.push(format!("{code} {name}").trim().to_string());
                *c
            }
            [Seg::Key("total"), Seg::Index(c), ..]
            | [Seg::Key("total"), Seg::Key("cells"), Seg::Index(c), ..] => {
                words.push("合计".into());
                *c
            }
            [Seg::Index(c)] => *c,
            _ => return None,
        };
        words.push(match header {
            Some(h) => h.to_string(),
            None => format!("第{}栏", column + 1),
        });
        Some(words.join(" · "))
    }
}

/// A cell of a region pack's table (`parts[4].blocks[1].rows[5].cells[2]`): the table's
/// title, the row's printed texts (code and name, or its label), and the column.
fn pack_cell(data: &Json, segs: &[Seg<'_>], header: Option<&str>) -> Option<String> {
    let at = segs.iter().position(|s| matches!(s, Seg::Key("rows")))?;
    let mut table = data;
    for s in &segs[..at] {
        table = match s {
            Seg::Key(k) => table.get(*k)?,
            Seg::Index(i) => table.get(*i)?,
        };
    }
    if table.get("type").and_then(Json::as_str) != Some("table") {
        return None;
    }
    let [Seg::Index(r), Seg::Key("cells"), Seg::Index(c), ..] = segs.get(at + 1..)? else {
        return None;
    };
    let cells = table.get("rows")?.get(*r)?.get("cells")?.as_array()?;
    let row: Vec<&str> = cells
        .iter()
        .filter(|cell| cell.get("align").and_then(Json::as_str) == Some("left"))
        .filter_map(|cell| cell.get("text").and_then(Json::as_str))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let title = table.get("title").and_then(Json::as_str)?.trim();
    let column = match header {
        Some(h) => h.to_string(),
        None => format!("第{}栏", c + 1),
    };
    Some(format!("{title} · {} · {column}", row.join(" ")))
}

/// A table's code and title as printed (`公开02表 收入决算表`), from the document's list of
/// tables.
fn table_title(data: &Json, key: &str) -> Option<String> {
    let entry = data.get("tables")?.as_array()?.iter().find(|e| {
        e.get("id")
            .and_then(Json::as_str)
            .is_some_and(|id| id == key || format!("t{id}") == key)
    })?;
    let text = |k: &str| entry.get(k).and_then(Json::as_str).map(str::trim);
    let title = text("title")?;
    Some(match text("code") {
        Some(code) if !code.is_empty() => format!("{code} {title}"),
        _ => title.to_string(),
    })
}

/// Every `{code, name}` pair of the data (a table's rows), the first name of a code kept.
fn collect_codes(v: &Json, out: &mut HashMap<String, String>) {
    match v {
        Json::Object(map) => {
            if let (Some(Json::String(code)), Some(Json::String(name))) =
                (map.get("code"), map.get("name"))
                && !code.trim().is_empty()
                && !name.trim().is_empty()
            {
                out.entry(code.trim().to_string())
                    .or_insert_with(|| name.trim().to_string());
            }
            for item in map.values() {
                collect_codes(item, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|i| collect_codes(i, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn namer(yaml: &str, data: Json) -> Namer {
        let file = SourceFile {
            path: PathBuf::from("budgetdoc.yaml"),
            text: yaml.to_string(),
            positions: Arc::new(crate::load::positions::Positions::index(yaml).positions),
        };
        Namer::new(&[file], &data)
    }

    #[test]
    fn paths_split_into_keys_and_indexes() {
        assert_eq!(
            segments("functional[4].income.general_budget"),
            vec![
                Seg::Key("functional"),
                Seg::Index(4),
                Seg::Key("income"),
                Seg::Key("general_budget")
            ]
        );
        assert_eq!(
            segments("a[1][2].b"),
            vec![Seg::Key("a"), Seg::Index(1), Seg::Index(2), Seg::Key("b")]
        );
    }

    #[test]
    fn a_fact_reads_as_its_subject_and_its_words() {
        let n = namer(
            "functional:\n  - code: \"2080101\"\n    income:\n      general_budget: 1\n  - code: \"2089999\"\n    name: 其他社会保障和就业支出\n    basic: 2\n",
            serde_json::json!({ "t02": { "rows": [{ "code": "2080101", "name": " 行政运行" }] } }),
        );
        let file = std::path::Path::new("budgetdoc.yaml");
        assert_eq!(
            n.fact(file, "functional[0].income.general_budget"),
            "2080101 行政运行 · 收入 · 一般公共预算财政拨款"
        );
        assert_eq!(
            n.fact(file, "functional[1].basic"),
            "2089999 其他社会保障和就业支出 · 基本支出"
        );
        // An item without a code or name is counted; a key nobody glossed is shown as typed.
        assert_eq!(n.fact(file, "functional[7].zzz"), "功能分类第8项 · zzz");
    }

    #[test]
    fn a_form_file_is_named_by_its_project() {
        let n = namer(
            "name: 就业创业服务补贴\nproject_total: 250\n",
            serde_json::json!({}),
        );
        assert_eq!(
            n.fact(std::path::Path::new("budgetdoc.yaml"), "project_total"),
            "就业创业服务补贴 · 项目总额"
        );
    }

    #[test]
    fn a_table_cell_reads_as_its_table_row_and_column() {
        let n = Namer::default();
        let data = serde_json::json!({
            "tables": [{ "id": "02", "code": "公开02表", "title": "收入决算表" }, { "id": "t8", "code": null, "title": "部门支出总表" }],
            "t02": {
                "rows": [{ "code": "2080101", "name": " 行政运行", "cells": ["1", "2"] }],
                "total": ["1", "2"]
            },
            "t8": ["1", "2"]
        });
        assert_eq!(
            n.cell(&data, "t02.rows[0].cells[1]", None).as_deref(),
            Some("公开02表 收入决算表 · 2080101 行政运行 · 第2栏")
        );
        assert_eq!(
            n.cell(&data, "t02.total[0]", Some("本年收入合计"))
                .as_deref(),
            Some("公开02表 收入决算表 · 合计 · 本年收入合计")
        );
        assert_eq!(
            n.cell(&data, "t8[1]", None).as_deref(),
            Some("部门支出总表 · 第2栏")
        );
        assert_eq!(n.cell(&data, "narrative.total", None), None);
    }
}
