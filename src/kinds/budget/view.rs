//! render: the view a 部门预算's templates read (`/data.json`). Every number leaves as a
//! ready-formatted string, rounded once (half-up) by `money`, following the document's
//! `format:` settings; templates only place strings.

use serde::Serialize;

use super::figures::{AssetLine, BudgetRow, DerivedBudget, NamedAmount, RowLevel};
use super::input::AssetNotes;
use super::profile::{BudgetFormat, BudgetProfile};
use super::rules::ValidatedBudget;
use crate::check::{PrintUnits, Unit};
use crate::figures::three_public::ThreePublic;
use crate::figures::{Change, Num, Share};
use crate::forms::layout::TargetLayout;
use crate::forms::view::{self as view_targets, FormContext, TargetIdentity, TargetView};
use crate::load::scalar::Text;
use crate::money::{self, chinese_ordinal};
use crate::profile::fill;
use crate::render::common::{
    FontsView, GlossaryItem, Identity, TableEntry, glossary, paragraphs, trimmed,
};
use crate::render::format::{ChangeView, Fig, Numbers, ShareView};

/// The embedded default glossary of a 部门预算 (第四部分 名词解释).
const DEFAULT_GLOSSARY: &str = include_str!("glossary.yaml");

/// The budget's number formats ([`Numbers`], from its profile's `format:`), one per part of
/// the document, each in its unit (`amount_units:`).
struct Fmt<'a> {
    s: &'a BudgetFormat,
    /// Sentences.
    n: Numbers,
    /// Tables.
    t: Numbers,
    /// The 三公 table (表四).
    tp: Numbers,
}

impl<'a> Fmt<'a> {
    fn new(s: &'a BudgetFormat, typed: Unit, units: PrintUnits) -> Self {
        let n = Numbers {
            amount_decimals: s.amount_decimals,
            table_separators: s.table_separators,
            text_separators: s.text_separators,
            percent_separators: s.percent_separators,
            zero_as_integer: s.zero_as_integer,
            whole_percent_as_integer: s.whole_percent_as_integer,
            divisor: rust_decimal::Decimal::ONE,
            zero_base: s.zero_base.clone(),
        };
        // Each part in its unit, with its decimals.
        let part = |unit: Unit, decimals: Option<u32>| Numbers {
            amount_decimals: decimals.unwrap_or(s.amount_decimals),
            ..n.in_unit(typed.divisor_to(unit))
        };
        Self {
            s,
            t: part(units.tables, s.decimals.tables),
            tp: part(units.three_public, s.decimals.three_public),
            n: part(units.text, s.decimals.text),
        }
    }
    /// An amount in a sentence.
    fn text(&self, v: impl Into<Num>) -> Fig {
        self.n.text(v)
    }
    /// An amount in a table (separators if configured).
    fn table(&self, v: impl Into<Num>) -> Fig {
        self.t.table(v)
    }
    fn cell(&self, c: Option<Num>) -> Fig {
        self.t.cell(c)
    }
    /// A percentage in a table column: always the same decimals (zero as 0 if configured).
    fn table_pct(&self, p: impl Into<Num>) -> Fig {
        self.t.table_percent(p, self.s.percent_decimals)
    }
    fn opt_pct(&self, p: Option<Num>) -> Option<Fig> {
        self.n.opt_percent(p, self.s.percent_decimals)
    }
    fn change(&self, c: &Change) -> ChangeView {
        self.n
            .change(c, self.s.percent_decimals, self.s.percent_decimals)
    }
    fn opt_change(&self, c: &Option<Change>) -> Option<ChangeView> {
        c.as_ref().map(|c| self.change(c))
    }
    fn share(&self, label: &str, s: &Share) -> LabelledShare {
        LabelledShare {
            label: label.to_string(),
            share: self.n.share(s.amount, s.percent, self.s.percent_decimals),
        }
    }
    fn row(&self, r: &BudgetRow) -> BudgetRowView {
        BudgetRowView {
            level: match r.level {
                RowLevel::Department => "department",
                RowLevel::Unit => "unit",
                RowLevel::Class => "class",
                RowLevel::Section => "section",
                RowLevel::Item => "item",
            },
            code: r.code.clone(),
            name: r.name.clone(),
            cells: [
                self.cell(r.prior),
                self.cell(r.total),
                self.cell(r.basic),
                self.cell(r.project),
                self.cell(r.change.as_ref().map(|c| c.delta)),
                r.change
                    .as_ref()
                    .and_then(|c| c.rate)
                    .map(|p| self.table_pct(p))
                    .unwrap_or_default(),
            ],
        }
    }
    fn rows(&self, rows: &[BudgetRow]) -> Vec<BudgetRowView> {
        rows.iter().map(|r| self.row(r)).collect()
    }
    /// A row of 表四, in the 三公 table's unit.
    fn three_public(&self, g: &ThreePublic) -> Vec<Fig> {
        g.cells().iter().map(|c| self.tp.cell(*c)).collect()
    }
    fn items(&self, list: &[NamedAmount]) -> Vec<NamedAmountView> {
        list.iter()
            .map(|i| NamedAmountView {
                name: i.name.clone(),
                amount: self.text(i.amount),
            })
            .collect()
    }
    /// One line of the asset sentence as its clauses (房屋…，价值…；土地…；…), each figure
    /// present only when typed; a group with neither figure is left out.
    fn assets(&self, a: &AssetLine, notes: &AssetNotes, label: &str, unit: &str) -> AssetLineView {
        let note = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| format!("（{}）", t.as_str().trim()))
                .unwrap_or_default()
        };
        let money = |c: Option<Num>, n: &Option<Text>| {
            c.map(|v| format!("价值{}{unit}{}", self.text(v), note(n)))
        };
        let group =
            |what: &str, count: Option<String>, n: &Option<Text>, value: Option<String>| match (
                count.map(|c| format!("{c}{}", note(n))),
                value,
            ) {
                (Some(c), Some(v)) => Some(format!("{what}{c}，{v}")),
                (Some(c), None) => Some(format!("{what}{c}")),
                (None, Some(v)) => Some(format!("{what}{v}")),
                (None, None) => None,
            };
        let clauses: Vec<String> = [
            group(
                "房屋",
                a.building_area.map(|v| area(v) + "平方米"),
                &notes.building_area,
                money(a.building_value, &notes.building_value),
            ),
            group(
                "土地",
                a.land_area.map(|v| area(v) + "平方米"),
                &notes.land_area,
                money(a.land_value, &notes.land_value),
            ),
            group(
                "车辆",
                a.vehicles.map(|v| format!("{v}辆")),
                &notes.vehicles,
                money(a.vehicle_value, &notes.vehicle_value),
            ),
            group(
                "办公家具",
                None,
                &None,
                money(a.furniture_value, &notes.furniture_value),
            ),
            group(
                "其他资产",
                None,
                &None,
                money(a.other_value, &notes.other_value),
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        AssetLineView {
            label: label.to_string(),
            clauses,
        }
    }
}

