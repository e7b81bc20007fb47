//! derive (部门预算): the sums that the rules check and the figures print, written once —
//! so that what `check` compares is exactly what the document states. Pure `rust_decimal`;
//! an amount nobody typed adds nothing.

use crate::figures::Num;

use super::input::{BudgetInput, BudgetLine, OtherExpenditure, OtherIncome, UnitInput};
use crate::load::scalar::Amount;

/// Σ of one column over some lines.
fn column<'a>(
    lines: impl IntoIterator<Item = &'a BudgetLine>,
    pick: fn(&BudgetLine) -> Option<Amount>,
) -> Num {
    lines
        .into_iter()
        .map(|l| pick(l).map(Amount::num).unwrap_or_default())
        .sum()
}

/// The department's 一般公共预算 基本支出: Σ of its lines (表二 = 表三's 总计).
pub fn basic_total(input: &BudgetInput) -> Num {
    column(input.general_lines(), |l| l.basic)
}

/// A unit's 项目支出 of both funds (what its performance-target forms add up to).
pub fn unit_project(unit: &UnitInput) -> Num {
    column(
        unit.general_budget.iter().chain(&unit.government_fund),
        |l| l.project,
    )
}

/// The department's 项目支出 of both funds.
pub fn project_total(input: &BudgetInput) -> Num {
    column(input.general_lines().chain(input.fund_lines()), |l| {
        l.project
    })
}

/// The lines of 一般公共预算 of `code`, department-wide and across the units.
fn code_lines<'a>(input: &'a BudgetInput, code: &'a str) -> impl Iterator<Item = &'a BudgetLine> {
    input
        .general_lines()
        .filter(move |l| l.code.as_str() == code)
}

/// The prior year's 项目支出 执行数 of `code`, department-wide, when the data says it: as
/// typed under `prior_project_execution`, or the code's whole 执行数 when every line of the
/// code carries its `prior` and they add up to 0 (no 执行数, so no 项目支出). Otherwise
/// unknown: a 执行数 split between 基本 and 项目支出 cannot be guessed, and an absent fact is
/// never read as 0.
pub fn prior_project(input: &BudgetInput, code: &str) -> Option<Num> {
    if let Some((_, typed)) = input
        .prior_project_execution
        .iter()
        .find(|(c, _)| c.as_str() == code)
    {
        return Some(typed.num());
    }
    let whole = column(code_lines(input, code), |l| l.prior);
    (BudgetLine::all_have_prior(code_lines(input, code)) && whole.is_zero()).then_some(whole)
}

/// The codes with 项目支出 this year (each has a sentence in the 情况说明).
pub fn project_codes(input: &BudgetInput) -> std::collections::BTreeSet<&str> {
    input
        .general_lines()
        .filter(|l| !Amount::num_or_zero(l.project).is_zero())
        .map(|l| l.code.as_str())
        .collect()
}

/// Income other than 财政拨款 (事业预算收入 counts whole; its 其中 items are inside it).
pub fn other_income(inc: &OtherIncome) -> Num {
    [
        inc.business,
        inc.superior_subsidy,
        inc.affiliated,
        inc.operating,
        inc.debt,
        inc.non_same_level_horizontal,
        inc.non_same_level_other,
        inc.investment,
        inc.other,
    ]
    .into_iter()
    .map(|a| a.map(Amount::num).unwrap_or_default())
    .sum()
}

/// Spending other than the units' 财政拨款.
pub fn other_spending(ex: &OtherExpenditure) -> Num {
    [
        ex.administrative,
        ex.institutional,
        ex.operating,
        ex.remit_to_superior,
        ex.subsidy_to_affiliated,
        ex.investment,
        ex.debt_repayment,
        ex.other,
    ]
    .into_iter()
    .map(|a| a.map(Amount::num).unwrap_or_default())
    .sum()
}
