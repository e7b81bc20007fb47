//! validate: what every kind's rules share — the [`Checker`] that collects diagnostics
//! located in the user's files, settings (unit, year, date), 科目 codes against the catalogs,
//! and the plausibility of amounts for their unit. Each kind's own rules live in
//! `kinds/<kind>/rules.rs`, as `impl Checker` blocks; only validation constructs a kind's
//! validated model.
//!
//! Every problem is collected, not just the first; each names its rule ([`crate::rules`]),
//! whose severity it takes.

pub mod accept;
pub mod free_text;
pub mod placeholders;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::catalog::{self, Catalogs};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::scalar::{Amount, Code, Text};
use crate::load::{Loaded, Origin};
use crate::rules::{self, Rule};

/// The amount unit printed in tables and sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Yuan,
    TenThousandYuan,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::TenThousandYuan => "万元",
        }
    }

    /// The unit named `元` or `万元`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "元" => Some(Unit::Yuan),
            "万元" => Some(Unit::TenThousandYuan),
            _ => None,
        }
    }

    /// What an amount typed in this unit is divided by to print it in `to`.
    pub fn divisor_to(self, to: Unit) -> Decimal {
        match (self, to) {
            (Unit::Yuan, Unit::TenThousandYuan) => Decimal::from(10_000),
            (Unit::TenThousandYuan, Unit::Yuan) => Decimal::new(1, 4),
            _ => Decimal::ONE,
        }
    }
}

/// The unit of each part of a document as a profile names it (`元` or `万元`); none: the
/// document's `unit:`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Units {
    pub tables: Option<String>,
    pub three_public: Option<String>,
    pub text: Option<String>,
}

/// The unit each part of a document prints its amounts in: its tables, its 三公 table and
/// its sentences (amounts are typed once, in the document's `unit:`).
#[derive(Debug, Clone, Copy)]
pub struct PrintUnits {
    pub tables: Unit,
    pub three_public: Unit,
    pub text: Unit,
}

/// A publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// As the documents print it: 2024年2月28日.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// As a cover prints its month: 二〇二五年九月.
    pub fn cover_month(&self) -> String {
        const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        let year: String = self
            .year
            .to_string()
            .chars()
            .filter_map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]))
            .collect();
        format!(
            "{year}年{}月",
            crate::money::chinese_ordinal(self.month as usize)
        )
    }
}

pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().split('-');
    let year: i32 = it.next()?.parse().ok()?;
    let month: u8 = it.next()?.parse().ok()?;
    let day: u8 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let max = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (day <= max).then_some(Date { year, month, day })
}

/// Collects diagnostics, each located at a key path relative to the current origin.
pub(crate) struct Checker<'a, M, A> {
    pub(crate) loaded: &'a Loaded<M, A>,
    pub(crate) origin: Origin,
    pub(crate) diags: Diagnostics,
    /// Where 科目 names come from.
    pub(crate) catalogs: &'a Catalogs,
    /// The name the document prints for each 功能分类 code it uses.
    pub(crate) names: BTreeMap<String, String>,
    /// 类/款 codes already reported as unnamed (once each).
    pub(crate) unnamed: BTreeSet<String>,
    /// The project's acknowledged exceptions, applied to every report.
    pub(crate) acceptance: accept::Acceptance,
}

impl<'a, M: crate::load::MainInput<A>, A> Checker<'a, M, A> {
    pub(crate) fn new(loaded: &'a Loaded<M, A>, catalogs: &'a Catalogs) -> Self {
        let mut diags = Diagnostics::default();
        let acceptance = accept::Acceptance::new(loaded, &mut diags);
        Self {
            loaded,
            origin: loaded.main_origin(),
            diags,
            catalogs,
            names: BTreeMap::new(),
            unnamed: BTreeSet::new(),
            acceptance,
        }
    }
}

