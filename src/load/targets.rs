//! load: serde types of one project performance-target form (项目支出预算绩效目标表), as the
//! user writes it in `targets/NN-*.yaml` of a budget project. Field for field; the 年度资金总额
//! and the goal and indicator numbering are derived, never typed.

use serde::Deserialize;

use super::input::Indicators;
use super::scalar::{Amount, Code, Text};

/// One 项目支出预算绩效目标表.
#[derive(Debug, Clone, Deserialize)]
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
    /// 主管部门代码; defaults to the budget's department code.
    #[serde(default)]
    pub department_code: Option<Code>,
    /// 项目属性, e.g. 一年期项目.
    #[serde(default)]
    pub attribute: Option<Text>,
    /// 项目期, e.g. 2024年.
    #[serde(default)]
    pub period: Option<Text>,
    /// A 重点项目 of the 预算绩效 sentence (情况说明 六(四)).
    #[serde(default)]
    pub key: bool,
    #[serde(default)]
    pub funds: TargetFunds,
    /// 年度总体目标, one item per 目标 (numbered by budgetdoc).
    #[serde(default)]
    pub goals: Vec<Text>,
    #[serde(default)]
    pub indicators: Indicators<TargetIndicator>,
}

/// 项目资金 (万元): the parts; 年度资金总额 is their sum.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFunds {
    /// 财政拨款.
    pub fiscal: Option<Amount>,
    /// 其他资金.
    pub other: Option<Amount>,
}

/// One 三级指标 and its 指标值.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetIndicator {
    pub name: Text,
    #[serde(default)]
    pub value: Text,
}
