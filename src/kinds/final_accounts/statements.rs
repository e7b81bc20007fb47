//! derive (部门决算): the nine 公开表 and the figures of the 情况说明, from the typed 项 rows and facts.
//!
//! Every total is a sum of leaves: 项 rows roll up into 款 and 类, 类 into 合计; nothing is
//! added twice. Pure arithmetic; no rounding (render rounds once for display).

use std::collections::BTreeMap;

use super::input::{FinalAccountsInput as FinalInput, FunctionalRow};
use super::rules::Validated;
use crate::catalog::{self, EconomicBlock, Names, STATEMENT_CLASSES};
use crate::figures::hierarchy::{HierTable, Level, roll_up};
use crate::figures::three_public::ThreePublic;
use crate::figures::{Cell, Change, Num, Share, blank, sum_all, sum_cells, val};
use crate::load::scalar::{Amount, Code, Text};

/// Builds a 类/款/项 table from the 项 rows that have any value in `columns`.
fn hier_table(
    rows: &[FunctionalRow],
    names: &Names,
    width: usize,
    columns: impl Fn(&FunctionalRow) -> Vec<Cell>,
) -> HierTable {
    let mut leaves: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for r in rows {
        let cells = columns(r);
        debug_assert_eq!(cells.len(), width);
        if cells.iter().any(Option::is_some) {
            leaves.insert(r.code.as_str().to_string(), cells);
        }
    }
    roll_up(&leaves, width, names)
}

/// Amount of an optional typed value.
fn a(x: Option<Amount>) -> Cell {
    x.map(|v| v.num())
}

/// 01表 收入支出决算总表.
#[derive(Debug, Clone)]
pub struct Statement01 {
    /// The eight income lines in order (一般公共预算 … 其他收入).
    pub income_lines: [Cell; 8],
    pub total_income: Num,
    pub non_fiscal_balance_used: Cell,
    pub opening: Cell,
    pub grand_total: Num,
    /// One per [`STATEMENT_CLASSES`] entry.
    pub class_lines: Vec<(String, String, Cell)>,
    pub total_expenditure: Num,
    pub surplus_distribution: Cell,
    pub closing: Num,
}

/// 04表 财政拨款收入支出决算总表.
#[derive(Debug, Clone)]
pub struct Statement04 {
    /// 一般公共预算, 政府性基金, 国有资本经营 本年收入.
    pub income: [Cell; 3],
    pub total_income: Num,
    /// Per class: (code, name, [合计, 一般公共预算, 政府性基金, 国有资本经营]).
    pub class_lines: Vec<(String, String, [Cell; 4])>,
    /// 本年支出合计 [合计, by kind].
    pub total_expenditure: [Num; 4],
    /// 年初财政拨款结转和结余 by kind and total.
    pub opening: [Cell; 3],
    pub opening_total: Num,
    /// 年末财政拨款结转和结余 [合计, by kind].
    pub closing: [Num; 4],
    pub grand_total: Num,
    /// 支出 side 总计 [合计, by kind].
    pub grand_total_by_kind: [Num; 4],
}

/// One 经济分类 row of 06表.
#[derive(Debug, Clone)]
pub struct EconomicRow {
    pub code: &'static str,
    pub name: &'static str,
    pub is_class: bool,
    pub amount: Cell,
}

/// 06表 一般公共预算财政拨款基本支出决算表.
#[derive(Debug, Clone)]
pub struct Statement06 {
    /// 人员经费 rows (301…, 303…).
    pub personnel: Vec<EconomicRow>,
    /// 公用经费 rows split into the table's two right-hand column groups.
    pub public_left: Vec<EconomicRow>,
    pub public_right: Vec<EconomicRow>,
    pub personnel_total: Num,
    pub public_total: Num,
    /// 类 sums by code.
    pub class_sums: BTreeMap<String, Num>,
}

/// 五(三): one 类 of 一般公共预算财政拨款支出 against its 年初预算.
#[derive(Debug, Clone)]
pub struct ClassExecution {
    pub code: String,
    pub name: String,
    /// current = 决算, base = 年初预算.
    pub vs_budget: Change,
    pub reason: Option<String>,
}

