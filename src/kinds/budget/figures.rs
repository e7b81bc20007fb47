//! derive: every figure of a 部门预算 — the per-unit 类/款/项 roll-ups with 增减额/增减%, the
//! department's class totals, the nine 预算表, and each figure the 情况说明 quotes.
//!
//! Pure `rust_decimal` arithmetic from the validated facts; nothing is rounded here.

use std::collections::BTreeMap;

use super::input::{BudgetInput, BudgetLine, LineGroup, UnitNature};
use super::rules::ValidatedBudget;
use super::sums;
use crate::catalog::{self, EconomicBlock, Names};
use crate::figures::hierarchy::{HierTable, Level, roll_up};
use crate::figures::three_public::ThreePublic;
use crate::figures::{Cell, Change, Num, Share, sum_all, sum_cells, val};
use crate::forms::figures::{self as targets, DerivedTarget};
use crate::load::scalar::{Amount, Code};

/// The 功能分类 类 rows 表一 always prints, in order.
pub const FISCAL_SUMMARY_CLASSES: [&str; 21] = [
    "201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
    "215", "216", "217", "220", "221", "222", "224", "229",
];

/// The 经济分类 款 rows 表三 always prints (zero or not), in order.
pub const BASIC_ECONOMIC_ROWS: [&str; 56] = [
    "30101", "30102", "30103", "30106", "30107", "30108", "30109", "30110", "30111", "30112",
    "30113", "30114", "30199", "30201", "30202", "30203", "30204", "30205", "30206", "30207",
    "30208", "30209", "30211", "30212", "30213", "30214", "30215", "30216", "30217", "30218",
    "30224", "30225", "30226", "30227", "30228", "30229", "30231", "30239", "30240", "30299",
    "30301", "30302", "30303", "30304", "30305", "30306", "30307", "30308", "30309", "30310",
    "30311", "30399", "31002", "31003", "31007", "31099",
];

/// 人员经费 codes that the 情况说明 names together as 社会保障缴费.
pub const SOCIAL_SECURITY_CODES: [&str; 5] = ["30108", "30109", "30110", "30111", "30112"];

/// Level of a row in 表二/表五.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLevel {
    Department,
    Unit,
    Class,
    Section,
    Item,
}

/// One row of 表二/表五: prior 执行数, this year's 基本/项目 and their comparison. A figure
/// nobody typed (on any line the row sums) is empty, never zero.
#[derive(Debug, Clone)]
pub struct BudgetRow {
    pub level: RowLevel,
    pub code: String,
    pub name: String,
    pub prior: Cell,
    pub total: Cell,
    pub basic: Cell,
    pub project: Cell,
    /// 合计 against the prior 执行数: 增减额, 增减% (no rate against a zero base); none
    /// unless both are typed.
    pub change: Option<Change>,
}

impl BudgetRow {
    fn new(level: RowLevel, code: String, name: String, cells: &[Cell]) -> Self {
        let (prior, basic, project) = (cells[0], cells[1], cells[2]);
        let total = sum_cells([basic, project]);
        Self {
            level,
            code,
            name,
            prior,
            total,
            basic,
            project,
            change: prior.zip(total).map(|(p, t)| Change::new(t, p)),
        }
    }
}

/// One 类 row of 表一: 小计, 一般公共预算, 政府性基金 (empty when the class has no line).
#[derive(Debug, Clone)]
pub struct ClassRow {
    pub code: String,
    pub name: String,
    pub total: Cell,
    pub general: Cell,
    pub fund: Cell,
}

/// One row of 表三.
#[derive(Debug, Clone)]
pub struct EconomicLine {
    pub code: String,
    pub name: String,
    pub is_class: bool,
    /// The class rows' number (一、二、…); the view writes it out.
    pub ordinal: Option<usize>,
    pub total: Num,
    pub personnel: Num,
    pub public: Num,
}

