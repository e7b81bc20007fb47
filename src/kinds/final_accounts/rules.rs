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

use super::Project as FinalAccountsProject;
use super::evaluation::{EXECUTION_WEIGHT, STANDARD_SPLIT, typed_weight};
use super::input::{EvaluationInput, FinalAccountsInput, IndicatorInput};
use super::profile::FinalAccountsProfile;
use crate::catalog::{self, Catalogs, Names};
use crate::check::{Checker, Date, PrintUnits, Unit};
use crate::diag::{Diagnostic, Diagnostics};
use crate::forms::indicators::INDICATOR_GROUPS;
use crate::load::scalar::{Amount, Code};
use crate::rules;

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
    profile: FinalAccountsProfile,
    units: PrintUnits,
}

impl Validated {
    pub fn input(&self) -> &FinalAccountsInput {
        &self.input
    }
    pub fn profile(&self) -> &FinalAccountsProfile {
        &self.profile
    }
    /// The unit each part prints in.
    pub fn print_units(&self) -> PrintUnits {
        self.units
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

    let profile: FinalAccountsProfile = v.profile(
        &super::profile::layers(),
        &[
            ("format", input.format.as_ref()),
            ("words", input.words.as_ref()),
            ("amount_units", input.amount_units.as_ref()),
        ],
    );
    let units = v.check_print_units(&profile.amount_units, unit);
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
    let mut diags = v.diags;
    if diags.has_errors() {
        let missed = v.acceptance.missed(&diags);
        diags.extend(missed);
        return Err(diags);
    }
    Ok((
        Validated {
            input: input.clone(),
            evaluations,
            unit,
            date,
            tables,
            profile,
            units,
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
        _ => Some(crate::load::scalar::Amount::new(
            a.map(|x| x.0).unwrap_or_default() + b.map(|x| x.0).unwrap_or_default(),
        )),
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
        let uses = input.assets.vehicles.uses();
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
            self.emit(
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
        // P05: the standard split of 分值, when the form carries 分值.
        let levels = e.indicators.levels();
        let any_weight = typed_weight(levels.iter().flat_map(|l| l.rows())).is_some();
        let split =
            std::iter::once(format!("执行率 {EXECUTION_WEIGHT}"))
                .chain(STANDARD_SPLIT.iter().zip(&levels).map(|((_, points), l)| {
                    format!("{} {points}", l.label.trim_end_matches("指标"))
                }))
                .collect::<Vec<_>>()
                .join(" + ");
        if any_weight {
            for (level, (_, expected)) in levels.iter().zip(STANDARD_SPLIT) {
                let (key, label) = (level.key, level.label);
                let w = typed_weight(level.rows()).unwrap_or_default().value();
                if w != Decimal::from(expected) {
                    let at = format!("indicators.{key}");
                    let at = if self.loaded.has(&self.origin, &at) {
                        at
                    } else {
                        "indicators".into()
                    };
                    let (loc, path) = self.loaded.locate_key(&self.origin, &at);
                    self.emit(
                        Diagnostic::warning(format!(
                            "the {label} 分值 add up to {}, the standard split gives {expected}",
                            w.normalize()
                        ))
                        .rule(&rules::P05)
                        .at(loc)
                        .path(path)
                        .hint(format!("分值: {split} = 100")),
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
    fn table_ids() {
        assert_eq!(TableId::parse("01"), Some(TableId::T01));
        assert_eq!(TableId::parse("9"), Some(TableId::T09));
        assert_eq!(TableId::parse("10"), None);
    }
}
