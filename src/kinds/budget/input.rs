//! load: serde types that mirror what the user writes in a 部门预算 project (`kind: budget`),
//! field for field. Only facts: every roll-up (项 → 款 → 类 → unit → department), change,
//! share and total is derived. Unknown keys are rejected.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::forms::input::TargetInput;
use crate::load::common::{AcceptEntry, FontChoice, GlossaryEntry, ThreePublicItems};
use crate::load::scalar::{Amount, Code, Count, Text};

/// Top level of `budgetdoc.yaml` for `kind: budget`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetInput {
    pub kind: Text,
    pub department: Text,
    /// 部门编码, printed on the department row of 表二 and in the target forms.
    #[serde(default)]
    pub code: Option<Code>,
    /// The name on the cover and in the 目录 when it differs from `department`
    /// (e.g. 中卫市人力资源和社会保障局（汇总）).
    #[serde(default)]
    pub title: Option<Text>,
    pub year: i32,
    #[serde(default)]
    pub unit: Option<Text>,
    /// The region pack whose edition the document follows (`budgetdoc init --help` lists
    /// the shipped ones); none keeps the built-in 宁夏 edition.
    #[serde(default)]
    pub region: Option<Text>,
    /// A pack file inside the project (or beside it, named on the command line with
    /// `--pack`): a region's own edition, or one extending a shipped pack.
    #[serde(default)]
    pub pack_file: Option<Text>,
    /// The region's name as the cover prints it (上海市普陀区), for packs that print one.
    #[serde(default)]
    pub locality: Option<Text>,
    /// Publication date `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<Text>,
    /// The project's own 科目 names (a province's codes, a 款 missing elsewhere), by code;
    /// they win over a catalog file and the embedded catalog.
    #[serde(default)]
    pub catalog: BTreeMap<Code, Text>,
    /// A catalog file inside the project (CSV, TSV or xlsx with code and name columns).
    #[serde(default)]
    pub catalog_file: Option<Text>,
    #[serde(default)]
    pub overview: BudgetOverview,
    /// The units with their 项 lines (本级 and each 二级预算单位); or, for a department that
    /// gives no per-unit split, only their names (机构设置), its lines then typed below.
    #[serde(default)]
    pub units: Vec<UnitInput>,
    /// 一般公共预算财政拨款支出 by 项 code, department-wide: for a department that gives no
    /// per-unit split (no unit row is printed, and no 行政/事业 split unless every unit
    /// listed is of one nature).
    #[serde(default)]
    pub general_budget: Vec<BudgetLine>,
    /// 政府性基金预算财政拨款支出 by 项 code, department-wide (as `general_budget`).
    #[serde(default)]
    pub government_fund: Vec<BudgetLine>,
    /// 国有资本经营预算财政拨款支出 by 项 code, department-wide.
    #[serde(default)]
    pub state_capital: Vec<BudgetLine>,
    /// Spending funded by income other than 财政拨款 (事业收入, 事业单位经营收入, 其他收入),
    /// by 项 code and source, department-wide: that income by 科目 is this spending.
    #[serde(default)]
    pub other_sources: Vec<SourceLine>,
    /// The prior year's 预算 (not 执行数) of each 财政拨款 source, which packs that compare
    /// with the prior year's budget state.
    #[serde(default)]
    pub prior_budget: PriorBudget,
    /// What each 项 科目's money is mainly for (主要用于…), by 项 code, as the 编制说明's
    /// per-科目 list prints it.
    #[serde(default)]
    pub uses: BTreeMap<Code, Text>,
    /// 项目经费情况说明: one block of typed text per project.
    #[serde(default)]
    pub projects: Vec<ProjectBlock>,
    /// 车辆 and equipment held and to be bought (packs that state them by type).
    #[serde(default)]
    pub vehicles: Option<Vehicles>,
    /// The prior year's 执行数 of 项目支出 by 项 code, department-wide (the 情况说明 compares
    /// each 科目's 项目支出 with it); the rest of a code's 执行数 was 基本支出.
    #[serde(default)]
    pub prior_project_execution: BTreeMap<Code, Amount>,
    /// 上年结转结余 of 财政拨款 brought into this year (0 when the budget has none): the
    /// 情况说明 states it, and the 基本/项目支出 funded from it when it is 0.
    #[serde(default)]
    pub carryover: Option<Amount>,
    #[serde(default)]
    pub basic_by_economic: BasicByEconomic,
    #[serde(default)]
    pub three_public: BudgetThreePublic,
    #[serde(default)]
    pub income: OtherIncome,
    #[serde(default)]
    pub expenditure: OtherExpenditure,
    #[serde(default)]
    pub reasons: BudgetReasons,
    #[serde(default)]
    pub operating_costs: Option<OperatingCosts>,
    #[serde(default)]
    pub procurement: Option<BudgetProcurement>,
    #[serde(default)]
    pub assets: Option<BudgetAssets>,
    #[serde(default)]
    pub performance: BudgetPerformance,
    /// 六(五) 其他需说明的事项.
    #[serde(default)]
    pub other_matters: Vec<Text>,
    /// Free-text sections a region pack places anywhere (`texts: paragraphs.<name>`), each
    /// a list of paragraphs, by name.
    #[serde(default)]
    pub paragraphs: BTreeMap<String, Vec<Text>>,
    #[serde(default)]
    pub glossary: Option<Vec<GlossaryEntry>>,
    /// Profile overrides (see the README's profile reference): number formats.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub format: Option<serde_yaml::Value>,
    /// Profile overrides: the unit of tables, the 三公 table and the sentences.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub amount_units: Option<serde_yaml::Value>,
    /// Profile overrides: headings, cover lines and fixed sentences.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub words: Option<serde_yaml::Value>,
    /// Profile overrides: the tables printed, their order, titles, ordinals, empty notes.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub tables: Option<serde_yaml::Value>,
    /// Profile overrides: the words and printing choices of 表九's forms.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub forms: Option<serde_yaml::Value>,
    #[serde(default)]
    pub fonts: FontChoice,
    /// Acknowledged exceptions: content-rule breaches published as they are.
    #[serde(default)]
    pub accept: Vec<AcceptEntry>,
    /// Only in single-file projects; directory projects use `targets/*.yaml`.
    #[serde(
        default,
        deserialize_with = "crate::load::scalar::in_ten_thousand_yuan"
    )]
    pub targets: Vec<TargetInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetOverview {
    /// 一、主要职能.
    #[serde(default)]
    pub duties: Vec<Text>,
    /// 二、部门预算单位构成.
    #[serde(default)]
    pub composition: Vec<Text>,
}