/// An area in 平方米 with the decimals it was typed with (at most 2): 15102.5 stays 15102.5.
fn area(v: impl Into<rust_decimal::Decimal>) -> String {
    let v = v.into();
    money::fixed(v, v.normalize().scale().min(2))
}

/// "主要原因是…", or "主要原因一是…" when the reason enumerates; null without a reason.
fn reason(t: Option<&Text>) -> Option<String> {
    match t.map(|t| t.as_str().trim()).filter(|t| !t.is_empty()) {
        None => None,
        Some(r) if r.starts_with("一是") => Some(format!("主要原因{r}")),
        Some(r) => Some(format!("主要原因是{r}")),
    }
}

/// What 表九 and 六(四) say when no performance-target form is attached: that there is no
/// 项目支出 — only when there is none — or that the forms are not attached (the project's
/// `performance.no_forms` wording, else the default).
fn no_forms_text(v: &ValidatedBudget, d: &DerivedBudget) -> String {
    let year = v.input().year;
    if d.project_total.is_zero() {
        format!("本部门{year}年无项目支出，故无项目支出预算绩效目标表。")
    } else {
        v.input()
            .performance
            .no_forms
            .as_ref()
            .map(|t| t.as_str().trim().to_string())
            .unwrap_or_else(|| format!("本部门{year}年项目支出预算绩效目标表未随本部门预算附列。"))
    }
}

/// A labelled share (`{label, amount, pct}`).
#[derive(Debug, Clone, Serialize)]
pub struct LabelledShare {
    pub label: String,
    #[serde(flatten)]
    pub share: ShareView,
}

/// A named amount in a sentence (`{name, amount}`).
#[derive(Debug, Clone, Serialize)]
pub struct NamedAmountView {
    pub name: String,
    pub amount: Fig,
}

/// A labelled amount in a sentence (`{label, amount}`).
#[derive(Debug, Clone, Serialize)]
pub struct LabelledAmount {
    pub label: String,
    pub amount: Fig,
}

/// One line of the asset sentence: its label (empty for the total) and its clauses.
#[derive(Debug, Clone, Serialize)]
pub struct AssetLineView {
    pub label: String,
    pub clauses: Vec<String>,
}

