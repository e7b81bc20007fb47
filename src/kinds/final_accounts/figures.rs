//! derive (部门决算): every figure the document prints — the nine 公开表 and the 情况说明
//! ([`super::statements`]), the self-evaluation forms ([`super::evaluation`]) and the figures
//! of 十(四) that span them. Pure `rust_decimal`; no I/O, no `f64`, no formatting.

use super::evaluation::{self, DerivedEvaluation, EvaluationGroup};
use super::rules::Validated;
use super::statements::{self, Statements};
use crate::check::Unit;
use crate::figures::Num;

/// Everything the document prints, computed.
#[derive(Debug, Clone)]
pub struct Derived {
    pub statements: Statements,
    pub evaluations: Vec<DerivedEvaluation>,
    pub evaluation_groups: Vec<EvaluationGroup>,
    /// Mean of the evaluations' 总分; `None` without evaluations.
    pub evaluation_average: Option<Num>,
    /// Σ 全年执行数 of the evaluated projects (万元).
    pub evaluation_funds: Num,
    /// That sum as a percent of 05表 项目支出 (converted to 万元); `None` against zero.
    pub evaluation_funds_share: Option<Num>,
    /// 一级项目: the evaluated projects that are not 二级项目 (when that count is typed).
    pub primary_projects: Option<u64>,
}

/// Runs every derivation.
pub fn derive(v: &Validated) -> Derived {
    let statements = statements::derive(v);
    let evaluations: Vec<DerivedEvaluation> =
        v.evaluations().iter().map(evaluation::derive).collect();
    let evaluation_groups = evaluation::groups(v.evaluations());
    let scores: Vec<Num> = evaluations.iter().map(|e| e.total_score).collect();
    let evaluation_average = Num::mean(&scores);
    let evaluation_funds: Num = evaluations.iter().map(|e| e.funds.total.executed).sum();
    let evaluation_funds_share =
        evaluation_funds.percent_of(to_wan(statements.general_budget_project_total, v.unit()));
    let primary_projects = v
        .input()
        .performance
        .secondary_projects
        .map(|s| (evaluations.len() as u64).saturating_sub(s.0));
    Derived {
        statements,
        evaluations,
        evaluation_groups,
        evaluation_average,
        evaluation_funds,
        evaluation_funds_share,
        primary_projects,
    }
}

/// Converts an amount in the document's unit to 万元 (evaluations are always in 万元).
fn to_wan(v: Num, unit: Unit) -> Num {
    match unit {
        Unit::Yuan => v / Num::constant(rust_decimal::Decimal::from(10_000), "元换算为万元"),
        Unit::TenThousandYuan => v,
    }
}