/// 行政 or 事业: the column of 部门支出预算表 a unit's spending belongs to; 参公 (参照公务员法
/// 管理的事业单位) belongs to neither column by itself, so a department with one prints no
/// 行政/事业 split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub enum UnitNature {
    #[serde(rename = "行政")]
    Administrative,
    #[serde(rename = "事业")]
    Institutional,
    #[serde(rename = "参公")]
    CivilServiceManaged,
}

/// One budget unit (本级 or a 二级预算单位).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// 单位编码, printed on the unit's row; none prints none.
    #[serde(default)]
    pub code: Option<Code>,
    pub name: Text,
    /// 行政, 事业 or 参公; none leaves the department's 行政/事业 split unsaid.
    #[serde(default)]
    pub nature: Option<UnitNature>,
    /// 一般公共预算财政拨款支出 by 项 code.
    #[serde(default)]
    pub general_budget: Vec<BudgetLine>,
    /// 政府性基金预算财政拨款支出 by 项 code.
    #[serde(default)]
    pub government_fund: Vec<BudgetLine>,
}

/// Where a department's 项 lines are typed: department-wide, or in one unit.
#[derive(Debug, Clone)]
pub struct LineGroup<'a> {
    /// The key path of the group (`units[1]`), empty for the department-wide lines.
    pub at: String,
    pub unit: Option<&'a UnitInput>,
    pub general_budget: &'a [BudgetLine],
    pub government_fund: &'a [BudgetLine],
}