/// 六: one 经济分类 类 of 基本支出.
#[derive(Debug, Clone)]
pub struct EconomicClassChange {
    pub code: String,
    pub name: String,
    pub amount: Num,
    pub vs_budget: Option<Change>,
    pub vs_prior: Option<Change>,
    pub reason: Option<String>,
}

/// Everything of 第二部分 and the figures of 第三部分.
#[derive(Debug, Clone)]
pub struct Statements {
    pub s01: Statement01,
    pub s02: HierTable,
    pub s03: HierTable,
    pub s04: Statement04,
    pub s05: HierTable,
    pub s06: Statement06,
    pub three_public_budget: ThreePublic,
    pub three_public_actual: ThreePublic,
    pub s08: HierTable,
    pub s09: HierTable,

    /// 一: 收支总计 against the prior year, and its two components.
    pub total_change: Option<Change>,
    pub income_change: Option<Change>,
    pub opening_change: Option<Change>,
    /// 二: shares of 本年收入合计: 财政拨款, 上级补助, 事业, 经营, 附属单位上缴, 其他.
    pub income_shares: [Share; 6],
    /// 三: shares of 本年支出合计: 基本, 项目, 上缴上级, 经营, 对附属单位补助.
    pub expenditure_shares: [Share; 5],
    /// 四: 财政拨款收支总计 against the prior year, and components.
    pub fiscal_total: Num,
    pub fiscal_total_change: Option<Change>,
    pub fiscal_income_change: Option<Change>,
    pub fiscal_opening_change: Option<Change>,
    /// 五(一).
    pub general_budget_total: Num,
    pub general_budget_share_of_expenditure: Share,
    pub general_budget_change: Option<Change>,
    /// 五(二): (code, name, share of the 一般公共预算 total) per 类.
    pub general_budget_by_class: Vec<(String, String, Share)>,
    /// 五(三).
    pub general_budget_vs_initial: Option<Change>,
    pub class_execution: Vec<ClassExecution>,
    /// 六.
    pub basic_total: Num,
    pub economic_classes: Vec<EconomicClassChange>,
    /// 七.
    pub three_public_vs_budget: Change,
    pub three_public_vs_prior: Option<Change>,
    pub outbound_vs_budget: Change,
    pub outbound_vs_prior: Option<Change>,
    pub vehicle_vs_budget: Change,
    pub vehicle_vs_prior: Option<Change>,
    pub reception_vs_budget: Change,
    pub reception_vs_prior: Option<Change>,
    pub foreign_reception: Option<Num>,
    /// 八: 本年收入, 本年支出, 年末结转和结余, and 支出 against the prior year.
    pub fund_income: Num,
    pub fund_expenditure: Num,
    pub fund_closing: Num,
    pub fund_change: Option<Change>,
    /// 九.
    pub capital_income: Num,
    pub capital_expenditure: Num,
    pub capital_closing: Num,
    pub capital_change: Option<Change>,
    /// 十(一).
    pub operating_costs: Option<Num>,
    pub operating_costs_change: Option<Change>,
    /// 十(二): total, goods/works/services shares of total, SME share of total, small-micro
    /// share of SME, SME share within each category (when typed).
    /// 政府采购 in total, when all three categories are typed.
    pub procurement_total: Cell,
    /// Each typed category (with its share of the total, when there is one).
    pub procurement_shares: [Option<Share>; 3],
    pub sme_share: Option<Share>,
    pub small_micro_share: Option<Share>,
    pub sme_category_shares: [Option<Share>; 3],
    /// 十(三): the vehicles of every use, when every use is typed.
    pub vehicles_total: Option<u64>,
    /// 十(四): 项目支出 of 05表 (share base for the evaluated funds).
    pub general_budget_project_total: Num,
}

/// The five 类/款/项 tables: 02表, 03表, 05表, 08表, 09表.
struct FunctionalTables {
    s02: HierTable,
    s03: HierTable,
    s05: HierTable,
    s08: HierTable,
    s09: HierTable,
}

