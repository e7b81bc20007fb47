//! render: turn the derived figures into the view the templates read (`/data.json`). Every
//! number leaves here as a ready-formatted string, rounded once (half-up) at the precision the
//! document asks for; templates only place strings, they never compute.

use std::collections::BTreeMap;

use serde::Serialize;

use super::evaluation::{DerivedEvaluation, EXECUTION_WEIGHT, FundFigures};
use super::figures::Derived;
use super::input::IndicatorInput;
use super::profile::FormatSettings;
use super::rules::{TableId, Validated};
use super::statements::EconomicRow;
use crate::check::{PrintUnits, Unit};
use crate::figures::hierarchy::{HierTable, Level};
use crate::figures::three_public::ThreePublic;
use crate::figures::{Cell, Change, Num, Share, blank};
use crate::load::scalar::{Amount, Count};
use crate::money::chinese_ordinal;
use crate::render::common::{
    FontsView, GlossaryItem, Identity, TableEntry, glossary, paragraphs, table_list, trimmed,
};
use crate::render::format::{ChangeView, Fig, Numbers, ShareView};

/// The embedded default glossary (第四部分 名词解释), used unless the project gives its own.
const DEFAULT_GLOSSARY: &str = include_str!("glossary.yaml");

/// The document's number formats ([`Numbers`]) and its decimals by kind of figure.
struct Fmt<'a> {
    s: &'a FormatSettings,
    /// Sentences.
    n: Numbers,
    /// Tables.
    t: Numbers,
    /// 公开07表, the 三公 table.
    tp: Numbers,
}

impl<'a> Fmt<'a> {
    fn new(s: &'a FormatSettings, typed: Unit, units: PrintUnits) -> Self {
        let n = Numbers {
            table_separators: s.table_separators,
            text_separators: s.text_separators,
            percent_separators: s.percent_separators,
            zero_base: s.zero_base.clone(),
            ..Numbers::default()
        };
        Self {
            s,
            t: n.in_unit(typed.divisor_to(units.tables)),
            tp: n.in_unit(typed.divisor_to(units.three_public)),
            n: n.in_unit(typed.divisor_to(units.text)),
        }
    }
    /// A table amount; empty cells stay empty.
    fn cell(&self, c: Cell) -> Fig {
        self.t.cell(c)
    }
    fn cells(&self, cs: &[Cell]) -> Vec<Fig> {
        cs.iter().map(|c| self.cell(*c)).collect()
    }
    fn table(&self, v: Num) -> Fig {
        self.t.table(v)
    }
    /// An amount in a sentence: 2 decimals, no separators.
    fn text(&self, v: impl Into<Num>) -> Fig {
        self.n.text(v)
    }
    fn pct(&self, v: Option<Num>, dp: u32) -> Option<Fig> {
        self.n.opt_percent(v, dp)
    }
    fn share(&self, s: &Share) -> ShareView {
        self.n.share(s.amount, s.percent, self.s.share_decimals)
    }
    fn change(&self, c: &Change, completion_dp: u32) -> ChangeView {
        self.n.change(c, self.s.growth_decimals, completion_dp)
    }
    fn opt_change(&self, c: &Option<Change>) -> Option<ChangeView> {
        c.as_ref()
            .map(|c| self.change(c, self.s.completion_decimals))
    }
}

/// A count as printed, traced to where it was typed; absent when not typed.
fn count(c: Option<Count>) -> Option<Fig> {
    c.map(|n| Fig::new(n.0.to_string(), n.num()))
}

/// The document's identity and titles.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    #[serde(flatten)]
    pub identity: Identity,
    pub title: String,
    pub evaluation_title: String,
    /// The cover's month (二〇二五年九月).
    pub date: Option<String>,
}

/// 第一部分 部门概况.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewView {
    pub duties: Vec<String>,
    pub organization: Vec<String>,
}

/// The printed title of each of the nine tables.
#[derive(Debug, Clone, Serialize)]
pub struct TitlesView {
    pub t01: String,
    pub t02: String,
    pub t03: String,
    pub t04: String,
    pub t05: String,
    pub t06: String,
    pub t07: String,
    pub t08: String,
    pub t09: String,
}

/// One row of a 类/款/项 table.
#[derive(Debug, Clone, Serialize)]
pub struct HierRowView {
    /// `class`, `section` or `item`.
    pub level: &'static str,
    pub code: String,
    pub class: String,
    pub section: String,
    pub item: String,
    pub name: String,
    pub cells: Vec<Fig>,
}