impl LineGroup<'_> {
    /// The key path of a list of this group (`units[1].general_budget`, `general_budget`).
    pub fn path(&self, list: &str) -> String {
        if self.at.is_empty() {
            list.to_string()
        } else {
            format!("{}.{list}", self.at)
        }
    }
}

impl BudgetInput {
    /// Every group of 项 lines: the department-wide lines, then each unit's.
    pub fn line_groups(&self) -> Vec<LineGroup<'_>> {
        let mut out = vec![LineGroup {
            at: String::new(),
            unit: None,
            general_budget: &self.general_budget,
            government_fund: &self.government_fund,
        }];
        out.extend(self.units.iter().enumerate().map(|(i, u)| LineGroup {
            at: format!("units[{i}]"),
            unit: Some(u),
            general_budget: &u.general_budget,
            government_fund: &u.government_fund,
        }));
        out
    }

    /// Every 一般公共预算 line, department-wide and per unit.
    pub fn general_lines(&self) -> impl Iterator<Item = &BudgetLine> {
        self.general_budget
            .iter()
            .chain(self.units.iter().flat_map(|u| &u.general_budget))
    }

    /// Every 政府性基金 line, department-wide and per unit.
    pub fn fund_lines(&self) -> impl Iterator<Item = &BudgetLine> {
        self.government_fund
            .iter()
            .chain(self.units.iter().flat_map(|u| &u.government_fund))
    }

    /// Whether the lines are typed per unit (no department-wide line).
    pub fn split_by_unit(&self) -> bool {
        self.general_budget.is_empty() && self.government_fund.is_empty()
    }

    /// The nature every line's spending has, when the data says it: each line in a unit of
    /// nature 行政 or 事业, or department-wide lines in a department whose listed units are
    /// all of one of these natures. `None` for a line whose nature is unknown (a 参公 unit,
    /// a unit without a nature, department-wide lines of mixed or unlisted units).
    pub fn nature_of(&self, group: &LineGroup<'_>) -> Option<UnitNature> {
        let known = |n: Option<UnitNature>| n.filter(|n| *n != UnitNature::CivilServiceManaged);
        match group.unit {
            Some(u) => known(u.nature),
            None => {
                let mut natures = self.units.iter().map(|u| known(u.nature));
                let first = natures.next()??;
                natures.all(|n| n == Some(first)).then_some(first)
            }
        }
    }

    /// Whether every line's 行政/事业 nature is known ([`BudgetInput::nature_of`]): only then
    /// do 表六 and the 情况说明 split spending into 行政 and 事业.
    pub fn natures_known(&self) -> bool {
        self.line_groups().iter().all(|g| {
            (g.general_budget.is_empty() && g.government_fund.is_empty())
                || self.nature_of(g).is_some()
        })
    }
}

/// One 项 row of a unit: this year's 基本/项目支出 and the prior year's 执行数.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    pub code: Code,
    #[serde(default)]
    pub name: Option<Text>,
    #[serde(default)]
    pub basic: Option<Amount>,
    #[serde(default)]
    pub project: Option<Amount>,
    /// The prior year's 执行数 (决算数).
    #[serde(default)]
    pub prior: Option<Amount>,
}

impl BudgetLine {
    /// Whether there are lines and each carries its prior 执行数: a comparison that sums
    /// them needs every one.
    pub fn all_have_prior<'a>(lines: impl IntoIterator<Item = &'a BudgetLine>) -> bool {
        let mut any = false;
        lines.into_iter().all(|l| {
            any = true;
            l.prior.is_some()
        }) && any
    }
}

/// The source of income a [`SourceLine`]'s spending is funded by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub enum IncomeSource {
    #[serde(rename = "事业收入")]
    Business,
    #[serde(rename = "事业单位经营收入")]
    Operating,
    #[serde(rename = "其他收入")]
    Other,
}

/// One 项 line funded by income other than 财政拨款.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceLine {
    pub code: Code,
    pub source: IncomeSource,
    #[serde(default)]
    pub basic: Option<Amount>,
    #[serde(default)]
    pub project: Option<Amount>,
}