/// One 功能分类 row of 表二 or 表五: [上年执行数, 合计, 基本, 项目, 增减额, 增减率].
#[derive(Debug, Clone, Serialize)]
pub struct BudgetRowView {
    /// `department`, `unit`, `class`, `section` or `item`.
    pub level: &'static str,
    pub code: String,
    pub name: String,
    pub cells: [Fig; 6],
}

/// The document's identity.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    /// Its `unit` is the unit of the sentences (`amount_units.text`).
    #[serde(flatten)]
    pub identity: Identity,
    pub code: String,
    pub title: String,
    pub date: Option<String>,
}

/// A part of the document: its title (目录) and the line of its first page.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    pub title: String,
    pub header: String,
}

/// The document's words from its profile, placeholders filled: every heading, cover line
/// and fixed sentence by key, and the four parts.
#[derive(Debug, Clone, Serialize)]
pub struct WordsView {
    pub text: std::collections::BTreeMap<String, String>,
    pub overview: PartView,
    pub tables: PartView,
    pub explanations: PartView,
    pub glossary: PartView,
}

/// 第一部分 部门概况.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewView {
    pub duties: Vec<String>,
    pub composition: Vec<String>,
}

/// A 支出功能分类 类 of 表一: its labels, [合计, 一般公共预算, 政府性基金], and its amount
/// in a sentence.
#[derive(Debug, Clone, Serialize)]
pub struct ClassView {
    pub label: String,
    pub name: String,
    pub cells: [Fig; 3],
    pub amount: Option<Fig>,
}

/// 表一 财政拨款收支预算总表.
#[derive(Debug, Clone, Serialize)]
pub struct T1View {
    pub classes: Vec<ClassView>,
    pub income_general: Fig,
    pub income_fund: Fig,
    pub income_total: Fig,
    pub spending: [Fig; 3],
    pub total: Fig,
}

/// 表二 and 表五: 功能分类 rows.
#[derive(Debug, Clone, Serialize)]
pub struct RowsView {
    pub rows: Vec<BudgetRowView>,
}

/// One 经济分类 line of 表三: [合计, 人员经费, 公用经费].
#[derive(Debug, Clone, Serialize)]
pub struct EconomicLineView {
    pub code: String,
    pub name: String,
    pub class: bool,
    pub cells: [Fig; 3],
}

/// 表三 一般公共预算财政拨款基本支出预算表.
#[derive(Debug, Clone, Serialize)]
pub struct T3View {
    pub rows: Vec<EconomicLineView>,
}

/// 表四 “三公”经费: three columns of six cells.
#[derive(Debug, Clone, Serialize)]
pub struct T4View {
    pub prior_budget: Vec<Fig>,
    pub prior_actual: Vec<Fig>,
    pub budget: Vec<Fig>,
}

/// 表五 政府性基金: its rows, or the cells of its empty line.
#[derive(Debug, Clone, Serialize)]
pub struct T5View {
    pub rows: Vec<BudgetRowView>,
    pub empty: [Fig; 5],
}

/// 表六's spending of one nature (行政/事业).
#[derive(Debug, Clone, Serialize)]
pub struct NatureView {
    pub total: Fig,
    pub fiscal: Fig,
    pub general: Fig,
    pub fund: Fig,
}

/// 表六 部门收支预算总表.
#[derive(Debug, Clone, Serialize)]
pub struct T6View {
    pub fiscal: Fig,
    pub general: Fig,
    pub general_local: Fig,
    pub fund: Fig,
    pub fund_local: Fig,
    pub business: Fig,
    pub business_non_same_level: Fig,
    pub business_special_account: Fig,
    pub superior_subsidy: Fig,
    pub affiliated: Fig,
    pub operating: Fig,
    pub debt: Fig,
    pub non_same_level: Fig,
    pub non_same_level_horizontal: Fig,
    pub non_same_level_other: Fig,
    pub investment: Fig,
    pub other: Fig,
    pub income_total: Fig,
    pub administrative: NatureView,
    pub institutional: NatureView,
    pub operating_spending: Fig,
    pub remit_to_superior: Fig,
    pub subsidy_to_affiliated: Fig,
    pub investment_spending: Fig,
    pub debt_repayment: Fig,
    pub other_spending: Fig,
    pub spending_total: Fig,
}

/// 一: 财政拨款收支.
#[derive(Debug, Clone, Serialize)]
pub struct FiscalView {
    pub total: Fig,
    pub general: Fig,
    pub fund: Fig,
    pub carryover: Option<Fig>,
    /// The 类 with a non-zero 合计.
    pub classes: Vec<NamedAmountView>,
}