/// A 类/款/项 table (02, 03, 05, 08, 09表).
#[derive(Debug, Clone, Serialize)]
pub struct HierView {
    pub total: Vec<Fig>,
    pub rows: Vec<HierRowView>,
    pub empty: bool,
}

/// A labelled 类 line of 01表 or 04表.
#[derive(Debug, Clone, Serialize)]
pub struct ClassLineView<T> {
    pub code: String,
    /// 一、社会保障和就业支出.
    pub label: String,
    #[serde(flatten)]
    pub figures: T,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmountView {
    pub amount: Fig,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmountsView {
    pub amounts: Vec<Fig>,
}

/// 01表 收入支出决算总表.
#[derive(Debug, Clone, Serialize)]
pub struct T01View {
    pub income: Vec<Fig>,
    pub total_income: Fig,
    pub non_fiscal_balance_used: Fig,
    pub opening: Fig,
    pub grand_total: Fig,
    pub classes: Vec<ClassLineView<AmountView>>,
    pub total_expenditure: Fig,
    pub surplus_distribution: Fig,
    pub closing: Fig,
}

/// 04表 财政拨款收入支出决算总表.
#[derive(Debug, Clone, Serialize)]
pub struct T04View {
    pub income: Vec<Fig>,
    pub total_income: Fig,
    pub classes: Vec<ClassLineView<AmountsView>>,
    pub total_expenditure: Vec<Fig>,
    pub opening: Vec<Fig>,
    pub opening_total: Fig,
    pub closing: Vec<Fig>,
    pub grand_total: Fig,
    pub grand_total_by_kind: Vec<Fig>,
}

/// One 经济分类 row of 06表.
#[derive(Debug, Clone, Serialize)]
pub struct EconomicRowView {
    pub code: &'static str,
    pub name: &'static str,
    pub class: bool,
    pub amount: Fig,
}

/// 06表 一般公共预算财政拨款基本支出决算表.
#[derive(Debug, Clone, Serialize)]
pub struct T06View {
    pub personnel: Vec<EconomicRowView>,
    pub public_left: Vec<EconomicRowView>,
    pub public_right: Vec<EconomicRowView>,
    pub personnel_total: Fig,
    pub public_total: Fig,
    pub total: Fig,
}

/// 07表 “三公”经费: the 预算 and 决算 columns.
#[derive(Debug, Clone, Serialize)]
pub struct T07View {
    pub budget: Vec<Fig>,
    pub actual: Vec<Fig>,
}

/// 一 and 四: a 收支总计 against the prior year, and its components.
#[derive(Debug, Clone, Serialize)]
pub struct TotalView {
    pub amount: Fig,
    pub change: Option<ChangeView>,
    pub income_change: Option<ChangeView>,
    pub opening_change: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 二 and 三: a total and the shares of its parts.
#[derive(Debug, Clone, Serialize)]
pub struct SharesView {
    pub total: Fig,
    pub shares: Vec<ShareView>,
}

/// 五(二): a 类's share of 一般公共预算财政拨款支出.
#[derive(Debug, Clone, Serialize)]
pub struct ClassShareView {
    pub code: String,
    pub name: String,
    pub share: ShareView,
}

/// 五(三): a 类 against its 年初预算.
#[derive(Debug, Clone, Serialize)]
pub struct ExecutionView {
    pub number: usize,
    pub name: String,
    pub vs_budget: ChangeView,
    pub reason: Option<String>,
}

/// 五: 一般公共预算财政拨款支出.
#[derive(Debug, Clone, Serialize)]
pub struct GeneralBudgetView {
    pub amount: Fig,
    pub share: ShareView,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
    pub classes: Vec<ClassShareView>,
    pub vs_initial: Option<ChangeView>,
    pub execution: Vec<ExecutionView>,
}

/// 六: one 经济分类 类 of 基本支出.
#[derive(Debug, Clone, Serialize)]
pub struct EconomicClassView {
    pub number: usize,
    pub name: String,
    pub amount: Fig,
    pub vs_budget: Option<ChangeView>,
    pub vs_prior: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 六: 一般公共预算财政拨款基本支出.
#[derive(Debug, Clone, Serialize)]
pub struct BasicView {
    pub amount: Fig,
    pub personnel: Fig,
    pub public: Fig,
    pub classes: Vec<EconomicClassView>,
}

/// A 三公 figure against its budget and the prior year, with the typed reasons.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonView {
    pub vs_budget: ChangeView,
    pub vs_prior: Option<ChangeView>,
    pub reason_vs_budget: Option<String>,
    pub reason_change: Option<String>,
}

/// 七(一) 因公出国（境）费.
#[derive(Debug, Clone, Serialize)]
pub struct OutboundView {
    #[serde(flatten)]
    pub comparison: ComparisonView,
    pub groups: Option<Fig>,
    pub people: Option<Fig>,
}

/// 七(二) 公务用车购置及运行费.
#[derive(Debug, Clone, Serialize)]
pub struct VehicleView {
    #[serde(flatten)]
    pub comparison: ComparisonView,
    pub purchase: Fig,
    pub operation: Fig,
    pub purchased: Option<Fig>,
    pub operation_use: Option<String>,
    pub held: Option<Fig>,
}

/// 七(三) 公务接待费.
#[derive(Debug, Clone, Serialize)]
pub struct ReceptionView {
    #[serde(flatten)]
    pub comparison: ComparisonView,
    pub domestic: Option<Fig>,
    pub domestic_use: Option<String>,
    pub foreign: Option<Fig>,
    pub domestic_batches: Option<Fig>,
    pub domestic_people: Option<Fig>,
    pub foreign_batches: Option<Fig>,
    pub foreign_people: Option<Fig>,
}

/// 七: “三公”经费.
#[derive(Debug, Clone, Serialize)]
pub struct ThreePublicView {
    #[serde(flatten)]
    pub total: ComparisonView,
    pub outbound: OutboundView,
    pub vehicle: VehicleView,
    pub reception: ReceptionView,
}

/// 八 and 九: a 财政拨款 account (政府性基金, 国有资本经营).
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub income: Fig,
    pub expenditure: Fig,
    pub closing: Fig,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 八: the 政府性基金 account, with the flags its sentence chooses by.
#[derive(Debug, Clone, Serialize)]
pub struct FundView {
    #[serde(flatten)]
    pub account: AccountView,
    /// No income, spending or balance this year.
    pub none: bool,
    /// No spending the prior year either.
    pub prior_none: bool,
}

/// 十(一) 机关运行经费.
#[derive(Debug, Clone, Serialize)]
pub struct OperatingCostsView {
    pub amount: Option<Fig>,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 十(二) 政府采购.
#[derive(Debug, Clone, Serialize)]
pub struct ProcurementView {
    pub total: Option<Fig>,
    pub categories: Vec<Option<ShareView>>,
    pub sme: Option<ShareView>,
    pub small_micro: Option<ShareView>,
    pub sme_categories: Vec<Option<ShareView>>,
}

/// 十(三): vehicles by use.
#[derive(Debug, Clone, Serialize)]
pub struct VehiclesView {
    pub leadership: Option<Fig>,
    pub confidential: Option<Fig>,
    pub emergency: Option<Fig>,
    pub law_enforcement: Option<Fig>,
    pub special_technical: Option<Fig>,
    pub retired_cadres: Option<Fig>,
    pub other: Option<Fig>,
}

/// 十(三) 国有资产占有使用情况.
#[derive(Debug, Clone, Serialize)]
pub struct AssetsView {
    pub building_area: Option<Fig>,
    pub vehicles_total: Option<String>,
    pub vehicles: VehiclesView,
    pub other_use: Option<String>,
    pub large_equipment: Option<Fig>,
}

/// 十(四) 预算绩效管理.
#[derive(Debug, Clone, Serialize)]
pub struct PerformanceView {
    pub projects: String,
    pub primary: Option<String>,
    pub secondary: Option<Fig>,
    pub funds_wan: Fig,
    pub funds_share: Option<Fig>,
    pub fund_projects: Option<Fig>,
    pub average: Option<Fig>,
    pub work: Vec<String>,
    pub problems: Vec<String>,
    pub improvements: Vec<String>,
}

/// 第三部分 情况说明.
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeView {
    pub total: TotalView,
    pub income: SharesView,
    pub expenditure: SharesView,
    pub fiscal: TotalView,
    pub general_budget: GeneralBudgetView,
    pub basic: BasicView,
    pub three_public: ThreePublicView,
    pub fund: FundView,
    pub capital: AccountView,
    pub operating_costs: OperatingCostsView,
    pub procurement: ProcurementView,
    pub assets: AssetsView,
    pub performance: PerformanceView,
}

/// A 二级指标's indicator row of a self-evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub name: String,
    pub target: String,
    pub actual: String,
    pub weight: Fig,
    pub score: Fig,
    pub deviation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvaluationLevel2View {
    pub name: &'static str,
    pub indicators: Vec<IndicatorView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvaluationLevel1View {
    pub name: &'static str,
    pub weight: Option<Fig>,
    pub level2: Vec<EvaluationLevel2View>,
}

/// The 资金 rows of a self-evaluation: [年初预算数, 全年预算数, 全年执行数] each.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationFundsView {
    pub total: [Fig; 3],
    pub current_year: [Fig; 3],
    pub carryover: [Fig; 3],
    pub other: [Fig; 3],
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    pub expected: String,
    pub actual: String,
}

/// One 项目支出绩效自评表.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationView {
    pub number: usize,
    pub name: String,
    pub department: String,
    pub implementer: String,
    pub funds: EvaluationFundsView,
    pub execution_weight: Fig,
    pub execution_rate: Option<Fig>,
    pub execution_score: Fig,
    pub goal: GoalView,
    pub level1: Vec<EvaluationLevel1View>,
    pub total_weight: Fig,
    pub total_score: Fig,
}

/// A group of self-evaluations under one heading.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationGroupView {
    pub ordinal: String,
    pub name: String,
    pub members: Vec<usize>,
}

/// `/data.json` of a 部门决算.
#[derive(Debug, Clone, Serialize)]
pub struct FinalAccountsView {
    pub meta: MetaView,
    /// The profile's words, placeholders filled.
    pub words: BTreeMap<String, String>,
    pub fonts: FontsView,
    pub overview: OverviewView,
    pub tables: Vec<TableEntry>,
    pub titles: TitlesView,
    pub t01: T01View,
    pub t02: HierView,
    pub t03: HierView,
    pub t04: T04View,
    pub t05: HierView,
    pub t06: T06View,
    pub t07: T07View,
    pub t08: HierView,
    pub t09: HierView,
    pub narrative: NarrativeView,
    pub glossary: Vec<GlossaryItem>,
    pub evaluation_groups: Vec<EvaluationGroupView>,
    pub evaluations: Vec<EvaluationView>,
}

fn hier(f: &Fmt, t: &HierTable) -> HierView {
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let (level, class, section, item) = match r.level {
                Level::Class => ("class", &r.code[..3], "", ""),
                Level::Section => ("section", &r.code[..3], &r.code[3..5], ""),
                Level::Item => ("item", &r.code[..3], &r.code[3..5], &r.code[5..7]),
            };
            HierRowView {
                level,
                code: r.code.clone(),
                class: class.to_string(),
                section: section.to_string(),
                item: item.to_string(),
                name: r.name.clone(),
                cells: f.cells(&r.cells),
            }
        })
        .collect();
    HierView {
        total: f.cells(&t.total),
        rows,
        empty: t.is_empty(),
    }
}

