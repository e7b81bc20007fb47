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

/// The department's 一般公共预算 基本支出: Σ of the units' lines (表二 = 表三's 总计).
pub fn basic_total(input: &BudgetInput) -> Num {
    column(input.units.iter().flat_map(|u| &u.general_budget), |l| {
        l.basic
    })
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
    input.units.iter().map(unit_project).sum()
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