fn functional_tables(rows: &[FunctionalRow], names: &Names) -> FunctionalTables {
    // 02表: 本年收入合计, 财政拨款收入, 上级补助, 事业, 其中教育收费, 经营, 附属, 其他.
    let s02 = hier_table(rows, names, 8, |r| {
        let i = &r.income;
        let fiscal = sum_cells([
            a(i.general_budget),
            a(i.government_fund),
            a(i.state_capital),
        ]);
        let parts = [
            fiscal,
            a(i.superior_subsidy),
            a(i.business),
            a(i.operating),
            a(i.affiliated),
            a(i.other),
        ];
        vec![
            sum_cells(parts),
            fiscal,
            a(i.superior_subsidy),
            a(i.business),
            a(i.business_education_fees),
            a(i.operating),
            a(i.affiliated),
            a(i.other),
        ]
    });
    // 03表: 本年支出合计, 基本, 项目, 上缴上级, 经营, 对附属单位补助.
    let s03 = hier_table(rows, names, 6, |r| {
        let e = &r.expenditure;
        let parts = [
            a(e.basic),
            a(e.project),
            a(e.remit_to_superior),
            a(e.operating),
            a(e.subsidy_to_affiliated),
        ];
        let mut cells = vec![sum_cells(parts)];
        cells.extend(parts);
        cells
    });
    // 05表: 合计, 基本, 项目.
    let s05 = hier_table(rows, names, 3, |r| {
        let g = &r.general_budget;
        vec![
            sum_cells([a(g.basic), a(g.project)]),
            a(g.basic),
            a(g.project),
        ]
    });
    // 08表: 年初结转和结余, 本年收入, 本年支出 小计, 基本, 项目, 年末结转和结余.
    let s08 = hier_table(rows, names, 6, |r| {
        let f = &r.government_fund;
        let spent = sum_cells([a(f.basic), a(f.project)]);
        let any = [f.opening_balance, f.income, f.basic, f.project]
            .iter()
            .any(Option::is_some);
        let closing = any.then(|| val(a(f.opening_balance)) + val(a(f.income)) - val(spent));
        vec![
            a(f.opening_balance),
            a(f.income),
            spent,
            a(f.basic),
            a(f.project),
            closing,
        ]
    });
    // 09表: 合计, 基本, 项目.
    let s09 = hier_table(rows, names, 3, |r| {
        let s = &r.state_capital;
        vec![
            sum_cells([a(s.basic), a(s.project)]),
            a(s.basic),
            a(s.project),
        ]
    });
    FunctionalTables {
        s02,
        s03,
        s05,
        s08,
        s09,
    }
}

/// Column `i` of a table's 合计 row.
fn col(t: &HierTable, i: usize) -> Num {
    blank(
        t.total[i],
        "no row of the table has an amount in this column",
    )
}

/// An income column no 科目 has (01表's line printed blank).
const INCOME_BLANK: &str = "no row of 02表 has this income";

/// A 三公 item printed blank in 07表: no such budget or spending.
const THREE_PUBLIC_BLANK: &str = "blank in 07表: none";

/// 01表: the eight income lines summed over the 项 rows, the typed balances, and 支出 by 类
/// from 03表.
fn statement01(input: &FinalInput, names: &Names, s03: &HierTable) -> Statement01 {
    let rows = &input.functional;
    let income_lines: [Cell; 8] = {
        let s = |f: fn(&FunctionalRow) -> Cell| sum_cells(rows.iter().map(f));
        [
            s(|r| a(r.income.general_budget)),
            s(|r| a(r.income.government_fund)),
            s(|r| a(r.income.state_capital)),
            s(|r| a(r.income.superior_subsidy)),
            s(|r| a(r.income.business)),
            s(|r| a(r.income.operating)),
            s(|r| a(r.income.affiliated)),
            s(|r| a(r.income.other)),
        ]
    };
    let total_income: Num = income_lines.iter().map(|c| val(*c)).sum();
    let b = &input.balances;
    let grand_total = total_income + val(a(b.non_fiscal_balance_used)) + val(a(b.opening));
    let class_lines: Vec<(String, String, Cell)> = STATEMENT_CLASSES
        .iter()
        .map(|c| {
            let name = names.functional(c);
            (c.to_string(), name, s03.class(c).and_then(|r| r.cells[0]))
        })
        .collect();
    let total_expenditure = col(s03, 0);
    let closing = grand_total - total_expenditure - val(a(b.surplus_distribution));
    Statement01 {
        income_lines,
        total_income,
        non_fiscal_balance_used: a(b.non_fiscal_balance_used),
        opening: a(b.opening),
        grand_total,
        class_lines,
        total_expenditure,
        surplus_distribution: a(b.surplus_distribution),
        closing,
    }
}