fn econ_rows(f: &Fmt, rows: &[EconomicRow]) -> Vec<EconomicRowView> {
    rows.iter()
        .map(|r| EconomicRowView {
            code: r.code,
            name: r.name,
            class: r.is_class,
            amount: f.cell(r.amount),
        })
        .collect()
}

/// A row of 公开07表, in the 三公 table's unit.
fn three_public(f: &Fmt, r: &ThreePublic) -> Vec<Fig> {
    r.cells().iter().map(|c| f.tp.cell(*c)).collect()
}

fn indicator(i: &IndicatorInput) -> IndicatorView {
    let num = |a: Option<Amount>| {
        a.map(|a| Fig::fixed(a.num(), a.0.scale().min(2)))
            .unwrap_or_default()
    };
    let text = |t: &Option<crate::load::scalar::Text>| trimmed(t).unwrap_or_default();
    IndicatorView {
        name: i.name.0.trim().to_string(),
        target: text(&i.target),
        actual: text(&i.actual),
        weight: num(i.weight),
        score: num(i.score),
        deviation: text(&i.deviation),
    }
}

fn evaluation(f: &Fmt, v: &Validated, i: usize, d: &DerivedEvaluation) -> EvaluationView {
    let e = &v.evaluations()[i];
    let wan = |c: Cell| c.map(|v| Fig::fixed(v, 2)).unwrap_or_default();
    let row = |r: &FundFigures| [wan(r.initial), wan(r.full_year), wan(r.executed)];
    let t = &d.funds.total;
    let level1 = d
        .level1
        .iter()
        .map(|l| EvaluationLevel1View {
            name: l.name,
            weight: l.weight.map(Fig::points),
            level2: l
                .level2
                .iter()
                .map(|l2| EvaluationLevel2View {
                    name: l2.name,
                    indicators: l2.indicators.iter().map(indicator).collect(),
                })
                .collect(),
        })
        .collect();
    EvaluationView {
        number: i + 1,
        name: e.name.0.trim().to_string(),
        department: e.department.0.trim().to_string(),
        implementer: e.implementer.0.trim().to_string(),
        funds: EvaluationFundsView {
            total: [
                wan(t.any_initial.then_some(t.initial)),
                Fig::fixed(t.full_year, 2),
                Fig::fixed(t.executed, 2),
            ],
            current_year: row(&d.funds.current_year),
            carryover: row(&d.funds.carryover),
            other: row(&d.funds.other),
        },
        execution_weight: Fig::points(Num::constant(EXECUTION_WEIGHT, "执行率的分值")),
        execution_rate: f.pct(d.execution_rate, f.s.execution_rate_decimals),
        execution_score: Fig::fixed(d.execution_score, 2),
        goal: GoalView {
            expected: e.goal.expected.0.trim().to_string(),
            actual: e.goal.actual.0.trim().to_string(),
        },
        level1,
        total_weight: Fig::points(d.total_weight),
        total_score: Fig::fixed(d.total_score, 2),
    }
}