/// 二(一): 基本支出.
#[derive(Debug, Clone, Serialize)]
pub struct BasicView {
    pub total: Fig,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
    pub personnel: Fig,
    pub personnel_items: Vec<NamedAmountView>,
    pub public: Fig,
    pub public_items: Vec<NamedAmountView>,
}

/// 二(二): one 科目's 项目支出 sentence.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectSentenceView {
    pub code: String,
    pub name: String,
    pub current: Fig,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 二(二): 项目支出.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    pub total: Fig,
    pub sentences: Vec<ProjectSentenceView>,
}

/// One 三公 item against the prior year.
#[derive(Debug, Clone, Serialize)]
pub struct ThreePublicChangeView {
    pub label: String,
    pub change: ChangeView,
    pub reason: Option<String>,
}

/// 三: “三公”经费.
#[derive(Debug, Clone, Serialize)]
pub struct ThreePublicView {
    pub total: Option<Fig>,
    pub items: Vec<LabelledAmount>,
    pub total_change: Option<ChangeView>,
    pub changes: Vec<ThreePublicChangeView>,
}

/// 四: 政府性基金.
#[derive(Debug, Clone, Serialize)]
pub struct FundView {
    pub current: Fig,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 五: 收支预算 overall.
#[derive(Debug, Clone, Serialize)]
pub struct OverallView {
    pub income: Fig,
    pub spending: Fig,
    pub income_total: Option<Fig>,
    pub carryover: Option<Fig>,
    pub income_shares: Vec<LabelledShare>,
    pub spending_shares: Vec<LabelledShare>,
}

/// 六(一): 机关运行经费.
#[derive(Debug, Clone, Serialize)]
pub struct OperatingCostsView {
    pub scope: Option<String>,
    pub amount: Fig,
    pub change: Option<ChangeView>,
    pub reason: Option<String>,
}

/// 六(二): 政府采购.
#[derive(Debug, Clone, Serialize)]
pub struct ProcurementView {
    pub total: Option<Fig>,
    pub parts: Vec<LabelledAmount>,
}

/// 六(三): 国有资产占有使用情况.
#[derive(Debug, Clone, Serialize)]
pub struct AssetsView {
    pub as_of: String,
    pub total: AssetLineView,
    pub parts: Vec<AssetLineView>,
}

/// 六(四): 预算绩效目标.
#[derive(Debug, Clone, Serialize)]
pub struct PerformanceView {
    pub intro: Option<String>,
    /// The number of forms; absent without forms.
    pub projects: Option<String>,
    pub no_forms: String,
    pub funds: Fig,
    pub funds_pct: Option<Fig>,
    pub key_count: String,
    pub key_names: Vec<String>,
    pub key_funds: Fig,
    pub key_pct: Option<Fig>,
}

/// 第三部分 情况说明.
#[derive(Debug, Clone, Serialize)]
pub struct NarrativeView {
    pub fiscal: FiscalView,
    /// `0` when there is no 上年结转结余 (so its clauses print 0); absent otherwise.
    pub carryover_zero: Option<Fig>,
    pub basic: BasicView,
    pub project: ProjectView,
    pub three_public: ThreePublicView,
    pub fund: Option<FundView>,
    pub overall: OverallView,
    pub operating_costs: Option<OperatingCostsView>,
    pub procurement: Option<ProcurementView>,
    pub assets: Option<AssetsView>,
    pub performance: PerformanceView,
    pub other_matters: Vec<String>,
}

/// `/data.json` of a 部门预算.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub meta: MetaView,
    pub words: WordsView,
    pub fonts: FontsView,
    pub overview: OverviewView,
    pub tables: Vec<TableEntry>,
    pub t1: T1View,
    pub t2: RowsView,
    pub t3: T3View,
    pub t4: T4View,
    pub t5: T5View,
    pub t6: T6View,
    pub t7: Vec<Fig>,
    pub t8: Vec<Fig>,
    pub targets: Vec<TargetView>,
    pub narrative: NarrativeView,
    pub glossary: Vec<GlossaryItem>,
}