/// 04表: 财政拨款 by kind (一般公共预算 from 05表, 政府性基金 from 08表, 国有资本经营 from
/// 09表), with the typed 年初 balances and the derived 年末 balances.
fn statement04(
    input: &FinalInput,
    names: &Names,
    income_lines: &[Cell; 8],
    t: &FunctionalTables,
) -> Statement04 {
    let fiscal_income = [income_lines[0], income_lines[1], income_lines[2]];
    let fiscal_total_income: Num = fiscal_income.iter().map(|c| val(*c)).sum();
    let class_lines = STATEMENT_CLASSES
        .iter()
        .map(|c| {
            let g = t.s05.class(c).and_then(|r| r.cells[0]);
            let f = t.s08.class(c).and_then(|r| r.cells[2]);
            let k = t.s09.class(c).and_then(|r| r.cells[0]);
            let name = names.functional(c);
            (c.to_string(), name, [sum_cells([g, f, k]), g, f, k])
        })
        .collect();
    let spent = [col(&t.s05, 0), col(&t.s08, 2), col(&t.s09, 0)];
    let spent_total: Num = spent.iter().sum();
    let fo = &input.balances.fiscal_opening;
    let opening = [
        a(fo.general_budget),
        a(fo.government_fund),
        a(fo.state_capital),
    ];
    let opening_total: Num = opening.iter().map(|c| val(*c)).sum();
    let closing_by_kind: [Num; 3] =
        std::array::from_fn(|i| val(opening[i]) + val(fiscal_income[i]) - spent[i]);
    let closing_total: Num = closing_by_kind.iter().sum();
    Statement04 {
        income: fiscal_income,
        total_income: fiscal_total_income,
        class_lines,
        total_expenditure: [spent_total, spent[0], spent[1], spent[2]],
        opening,
        opening_total,
        closing: [
            closing_total,
            closing_by_kind[0],
            closing_by_kind[1],
            closing_by_kind[2],
        ],
        grand_total: fiscal_total_income + opening_total,
        grand_total_by_kind: std::array::from_fn(|i| {
            if i == 0 {
                spent_total + closing_total
            } else {
                spent[i - 1] + closing_by_kind[i - 1]
            }
        }),
    }
}

/// 06表: the typed 经济分类 款 rows of 基本支出, their 类 sums, and the two blocks.
fn statement06(input: &FinalInput) -> Statement06 {
    let mut class_sums: BTreeMap<String, Num> = BTreeMap::new();
    for (code, amount) in &input.basic_by_economic {
        *class_sums
            .entry(code.as_str()[..3].to_string())
            .or_default() += amount.num();
    }
    let typed: BTreeMap<&str, Num> = input
        .basic_by_economic
        .iter()
        .map(|(c, a)| (c.as_str(), a.num()))
        .collect();
    let mut personnel = Vec::new();
    let mut public = Vec::new();
    for e in catalog::economic_entries() {
        let class = &e.code[..3];
        let is_class = e.code.len() == 3;
        let amount = if is_class {
            class_sums.get(class).copied()
        } else {
            typed.get(e.code).copied()
        };
        let row = EconomicRow {
            code: e.code,
            name: e.name,
            is_class,
            amount,
        };
        match catalog::economic_block(class) {
            Some(EconomicBlock::Personnel) => personnel.push(row),
            _ => public.push(row),
        }
    }
    // The official 06表 prints 302 in the middle column group and 307/310/399 on the right.
    let (public_left, public_right): (Vec<_>, Vec<_>) =
        public.into_iter().partition(|r| r.code.starts_with("302"));
    let block_total = |block: EconomicBlock| -> Num {
        class_sums
            .iter()
            .filter(|(c, _)| catalog::economic_block(c) == Some(block))
            .map(|(_, v)| *v)
            .sum()
    };
    Statement06 {
        personnel,
        public_left,
        public_right,
        personnel_total: block_total(EconomicBlock::Personnel),
        public_total: block_total(EconomicBlock::Public),
        class_sums,
    }
}