/// 一 to 六 of 第三部分: totals, shares, 财政拨款, 一般公共预算 and 基本支出.
fn narrative_totals(
    v: &Validated,
    d: &Derived,
    f: &Fmt,
) -> (
    TotalView,
    SharesView,
    SharesView,
    TotalView,
    GeneralBudgetView,
    BasicView,
) {
    let input = v.input();
    let s = &d.statements;
    let r = &input.reasons;
    let total = TotalView {
        amount: f.text(s.s01.grand_total),
        change: f.opt_change(&s.total_change),
        income_change: f.opt_change(&s.income_change),
        opening_change: f.opt_change(&s.opening_change),
        reason: trimmed(&r.total_change),
    };
    let income = SharesView {
        total: f.text(s.s01.total_income),
        shares: s.income_shares.iter().map(|x| f.share(x)).collect(),
    };
    let expenditure = SharesView {
        total: f.text(s.s01.total_expenditure),
        shares: s.expenditure_shares.iter().map(|x| f.share(x)).collect(),
    };
    let fiscal = TotalView {
        amount: f.text(s.fiscal_total),
        change: f.opt_change(&s.fiscal_total_change),
        income_change: f.opt_change(&s.fiscal_income_change),
        opening_change: f.opt_change(&s.fiscal_opening_change),
        reason: trimmed(&r.fiscal_total_change),
    };
    let general_budget = GeneralBudgetView {
        amount: f.text(s.general_budget_total),
        share: f.share(&s.general_budget_share_of_expenditure),
        change: f.opt_change(&s.general_budget_change),
        reason: trimmed(&r.general_budget_change),
        classes: s
            .general_budget_by_class
            .iter()
            .map(|(code, name, sh)| ClassShareView {
                code: code.clone(),
                name: name.clone(),
                share: f.share(sh),
            })
            .collect(),
        vs_initial: f.opt_change(&s.general_budget_vs_initial),
        execution: s
            .class_execution
            .iter()
            .enumerate()
            .map(|(i, c)| ExecutionView {
                number: i + 1,
                name: c.name.clone(),
                vs_budget: f.change(&c.vs_budget, v.profile().format.completion_decimals),
                reason: c.reason.clone(),
            })
            .collect(),
    };
    let basic = BasicView {
        amount: f.text(s.basic_total),
        personnel: f.text(s.s06.personnel_total),
        public: f.text(s.s06.public_total),
        classes: s
            .economic_classes
            .iter()
            .enumerate()
            .map(|(i, c)| EconomicClassView {
                number: i + 1,
                name: c.name.clone(),
                amount: f.text(c.amount),
                vs_budget: f.opt_change(&c.vs_budget),
                vs_prior: f.opt_change(&c.vs_prior),
                reason: c.reason.clone(),
            })
            .collect(),
    };
    (total, income, expenditure, fiscal, general_budget, basic)
}

