//! load: serde types that mirror what the user writes in a final-accounts project, field for
//! field. No arithmetic and no cross-field checks here (that is `validate`); unknown keys are
//! rejected so a typo never silently drops a figure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::forms::indicators::Indicators;
use crate::load::common::{AcceptEntry, FontChoice, GlossaryEntry, ThreePublicItems};
use crate::load::scalar::{Amount, Code, Count, Text};

/// Top level of `budgetdoc.yaml` for `kind: final-accounts`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalAccountsInput {
    pub kind: Text,
    pub department: Text,
    pub year: i32,
    #[serde(default)]
    pub unit: Option<Text>,
    /// Publication date `YYYY-MM-DD`: the PDF's date.
    #[serde(default)]
    pub date: Option<Text>,
    #[serde(default)]
    pub title: Option<Text>,
    /// Title of each self-evaluation form, e.g. 自治区项目支出绩效自评表.
    #[serde(default)]
    pub evaluation_title: Option<Text>,
    /// The project's own 科目 names (a province's codes, a 款 missing elsewhere), by code;
    /// they win over a catalog file and the embedded catalog.
    #[serde(default)]
    pub catalog: BTreeMap<Code, Text>,
    /// A catalog file inside the project (CSV, TSV or xlsx with code and name columns).
    #[serde(default)]
    pub catalog_file: Option<Text>,
    pub overview: Overview,
    #[serde(default)]
    pub functional: Vec<FunctionalRow>,
    #[serde(default)]
    pub balances: Balances,
    #[serde(default)]
    pub basic_by_economic: BTreeMap<Code, Amount>,
    #[serde(default)]
    pub three_public: ThreePublic,
    #[serde(default)]
    pub prior_year: PriorYear,
    #[serde(default)]
    pub initial_budget: InitialBudget,
    #[serde(default)]
    pub reasons: Reasons,
    #[serde(default)]
    pub three_public_details: ThreePublicDetails,
    #[serde(default)]
    pub operating_costs: Option<Amount>,
    #[serde(default)]
    pub procurement: Procurement,
    #[serde(default)]
    pub assets: Assets,
    #[serde(default)]
    pub performance: Performance,
    #[serde(default)]
    pub glossary: Option<Vec<GlossaryEntry>>,
    #[serde(default)]
    pub tables: Option<Vec<TableChoice>>,
    /// Profile overrides (see the README's profile reference): number formats.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub format: Option<serde_yaml::Value>,
    /// Profile overrides: headings, cover lines and table words.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub words: Option<serde_yaml::Value>,
    /// Profile overrides: the unit of tables, the 三公 table and the sentences.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub amount_units: Option<serde_yaml::Value>,
    #[serde(default)]
    pub fonts: FontChoice,
    /// Acknowledged exceptions: content-rule breaches published as they are.
    #[serde(default)]
    pub accept: Vec<AcceptEntry>,
    /// Only in single-file projects; directory projects use `evaluations/*.yaml`.
    #[serde(
        default,
        deserialize_with = "crate::load::scalar::in_ten_thousand_yuan"
    )]
    pub evaluations: Vec<EvaluationInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overview {
    #[serde(default)]
    pub duties: Vec<Text>,
    #[serde(default)]
    pub organization: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionalRow {
    pub code: Code,
    #[serde(default)]
    pub name: Option<Text>,
    #[serde(default)]
    pub income: IncomeColumns,
    #[serde(default)]
    pub expenditure: ExpenditureColumns,
    #[serde(default)]
    pub general_budget: BasicProject,
    #[serde(default)]
    pub government_fund: FundColumns,
    #[serde(default)]
    pub state_capital: BasicProject,
}

/// 02表 收入决算表 columns.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomeColumns {
    pub general_budget: Option<Amount>,
    pub government_fund: Option<Amount>,
    pub state_capital: Option<Amount>,
    pub superior_subsidy: Option<Amount>,
    pub business: Option<Amount>,
    pub business_education_fees: Option<Amount>,
    pub operating: Option<Amount>,
    pub affiliated: Option<Amount>,
    pub other: Option<Amount>,
}

/// 03表 支出决算表 columns.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenditureColumns {
    pub basic: Option<Amount>,
    pub project: Option<Amount>,
    pub remit_to_superior: Option<Amount>,
    pub operating: Option<Amount>,
    pub subsidy_to_affiliated: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicProject {
    pub basic: Option<Amount>,
    pub project: Option<Amount>,
}