/// The amount typed under `code` in a code-keyed map.
fn typed_at(m: &BTreeMap<Code, Amount>, code: &str) -> Option<Num> {
    m.iter()
        .find(|(c, _)| c.as_str() == code)
        .map(|(_, a)| a.num())
}

/// The reason typed under `code`, if any.
fn reason_at(m: &BTreeMap<Code, Text>, code: &str) -> Option<String> {
    m.iter()
        .find(|(c, _)| c.as_str() == code)
        .map(|(_, t)| t.0.clone())
}

/// 五(三): every 类 with a 决算 (05表) or a 年初预算, in code order.
fn class_execution(input: &FinalInput, names: &Names, s05: &HierTable) -> Vec<ClassExecution> {
    let initial = &input.initial_budget.general_budget_by_class;
    let mut codes: Vec<String> = s05
        .rows
        .iter()
        .filter(|r| r.level == Level::Class)
        .map(|r| r.code.clone())
        .collect();
    for c in initial.keys() {
        if !codes.iter().any(|x| x == c.as_str()) {
            codes.push(c.as_str().to_string());
        }
    }
    codes.sort();
    codes
        .into_iter()
        .map(|code| {
            let actual = s05
                .class(&code)
                .map(|r| val(r.cells[0]))
                .unwrap_or_default();
            let budget = typed_at(initial, &code).unwrap_or_default();
            ClassExecution {
                name: names.functional(&code),
                vs_budget: Change::new(actual, budget),
                reason: reason_at(&input.reasons.general_budget_by_class, &code),
                code,
            }
        })
        .collect()
}

/// 六: every 经济分类 类 of 基本支出 with an amount, a 年初预算 or a prior-year figure.
fn economic_classes(
    input: &FinalInput,
    class_sums: &BTreeMap<String, Num>,
) -> Vec<EconomicClassChange> {
    let budget = &input.initial_budget.basic_by_economic_class;
    let prior = &input.prior_year.basic_by_economic_class;
    let mut codes: Vec<String> = class_sums.keys().cloned().collect();
    for c in budget.keys().chain(prior.keys()) {
        if !codes.iter().any(|x| x == c.as_str()) {
            codes.push(c.as_str().to_string());
        }
    }
    codes.sort();
    codes
        .into_iter()
        .map(|code| {
            let amount = class_sums.get(&code).copied().unwrap_or_default();
            EconomicClassChange {
                name: catalog::economic_name(&code).unwrap_or("").to_string(),
                amount,
                vs_budget: typed_at(budget, &code).map(|b| Change::new(amount, b)),
                vs_prior: typed_at(prior, &code).map(|p| Change::new(amount, p)),
                reason: reason_at(&input.reasons.basic_by_economic_class, &code),
                code,
            }
        })
        .collect()
}

/// A typed part as a share of a total that may be absent (then the share has no percent).
fn share_of_maybe(part: Num, total: Cell) -> Share {
    match total {
        Some(t) => Share::of(part, t),
        None => Share {
            amount: part,
            percent: None,
        },
    }
}