/// 表六, 表七 and 表八: income and spending by source and nature.
fn income_spending_tables(f: &Fmt, d: &DerivedBudget) -> (T6View, Vec<Fig>, Vec<Fig>) {
    let inc = &d.income;
    let sp = &d.spending;
    // 表六 prints a zero (or untyped) figure as an empty cell.
    let blank_zero = |x: Option<Num>| f.cell(x.filter(|x| !x.is_zero()));
    // A nature the data does not say (a 参公 unit, no per-unit split) prints empty.
    let nature = |n: &Option<crate::kinds::budget::figures::NatureSpending>| match n {
        Some(n) => NatureView {
            total: f.table(n.total),
            fiscal: f.table(n.fiscal),
            general: f.table(n.general),
            fund: blank_zero(Some(n.fund)),
        },
        None => NatureView {
            total: Fig::default(),
            fiscal: Fig::default(),
            general: Fig::default(),
            fund: Fig::default(),
        },
    };
    let t6 = T6View {
        fiscal: f.table(inc.fiscal),
        general: f.table(inc.general),
        general_local: f.table(inc.general),
        fund: blank_zero(Some(inc.fund)),
        fund_local: blank_zero(Some(inc.fund)),
        business: blank_zero(inc.business),
        business_non_same_level: blank_zero(inc.business_non_same_level),
        business_special_account: blank_zero(inc.business_special_account),
        superior_subsidy: blank_zero(inc.superior_subsidy),
        affiliated: blank_zero(inc.affiliated),
        operating: blank_zero(inc.operating),
        debt: blank_zero(inc.debt),
        non_same_level: blank_zero(inc.non_same_level),
        non_same_level_horizontal: blank_zero(inc.non_same_level_horizontal),
        non_same_level_other: blank_zero(inc.non_same_level_other),
        investment: blank_zero(inc.investment),
        other: blank_zero(inc.other),
        income_total: f.table(inc.total),
        administrative: nature(&sp.administrative),
        institutional: nature(&sp.institutional),
        operating_spending: blank_zero(sp.operating),
        remit_to_superior: blank_zero(sp.remit_to_superior),
        subsidy_to_affiliated: blank_zero(sp.subsidy_to_affiliated),
        investment_spending: blank_zero(sp.investment),
        debt_repayment: blank_zero(sp.debt_repayment),
        other_spending: blank_zero(sp.other),
        spending_total: f.table(sp.total),
    };
    let t7 = vec![
        f.table(inc.total),
        f.table(inc.fiscal),
        f.table(inc.general),
        f.table(inc.fund),
        f.cell(inc.business),
        f.cell(inc.business_non_same_level),
        f.cell(inc.business_special_account),
        f.cell(inc.superior_subsidy),
        f.cell(inc.affiliated),
        f.cell(inc.operating),
        f.cell(inc.debt),
        f.cell(inc.non_same_level),
        f.cell(inc.non_same_level_other),
        f.cell(inc.non_same_level_horizontal),
        f.cell(inc.investment),
        f.cell(inc.other),
    ];
    let t8 = vec![
        f.table(sp.total),
        f.cell(sp.administrative.as_ref().map(|n| n.total)),
        f.cell(sp.institutional.as_ref().map(|n| n.total)),
        f.cell(sp.operating),
        f.cell(sp.remit_to_superior),
        f.cell(sp.subsidy_to_affiliated),
        f.cell(sp.investment),
        f.cell(sp.debt_repayment),
        f.cell(sp.other),
    ];
    (t6, t7, t8)
}

/// 表九: one performance-target form per project, in the 市级 layout.
fn target_forms(v: &ValidatedBudget, d: &DerivedBudget) -> Vec<TargetView> {
    let input = v.input();
    let dept = input.department.as_str().trim();
    let dept_code = input.code.as_ref().map(|c| c.as_str()).unwrap_or("");
    let cx = FormContext {
        profile: &v.profile().forms,
        year: input.year,
        title: None,
        attachment_label: None,
    };
    v.targets()
        .iter()
        .zip(&d.targets)
        .map(|(t, dt)| {
            let implementer = match (&t.unit, &t.implementer) {
                (Some(code), _) => v.unit_name(code.as_str()).unwrap_or(""),
                (None, Some(name)) => name.as_str().trim(),
                (None, None) => "",
            };
            let id = TargetIdentity {
                department: t
                    .department
                    .as_ref()
                    .map(|x| x.as_str().trim())
                    .unwrap_or(dept),
                department_code: t
                    .department_code
                    .as_ref()
                    .map(|c| c.as_str())
                    .unwrap_or(dept_code),
                implementer,
                implementer_code: t
                    .implementer_code
                    .as_ref()
                    .map(|c| c.as_str())
                    .unwrap_or(""),
            };
            view_targets::target(t, dt, &id, TargetLayout::Municipal, &cx)
        })
        .collect()
}