/// 08表 政府性基金 columns for one code.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundColumns {
    pub opening_balance: Option<Amount>,
    pub income: Option<Amount>,
    pub basic: Option<Amount>,
    pub project: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ByFiscalKind {
    pub general_budget: Option<Amount>,
    pub government_fund: Option<Amount>,
    pub state_capital: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Balances {
    pub opening: Option<Amount>,
    pub non_fiscal_balance_used: Option<Amount>,
    pub surplus_distribution: Option<Amount>,
    #[serde(default)]
    pub fiscal_opening: ByFiscalKind,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreePublic {
    #[serde(default)]
    pub budget: ThreePublicItems,
    #[serde(default)]
    pub actual: ThreePublicItems,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorThreePublic {
    pub outbound: Option<Amount>,
    pub vehicle: Option<Amount>,
    pub reception: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorYear {
    pub total_income: Option<Amount>,
    pub opening: Option<Amount>,
    pub non_fiscal_balance_used: Option<Amount>,
    pub fiscal_income: Option<Amount>,
    pub fiscal_opening: Option<Amount>,
    pub general_budget_expenditure: Option<Amount>,
    pub government_fund_expenditure: Option<Amount>,
    pub state_capital_expenditure: Option<Amount>,
    #[serde(default)]
    pub basic_by_economic_class: BTreeMap<Code, Amount>,
    #[serde(default)]
    pub three_public: PriorThreePublic,
    pub operating_costs: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialBudget {
    #[serde(default)]
    pub general_budget_by_class: BTreeMap<Code, Amount>,
    #[serde(default)]
    pub basic_by_economic_class: BTreeMap<Code, Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reasons {
    pub total_change: Option<Text>,
    pub fiscal_total_change: Option<Text>,
    pub general_budget_change: Option<Text>,
    #[serde(default)]
    pub general_budget_by_class: BTreeMap<Code, Text>,
    #[serde(default)]
    pub basic_by_economic_class: BTreeMap<Code, Text>,
    pub three_public_vs_budget: Option<Text>,
    pub three_public_change: Option<Text>,
    pub outbound_vs_budget: Option<Text>,
    pub outbound_change: Option<Text>,
    pub vehicle_vs_budget: Option<Text>,
    pub vehicle_change: Option<Text>,
    pub reception_vs_budget: Option<Text>,
    pub reception_change: Option<Text>,
    pub government_fund: Option<Text>,
    pub state_capital: Option<Text>,
    pub operating_costs_change: Option<Text>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreePublicDetails {
    pub outbound_groups: Option<Count>,
    pub outbound_people: Option<Count>,
    pub vehicles_purchased: Option<Count>,
    pub vehicle_operation_use: Option<Text>,
    pub vehicles_held: Option<Count>,
    pub domestic_reception: Option<Amount>,
    pub domestic_reception_use: Option<Text>,
    pub domestic_batches: Option<Count>,
    pub domestic_people: Option<Count>,
    pub foreign_batches: Option<Count>,
    pub foreign_people: Option<Count>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcurementCategories {
    pub goods: Option<Amount>,
    pub works: Option<Amount>,
    pub services: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Procurement {
    pub goods: Option<Amount>,
    pub works: Option<Amount>,
    pub services: Option<Amount>,
    pub sme_awarded: Option<Amount>,
    pub small_micro_awarded: Option<Amount>,
    #[serde(default)]
    pub sme_by_category: ProcurementCategories,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vehicles {
    pub leadership: Option<Count>,
    pub confidential: Option<Count>,
    pub emergency: Option<Count>,
    pub law_enforcement: Option<Count>,
    pub special_technical: Option<Count>,
    pub retired_cadres: Option<Count>,
    pub other: Option<Count>,
}

impl Vehicles {
    /// The count of every use, in print order.
    pub fn uses(&self) -> [Option<Count>; 7] {
        [
            self.leadership,
            self.confidential,
            self.emergency,
            self.law_enforcement,
            self.special_technical,
            self.retired_cadres,
            self.other,
        ]
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    pub building_area: Option<Amount>,
    #[serde(default)]
    pub vehicles: Vehicles,
    pub other_vehicles_use: Option<Text>,
    pub large_equipment: Option<Count>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Performance {
    pub secondary_projects: Option<Count>,
    pub government_fund_projects: Option<Count>,
    #[serde(default)]
    pub work: Vec<Text>,
    #[serde(default)]
    pub problems: Vec<Text>,
    #[serde(default)]
    pub improvements: Vec<Text>,
}

/// One entry of the optional `tables:` list: which 公开表 to print, in which order, and an
/// optional title override.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableChoice {
    pub id: Code,
    #[serde(default)]
    pub title: Option<Text>,
}

/// One 项目支出绩效自评表 (`evaluations/NN-*.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    pub group: Text,
    pub name: Text,
    pub department: Text,
    pub implementer: Text,
    #[serde(default)]
    pub funds: EvaluationFunds,
    #[serde(default)]
    pub goal: Goal,
    #[serde(default)]
    pub indicators: Indicators<IndicatorInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundRow {
    pub initial: Option<Amount>,
    pub full_year: Option<Amount>,
    pub executed: Option<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationFunds {
    #[serde(default)]
    pub current_year: FundRow,
    #[serde(default)]
    pub carryover: FundRow,
    #[serde(default)]
    pub other: FundRow,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    #[serde(default)]
    pub expected: Text,
    #[serde(default)]
    pub actual: Text,
}

/// One indicator of a self-evaluation form.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    pub name: Text,
    #[serde(default)]
    pub target: Option<Text>,
    #[serde(default)]
    pub actual: Option<Text>,
    #[serde(default)]
    pub weight: Option<Amount>,
    #[serde(default)]
    pub score: Option<Amount>,
    #[serde(default)]
    pub deviation: Option<Text>,
}
