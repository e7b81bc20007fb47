//! validate: run every rule over the loaded input, collect every problem (not just the first),
//! each pointing at the value in the user's file. Only this stage constructs [`Validated`],
//! and `derive` accepts nothing else.
//!
//! What is checked here: settings (unit, year, date, table list), codes against the embedded
//! catalog (unknown code → error; a typed name that disagrees → warning), duplicates, and
//! the facts of each self-evaluation (a 得分 above its 分值). Negative amounts never get here:
//! load refuses them for every kind.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::catalog::{self, Catalogs};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::input::{FinalAccountsInput, INDICATOR_GROUPS, IndicatorInput};
use crate::load::scalar::{Amount, Code, Text};
use crate::load::{EvaluationInput, FinalAccountsProject, Loaded, Origin};
use crate::rules::{self, Rule};

pub mod budget;
pub mod narrative;
pub mod targets;

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
}

/// A publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The nine 公开表 of a 部门决算.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TableId {
    T01,
    T02,
    T03,
    T04,
    T05,
    T06,
    T07,
    T08,
    T09,
}

impl TableId {
    pub const ALL: [TableId; 9] = [
        TableId::T01,
        TableId::T02,
        TableId::T03,
        TableId::T04,
        TableId::T05,
        TableId::T06,
        TableId::T07,
        TableId::T08,
        TableId::T09,
    ];

    pub fn number(self) -> &'static str {
        match self {
            TableId::T01 => "01",
            TableId::T02 => "02",
            TableId::T03 => "03",
            TableId::T04 => "04",
            TableId::T05 => "05",
            TableId::T06 => "06",
            TableId::T07 => "07",
            TableId::T08 => "08",
            TableId::T09 => "09",
        }
    }

    fn parse(s: &str) -> Option<TableId> {
        TableId::ALL
            .into_iter()
            .find(|t| t.number() == s || t.number().trim_start_matches('0') == s)
    }

    /// The official title.
    pub fn default_title(self) -> &'static str {
        match self {
            TableId::T01 => "收入支出决算总表",
            TableId::T02 => "收入决算表",
            TableId::T03 => "支出决算表",
            TableId::T04 => "财政拨款收入支出决算总表",
            TableId::T05 => "一般公共预算财政拨款支出决算表",
            TableId::T06 => "一般公共预算财政拨款基本支出决算表",
            TableId::T07 => "财政拨款“三公”经费支出决算表",
            TableId::T08 => "政府性基金预算财政拨款收入支出决算表",
            TableId::T09 => "国有资本经营预算财政拨款支出决算表",
        }
    }
}

/// The validated final-accounts project: the only input `derive` accepts.
#[derive(Debug, Clone)]
pub struct Validated {
    input: FinalAccountsInput,
    evaluations: Vec<EvaluationInput>,
    unit: Unit,
    date: Option<Date>,
    tables: Vec<(TableId, String)>,
    names: Names,
}

impl Validated {
    pub fn input(&self) -> &FinalAccountsInput {
        &self.input
    }
    pub fn evaluations(&self) -> &[EvaluationInput] {
        &self.evaluations
    }
    pub fn unit(&self) -> Unit {
        self.unit
    }
    pub fn date(&self) -> Option<Date> {
        self.date
    }
    /// The tables to print, in order, with their titles.
    pub fn tables(&self) -> &[(TableId, String)] {
        &self.tables
    }
    /// The 科目 names the document prints.
    pub fn names(&self) -> &Names {
        &self.names
    }
}

/// The name a document prints for each 功能分类 code it uses (项, and the 类 and 款 above
/// them), resolved by validation from the catalogs and the names typed on lines.
#[derive(Debug, Clone, Default)]
pub struct Names(BTreeMap<String, String>);

impl Names {
    /// The printed name of a 功能分类 code: the resolved one, else the embedded catalog's
    /// (the 类 rows every 01表 prints), else empty.
    pub fn functional(&self, code: &str) -> String {
        self.0
            .get(code)
            .cloned()
            .or_else(|| catalog::functional_name(code).map(str::to_string))
            .unwrap_or_default()
    }
}