pub fn derive(v: &Validated) -> Statements {
    let input = v.input();
    let names = v.names();
    let tables = functional_tables(&input.functional, names);
    let s01 = statement01(input, names, &tables.s03);
    let s04 = statement04(input, names, &s01.income_lines, &tables);
    let s06 = statement06(input);
    let class_execution = class_execution(input, names, &tables.s05);
    let economic_classes = economic_classes(input, &s06.class_sums);
    let FunctionalTables {
        s02,
        s03,
        s05,
        s08,
        s09,
    } = tables;

    // 07表.
    let tp_budget = ThreePublic::of_table(&input.three_public.budget);
    let tp_actual = ThreePublic::of_table(&input.three_public.actual);

    // 情况说明 一 to 四.
    let py = &input.prior_year;
    let total_income = s01.total_income;
    let total_expenditure = s01.total_expenditure;
    let prior_total = match (py.total_income, py.opening) {
        (Some(i), Some(o)) => Some(i.num() + o.num() + val(a(py.non_fiscal_balance_used))),
        _ => None,
    };
    let i02 = |i: usize| col(&s02, i);
    let income_shares = [1, 2, 3, 5, 6, 7].map(|i| Share::of(i02(i), total_income));
    let expenditure_shares =
        std::array::from_fn(|i| Share::of(col(&s03, i + 1), total_expenditure));
    let prior_fiscal_total = match (py.fiscal_income, py.fiscal_opening) {
        (Some(i), Some(o)) => Some(i.num() + o.num()),
        _ => None,
    };

    // 五: 一般公共预算财政拨款支出.
    let general_budget_total = col(&s05, 0);
    let general_budget_by_class = s05
        .rows
        .iter()
        .filter(|r| r.level == Level::Class)
        .map(|r| {
            (
                r.code.clone(),
                r.name.clone(),
                Share::of(val(r.cells[0]), general_budget_total),
            )
        })
        .collect();
    let initial = &input.initial_budget.general_budget_by_class;
    let general_budget_vs_initial = (!initial.is_empty()).then(|| {
        Change::new(
            general_budget_total,
            initial.values().map(|a| a.num()).sum(),
        )
    });

    // 七: 三公. The prior year's total only when all three items are typed.
    let tpp = &py.three_public;
    let prior_tp_total = sum_all([a(tpp.outbound), a(tpp.vehicle), a(tpp.reception)]);
    let details = &input.three_public_details;
    let foreign_reception =
        a(details.domestic_reception).map(|d| blank(tp_actual.reception, THREE_PUBLIC_BLANK) - d);

    // 八, 九: the fund and capital accounts of 04表.
    let fund_expenditure = col(&s08, 2);
    let capital_expenditure = col(&s09, 0);

    // 十(二) 政府采购 is not a 公开表 figure: a category nobody typed is left out, and the
    // total (and every share of it) needs all three.
    let p = &input.procurement;
    let categories = [a(p.goods), a(p.works), a(p.services)];
    let procurement_total = sum_all(categories);
    let sme = a(p.sme_awarded);
    let sme_cats = &p.sme_by_category;
    let sme_by_cat = [a(sme_cats.goods), a(sme_cats.works), a(sme_cats.services)];

    // 十(三): the vehicles of every use, when every use is typed.
    let vehicles_total = input
        .assets
        .vehicles
        .uses()
        .into_iter()
        .try_fold(0u64, |acc, c| c.map(|c| acc + c.0));

    Statements {
        total_change: prior_total.map(|p| Change::new(s01.grand_total, p)),
        income_change: a(py.total_income).map(|p| Change::new(total_income, p)),
        opening_change: a(py.opening).map(|p| Change::new(val(s01.opening), p)),
        income_shares,
        expenditure_shares,
        fiscal_total: s04.grand_total,
        fiscal_total_change: prior_fiscal_total.map(|p| Change::new(s04.grand_total, p)),
        fiscal_income_change: a(py.fiscal_income).map(|p| Change::new(s04.total_income, p)),
        fiscal_opening_change: a(py.fiscal_opening).map(|p| Change::new(s04.opening_total, p)),
        general_budget_share_of_expenditure: Share::of(general_budget_total, total_expenditure),
        general_budget_change: a(py.general_budget_expenditure)
            .map(|p| Change::new(general_budget_total, p)),
        general_budget_project_total: col(&s05, 2),
        general_budget_total,
        general_budget_by_class,
        general_budget_vs_initial,
        class_execution,
        basic_total: col(&s05, 1),
        economic_classes,
        three_public_vs_budget: Change::new(
            blank(tp_actual.total, THREE_PUBLIC_BLANK),
            blank(tp_budget.total, THREE_PUBLIC_BLANK),
        ),
        three_public_vs_prior: prior_tp_total
            .map(|p| Change::new(blank(tp_actual.total, THREE_PUBLIC_BLANK), p)),
        outbound_vs_budget: Change::new(
            blank(tp_actual.outbound, THREE_PUBLIC_BLANK),
            blank(tp_budget.outbound, THREE_PUBLIC_BLANK),
        ),
        outbound_vs_prior: a(tpp.outbound)
            .map(|p| Change::new(blank(tp_actual.outbound, THREE_PUBLIC_BLANK), p)),
        vehicle_vs_budget: Change::new(
            blank(tp_actual.vehicle, THREE_PUBLIC_BLANK),
            blank(tp_budget.vehicle, THREE_PUBLIC_BLANK),
        ),
        vehicle_vs_prior: a(tpp.vehicle)
            .map(|p| Change::new(blank(tp_actual.vehicle, THREE_PUBLIC_BLANK), p)),
        reception_vs_budget: Change::new(
            blank(tp_actual.reception, THREE_PUBLIC_BLANK),
            blank(tp_budget.reception, THREE_PUBLIC_BLANK),
        ),
        reception_vs_prior: a(tpp.reception)
            .map(|p| Change::new(blank(tp_actual.reception, THREE_PUBLIC_BLANK), p)),
        foreign_reception,
        fund_income: blank(s01.income_lines[1], INCOME_BLANK),
        fund_expenditure,
        fund_closing: s04.closing[2],
        fund_change: a(py.government_fund_expenditure).map(|p| Change::new(fund_expenditure, p)),
        capital_income: blank(s01.income_lines[2], INCOME_BLANK),
        capital_expenditure,
        capital_closing: s04.closing[3],
        capital_change: a(py.state_capital_expenditure)
            .map(|p| Change::new(capital_expenditure, p)),
        operating_costs: a(input.operating_costs),
        operating_costs_change: match (input.operating_costs, py.operating_costs) {
            (Some(c), Some(p)) => Some(Change::new(c.num(), p.num())),
            _ => None,
        },
        procurement_total,
        procurement_shares: categories.map(|c| c.map(|c| share_of_maybe(c, procurement_total))),
        sme_share: sme.map(|s| share_of_maybe(s, procurement_total)),
        small_micro_share: match (a(p.small_micro_awarded), sme) {
            (Some(m), Some(s)) => Some(Share::of(m, s)),
            _ => None,
        },
        sme_category_shares: std::array::from_fn(|i| {
            Some(Share::of(sme_by_cat[i]?, categories[i]?))
        }),
        vehicles_total,
        s01,
        s02,
        s03,
        s04,
        s05,
        s06,
        three_public_budget: tp_budget,
        three_public_actual: tp_actual,
        s08,
        s09,
    }
}