/// The 本年收入 of 表六/表七, by source. 财政拨款 comes from the units' lines; every other
/// source is what was typed (empty when nobody typed it), and the total adds what is typed.
#[derive(Debug, Clone, Default)]
pub struct IncomeBySource {
    pub fiscal: Num,
    pub general: Num,
    pub fund: Num,
    pub business: Cell,
    pub business_non_same_level: Cell,
    pub business_special_account: Cell,
    pub superior_subsidy: Cell,
    pub affiliated: Cell,
    pub operating: Cell,
    pub debt: Cell,
    pub non_same_level: Cell,
    pub non_same_level_horizontal: Cell,
    pub non_same_level_other: Cell,
    pub investment: Cell,
    pub other: Cell,
    pub total: Num,
}

/// Spending of one nature (行政/事业) in 表六: all funds, of which 财政拨款 by fund.
#[derive(Debug, Clone, Default)]
pub struct NatureSpending {
    pub total: Num,
    pub fiscal: Num,
    pub general: Num,
    pub fund: Num,
}

/// The 本年支出 of 表六/表八, by nature; the columns other than 行政/事业 are what was typed.
/// 行政 and 事业 are none when the data does not say every line's nature (a 参公 unit, a
/// department without a per-unit split: [`BudgetInput::natures_known`]).
#[derive(Debug, Clone, Default)]
pub struct SpendingByNature {
    pub administrative: Option<NatureSpending>,
    pub institutional: Option<NatureSpending>,
    pub operating: Cell,
    pub remit_to_superior: Cell,
    pub subsidy_to_affiliated: Cell,
    pub investment: Cell,
    pub debt_repayment: Cell,
    pub other: Cell,
    pub total: Num,
}

/// One item of an itemised sentence (人员经费/公用经费 主要包括 …).
#[derive(Debug, Clone)]
pub struct NamedAmount {
    pub name: String,
    pub amount: Num,
}

/// The sentence of one 科目 in 二(二): this year's 项目支出, against the prior 项目支出
/// 执行数 when that is known.
#[derive(Debug, Clone)]
pub struct ProjectSentence {
    pub code: String,
    pub name: String,
    pub current: Num,
    pub change: Option<Change>,
}

/// 六(三): one line of the asset sentence (the department-wide line or a part). A figure
/// nobody typed is empty; the department-wide figure is empty unless every part typed it.
#[derive(Debug, Clone, Default)]
pub struct AssetLine {
    pub building_area: Cell,
    pub building_value: Cell,
    pub land_area: Cell,
    pub land_value: Cell,
    pub vehicles: Option<u64>,
    pub vehicle_value: Cell,
    pub furniture_value: Cell,
    pub other_value: Cell,
}

/// 六(四): the forms and the 重点项目.
#[derive(Debug, Clone)]
pub struct PerformanceFigures {
    pub projects: usize,
    pub funds: Share,
    pub key_names: Vec<String>,
    pub key_funds: Share,
}