/// Runs every rule. Returns the validated model (with any warnings) or all problems.
pub fn validate(
    loaded: &FinalAccountsProject,
    catalogs: &Catalogs,
) -> Result<(Validated, Diagnostics), Diagnostics> {
    let mut v = Checker::new(loaded, catalogs);
    let input = &loaded.main;

    let (unit, date) = v.check_settings(
        input.unit.as_ref(),
        input.year,
        input.date.as_ref(),
        &input.department,
        Unit::Yuan,
    );

    v.check_catalog_entries(&input.catalog);
    v.check_functional(input);
    v.check_same_money(input);
    v.check_economic(input);
    v.check_class_maps(input);
    let tables = v.check_tables(input);
    v.check_missing_facts(input);
    v.check_plausible_unit(
        unit,
        input.functional.iter().flat_map(|r| {
            let e = &r.expenditure;
            [
                e.basic,
                e.project,
                e.remit_to_superior,
                e.operating,
                e.subsidy_to_affiliated,
            ]
        }),
    );

    for (origin, e) in &loaded.attachments {
        v.origin = origin.clone();
        v.check_evaluation(e);
    }

    let evaluations = loaded.attachments.iter().map(|(_, e)| e.clone()).collect();
    let names = Names(v.names);
    let diags = v.diags;
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((
        Validated {
            input: input.clone(),
            evaluations,
            unit,
            date,
            tables,
            names,
        },
        diags,
    ))
}

fn sum2(
    a: Option<crate::load::scalar::Amount>,
    b: Option<crate::load::scalar::Amount>,
) -> Option<crate::load::scalar::Amount> {
    match (a, b) {
        (None, None) => None,
        _ => Some(crate::load::scalar::Amount(
            a.map(|x| x.0).unwrap_or_default() + b.map(|x| x.0).unwrap_or_default(),
        )),
    }
}

fn parse_date(s: &str) -> Option<Date> {
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
struct Checker<'a, M, A> {
    loaded: &'a Loaded<M, A>,
    origin: Origin,
    diags: Diagnostics,
    /// Where 科目 names come from.
    catalogs: &'a Catalogs,
    /// The name the document prints for each 功能分类 code it uses.
    names: BTreeMap<String, String>,
    /// 类/款 codes already reported as unnamed (once each).
    unnamed: BTreeSet<String>,
}

impl<'a, M, A> Checker<'a, M, A> {
    fn new(loaded: &'a Loaded<M, A>, catalogs: &'a Catalogs) -> Self {
        Self {
            loaded,
            origin: loaded.main_origin(),
            diags: Diagnostics::default(),
            catalogs,
            names: BTreeMap::new(),
            unnamed: BTreeSet::new(),
        }
    }
}