/// 七 of 第三部分: the 三公 figures against budget and prior year, with the typed details.
fn narrative_three_public(v: &Validated, d: &Derived, f: &Fmt) -> ThreePublicView {
    let input = v.input();
    let s = &d.statements;
    let r = &input.reasons;
    let tpd = &input.three_public_details;
    let p3 = v.profile().format.three_public_completion_decimals;
    let comparison = |vs_budget: &Change,
                      vs_prior: &Option<Change>,
                      reason_vs_budget,
                      reason_change| ComparisonView {
        vs_budget: f.change(vs_budget, p3),
        vs_prior: f.opt_change(vs_prior),
        reason_vs_budget: trimmed(reason_vs_budget),
        reason_change: trimmed(reason_change),
    };
    ThreePublicView {
        total: comparison(
            &s.three_public_vs_budget,
            &s.three_public_vs_prior,
            &r.three_public_vs_budget,
            &r.three_public_change,
        ),
        outbound: OutboundView {
            comparison: comparison(
                &s.outbound_vs_budget,
                &s.outbound_vs_prior,
                &r.outbound_vs_budget,
                &r.outbound_change,
            ),
            groups: count(tpd.outbound_groups),
            people: count(tpd.outbound_people),
        },
        vehicle: VehicleView {
            comparison: comparison(
                &s.vehicle_vs_budget,
                &s.vehicle_vs_prior,
                &r.vehicle_vs_budget,
                &r.vehicle_change,
            ),
            purchase: f.text(blank(
                s.three_public_actual.vehicle_purchase,
                "blank in 07表: none",
            )),
            operation: f.text(blank(
                s.three_public_actual.vehicle_operation,
                "blank in 07表: none",
            )),
            purchased: count(tpd.vehicles_purchased),
            operation_use: trimmed(&tpd.vehicle_operation_use),
            held: count(tpd.vehicles_held),
        },
        reception: ReceptionView {
            comparison: comparison(
                &s.reception_vs_budget,
                &s.reception_vs_prior,
                &r.reception_vs_budget,
                &r.reception_change,
            ),
            domestic: tpd.domestic_reception.map(|a| f.text(a.num())),
            domestic_use: trimmed(&tpd.domestic_reception_use),
            foreign: s.foreign_reception.map(|a| f.text(a)),
            domestic_batches: count(tpd.domestic_batches),
            domestic_people: count(tpd.domestic_people),
            foreign_batches: count(tpd.foreign_batches),
            foreign_people: count(tpd.foreign_people),
        },
    }
}