/// Everything a 部门预算 prints, computed.
#[derive(Debug, Clone)]
pub struct DerivedBudget {
    /// 表一 class rows (the fixed list, then any other class with spending).
    pub classes: Vec<ClassRow>,
    /// 表二 rows: the department, then each unit and its 类/款/项.
    pub general_rows: Vec<BudgetRow>,
    /// 表五 rows (empty when there is no 政府性基金 line).
    pub fund_rows: Vec<BudgetRow>,
    /// 表三 rows, the first being 总计.
    pub economic: Vec<EconomicLine>,
    pub personnel_items: Vec<NamedAmount>,
    pub public_items: Vec<NamedAmount>,
    /// 表四 groups.
    pub three_public_prior_budget: ThreePublic,
    pub three_public_prior_actual: ThreePublic,
    pub three_public_budget: ThreePublic,
    pub income: IncomeBySource,
    pub spending: SpendingByNature,
    /// 一般公共预算 totals.
    pub general_total: Num,
    pub fund_total: Num,
    /// 政府性基金 this year against the prior 执行数, when every fund line has one.
    pub fund_change: Option<Change>,
    pub basic_total: Num,
    pub project_total: Num,
    /// 基本支出 against the prior year's 基本支出 执行数 (执行数 − 项目支出 执行数), when every
    /// line has its prior 执行数 and every code with 项目支出 this year its prior 项目支出 执行数.
    pub basic_change: Option<Change>,
    /// Whether every line of 一般公共预算 carries its prior-year 执行数 (so a fund table
    /// without lines had a prior 执行数 of 0).
    pub every_prior: bool,
    pub project_sentences: Vec<ProjectSentence>,
    /// 三公 this year against the prior year's 预算, in total and per item (label, change),
    /// where both years are typed.
    pub three_public_total_change: Option<Change>,
    pub three_public_changes: Vec<(&'static str, Change)>,
    pub income_shares: Vec<(&'static str, Share)>,
    pub spending_shares: Vec<(&'static str, Share)>,
    pub operating_costs: Option<(Num, Option<Change>)>,
    /// 政府采购 in total, when every category is typed.
    pub procurement_total: Cell,
    pub assets_total: Option<AssetLine>,
    pub asset_parts: Vec<AssetLine>,
    pub performance: PerformanceFigures,
    pub targets: Vec<DerivedTarget>,
}

/// The 项 leaves of some lines: code → [prior, basic, project].
fn leaves<'a>(lines: impl IntoIterator<Item = &'a BudgetLine>) -> BTreeMap<String, Vec<Cell>> {
    let mut out: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for l in lines {
        let cells = out
            .entry(l.code.as_str().to_string())
            .or_insert_with(|| vec![None; 3]);
        for (c, v) in cells.iter_mut().zip([l.prior, l.basic, l.project]) {
            *c = sum_cells([*c, v.map(|a| a.num())]);
        }
    }
    out
}

fn hier_rows(t: &HierTable, out: &mut Vec<BudgetRow>) {
    for r in &t.rows {
        let level = match r.level {
            Level::Class => RowLevel::Class,
            Level::Section => RowLevel::Section,
            Level::Item => RowLevel::Item,
        };
        out.push(BudgetRow::new(
            level,
            r.code.clone(),
            r.name.clone(),
            &r.cells,
        ));
    }
}

/// 表二/表五: the department row, then its department-wide 类/款/项 rows (a department
/// without a per-unit split), then per unit its row and its 类/款/项 rows. A unit without a
/// code prints none.
fn unit_rows<'i>(
    input: &'i BudgetInput,
    names: &Names,
    lines: impl Fn(&LineGroup<'i>) -> &'i [BudgetLine],
) -> Vec<BudgetRow> {
    let groups = input.line_groups();
    let all = roll_up(&leaves(groups.iter().flat_map(&lines)), 3, names);
    let mut out = vec![BudgetRow::new(
        RowLevel::Department,
        input.code.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
        input.department.as_str().to_string(),
        &all.total,
    )];
    for g in &groups {
        if lines(g).is_empty() {
            continue;
        }
        let t = roll_up(&leaves(lines(g)), 3, names);
        if let Some(u) = g.unit {
            out.push(BudgetRow::new(
                RowLevel::Unit,
                u.code.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
                u.name.as_str().to_string(),
                &t.total,
            ));
        }
        hier_rows(&t, &mut out);
    }
    out
}

fn economic_lines(input: &BudgetInput) -> Vec<EconomicLine> {
    let get = |map: &BTreeMap<Code, Amount>, code: &str| {
        map.iter()
            .find(|(c, _)| c.as_str() == code)
            .map(|(_, a)| a.num())
            .unwrap_or_else(|| {
                Num::none_listed("表三 lists every 款 of 基本支出; this one is not typed")
            })
    };
    let mut codes: Vec<String> = BASIC_ECONOMIC_ROWS.iter().map(|c| c.to_string()).collect();
    for c in input
        .basic_by_economic
        .personnel
        .keys()
        .chain(input.basic_by_economic.public.keys())
    {
        if !codes.iter().any(|x| x == c.as_str()) {
            codes.push(c.0.clone());
        }
    }
    codes.sort();
    let item = |code: &str| {
        let personnel = get(&input.basic_by_economic.personnel, code);
        let public = get(&input.basic_by_economic.public, code);
        EconomicLine {
            code: code.to_string(),
            name: catalog::economic_name(code).unwrap_or("").to_string(),
            is_class: false,
            ordinal: None,
            total: personnel + public,
            personnel,
            public,
        }
    };
    let items: Vec<EconomicLine> = codes.iter().map(|c| item(c)).collect();
    let sum = |rows: &mut dyn Iterator<Item = &EconomicLine>| {
        rows.fold((Num::ZERO, Num::ZERO), |(p, q), r| {
            (p + r.personnel, q + r.public)
        })
    };
    let (p, q) = sum(&mut items.iter());
    let mut out = vec![EconomicLine {
        // The 总计 row: no code; the view names it.
        code: String::new(),
        name: String::new(),
        is_class: true,
        ordinal: None,
        total: p + q,
        personnel: p,
        public: q,
    }];
    let mut classes: Vec<&str> = items.iter().map(|r| &r.code[..3]).collect();
    classes.dedup();
    for (n, class) in classes.into_iter().enumerate() {
        let (p, q) = sum(&mut items.iter().filter(|r| r.code.starts_with(class)));
        out.push(EconomicLine {
            code: class.to_string(),
            name: catalog::economic_name(class).unwrap_or("").to_string(),
            is_class: true,
            ordinal: Some(n + 1),
            total: p + q,
            personnel: p,
            public: q,
        });
        out.extend(items.iter().filter(|r| r.code.starts_with(class)).cloned());
    }
    out
}

/// 人员经费/公用经费 主要包括: the non-zero items in code order, the 社会保障缴费 codes merged.
fn itemised(map: &BTreeMap<Code, Amount>) -> Vec<NamedAmount> {
    let mut out: Vec<NamedAmount> = Vec::new();
    let mut social: Option<usize> = None;
    for (code, a) in map {
        if a.0.is_zero() {
            continue;
        }
        if SOCIAL_SECURITY_CODES.contains(&code.as_str()) {
            match social {
                Some(i) => out[i].amount += a.num(),
                None => {
                    social = Some(out.len());
                    out.push(NamedAmount {
                        name: "社会保障缴费".into(),
                        amount: a.num(),
                    });
                }
            }
        } else {
            out.push(NamedAmount {
                name: catalog::economic_name(code.as_str())
                    .unwrap_or("")
                    .to_string(),
                amount: a.num(),
            });
        }
    }
    out
}

/// 表一's class rows: the fixed list, then any other class with spending.
fn class_rows(input: &BudgetInput, names: &Names) -> Vec<ClassRow> {
    // 表一 classes.
    let general_all = roll_up(&leaves(input.general_lines()), 3, names);
    let fund_all = roll_up(&leaves(input.fund_lines()), 3, names);
    // A class whose lines budget nothing this year (only a prior 执行数) prints empty.
    let class_total = |t: &HierTable, class: &str| {
        t.class(class)
            .map(|r| val(r.cells[1]) + val(r.cells[2]))
            .filter(|v| !v.is_zero())
    };
    let mut class_codes: Vec<String> = FISCAL_SUMMARY_CLASSES
        .iter()
        .map(|c| c.to_string())
        .collect();
    for r in general_all.rows.iter().chain(&fund_all.rows) {
        if r.level == Level::Class && !class_codes.contains(&r.code) {
            class_codes.push(r.code.clone());
        }
    }
    class_codes
        .iter()
        .map(|c| {
            let general = class_total(&general_all, c);
            let fund = class_total(&fund_all, c);
            ClassRow {
                code: c.clone(),
                name: names.functional(c),
                total: sum_cells([general, fund]),
                general,
                fund,
            }
        })
        .collect()
}

/// One sentence per 科目 with 项目支出 this year or a prior 项目支出 执行数.
fn project_sentences(input: &BudgetInput, names: &Names) -> Vec<ProjectSentence> {
    let general_lines = || input.general_lines();
    // One sentence per 科目 with 项目支出 this year or a prior 项目支出 执行数, compared with
    // the prior year's 项目支出 执行数 where the data says it (`sums::prior_project`).
    // A code with a prior 项目支出 but none this year: no line of it has 项目支出.
    let none = || {
        (
            Num::none_listed("no line of this 科目 has 项目支出 this year"),
            Num::ZERO,
        )
    };
    let mut projects: BTreeMap<String, (Num, Num)> = BTreeMap::new();
    for l in general_lines() {
        if !Amount::num_or_zero(l.project).is_zero() {
            projects.entry(l.code.0.clone()).or_insert_with(none).0 +=
                l.project.map(|a| a.num()).unwrap_or_default();
        }
    }
    for (code, a) in &input.prior_project_execution {
        if !a.0.is_zero() {
            projects.entry(code.0.clone()).or_insert_with(none).1 += a.num();
        }
    }
    projects
        .into_iter()
        .map(|(code, (current, _))| ProjectSentence {
            name: names.functional(&code),
            change: sums::prior_project(input, &code).map(|base| Change::new(current, base)),
            current,
            code,
        })
        .collect()
}

/// Labelled shares of a whole, in print order.
type Shares = Vec<(&'static str, Share)>;

/// 表六/七/八: income by source and spending by nature, each with its shares.
fn income_and_spending(
    input: &BudgetInput,
    general_total: Num,
    fund_total: Num,
) -> (IncomeBySource, SpendingByNature, Shares, Shares) {
    // Income and spending (表六/七/八).
    let inc = &input.income;
    let a = |x: Option<Amount>| x.map(|a| a.num());
    let non_same_level = sum_cells([
        a(inc.non_same_level_horizontal),
        a(inc.non_same_level_other),
    ]);
    let mut income = IncomeBySource {
        fiscal: general_total + fund_total,
        general: general_total,
        fund: fund_total,
        business: a(inc.business),
        business_non_same_level: a(inc.business_non_same_level),
        business_special_account: a(inc.business_special_account),
        superior_subsidy: a(inc.superior_subsidy),
        affiliated: a(inc.affiliated),
        operating: a(inc.operating),
        debt: a(inc.debt),
        non_same_level,
        non_same_level_horizontal: a(inc.non_same_level_horizontal),
        non_same_level_other: a(inc.non_same_level_other),
        investment: a(inc.investment),
        other: a(inc.other),
        total: Num::ZERO,
    };
    income.total = income.fiscal + sums::other_income(inc);
    let known = input.natures_known();
    let nature = |n: UnitNature, extra: Option<Amount>| {
        if !known {
            return None;
        }
        let mut s = NatureSpending::default();
        for g in input.line_groups() {
            if input.nature_of(&g) != Some(n) {
                continue;
            }
            let sum = |lines: &[BudgetLine]| {
                lines
                    .iter()
                    .map(|l| Amount::num_or_zero(l.basic) + Amount::num_or_zero(l.project))
                    .sum::<Num>()
            };
            s.general += sum(g.general_budget);
            s.fund += sum(g.government_fund);
        }
        s.fiscal = s.general + s.fund;
        s.total = s.fiscal + Amount::num_or_zero(extra);
        Some(s)
    };
    let ex = &input.expenditure;
    let mut spending = SpendingByNature {
        administrative: nature(UnitNature::Administrative, ex.administrative),
        institutional: nature(UnitNature::Institutional, ex.institutional),
        operating: a(ex.operating),
        remit_to_superior: a(ex.remit_to_superior),
        subsidy_to_affiliated: a(ex.subsidy_to_affiliated),
        investment: a(ex.investment),
        debt_repayment: a(ex.debt_repayment),
        other: a(ex.other),
        total: Num::ZERO,
    };
    // Every unit's 财政拨款 is spent by its nature (行政 or 事业).
    spending.total = income.fiscal + sums::other_spending(ex);
    // The 情况说明 lists each source and use with its share: those typed (财政拨款 always
    // is, and the spending of each nature where every line's nature is known).
    let shares = |list: Vec<(&'static str, Cell)>, total: Num| -> Vec<(&'static str, Share)> {
        list.into_iter()
            .filter_map(|(label, c)| Some((label, Share::of(c?, total))))
            .collect()
    };
    let income_shares = shares(
        vec![
            ("财政拨款预算收入", Some(income.fiscal)),
            ("事业预算收入", income.business),
            ("上级补助预算收入", income.superior_subsidy),
            ("附属单位上缴预算收入", income.affiliated),
            ("经营预算收入", income.operating),
            ("债务预算收入", income.debt),
            ("非同级财政拨款预算收入", income.non_same_level),
            ("投资预算收益", income.investment),
            ("其他预算收入", income.other),
        ],
        income.total,
    );
    let spending_shares = shares(
        vec![
            (
                "行政支出",
                spending.administrative.as_ref().map(|n| n.total),
            ),
            ("事业支出", spending.institutional.as_ref().map(|n| n.total)),
            ("经营支出", spending.operating),
            ("上缴上级支出", spending.remit_to_superior),
            ("对附属单位补助支出", spending.subsidy_to_affiliated),
            ("投资支出", spending.investment),
            ("债务还本支出", spending.debt_repayment),
            ("其他支出", spending.other),
        ],
        spending.total,
    );

    (income, spending, income_shares, spending_shares)
}

/// 六(三): each part's line and the department-wide line.
fn assets(input: &BudgetInput) -> (Vec<AssetLine>, Option<AssetLine>) {
    let a = |x: Option<Amount>| x.map(|a| a.num());
    let asset_parts: Vec<AssetLine> = input
        .assets
        .iter()
        .flat_map(|a| &a.parts)
        .map(|p| AssetLine {
            building_area: a(p.building_area),
            building_value: a(p.building_value),
            land_area: a(p.land_area),
            land_value: a(p.land_value),
            vehicles: p.vehicles.map(|c| c.0),
            vehicle_value: a(p.vehicle_value),
            furniture_value: a(p.furniture_value),
            other_value: a(p.other_value),
        })
        .collect();
    let assets_total = input.assets.as_ref().map(|assets| {
        let lines = || assets.parts.iter().zip(&asset_parts);
        let total = |f: fn(&AssetLine) -> Cell| sum_all(asset_parts.iter().map(f));
        AssetLine {
            // A part whose area lies inside another's building is not added.
            building_area: sum_all(
                lines()
                    .filter(|(p, _)| p.building_area_in_total)
                    .map(|(_, l)| l.building_area),
            ),
            building_value: total(|l| l.building_value),
            land_area: total(|l| l.land_area),
            land_value: total(|l| l.land_value),
            vehicles: asset_parts
                .iter()
                .map(|l| l.vehicles)
                .try_fold(0u64, |acc, v| v.map(|v| acc + v)),
            vehicle_value: total(|l| l.vehicle_value),
            furniture_value: total(|l| l.furniture_value),
            other_value: total(|l| l.other_value),
        }
    });

    (asset_parts, assets_total)
}

/// 表九 and 六(四): the forms and what the 情况说明 states of them.
fn performance(
    v: &ValidatedBudget,
    project_total: Num,
) -> (Vec<DerivedTarget>, PerformanceFigures) {
    let targets: Vec<DerivedTarget> = v
        .targets()
        .iter()
        .map(|t| targets::derive(t, &v.profile().forms))
        .collect();
    let target_funds: Num = targets.iter().map(|t| t.money.total).sum();
    let key: Vec<(String, Num)> = v
        .targets()
        .iter()
        .zip(&targets)
        .filter(|(t, _)| t.key)
        .map(|(t, d)| (t.name.as_str().trim().to_string(), d.money.total))
        .collect();
    let performance = PerformanceFigures {
        projects: targets.len(),
        funds: Share::of(target_funds, project_total),
        key_funds: Share::of(key.iter().map(|(_, a)| *a).sum(), project_total),
        key_names: key.into_iter().map(|(n, _)| n).collect(),
    };

    (targets, performance)
}

/// Runs every derivation of a budget.
pub fn derive(v: &ValidatedBudget) -> DerivedBudget {
    let input = v.input();
    let names = v.names();
    let general_rows = unit_rows(input, names, |g| g.general_budget);
    let has_fund = input.fund_lines().next().is_some();
    let fund_rows = if has_fund {
        unit_rows(input, names, |g| g.government_fund)
    } else {
        Vec::new()
    };
    let dept = &general_rows[0];
    let (general_total, basic_total, project_total) =
        (val(dept.total), val(dept.basic), val(dept.project));
    let fund_total = fund_rows.first().map_or_else(
        || Num::none_listed("no 政府性基金预算 line is typed"),
        |r| val(r.total),
    );
    let fund_change = fund_rows
        .first()
        .filter(|_| BudgetLine::all_have_prior(input.fund_lines()))
        .and_then(|r| r.change.clone());

    let classes = class_rows(input, names);

    // 基本支出 against the prior year's: the prior 执行数 less its 项目支出 part.
    let general_lines = || input.general_lines();
    let prior_project: Num = input
        .prior_project_execution
        .values()
        .map(|a| a.num())
        .sum();
    // Known when every line carries its 执行数 and every code with 项目支出 this year has
    // its prior 项目支出 执行数 (a code without 项目支出 this year and none typed had none).
    let every_split_known = sums::project_codes(input)
        .iter()
        .all(|code| sums::prior_project(input, code).is_some());
    let every_prior = BudgetLine::all_have_prior(general_lines());
    let basic_change = (every_prior && every_split_known)
        .then(|| Change::new(basic_total, val(dept.prior) - prior_project));

    let project_sentences = project_sentences(input, names);

    let tp_prior_budget = ThreePublic::of_typed(&input.three_public.prior_budget);
    let tp_prior_actual = ThreePublic::of_typed(&input.three_public.prior_actual);
    let tp_budget = ThreePublic::of_typed(&input.three_public.budget);
    let compare = |now: Cell, before: Cell| now.zip(before).map(|(n, b)| Change::new(n, b));
    let three_public_total_change = compare(tp_budget.total, tp_prior_budget.total);
    let three_public_changes = tp_budget
        .items()
        .into_iter()
        .zip(tp_prior_budget.items())
        .filter_map(|((label, now), (_, before))| Some((label, compare(now, before)?)))
        .collect();

    let (income, spending, income_shares, spending_shares) =
        income_and_spending(input, general_total, fund_total);
    let a = |x: Option<Amount>| x.map(|a| a.num());

    let operating_costs = input.operating_costs.as_ref().map(|o| {
        (
            o.budget.num(),
            o.prior_budget.map(|p| Change::new(o.budget.num(), p.num())),
        )
    });
    // 政府采购: the total only when every category is typed.
    let procurement_total = input
        .procurement
        .as_ref()
        .and_then(|p| sum_all([a(p.goods), a(p.works), a(p.services)]));
    let (asset_parts, assets_total) = assets(input);
    let (targets, performance) = performance(v, project_total);

    DerivedBudget {
        classes,
        economic: economic_lines(input),
        personnel_items: itemised(&input.basic_by_economic.personnel),
        public_items: itemised(&input.basic_by_economic.public),
        three_public_prior_budget: tp_prior_budget,
        three_public_prior_actual: tp_prior_actual,
        three_public_budget: tp_budget,
        income,
        spending,
        general_total,
        fund_total,
        fund_change,
        basic_total,
        project_total,
        basic_change,
        every_prior,
        project_sentences,
        three_public_total_change,
        three_public_changes,
        income_shares,
        spending_shares,
        operating_costs,
        procurement_total,
        assets_total,
        asset_parts,
        performance,
        targets,
        general_rows,
        fund_rows,
    }
}

/// Which block an 经济分类 款 code is paid from (for the 人员经费/公用经费 sentence).
pub fn block_of(code: &str) -> Option<EconomicBlock> {
    code.get(..3).and_then(catalog::economic_block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn social_security_contributions_are_named_together() {
        let mut map = BTreeMap::new();
        for (c, a) in [
            ("30101", "342.43"),
            ("30108", "125.63"),
            ("30112", "2.8"),
            ("30113", "126.38"),
        ] {
            map.insert(Code(c.into()), Amount::new(a.parse().unwrap()));
        }
        let items = itemised(&map);
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["基本工资", "社会保障缴费", "住房公积金"]);
        assert_eq!(items[1].amount, "128.43".parse::<Decimal>().unwrap());
    }

    #[test]
    fn growth_against_zero_prior_has_no_rate() {
        let row = BudgetRow::new(
            RowLevel::Item,
            "2080507".into(),
            String::new(),
            &[
                Some(Num::from(Decimal::ZERO)),
                None,
                Some(Num::from(Decimal::from(20000))),
            ],
        );
        let change = row.change.expect("both typed");
        assert_eq!(change.delta, Decimal::from(20000));
        assert_eq!(change.rate, None);
        let untyped = BudgetRow::new(
            RowLevel::Item,
            "2080507".into(),
            String::new(),
            &[None, None, Some(Num::from(Decimal::from(20000)))],
        );
        assert_eq!(untyped.prior, None);
        assert!(
            untyped.change.is_none(),
            "no comparison with a prior nobody typed"
        );
    }
}