/// The prior year's 预算 of each 财政拨款 source; the 财政拨款 total is their sum.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorBudget {
    pub general_budget: Option<Amount>,
    pub government_fund: Option<Amount>,
    pub state_capital: Option<Amount>,
}

/// One project's 经费情况说明: typed texts, and its budget this year.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectBlock {
    pub name: Text,
    /// 项目概述.
    #[serde(default)]
    pub overview: Option<Text>,
    /// 立项依据.
    #[serde(default)]
    pub basis: Option<Text>,
    /// 实施主体.
    #[serde(default)]
    pub implementer: Option<Text>,
    /// 实施方案.
    #[serde(default)]
    pub plan: Option<Text>,
    /// 实施周期.
    #[serde(default)]
    pub period: Option<Text>,
    /// 年度预算安排: this year's budget of the project.
    #[serde(default)]
    pub budget: Option<Amount>,
    /// What the year's budget is spent on, after the amount.
    #[serde(default)]
    pub budget_use: Option<Text>,
    /// 绩效目标, when typed here rather than referred to the unit's form.
    #[serde(default)]
    pub targets: Option<Text>,
}

/// 车辆 by use, as the 国有资产 paragraph of some regions lists them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleCounts {
    /// 部级领导干部用车.
    pub ministerial: Option<Count>,
    /// 主要领导干部用车.
    pub leaders: Option<Count>,
    /// 机要通信用车.
    pub confidential: Option<Count>,
    /// 应急保障用车.
    pub emergency: Option<Count>,
    /// 执法执勤用车.
    pub law_enforcement: Option<Count>,
    /// 特种专业技术用车.
    pub special: Option<Count>,
    /// 离退休干部用车.
    pub retired: Option<Count>,
    /// 其他用车.
    pub other: Option<Count>,
    /// 单价100万元（含）以上设备（不含车辆）, in 台（套）.
    pub equipment: Option<Count>,
}

/// Vehicles and large equipment held at a date, and those the budget buys.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vehicles {
    /// The date of the count as printed (2025年8月31日).
    pub as_of: Text,
    #[serde(default)]
    pub held: VehicleCounts,
    #[serde(default)]
    pub purchase: VehicleCounts,
}

/// 基本支出 by 经济分类 款 code, in the block it is paid from.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicByEconomic {
    /// 人员经费 (人员支出: 301, 303).
    #[serde(default)]
    pub personnel: BTreeMap<Code, Amount>,
    /// 公用经费 (日常公用支出: 302, 310, …).
    #[serde(default)]
    pub public: BTreeMap<Code, Amount>,
}

/// 表四 “三公”经费: prior year's 预算 and 执行, this year's 预算.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetThreePublic {
    #[serde(default, deserialize_with = "crate::load::scalar::null_as_empty")]
    pub prior_budget: ThreePublicItems,
    #[serde(default, deserialize_with = "crate::load::scalar::null_as_empty")]
    pub prior_actual: ThreePublicItems,
    #[serde(default, deserialize_with = "crate::load::scalar::null_as_empty")]
    pub budget: ThreePublicItems,
}

/// Income other than 财政拨款 (表六/表七); 财政拨款 income equals the units' 财政拨款 spending.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherIncome {
    /// 事业预算收入, in full (including the two 其中 items below).
    pub business: Option<Amount>,
    /// 事业预算收入 其中：非同级财政拨款（科研及辅助活动）.
    pub business_non_same_level: Option<Amount>,
    /// 事业预算收入 其中：纳入财政专户管理的非税收入 (表六 prints it as 教育收费).
    pub business_special_account: Option<Amount>,
    pub superior_subsidy: Option<Amount>,
    pub affiliated: Option<Amount>,
    pub operating: Option<Amount>,
    pub debt: Option<Amount>,
    /// 非同级财政拨款预算收入: 本级横向转拨财政款.
    pub non_same_level_horizontal: Option<Amount>,
    /// 非同级财政拨款预算收入: 非本级财政拨款.
    pub non_same_level_other: Option<Amount>,
    pub investment: Option<Amount>,
    pub other: Option<Amount>,
}