/// 八 to 十 of 第三部分: the fund and capital accounts, 机关运行经费, 政府采购, assets and
/// performance management.
fn narrative_other(
    v: &Validated,
    d: &Derived,
    f: &Fmt,
) -> (
    FundView,
    AccountView,
    OperatingCostsView,
    ProcurementView,
    AssetsView,
    PerformanceView,
) {
    let input = v.input();
    let s = &d.statements;
    let r = &input.reasons;
    let fund = FundView {
        account: AccountView {
            income: f.text(s.fund_income),
            expenditure: f.text(s.fund_expenditure),
            closing: f.text(s.fund_closing),
            change: f.opt_change(&s.fund_change),
            reason: trimmed(&r.government_fund),
        },
        none: s.fund_income.is_zero() && s.fund_expenditure.is_zero() && s.fund_closing.is_zero(),
        prior_none: s.fund_change.as_ref().is_some_and(|c| c.base.is_zero()),
    };
    let capital = AccountView {
        income: f.text(s.capital_income),
        expenditure: f.text(s.capital_expenditure),
        closing: f.text(s.capital_closing),
        change: f.opt_change(&s.capital_change),
        reason: trimmed(&r.state_capital),
    };
    let operating_costs = OperatingCostsView {
        amount: s.operating_costs.map(|a| f.text(a)),
        change: f.opt_change(&s.operating_costs_change),
        reason: trimmed(&r.operating_costs_change),
    };
    let shares = |list: &[Option<Share>]| -> Vec<Option<ShareView>> {
        list.iter()
            .map(|x| x.as_ref().map(|x| f.share(x)))
            .collect()
    };
    let procurement = ProcurementView {
        total: s.procurement_total.map(|t| f.text(t)),
        categories: shares(&s.procurement_shares),
        sme: s.sme_share.as_ref().map(|x| f.share(x)),
        small_micro: s.small_micro_share.as_ref().map(|x| f.share(x)),
        sme_categories: shares(&s.sme_category_shares),
    };
    let a = &input.assets;
    let vh = &a.vehicles;
    let assets = AssetsView {
        building_area: a.building_area.map(|a| Fig::fixed(a.num(), 2)),
        vehicles_total: s.vehicles_total.map(|n| n.to_string()),
        vehicles: VehiclesView {
            leadership: count(vh.leadership),
            confidential: count(vh.confidential),
            emergency: count(vh.emergency),
            law_enforcement: count(vh.law_enforcement),
            special_technical: count(vh.special_technical),
            retired_cadres: count(vh.retired_cadres),
            other: count(vh.other),
        },
        other_use: trimmed(&a.other_vehicles_use),
        large_equipment: count(a.large_equipment),
    };
    let p = &input.performance;
    let performance = PerformanceView {
        projects: d.evaluations.len().to_string(),
        primary: d.primary_projects.map(|n| n.to_string()),
        secondary: count(p.secondary_projects),
        funds_wan: Fig::fixed(d.evaluation_funds, 2),
        funds_share: f.pct(d.evaluation_funds_share, v.profile().format.share_decimals),
        fund_projects: count(p.government_fund_projects),
        average: d.evaluation_average.map(|a| Fig::fixed(a, 2)),
        work: paragraphs(&p.work),
        problems: paragraphs(&p.problems),
        improvements: paragraphs(&p.improvements),
    };
    (
        fund,
        capital,
        operating_costs,
        procurement,
        assets,
        performance,
    )
}

