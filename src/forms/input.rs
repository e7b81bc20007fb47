//! load: serde types of one project performance-target form (项目支出预算绩效目标表), as the
//! user writes it in `targets/NN-*.yaml` of a budget or a performance-target publication. Field for field; the 年度资金总额
//! and the goal and indicator numbering are derived, never typed.

use serde::{Deserialize, Serialize};

use super::indicators::Indicators;
use crate::load::scalar::{Amount, Code, Text};

/// One 项目支出预算绩效目标表.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetInput {
    /// 项目名称.
    pub name: Text,
    /// 实施单位 as the code of one of the budget's units (its name is printed).
    #[serde(default)]
    pub unit: Option<Code>,
    /// 实施单位 as a name, when the unit is not one of the budget's units.
    #[serde(default)]
    pub implementer: Option<Text>,
    /// 主管部门; defaults to the budget's department.
    #[serde(default)]
    pub department: Option<Text>,
    /// 主管部门代码; defaults to the budget's department code. Printed where the profile's
    /// `department` pattern has `{code}`.
    #[serde(default)]
    pub department_code: Option<Code>,
    /// 实施单位代码, printed where the profile's `implementer` pattern has `{code}`.
    #[serde(default)]
    pub implementer_code: Option<Code>,
    /// The label above this form (附件1), instead of the document's.
    #[serde(default)]
    pub attachment_label: Option<Text>,
    /// 项目属性, e.g. 一年期项目.
    #[serde(default)]
    pub attribute: Option<Text>,
    /// 项目期, e.g. 2024年.
    #[serde(default)]
    pub period: Option<Text>,
    /// 项目总额 (all years), printed by the 自治区本级 form.
    #[serde(default)]
    pub project_total: Option<Amount>,
    /// A 重点项目 of the 预算绩效 sentence (情况说明 六(四)).
    #[serde(default)]
    pub key: bool,
    #[serde(default)]
    pub funds: TargetFunds,
    /// 年度总体目标, one item per 目标 (numbered by budgetdoc where the layout numbers them).
    #[serde(default)]
    pub goals: Vec<Text>,
    /// The county form's 年度绩效目标（含本级） when it differs from `goals`.
    #[serde(default)]
    pub local_goals: Option<Vec<Text>>,
    #[serde(default)]
    pub indicators: Indicators<TargetIndicator>,
}

/// 项目资金 (万元). The parts are typed; each total is derived from them. A total may also be
/// typed as printed, and is then checked against its parts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetFunds {
    /// 本级 财政拨款.
    pub fiscal: Option<Amount>,
    /// 本级 其他资金.
    pub other: Option<Amount>,
    /// 本级 结余结转资金.
    pub carryover: Option<Amount>,
    /// 转移市县（区）资金: 中央资金.
    pub central: Option<Amount>,
    /// 转移市县（区）资金: 自治区资金.
    pub regional: Option<Amount>,
    /// 本级资金 资金总额 as printed (checked: = 财政拨款 + 其他资金 + 结余结转资金).
    pub local_total: Option<Amount>,
    /// 转移市县（区）资金 资金总额 as printed (checked: = 中央资金 + 自治区资金).
    pub transfer_total: Option<Amount>,
    /// 年度资金总额 as printed (checked: = 本级 + 转移; ≤ 项目总额).
    pub total: Option<Amount>,
}

/// One 三级指标 and its 指标值.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetIndicator {
    /// 三级指标; an indicator with neither name nor value is an explicit empty row where
    /// the profile allows it (`forms.empty_rows`).
    #[serde(default)]
    pub name: Text,
    #[serde(default)]
    pub value: Text,
}