/// 三: the 三公 sentence's items and changes.
fn three_public_narrative(v: &ValidatedBudget, d: &DerivedBudget, f: &Fmt) -> ThreePublicView {
    let r = &v.input().reasons;
    let tp_reason = |label: &str| match label {
        "因公出国（境）费" => r.three_public.outbound.as_ref(),
        "公务用车购置费" => r.three_public.vehicle_purchase.as_ref(),
        "公务用车运行费" => r.three_public.vehicle_operation.as_ref(),
        "公务接待费" => r.three_public.reception.as_ref(),
        _ => None,
    };
    let bud = &d.three_public_budget;
    // The first sentence names 公务用车购置 without 费, as the official text does.
    let items = bud
        .items()
        .iter()
        .filter_map(|(label, c)| {
            let label = label
                .strip_suffix("购置费")
                .map_or(label.to_string(), |l| format!("{l}购置"));
            Some(LabelledAmount {
                label,
                amount: f.text((*c)?),
            })
        })
        .collect();
    ThreePublicView {
        total: bud.total.map(|t| f.text(t)),
        items,
        total_change: f.opt_change(&d.three_public_total_change),
        changes: d
            .three_public_changes
            .iter()
            .map(|(label, c)| ThreePublicChangeView {
                label: label.to_string(),
                change: f.change(c),
                reason: reason(tp_reason(label)),
            })
            .collect(),
    }
}

/// 六(一) to 六(三): 机关运行经费, 政府采购 and assets, each only when typed.
fn other_matters(
    v: &ValidatedBudget,
    d: &DerivedBudget,
    f: &Fmt,
) -> (
    Option<OperatingCostsView>,
    Option<ProcurementView>,
    Option<AssetsView>,
) {
    let input = v.input();
    let operating_costs = input
        .operating_costs
        .as_ref()
        .zip(d.operating_costs.as_ref())
        .map(|(o, (amount, change))| OperatingCostsView {
            scope: trimmed(&o.scope),
            amount: f.text(*amount),
            change: f.opt_change(change),
            reason: reason(input.reasons.operating_costs.as_ref()),
        });
    let procurement = input.procurement.as_ref().map(|p| ProcurementView {
        total: d.procurement_total.map(|t| f.text(t)),
        parts: [
            ("政府采购货物预算", p.goods),
            ("政府采购工程预算", p.works),
            ("政府采购服务预算", p.services),
        ]
        .into_iter()
        .filter_map(|(label, x)| {
            Some(LabelledAmount {
                label: label.to_string(),
                amount: f.text(x?.num()),
            })
        })
        .collect(),
    });
    let unit = v.print_units().text.label();
    let assets = input
        .assets
        .as_ref()
        .zip(d.assets_total.as_ref())
        .map(|(a, total)| AssetsView {
            as_of: a.as_of.as_str().trim().to_string(),
            total: f.assets(total, &a.total_notes, "", unit),
            parts: a
                .parts
                .iter()
                .zip(&d.asset_parts)
                .map(|(p, line)| f.assets(line, &p.notes, p.label.as_str().trim(), unit))
                .collect(),
        });
    (operating_costs, procurement, assets)
}