#[cfg(test)]
mod tests {
    //! Derivations checked against the figures seed 002 prints correctly, from the example's
    //! typed facts.
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn example() -> Statements {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nx-hrss-2024-final");
        let checked = crate::check(&dir).expect("example checks");
        let doc = checked
            .document
            .of::<super::super::FinalAccounts>()
            .expect("the example is a 部门决算");
        doc.figures.statements.clone()
    }

    #[test]
    fn statement_01_totals_and_roll_forward() {
        let s = example();
        assert_eq!(s.s01.total_income, d("472587029.28"));
        assert_eq!(s.s01.grand_total, d("516247561.00"));
        assert_eq!(s.s01.total_expenditure, d("446156370.65"));
        // 年末结转和结余 = 总计 − 本年支出合计 − 结余分配.
        assert_eq!(s.s01.closing, d("70091190.35"));
        let class = |c: &str| s.s01.class_lines.iter().find(|l| l.0 == c).unwrap().2;
        assert_eq!(class("208"), Some(Num::from(d("420395015.35"))));
        assert_eq!(class("202"), None, "fixed row printed empty");
        assert_eq!(s.s01.class_lines.len(), 26);
    }

    #[test]
    fn hierarchy_rolls_items_into_sections_and_classes() {
        let s = example();
        assert_eq!(s.s05.total[0], Some(Num::from(d("441719025.78"))));
        assert_eq!(s.s05.total[1], Some(Num::from(d("99745720.85"))));
        assert_eq!(s.s05.total[2], Some(Num::from(d("341973304.93"))));
        let class = s.s05.class("208").unwrap();
        assert_eq!(class.cells[0], Some(Num::from(d("418144219.93"))));
        let section = s.s05.rows.iter().find(|r| r.code == "20807").unwrap();
        assert_eq!(section.level, Level::Section);
        assert_eq!(section.cells[0], Some(Num::from(d("31970399.43"))));
        // Rows come class, sections, items in code order.
        let codes: Vec<&str> = s.s05.rows.iter().take(3).map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["201", "20113", "2011308"]);
    }

    #[test]
    fn statement_04_closing_by_kind() {
        let s = example();
        assert_eq!(s.s04.total_income, d("467782266.28"));
        assert_eq!(s.s04.grand_total, d("502210573.36"));
        assert_eq!(s.s04.closing[0], d("60491547.58"));
        assert_eq!(s.s04.closing[1], d("60292027.58"));
        assert_eq!(s.s04.closing[3], d("199520.00"));
        assert_eq!(s.s04.grand_total_by_kind[0], s.s04.grand_total);
    }

    #[test]
    fn statement_06_blocks() {
        let s = example();
        assert_eq!(s.s06.personnel_total, d("91753484.10"));
        assert_eq!(s.s06.public_total, d("7992236.75"));
        assert_eq!(s.s06.class_sums["301"], d("86396618.35"));
        assert_eq!(
            s.s06.personnel_total + s.s06.public_total,
            s.s05.total[1].unwrap()
        );
    }

    #[test]
    fn three_public_sums_and_changes() {
        let s = example();
        assert_eq!(s.three_public_budget.total, Some(Num::from(d("850110"))));
        assert_eq!(s.three_public_budget.vehicle, Some(Num::from(d("503800"))));
        assert_eq!(s.three_public_actual.total, Some(Num::from(d("483270.68"))));
        let c = s.three_public_vs_prior.as_ref().unwrap();
        assert_eq!(c.delta, d("112595.93"));
        assert_eq!(crate::money::fixed(c.rate.unwrap(), 2), "30.38");
        assert_eq!(
            crate::money::fixed(s.three_public_vs_budget.completion().unwrap(), 2),
            "56.85"
        );
    }

    #[test]
    fn narrative_shares_changes_and_completion() {
        let s = example();
        let fixed = crate::money::fixed;
        let total = s.total_change.as_ref().unwrap();
        assert_eq!(total.delta, d("51927236.00"));
        assert_eq!(fixed(total.rate.unwrap(), 2), "11.18");
        assert_eq!(fixed(s.income_shares[0].percent.unwrap(), 2), "98.98");
        assert_eq!(
            fixed(s.general_budget_share_of_expenditure.percent.unwrap(), 2),
            "99.01"
        );
        let vs = s.general_budget_vs_initial.as_ref().unwrap();
        assert_eq!(vs.base, d("253041654.57"));
        assert_eq!(fixed(vs.completion().unwrap(), 0), "175");
        assert_eq!(
            fixed(s.sme_share.as_ref().unwrap().percent.unwrap(), 2),
            "64.76"
        );
        // 九: a fall to zero is −100%; 八: both years zero gives no rate at all.
        assert_eq!(
            s.capital_change.as_ref().unwrap().rate,
            Some(Num::from(d("-100")))
        );
        assert_eq!(s.fund_change.as_ref().unwrap().rate, None);
        assert_eq!(s.vehicles_total, Some(9));
    }
}