impl<M, A> Checker<'_, M, A> {
    /// Reports a breach of `rule` at the value `rel`; the severity is the rule's. The one
    /// way every rule is reported (at a key: [`Self::report_key`]; with another value
    /// involved: [`Self::report_with`]).
    pub(crate) fn report(
        &mut self,
        rule: &'static Rule,
        rel: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (loc, path) = self.loaded.locate(&self.origin, rel);
        self.push(rule, loc, path, message, hint);
    }

    /// Records a breach of `rule` found at `loc` (key path `path`).
    fn push(
        &mut self,
        rule: &'static Rule,
        loc: Option<Location>,
        path: String,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.emit(
            Diagnostic::error(message)
                .rule(rule)
                .at(loc)
                .path(path)
                .hint(hint),
        );
    }

    /// The kind's profile: the embedded `layers` with the project's sections (`(key, value)`,
    /// as typed in the main file) merged over them key by key. A problem with the project's
    /// keys is an L02 error at its key path, and the defaults are used meanwhile.
    pub(crate) fn profile<T: serde::de::DeserializeOwned>(
        &mut self,
        layers: &[crate::profile::Layer],
        project: &[(&str, Option<&serde_yaml::Value>)],
    ) -> T {
        let typed: Vec<(&str, &serde_yaml::Value)> = project
            .iter()
            .filter_map(|(k, v)| v.map(|v| (*k, v)))
            .collect();
        match crate::profile::resolve(layers, &typed) {
            Ok(p) => p,
            Err(problems) => {
                let origin = std::mem::replace(&mut self.origin, self.loaded.main_origin());
                for p in problems {
                    if p.at_key {
                        self.report_key(&rules::L02, &p.path, p.message, p.hint);
                    } else {
                        self.report(&rules::L02, &p.path, p.message, p.hint);
                    }
                }
                self.origin = origin;
                crate::profile::defaults(layers)
            }
        }
    }

    /// Records a finished diagnostic: a note when the project accepted it.
    pub(crate) fn emit(&mut self, mut d: Diagnostic) {
        self.acceptance.apply(&mut d);
        self.diags.push(d);
    }

    /// Reports that the fact at `rel` is missing (R04): located at its parent, or at the
    /// file's `kind:` line for a top-level key, with the missing key's path.
    pub(crate) fn missing(
        &mut self,
        rel: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let parent = rel.rfind(['.', '[']).map_or("", |i| &rel[..i]);
        let (loc, _) = if parent.is_empty() {
            self.loaded.locate_key(&self.origin, "kind")
        } else {
            self.loaded.locate(&self.origin, parent)
        };
        let path = self.origin.join(rel);
        self.push(&rules::R04, loc, path, message, hint);
    }

    /// Reports a breach of `rule` at the key (not the value) `rel`.
    pub(crate) fn report_key(
        &mut self,
        rule: &'static Rule,
        rel: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (loc, path) = self.loaded.locate_key(&self.origin, rel);
        self.push(rule, loc, path, message, hint);
    }

    /// The location and full path of the value at `rel` in the current file.
    pub(crate) fn at(&self, rel: &str) -> (Option<crate::diag::Location>, String) {
        self.loaded.locate(&self.origin, rel)
    }

    /// Reports a breach of `rule` at the value `rel`, with the value `other` (and what it
    /// is) as a related location.
    pub(crate) fn report_with(
        &mut self,
        rule: &'static Rule,
        rel: &str,
        message: String,
        (other, other_message): (&str, String),
        hint: &str,
    ) {
        let (loc, path) = self.at(rel);
        let (rloc, rpath) = self.at(other);
        self.emit(
            Diagnostic::error(message)
                .rule(rule)
                .at(loc)
                .path(path)
                .related(rloc, rpath, other_message)
                .hint(hint),
        );
    }

    /// The profile's `amount_units:` name 元 or 万元 (or nothing: the document's `unit`).
    pub(crate) fn check_print_units(&mut self, u: &Units, unit: Unit) -> PrintUnits {
        let mut one = |key: &str, value: &Option<String>| match value {
            None => unit,
            Some(s) => Unit::parse(s).unwrap_or_else(|| {
                let origin = std::mem::replace(&mut self.origin, self.loaded.main_origin());
                self.report(
                    &rules::U01,
                    &format!("amount_units.{key}"),
                    format!("unknown amount unit `{s}`"),
                    "write 元 or 万元, or leave it out to print in the document's `unit:`",
                );
                self.origin = origin;
                unit
            }),
        };
        PrintUnits {
            tables: one("tables", &u.tables),
            three_public: one("three_public", &u.three_public),
            text: one("text", &u.text),
        }
    }

    /// Unit, year, date and department name, shared by every kind.
    pub(crate) fn check_settings(
        &mut self,
        unit: Option<&Text>,
        year: i32,
        date: Option<&Text>,
        department: &Text,
        default_unit: Unit,
    ) -> (Unit, Option<Date>) {
        let unit = match unit.map(|t| t.as_str().trim()) {
            None => default_unit,
            Some(u) if Unit::parse(u).is_some() => Unit::parse(u).unwrap_or(default_unit),
            Some(other) => {
                self.report(
                    &rules::U01,
                    "unit",
                    format!("unknown amount unit `{other}`"),
                    "write `unit: 元` or `unit: 万元`",
                );
                default_unit
            }
        };
        if !(1949..=2200).contains(&year) {
            self.report(
                &rules::U01,
                "year",
                format!("year {year} is out of range"),
                "the document's year, e.g. `year: 2024`",
            );
        }
        let date = date.and_then(|d| {
            let parsed = parse_date(d.as_str());
            if parsed.is_none() {
                self.report(
                    &rules::U01,
                    "date",
                    format!("`{}` is not a date", d.as_str()),
                    "write the publication date as YYYY-MM-DD, e.g. `date: 2025-09-01`",
                );
            }
            parsed
        });
        if department.as_str().trim().is_empty() {
            self.report(
                &rules::L03,
                "department",
                "the department name is empty",
                "write the 公开部门's full name",
            );
        }
        (unit, date)
    }

    /// A 7-digit 功能分类 项 code under a 类 of the classification, whose name, and the names
    /// of its 类 and 款, some catalog gives (the project's `catalog:`, a catalog file, the
    /// embedded catalog) — or, for the 项 alone, the `name:` typed on its line. Records the
    /// names the document prints. Returns whether the code is usable.
    pub(crate) fn check_functional_code(
        &mut self,
        at: &str,
        code: &str,
        typed: Option<&Text>,
    ) -> bool {
        if code.len() != 7 {
            self.report(
                &rules::C01,
                at,
                format!("功能分类 code `{code}` is not a 7-digit 项 code"),
                "type the 项 code (e.g. \"2080101\"); 类 and 款 rows are derived from it",
            );
            return false;
        }
        let class = &code[..3];
        if !catalog::is_functional_class(class) {
            self.report(
                &rules::C01,
                at,
                format!(
                    "`{class}` (the first three digits of `{code}`) is not a 类 of the 支出功能分类"
                ),
                "a 项 code starts with its 类 (201 一般公共服务支出 … 234); check the code",
            );
            return false;
        }
        let typed = typed.map(|t| t.as_str().trim()).filter(|t| !t.is_empty());
        let name_at = format!("{}.name", at.strip_suffix(".code").unwrap_or(at));
        match self.catalogs.functional(code) {
            Some((official, source)) => {
                if let Some(typed) = typed
                    && typed != official
                {
                    self.report(
                        &rules::C05,
                        &name_at,
                        format!(
                            "name `{typed}` differs from the catalog's `{official}` for `{code}`"
                        ),
                        "the document prints the catalog's name; remove `name:` or fix the code",
                    );
                }
                self.note_source(code, &official, &source);
                self.names.insert(code.to_string(), official);
            }
            None => match typed {
                Some(typed) => {
                    self.report(&rules::C06, &name_at,
                        format!("`{code}` is in no catalog; the document prints it as `{typed}`, the name typed here"),
                        self.nearest_codes(code, Some(typed)).map_or_else(
                            || "if the code is right, nothing to do; a catalog file (--catalog) or `catalog:` entry names it for every project".to_string(),
                            |near| format!("if the code is mistyped, the catalogs know {near}"),
                        ),
                    );
                    self.names.insert(code.to_string(), typed.to_string());
                }
                None => {
                    let hint = format!(
                        "type the 项's name on its line (`name: …`), or name it in the project's `catalog:` or in a catalog file (--catalog FILE){}",
                        self.nearest_codes(code, None)
                            .map(|n| format!("; nearest known codes: {n}"))
                            .unwrap_or_default()
                    );
                    self.report(
                        &rules::C01,
                        at,
                        format!("功能分类 code `{code}` has no name in any catalog"),
                        hint,
                    );
                    return false;
                }
            },
        }
        let mut ok = true;
        for (len, what) in [(3, "类"), (5, "款")] {
            let parent = &code[..len];
            match self.catalogs.functional(parent) {
                Some((name, source)) => {
                    self.note_source(parent, &name, &source);
                    self.names.insert(parent.to_string(), name);
                }
                None => {
                    ok = false;
                    if self.unnamed.insert(parent.to_string()) {
                        self.report(&rules::C02, at,
                            format!("the {what} `{parent}` of `{code}` has no name in any catalog, and the tables print it"),
                            format!("name it in the project's `catalog:` (`catalog: {{ \"{parent}\": <{what}名称> }}`) or in a catalog file (--catalog FILE)"),
                        );
                    }
                }
            }
        }
        ok
    }

    /// U03: this year's amounts implausible for the document's unit. In 万元, a total of
    /// 1000 亿元 or more, or a typical (median) line of 10 亿元 or more, looks like amounts
    /// typed in 元; in 元, a whole document under 10 万元 looks like amounts typed in 万元.
    pub(crate) fn check_plausible_unit(
        &mut self,
        unit: Unit,
        amounts: impl Iterator<Item = Option<Amount>>,
    ) {
        let mut typed: Vec<Decimal> = amounts
            .flatten()
            .map(|a| a.0)
            .filter(|a| !a.is_zero())
            .collect();
        if typed.is_empty() {
            return;
        }
        typed.sort();
        let total: Decimal = typed.iter().sum();
        let median = typed[typed.len() / 2];
        let (implausible, hint) = match unit {
            Unit::TenThousandYuan => (
                total >= Decimal::from(10_000_000) || median >= Decimal::from(100_000),
                "the amounts look like 元: switch to `unit: 元`, or divide them by 10000",
            ),
            Unit::Yuan => (
                total < Decimal::from(100_000),
                "the amounts look like 万元: switch to `unit: 万元`, or type them in 元",
            ),
        };
        if implausible {
            self.report(&rules::U03, "unit",
                format!(
                    "this year's amounts add up to {total} {} (a typical line {median}): implausible for a department in that unit",
                    unit.label()
                ),
                hint,
            );
        }
    }

    /// The project's own `catalog:` entries: 功能分类 codes (a 类 only if the classification
    /// has it: a province names its own 款 and 项, not new 类) with a name.
    pub(crate) fn check_catalog_entries(&mut self, entries: &BTreeMap<Code, Text>) {
        for (code, name) in entries {
            let c = code.as_str();
            let rel = format!("catalog.{c}");
            if !(matches!(c.len(), 3 | 5 | 7) && c.starts_with('2')) {
                self.report_key(
                    &rules::C08,
                    &rel,
                    format!("`{c}` is not a 支出功能分类 code (3, 5 or 7 digits starting with 2)"),
                    "name 类 (3 digits), 款 (5) or 项 (7) codes such as \"20406\"",
                );
            } else if c.len() == 3 && !catalog::is_functional_class(c) {
                self.report_key(
                    &rules::C08,
                    &rel,
                    format!("`{c}` is not a 类 of the 支出功能分类"),
                    "the 类 are national (201 … 234); name 款 and 项 codes here",
                );
            } else if name.as_str().trim().is_empty() {
                self.report(
                    &rules::C08,
                    &rel,
                    format!("the name of `{c}` is empty"),
                    "write the 科目名称",
                );
            }
        }
    }

    /// Warns once per code when the project's `catalog:` or a catalog file names a code
    /// differently from the embedded catalog (the document prints the supplied name).
    pub(crate) fn note_source(&mut self, code: &str, name: &str, source: &catalog::NameSource) {
        if *source == catalog::NameSource::Embedded || self.names.contains_key(code) {
            return;
        }
        let Some(embedded) = catalog::functional_name_in(code, self.catalogs.year) else {
            return;
        };
        if embedded == name {
            return;
        }
        let message = format!(
            "`{code}` is named `{name}` here but `{embedded}` in budgetdoc's embedded catalog; the document prints `{name}`"
        );
        let hint = "if the embedded name is the one to print, remove this entry";
        match source {
            catalog::NameSource::Project => {
                self.report(&rules::C07, &format!("catalog.{code}"), message, hint);
            }
            catalog::NameSource::File(at) => self.emit(
                Diagnostic::warning(message)
                    .rule(&rules::C07)
                    .at(Some(at.clone()))
                    .hint(hint),
            ),
            catalog::NameSource::Embedded => {}
        }
    }

    /// The known 项 codes nearest to `code`: those of its 款, then of its 类, by edit
    /// distance; with a typed name, first the codes the catalogs give that name.
    pub(crate) fn nearest_codes(&self, code: &str, typed: Option<&str>) -> Option<String> {
        let items = self.catalogs.items();
        let mut picked: Vec<&(String, String)> = Vec::new();
        if let Some(typed) = typed {
            picked.extend(
                items
                    .iter()
                    .filter(|(c, n)| n == typed && c[..3] == code[..3]),
            );
        }
        // Within the 款, then the 类, every code is a candidate however far; another 类's
        // codes never are (a typo rarely changes the 类, and its names would mislead).
        for prefix in [&code[..5], &code[..3]] {
            let mut pool: Vec<(usize, &(String, String))> = items
                .iter()
                .filter(|(c, _)| c.starts_with(prefix))
                .map(|item| (crate::suggest::distance(code, &item.0), item))
                .collect();
            pool.sort();
            for (_, item) in pool.into_iter().take(3) {
                if !picked.contains(&item) {
                    picked.push(item);
                }
            }
        }
        picked.truncate(4);
        (!picked.is_empty()).then(|| {
            picked
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn dates() {
        assert_eq!(
            parse_date("2025-09-01"),
            Some(Date {
                year: 2025,
                month: 9,
                day: 1
            })
        );
        assert_eq!(parse_date("2024-02-30"), None);
        assert!(parse_date("2024-02-29").is_some());
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2025/09/01"), None);
        let d = parse_date("2025-09-01").unwrap();
        assert_eq!(d.chinese(), "2025年9月1日");
        assert_eq!(d.cover_month(), "二〇二五年九月");
    }
}