/// 第三部分 情况说明: every figure of its sentences.
fn narrative(v: &ValidatedBudget, d: &DerivedBudget, f: &Fmt) -> NarrativeView {
    let input = v.input();
    let (inc, sp) = (&d.income, &d.spending);
    let r = &input.reasons;
    let classes = d
        .classes
        .iter()
        .filter_map(|c| {
            let total = c.total.filter(|t| !t.is_zero())?;
            Some(NamedAmountView {
                name: c.name.clone(),
                amount: f.text(total),
            })
        })
        .collect();
    let sentences = d
        .project_sentences
        .iter()
        .map(|s| ProjectSentenceView {
            code: s.code.clone(),
            name: s.name.clone(),
            current: f.text(s.current),
            change: f.opt_change(&s.change),
            reason: reason(
                input
                    .reasons
                    .projects
                    .iter()
                    .find(|(c, _)| c.as_str() == s.code)
                    .map(|(_, t)| t),
            ),
        })
        .collect();
    let (operating_costs, procurement, assets) = other_matters(v, d, f);
    let perf = &d.performance;
    let carryover = input.carryover.map(|c| c.num());
    // With no 上年结转结余, the 基本/项目支出 funded from it and the 年末结转结余 are 0 too; with
    // some, the split is not typed and those clauses are left out.
    let carryover_zero = carryover.filter(|c| c.is_zero()).map(|c| f.text(c));
    let no_fund_sentence = d.fund_rows.is_empty()
        || (d.fund_total.is_zero() && d.fund_change.as_ref().is_none_or(|c| c.base.is_zero()));
    NarrativeView {
        fiscal: FiscalView {
            total: f.text(inc.fiscal),
            general: f.text(inc.general),
            fund: f.text(inc.fund),
            carryover: carryover.map(|c| f.text(c)),
            classes,
        },
        carryover_zero,
        basic: BasicView {
            total: f.text(d.basic_total),
            change: f.opt_change(&d.basic_change),
            reason: reason(r.basic.as_ref()),
            personnel: f.text(d.personnel_items.iter().map(|i| i.amount).sum::<Num>()),
            personnel_items: f.items(&d.personnel_items),
            public: f.text(d.public_items.iter().map(|i| i.amount).sum::<Num>()),
            public_items: f.items(&d.public_items),
        },
        project: ProjectView {
            total: f.text(d.project_total),
            sentences,
        },
        three_public: three_public_narrative(v, d, f),
        fund: (!no_fund_sentence).then(|| FundView {
            current: f.text(d.fund_total),
            change: f.opt_change(&d.fund_change),
            reason: reason(r.government_fund.as_ref()),
        }),
        overall: OverallView {
            income: f.text(inc.total),
            spending: f.text(sp.total),
            income_total: carryover.map(|c| f.text(inc.total + c)),
            carryover: carryover.map(|c| f.text(c)),
            income_shares: d.income_shares.iter().map(|(l, s)| f.share(l, s)).collect(),
            spending_shares: d
                .spending_shares
                .iter()
                .map(|(l, s)| f.share(l, s))
                .collect(),
        },
        operating_costs,
        procurement,
        assets,
        performance: PerformanceView {
            intro: trimmed(&input.performance.intro),
            // No forms: say why there are none — no 项目支出, or forms not attached — and
            // claim no count or sum of forms.
            projects: (perf.projects > 0).then(|| perf.projects.to_string()),
            no_forms: no_forms_text(v, d),
            funds: v.profile().forms.amount(perf.funds.amount),
            funds_pct: f.opt_pct(perf.funds.percent),
            key_count: perf.key_names.len().to_string(),
            key_names: perf.key_names.clone(),
            key_funds: f.text(perf.key_funds.amount),
            key_pct: f.opt_pct(perf.key_funds.percent),
        },
        other_matters: paragraphs(&input.other_matters),
    }
}

/// 表一 to 表五: 财政拨款 by 类, the 功能分类 rows, 表三, 三公 and the fund rows.
fn fiscal_tables(d: &DerivedBudget, f: &Fmt) -> (T1View, RowsView, T3View, T4View, T5View) {
    let inc = &d.income;
    // 表一 prints a zero 政府性基金 as an empty cell.
    let blank_zero = |x: Option<Num>| f.cell(x.filter(|x| !x.is_zero()));
    let t1 = T1View {
        classes: d
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| ClassView {
                label: format!("（{}）{}", chinese_ordinal(i + 1), c.name),
                name: c.name.clone(),
                cells: [f.cell(c.total), f.cell(c.general), f.cell(c.fund)],
                amount: c.total.map(|t| f.text(t)),
            })
            .collect(),
        income_general: f.table(inc.general),
        income_fund: blank_zero(Some(inc.fund)),
        income_total: f.table(inc.fiscal),
        spending: [
            f.table(inc.fiscal),
            f.table(inc.general),
            blank_zero(Some(inc.fund)),
        ],
        total: f.table(inc.fiscal),
    };
    let t3 = T3View {
        rows: d
            .economic
            .iter()
            .map(|e| EconomicLineView {
                code: e.code.clone(),
                name: match e.ordinal {
                    Some(n) => format!("{}、{}", chinese_ordinal(n), e.name),
                    None if e.code.is_empty() => "总计".to_string(),
                    None => e.name.clone(),
                },
                class: e.is_class,
                cells: [f.table(e.total), f.table(e.personnel), f.table(e.public)],
            })
            .collect(),
    };
    let t4 = T4View {
        prior_budget: f.three_public(&d.three_public_prior_budget),
        prior_actual: f.three_public(&d.three_public_prior_actual),
        budget: f.three_public(&d.three_public_budget),
    };
    // 表五 without a fund line: this year's columns are 0; the prior 执行数 (and so the
    // 增减额) is 0 only when the department typed its prior year on every line.
    let zero = f.table(Num::none_listed("no 政府性基金预算 line is typed"));
    let prior = if d.every_prior {
        zero.clone()
    } else {
        Fig::default()
    };
    let t5 = T5View {
        rows: f.rows(&d.fund_rows),
        empty: [prior.clone(), zero.clone(), zero.clone(), zero, prior],
    };
    let t2 = RowsView {
        rows: f.rows(&d.general_rows),
    };
    (t1, t2, t3, t4, t5)
}