impl<M, A> Checker<'_, M, A> {
    /// Reports a breach of `rule` at the value `rel`; the severity is the rule's. The one
    /// way every rule is reported (at a key: [`Self::report_key`]; with another value
    /// involved: [`Self::report_with`]).
    fn report(
        &mut self,
        rule: &'static Rule,
        rel: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (loc, path) = self.loaded.locate(&self.origin, rel);
        self.diags.push(
            Diagnostic::error(message)
                .rule(rule)
                .at(loc)
                .path(path)
                .hint(hint),
        );
    }

    /// Reports that the fact at `rel` is missing (R04): located at its parent, or at the
    /// file's `kind:` line for a top-level key, with the missing key's path.
    fn missing(&mut self, rel: &str, message: impl Into<String>, hint: impl Into<String>) {
        let parent = rel.rfind(['.', '[']).map_or("", |i| &rel[..i]);
        let (loc, _) = if parent.is_empty() {
            self.loaded.locate_key(&self.origin, "kind")
        } else {
            self.loaded.locate(&self.origin, parent)
        };
        let path = self.origin.join(rel);
        self.diags.push(
            Diagnostic::error(message)
                .rule(&rules::R04)
                .at(loc)
                .path(path)
                .hint(hint),
        );
    }

    /// Reports a breach of `rule` at the key (not the value) `rel`.
    fn report_key(
        &mut self,
        rule: &'static Rule,
        rel: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (loc, path) = self.loaded.locate_key(&self.origin, rel);
        self.diags.push(
            Diagnostic::error(message)
                .rule(rule)
                .at(loc)
                .path(path)
                .hint(hint),
        );
    }

    /// The location and full path of the value at `rel` in the current file.
    fn at(&self, rel: &str) -> (Option<crate::diag::Location>, String) {
        self.loaded.locate(&self.origin, rel)
    }

    /// Reports a breach of `rule` at the value `rel`, with the value `other` (and what it
    /// is) as a related location.
    fn report_with(
        &mut self,
        rule: &'static Rule,
        rel: &str,
        message: String,
        (other, other_message): (&str, String),
        hint: &str,
    ) {
        let (loc, path) = self.at(rel);
        let (rloc, rpath) = self.at(other);
        self.diags.push(
            Diagnostic::error(message)
                .rule(rule)
                .at(loc)
                .path(path)
                .related(rloc, rpath, other_message)
                .hint(hint),
        );
    }

    /// Unit, year, date and department name, shared by every kind.
    fn check_settings(
        &mut self,
        unit: Option<&Text>,
        year: i32,
        date: Option<&Text>,
        department: &Text,
        default_unit: Unit,
    ) -> (Unit, Option<Date>) {
        let unit = match unit.map(|t| t.as_str().trim()) {
            None => default_unit,
            Some("元") => Unit::Yuan,
            Some("万元") => Unit::TenThousandYuan,
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
    fn check_functional_code(&mut self, at: &str, code: &str, typed: Option<&Text>) -> bool {
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
    fn check_plausible_unit(&mut self, unit: Unit, amounts: impl Iterator<Item = Option<Amount>>) {
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
    fn check_catalog_entries(&mut self, entries: &BTreeMap<Code, Text>) {
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
    fn note_source(&mut self, code: &str, name: &str, source: &catalog::NameSource) {
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
            catalog::NameSource::File(at) => self.diags.push(
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
    fn nearest_codes(&self, code: &str, typed: Option<&str>) -> Option<String> {
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

impl Checker<'_, FinalAccountsInput, EvaluationInput> {
    /// Facts outside the 公开表 that a sentence of the 情况说明 needs but nobody typed
    /// (R04): the sentence leaves the clause out rather than reading them as 0.
    fn check_missing_facts(&mut self, input: &FinalAccountsInput) {
        let py = &input.prior_year;
        let has_fund = input.functional.iter().any(|r| {
            let f = &r.government_fund;
            [f.opening_balance, f.income, f.basic, f.project]
                .iter()
                .any(Option::is_some)
        });
        let has_capital = input
            .functional
            .iter()
            .any(|r| r.state_capital.basic.is_some() || r.state_capital.project.is_some());
        let checks: [(&str, bool, &str); 12] = [
            (
                "prior_year.total_income",
                py.total_income.is_some(),
                "一 states no year-on-year change of 收入/支出总计",
            ),
            (
                "prior_year.opening",
                py.opening.is_some(),
                "一 states no year-on-year change of 收入/支出总计",
            ),
            (
                "prior_year.fiscal_income",
                py.fiscal_income.is_some(),
                "四 states no year-on-year change of 财政拨款收支",
            ),
            (
                "prior_year.fiscal_opening",
                py.fiscal_opening.is_some(),
                "四 states no year-on-year change of 财政拨款收支",
            ),
            (
                "prior_year.general_budget_expenditure",
                py.general_budget_expenditure.is_some(),
                "五(一) states no year-on-year change",
            ),
            (
                "prior_year.government_fund_expenditure",
                py.government_fund_expenditure.is_some() || !has_fund,
                "八 states no year-on-year change",
            ),
            (
                "prior_year.state_capital_expenditure",
                py.state_capital_expenditure.is_some() || !has_capital,
                "九 states no year-on-year change",
            ),
            (
                "prior_year.three_public",
                py.three_public.outbound.is_some()
                    && py.three_public.vehicle.is_some()
                    && py.three_public.reception.is_some(),
                "七 compares only the items typed, and not the total",
            ),
            (
                "operating_costs",
                input.operating_costs.is_some(),
                "十(一) states nothing",
            ),
            (
                "prior_year.operating_costs",
                py.operating_costs.is_some() || input.operating_costs.is_none(),
                "十(一) states no year-on-year change",
            ),
            (
                "procurement",
                [
                    input.procurement.goods,
                    input.procurement.works,
                    input.procurement.services,
                ]
                .iter()
                .all(Option::is_some),
                "十(二) lists only the categories typed, with no total",
            ),
            (
                "performance",
                input.performance.secondary_projects.is_some()
                    && input.performance.government_fund_projects.is_some(),
                "十(四) leaves out the 一级/二级 and 政府性基金 project counts",
            ),
        ];
        for (path, typed, leaves_out) in checks {
            if !typed {
                self.missing(
                    path,
                    format!("`{path}` is not (fully) typed: {leaves_out}"),
                    "type the figure (0 when there is none); budgetdoc never reads a missing fact as 0",
                );
            }
        }
        let v = &input.assets.vehicles;
        let uses = [
            v.leadership,
            v.confidential,
            v.emergency,
            v.law_enforcement,
            v.special_technical,
            v.retired_cadres,
            v.other,
        ];
        if uses.iter().any(Option::is_some) && !uses.iter().all(Option::is_some) {
            self.missing(
                "assets.vehicles",
                "`assets.vehicles` lacks some uses: 十(三) lists the uses typed and states no total",
                "type every use (0 for a use without vehicles)",
            );
        }
    }

    fn check_functional(&mut self, input: &FinalAccountsInput) {
        let mut seen = BTreeSet::new();
        for (i, row) in input.functional.iter().enumerate() {
            let at = format!("functional[{i}].code");
            let code = row.code.as_str();
            if !self.check_functional_code(&at, code, row.name.as_ref()) {
                continue;
            }
            if !seen.insert(code.to_string()) {
                self.report(
                    &rules::C04,
                    &at,
                    format!("功能分类 code `{code}` appears twice"),
                    "put all columns of one code in one entry",
                );
            }
        }
    }

    /// The same money typed in two breakdowns: F15 (05表 基本支出 = 06表), F26 (05表 ≤ 03表
    /// per 科目), F18 (06表 items ≤ 三公 决算); and F25 (a 三公 决算 that differs from its
    /// 预算 needs its reason).
    fn check_same_money(&mut self, input: &FinalAccountsInput) {
        // F15.
        let by_functional: Decimal = input
            .functional
            .iter()
            .map(|r| Amount::or_zero(r.general_budget.basic))
            .sum();
        let by_economic: Decimal = input.basic_by_economic.values().map(|a| a.0).sum();
        if !input.basic_by_economic.is_empty() && by_functional != by_economic {
            let (loc, path) = self.loaded.locate_key(&self.origin, "basic_by_economic");
            let first_basic = input
                .functional
                .iter()
                .position(|r| r.general_budget.basic.is_some())
                .map(|i| format!("functional[{i}].general_budget.basic"))
                .unwrap_or_else(|| "functional".into());
            let (floc, _) = self.at(&first_basic);
            self.diags.push(
                Diagnostic::error(format!(
                    "06表 基本支出 by 经济分类 sums to {} but 05表 基本支出 by 功能分类 sums to {} (difference {})",
                    by_economic.normalize(),
                    by_functional.normalize(),
                    (by_economic - by_functional).normalize()
                ))
                .rule(&rules::F15)
                .at(loc)
                .path(path)
                .related(
                    floc,
                    "functional[*].general_budget.basic",
                    format!(
                        "05表 基本支出 合计 {} is the sum of the `general_budget.basic` of every 项 (first here)",
                        by_functional.normalize()
                    ),
                )
                .hint("05表 and 06表 show the same 基本支出 in two breakdowns: find the 06表 item or the 05表 line that differs by that amount"),
            );
        }
        // F26.
        for (i, r) in input.functional.iter().enumerate() {
            for (key, gb, all) in [
                ("basic", r.general_budget.basic, r.expenditure.basic),
                ("project", r.general_budget.project, r.expenditure.project),
            ] {
                if let Some(g) = gb
                    && g.0 > Amount::or_zero(all)
                {
                    let what = if key == "basic" {
                        "基本支出"
                    } else {
                        "项目支出"
                    };
                    let all = Amount::or_zero(all).normalize();
                    self.report_with(&rules::F26, &format!("functional[{i}].general_budget.{key}"),
                        format!(
                            "`{}`: 05表 一般公共预算财政拨款 {what} {} exceeds the 03表 all-funds {what} {all}",
                            r.code,
                            g.0.normalize(),
                        ),
                        (&format!("functional[{i}].expenditure.{key}"), format!("03表 {all}")),
                        "财政拨款 spending is part of all spending of the 科目: check both figures",
                    );
                }
            }
        }
        // F18.
        let tp = &input.three_public.actual;
        for (code, item, key, label) in [
            ("30212", tp.outbound, "outbound", "因公出国（境）费"),
            ("30217", tp.reception, "reception", "公务接待费"),
            (
                "30231",
                tp.vehicle_operation,
                "vehicle_operation",
                "公务用车运行费",
            ),
            (
                "31013",
                tp.vehicle_purchase,
                "vehicle_purchase",
                "公务用车购置费",
            ),
        ] {
            let Some((c, v)) = input
                .basic_by_economic
                .iter()
                .find(|(c, _)| c.as_str() == code)
            else {
                continue;
            };
            if v.0 > Amount::or_zero(item) {
                self.report_with(&rules::F18, &format!("basic_by_economic.{c}"),
                    format!(
                        "06表 `{code}` {} exceeds the 三公 决算 {label} {}",
                        v.0.normalize(),
                        Amount::or_zero(item).normalize()
                    ),
                    (&format!("three_public.actual.{key}"), format!("三公 决算 {label}")),
                    "the 三公 figure covers 基本支出 and 项目支出, so the 基本支出 item cannot be larger",
                );
            }
        }
        // F25.
        let r = &input.reasons;
        let budget = &input.three_public.budget;
        for (key, b, a, why) in [
            (
                "outbound",
                budget.outbound,
                tp.outbound,
                &r.outbound_vs_budget,
            ),
            (
                "vehicle",
                sum2(budget.vehicle_purchase, budget.vehicle_operation),
                sum2(tp.vehicle_purchase, tp.vehicle_operation),
                &r.vehicle_vs_budget,
            ),
            (
                "reception",
                budget.reception,
                tp.reception,
                &r.reception_vs_budget,
            ),
        ] {
            if Amount::or_zero(a) != Amount::or_zero(b) && why.is_none() {
                let at = if key == "vehicle" {
                    "three_public.actual.vehicle_operation".to_string()
                } else {
                    format!("three_public.actual.{key}")
                };
                self.report(&rules::F25, &at,
                    format!(
                        "the 三公 决算 {} differs from its 预算 {} but `reasons.{key}_vs_budget` is empty",
                        Amount::or_zero(a).normalize(),
                        Amount::or_zero(b).normalize()
                    ),
                    format!("add `reasons.{key}_vs_budget`: the 情况说明 must explain the difference"),
                );
            }
        }
    }

    fn check_economic(&mut self, input: &FinalAccountsInput) {
        for code in input.basic_by_economic.keys() {
            let rel = format!("basic_by_economic.{code}");
            let c = code.as_str();
            if c.len() != 5 {
                self.report_key(
                    &rules::C03,
                    &rel,
                    format!("经济分类 code `{c}` is not a 5-digit 款 code"),
                    "type 款 codes such as \"30101\"; the 类 rows (301, 302, …) are derived",
                );
            } else if catalog::economic_name(c).is_none() {
                self.report_key(
                    &rules::C03,
                    &rel,
                    format!("unknown 经济分类 code `{c}`"),
                    "check the code against the 部门预算支出经济分类科目",
                );
            }
        }
    }

    fn check_class_maps(&mut self, input: &FinalAccountsInput) {
        fn codes<V>(map: &BTreeMap<Code, V>) -> Vec<&str> {
            map.keys().map(Code::as_str).collect()
        }
        let functional: fn(&str) -> bool =
            |c| c.len() == 3 && catalog::functional_name(c).is_some();
        let economic: fn(&str) -> bool = |c| c.len() == 3 && catalog::economic_block(c).is_some();
        let maps = [
            (
                "initial_budget.general_budget_by_class",
                codes(&input.initial_budget.general_budget_by_class),
                functional,
                "功能分类",
                "208",
            ),
            (
                "reasons.general_budget_by_class",
                codes(&input.reasons.general_budget_by_class),
                functional,
                "功能分类",
                "208",
            ),
            (
                "initial_budget.basic_by_economic_class",
                codes(&input.initial_budget.basic_by_economic_class),
                economic,
                "经济分类",
                "301",
            ),
            (
                "prior_year.basic_by_economic_class",
                codes(&input.prior_year.basic_by_economic_class),
                economic,
                "经济分类",
                "301",
            ),
            (
                "reasons.basic_by_economic_class",
                codes(&input.reasons.basic_by_economic_class),
                economic,
                "经济分类",
                "301",
            ),
        ];
        for (map, codes, is_class, scheme, example) in maps {
            for c in codes {
                if !is_class(c) {
                    self.report_key(
                        &rules::C01,
                        &format!("{map}.{c}"),
                        format!("`{c}` is not a {scheme} 类 code"),
                        format!("use a 3-digit 类 code such as \"{example}\""),
                    );
                }
            }
        }
    }

    fn check_tables(&mut self, input: &FinalAccountsInput) -> Vec<(TableId, String)> {
        let Some(list) = &input.tables else {
            return TableId::ALL
                .into_iter()
                .map(|t| (t, t.default_title().to_string()))
                .collect();
        };
        let mut out: Vec<(TableId, String)> = Vec::new();
        for (i, choice) in list.iter().enumerate() {
            let rel = format!("tables[{i}].id");
            match TableId::parse(choice.id.as_str()) {
                None => self.report(
                    &rules::U01,
                    &rel,
                    format!("unknown table `{}`", choice.id),
                    "tables are \"01\" to \"09\" (公开01表 … 公开09表)",
                ),
                Some(t) if out.iter().any(|(o, _)| *o == t) => self.report(
                    &rules::U01,
                    &rel,
                    format!("table `{}` is listed twice", t.number()),
                    "list each table once",
                ),
                Some(t) => out.push((
                    t,
                    choice
                        .title
                        .as_ref()
                        .map(|x| x.0.clone())
                        .unwrap_or_else(|| t.default_title().to_string()),
                )),
            }
        }
        out
    }

    fn check_evaluation(&mut self, e: &EvaluationInput) {
        if e.name.as_str().trim().is_empty() {
            self.report(
                &rules::L03,
                "name",
                "the project name is empty",
                "write the 项目名称",
            );
        }
        // P05: 产出 50, 效益 30, 满意度 10 (+ 执行率 10) when the form carries 分值.
        let groups_of = e.indicators.groups();
        let weight = |range: std::ops::Range<usize>| -> Decimal {
            groups_of[range]
                .iter()
                .flat_map(|g| g.iter())
                .filter_map(|i| i.weight.map(|a| a.0))
                .sum()
        };
        let any_weight = groups_of
            .iter()
            .any(|g| g.iter().any(|i| i.weight.is_some()));
        if any_weight {
            for (key, label, range, expected) in [
                ("output", "产出指标", 0..4, 50),
                ("effect", "效益指标", 4..8, 30),
                ("satisfaction", "满意度指标", 8..9, 10),
            ] {
                let w = weight(range);
                if w != Decimal::from(expected) {
                    let at = format!("indicators.{key}");
                    let at = if self.loaded.has(&self.origin, &at) {
                        at
                    } else {
                        "indicators".into()
                    };
                    let (loc, path) = self.loaded.locate_key(&self.origin, &at);
                    self.diags.push(
                        Diagnostic::warning(format!(
                            "the {label} 分值 add up to {}, the standard split gives {expected}",
                            w.normalize()
                        ))
                        .rule(&rules::P05)
                        .at(loc)
                        .path(path)
                        .hint("分值: 执行率 10 + 产出 50 + 效益 30 + 满意度 10 = 100"),
                    );
                }
            }
        }
        let groups = INDICATOR_GROUPS
            .iter()
            .zip(e.indicators.groups())
            .map(|((key, ..), list)| (format!("indicators.{key}"), list));
        for (at, list) in groups {
            let list: &[IndicatorInput] = list;
            for (i, ind) in list.iter().enumerate() {
                let weight = ind.weight.map(|a| a.0);
                let score = ind.score.map(|a| a.0);
                if let (Some(w), Some(s)) = (weight, score)
                    && s > w
                {
                    self.report(
                        &rules::P03,
                        &format!("{at}[{i}].score"),
                        format!("得分 {s} exceeds the indicator's 分值 {w}"),
                        "an indicator cannot score more than its 分值",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
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
    }

    #[test]
    fn table_ids() {
        assert_eq!(TableId::parse("01"), Some(TableId::T01));
        assert_eq!(TableId::parse("9"), Some(TableId::T09));
        assert_eq!(TableId::parse("10"), None);
    }
}