/// Spending other than the units' 财政拨款 (表六/表八), typed by column.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherExpenditure {
    /// 行政支出 from non-财政拨款 funds.
    pub administrative: Option<Amount>,
    /// 事业支出 from non-财政拨款 funds.
    pub institutional: Option<Amount>,
    pub operating: Option<Amount>,
    pub remit_to_superior: Option<Amount>,
    pub subsidy_to_affiliated: Option<Amount>,
    pub investment: Option<Amount>,
    pub debt_repayment: Option<Amount>,
    pub other: Option<Amount>,
}

/// 主要原因 texts (words only; budgetdoc writes the sentence around them).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetReasons {
    /// 基本支出 against the prior year's 执行数.
    pub basic: Option<Text>,
    /// Each 科目's 项目支出 against the prior year's 执行数, by 项 code.
    #[serde(default)]
    pub projects: BTreeMap<Code, Text>,
    #[serde(default)]
    pub three_public: ThreePublicReasons,
    pub operating_costs: Option<Text>,
    /// 政府性基金 spending against the prior year.
    pub government_fund: Option<Text>,
    /// 财政拨款收入支出 against the prior year's 预算 (packs that state it).
    #[serde(default)]
    pub fiscal: Option<Text>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreePublicReasons {
    /// The 三公 total against the prior year.
    #[serde(default)]
    pub total: Option<Text>,
    pub outbound: Option<Text>,
    /// 公务用车购置及运行费 as a whole against the prior year.
    #[serde(default)]
    pub vehicle: Option<Text>,
    pub vehicle_purchase: Option<Text>,
    pub vehicle_operation: Option<Text>,
    pub reception: Option<Text>,
}

/// 六(一) 机关运行经费.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatingCosts {
    /// Which units it covers, as printed (…本级 1 个行政单位及所属…).
    #[serde(default)]
    pub scope: Option<Text>,
    pub budget: Amount,
    /// The prior year's 预算 it is compared with.
    #[serde(default)]
    pub prior_budget: Option<Amount>,
}

/// 六(二) 政府采购 by category; the total is derived.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetProcurement {
    pub goods: Option<Amount>,
    pub works: Option<Amount>,
    pub services: Option<Amount>,
    /// 面向中小企业预留政府采购项目预算.
    #[serde(default)]
    pub reserved_for_sme: Option<Amount>,
    /// 其中，预留给小型和微型企业的.
    #[serde(default)]
    pub reserved_for_small: Option<Amount>,
}

/// 六(三) 国有资产占用使用情况: one line per part; the department-wide line is their sum.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetAssets {
    /// 截至 date as printed, e.g. 2023年12月31日.
    pub as_of: Text,
    #[serde(default)]
    pub total_notes: AssetNotes,
    #[serde(default)]
    pub parts: Vec<AssetPart>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetPart {
    /// 本级部门, 所属单位, …
    pub label: Text,
    pub building_area: Option<Amount>,
    /// `false` when the part's area lies inside another part's building (counted there).
    #[serde(default = "yes")]
    pub building_area_in_total: bool,
    pub building_value: Option<Amount>,
    pub land_area: Option<Amount>,
    pub land_value: Option<Amount>,
    pub vehicles: Option<Count>,
    pub vehicle_value: Option<Amount>,
    pub furniture_value: Option<Amount>,
    pub other_value: Option<Amount>,
    #[serde(default)]
    pub notes: AssetNotes,
}

fn yes() -> bool {
    true
}

/// Parenthetical notes printed after a figure (（含…）).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetNotes {
    pub building_area: Option<Text>,
    pub building_value: Option<Text>,
    pub land_area: Option<Text>,
    pub land_value: Option<Text>,
    pub vehicles: Option<Text>,
    pub vehicle_value: Option<Text>,
    pub furniture_value: Option<Text>,
    pub other_value: Option<Text>,
}

/// 六(四) 预算绩效情况: the introduction; the counts and sums come from `targets/`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetPerformance {
    pub intro: Option<Text>,
    /// What 表九 and 六(四) print when there is 项目支出 but no form is attached.
    pub no_forms: Option<Text>,
    /// How many budget units set performance targets (packs that state it).
    #[serde(default)]
    pub units: Option<Count>,
}