/// The profile's words with the document's values in their placeholders.
fn words(
    p: &BudgetProfile,
    department: &str,
    title: &str,
    year: i32,
    text_unit: Unit,
) -> WordsView {
    let text = crate::profile::document_words(&p.words, department, title, year, text_unit.label());
    let word = |k: &str| text.get(k).cloned().unwrap_or_default();
    let part = |n: u8| PartView {
        title: word(&format!("part{n}")),
        header: fill(
            &word("part_header"),
            &[("part", &word(&format!("part{n}_short")))],
        ),
    };
    WordsView {
        overview: part(1),
        tables: part(2),
        explanations: part(3),
        glossary: part(4),
        text,
    }
}

/// The tables the profile lists, in its order: ordinal (一, 二, … by position unless
/// given), title, heading, unit line, and the note an empty table prints instead of a row.
fn tables(
    p: &BudgetProfile,
    units: PrintUnits,
    d: &DerivedBudget,
    department: &str,
    year: i32,
) -> Vec<TableEntry> {
    let identity = |w: &str| crate::profile::fill_identity(w, department, year);
    let word = |k: &str| identity(p.words.get(k).map_or("", String::as_str));
    p.tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let ordinal = t.ordinal.clone().unwrap_or_else(|| chinese_ordinal(i + 1));
            let unit = if t.id == "t4" {
                units.three_public
            } else {
                units.tables
            };
            let empty = match t.id.as_str() {
                "t5" => d.fund_rows.is_empty(),
                _ => false,
            };
            let title = identity(&t.title);
            TableEntry {
                heading: fill(
                    &word("table_heading"),
                    &[("ordinal", &ordinal), ("title", &title)],
                ),
                unit_line: fill(&word("unit_line"), &[("unit", unit.label())]),
                empty_note: t.empty_note.as_ref().filter(|_| empty).map(|n| identity(n)),
                id: t.id.clone(),
                code: None,
                ordinal,
                title,
            }
        })
        .collect()
}

/// Builds `/data.json` of a budget.
pub fn view(v: &ValidatedBudget, d: &DerivedBudget) -> BudgetView {
    let input = v.input();
    let profile = v.profile();
    let units = v.print_units();
    let f = Fmt::new(&profile.format, v.unit(), units);
    let year = input.year;
    let dept = input.department.as_str().trim();
    let title = trimmed(&input.title).unwrap_or_else(|| dept.to_string());
    let (t1, t2, t3, t4, t5) = fiscal_tables(d, &f);
    let (t6, t7, t8) = income_spending_tables(&f, d);
    BudgetView {
        words: words(profile, dept, &title, year, units.text),
        tables: tables(profile, units, d, dept, year),
        meta: MetaView {
            identity: Identity::new(dept, year, units.text.label()),
            code: input
                .code
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            title,
            date: v.date().map(|d| d.chinese()),
        },
        fonts: FontsView::of(&input.fonts),
        overview: OverviewView {
            duties: paragraphs(&input.overview.duties),
            composition: paragraphs(&input.overview.composition),
        },
        t1,
        t2,
        t3,
        t4,
        t5,
        t6,
        t7,
        t8,
        targets: target_forms(v, d),
        narrative: narrative(v, d, &f),
        glossary: glossary(input.glossary.as_deref(), DEFAULT_GLOSSARY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn reasons_that_enumerate_keep_their_grammar() {
        let t = |s: &str| Text(s.into());
        assert_eq!(
            reason(Some(&t("配备制服"))).as_deref(),
            Some("主要原因是配备制服")
        );
        assert_eq!(
            reason(Some(&t("一是A，二是B"))).as_deref(),
            Some("主要原因一是A，二是B")
        );
        assert_eq!(reason(Some(&t("  "))), None);
        assert_eq!(reason(None), None);
    }

    #[test]
    fn budget_format_prints_zero_and_whole_percentages_plainly() {
        let p: BudgetProfile = crate::profile::defaults(&super::super::profile::layers(2024));
        let units = PrintUnits {
            tables: Unit::TenThousandYuan,
            three_public: Unit::TenThousandYuan,
            text: Unit::TenThousandYuan,
        };
        let f = Fmt::new(&p.format, Unit::TenThousandYuan, units);
        assert_eq!(f.text(Decimal::ZERO), "0");
        assert_eq!(f.text(Decimal::new(7000, 2)), "70.00");
        assert_eq!(f.n.percent(Decimal::from(-100), 2), "-100");
        assert_eq!(f.n.percent(Decimal::new(710, 2), 2), "7.10");
    }

    #[test]
    fn default_budget_glossary_parses() {
        let v: serde_yaml::Value = serde_yaml::from_str(DEFAULT_GLOSSARY).unwrap();
        assert!(v.as_sequence().is_some_and(|s| s.len() >= 14));
    }
}