/// 第三部分 情况说明: every figure of its ten sections.
fn narrative(v: &Validated, d: &Derived, f: &Fmt) -> NarrativeView {
    let (total, income, expenditure, fiscal, general_budget, basic) = narrative_totals(v, d, f);
    let (fund, capital, operating_costs, procurement, assets, performance) =
        narrative_other(v, d, f);
    NarrativeView {
        total,
        income,
        expenditure,
        fiscal,
        general_budget,
        basic,
        three_public: narrative_three_public(v, d, f),
        fund,
        capital,
        operating_costs,
        procurement,
        assets,
        performance,
    }
}

/// 一、社会保障和就业支出: a 类 line's label in 01表 and 04表.
fn class_label(i: usize, name: &str) -> String {
    format!("{}、{}", chinese_ordinal(i + 1), name)
}

/// 第二部分's nine tables that are not 类/款/项 tables: 01表, 04表, 06表, 07表.
fn summary_tables(f: &Fmt, d: &Derived) -> (T01View, T04View, T06View, T07View) {
    let s = &d.statements;
    let s01 = &s.s01;
    let t01 = T01View {
        income: f.cells(&s01.income_lines),
        total_income: f.table(s01.total_income),
        non_fiscal_balance_used: f.cell(s01.non_fiscal_balance_used),
        opening: f.cell(s01.opening),
        grand_total: f.table(s01.grand_total),
        classes: s01
            .class_lines
            .iter()
            .enumerate()
            .map(|(i, (code, name, c))| ClassLineView {
                code: code.clone(),
                label: class_label(i, name),
                figures: AmountView { amount: f.cell(*c) },
            })
            .collect(),
        total_expenditure: f.table(s01.total_expenditure),
        surplus_distribution: f.cell(s01.surplus_distribution),
        closing: f.table(s01.closing),
    };
    let s04 = &s.s04;
    let tables = |xs: &[Num]| xs.iter().map(|x| f.table(*x)).collect::<Vec<_>>();
    let t04 = T04View {
        income: f.cells(&s04.income),
        total_income: f.table(s04.total_income),
        classes: s04
            .class_lines
            .iter()
            .enumerate()
            .map(|(i, (code, name, c))| ClassLineView {
                code: code.clone(),
                label: class_label(i, name),
                figures: AmountsView {
                    amounts: f.cells(c),
                },
            })
            .collect(),
        total_expenditure: tables(&s04.total_expenditure),
        opening: f.cells(&s04.opening),
        opening_total: f.table(s04.opening_total),
        closing: tables(&s04.closing),
        grand_total: f.table(s04.grand_total),
        grand_total_by_kind: tables(&s04.grand_total_by_kind),
    };
    let s06 = &s.s06;
    let t06 = T06View {
        personnel: econ_rows(f, &s06.personnel),
        public_left: econ_rows(f, &s06.public_left),
        public_right: econ_rows(f, &s06.public_right),
        personnel_total: f.table(s06.personnel_total),
        public_total: f.table(s06.public_total),
        total: f.table(s06.personnel_total + s06.public_total),
    };
    let t07 = T07View {
        budget: three_public(f, &s.three_public_budget),
        actual: three_public(f, &s.three_public_actual),
    };
    (t01, t04, t06, t07)
}

/// A word of the profile, as typed.
fn word(p: &super::profile::FinalAccountsProfile, key: &str) -> String {
    p.words.get(key).cloned().unwrap_or_default()
}

/// The profile's words with the document's values in their placeholders (`{id}` is filled
/// per table, in the table list).
fn words(v: &Validated, title: &str) -> BTreeMap<String, String> {
    let input = v.input();
    crate::profile::document_words(
        &v.profile().words,
        input.department.as_str().trim(),
        title,
        input.year,
        v.print_units().text.label(),
    )
}

/// Builds `/data.json`.
pub fn view(v: &Validated, d: &Derived) -> FinalAccountsView {
    let input = v.input();
    let profile = v.profile();
    let units = v.print_units();
    let f = Fmt::new(&profile.format, v.unit(), units);
    let s = &d.statements;
    let year = input.year;
    let title = trimmed(&input.title).unwrap_or_else(|| word(profile, "title"));
    let words = words(v, &title);
    let identity =
        |w: &str| crate::profile::fill_identity(w, input.department.as_str().trim(), year);
    let unit_line = |u: Unit| {
        identity(&crate::profile::fill(
            &word(profile, "unit_line"),
            &[("unit", u.label())],
        ))
    };
    let titles: Vec<(&'static str, String)> = v
        .tables()
        .iter()
        .map(|(id, t)| (id.number(), identity(t)))
        .collect();
    let mut tables = table_list(
        titles.iter().map(|(id, t)| (*id, t.as_str())),
        &identity(&word(profile, "table_heading")),
        &unit_line(units.tables),
        &identity(&word(profile, "table_code")),
    );
    for t in tables.iter_mut().filter(|t| t.id == TableId::T07.number()) {
        t.unit_line = unit_line(units.three_public);
    }
    let table_title = |id: TableId| {
        v.tables()
            .iter()
            .find(|(t, _)| *t == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| id.default_title().to_string())
    };
    let (t01, t04, t06, t07) = summary_tables(&f, d);
    let evaluation_groups = d
        .evaluation_groups
        .iter()
        .enumerate()
        .map(|(i, g)| EvaluationGroupView {
            ordinal: chinese_ordinal(i + 1),
            name: g.name.clone(),
            members: g.members.clone(),
        })
        .collect();
    let evaluations = d
        .evaluations
        .iter()
        .enumerate()
        .map(|(i, e)| evaluation(&f, v, i, e))
        .collect();

    FinalAccountsView {
        meta: MetaView {
            identity: Identity::new(input.department.as_str(), year, units.text.label()),
            evaluation_title: trimmed(&input.evaluation_title)
                .unwrap_or_else(|| words["evaluation_title"].clone()),
            title,
            date: v.date().map(|d| d.cover_month()),
        },
        fonts: FontsView::of(&input.fonts),
        overview: OverviewView {
            duties: paragraphs(&input.overview.duties),
            organization: paragraphs(&input.overview.organization),
        },
        tables,
        words,
        titles: TitlesView {
            t01: table_title(TableId::T01),
            t02: table_title(TableId::T02),
            t03: table_title(TableId::T03),
            t04: table_title(TableId::T04),
            t05: table_title(TableId::T05),
            t06: table_title(TableId::T06),
            t07: table_title(TableId::T07),
            t08: table_title(TableId::T08),
            t09: table_title(TableId::T09),
        },
        t01,
        t02: hier(&f, &s.s02),
        t03: hier(&f, &s.s03),
        t04,
        t05: hier(&f, &s.s05),
        t06,
        t07,
        t08: hier(&f, &s.s08),
        t09: hier(&f, &s.s09),
        narrative: narrative(v, d, &f),
        glossary: glossary(input.glossary.as_deref(), DEFAULT_GLOSSARY),
        evaluation_groups,
        evaluations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_glossary_parses() {
        let v: serde_yaml::Value = serde_yaml::from_str(DEFAULT_GLOSSARY).unwrap();
        assert!(v.as_sequence().is_some_and(|s| s.len() >= 10));
    }
}
