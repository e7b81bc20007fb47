//! derive: pure `rust_decimal` arithmetic from the validated model — every total, roll-up,
//! share, change, growth, completion rate, score and ordinal the document prints.
//!
//! No I/O, no `f64`, no formatting: amounts stay `Decimal` and rates stay unrounded, so the
//! render stage can round once, half-up, at the precision the document asks for.

pub mod budget;
pub mod evaluation;
pub mod statements;
pub mod targets;

use rust_decimal::Decimal;

use crate::money;
use crate::validate::{Unit, Validated};

pub use evaluation::{DerivedEvaluation, EvaluationGroup};
pub use statements::Statements;

/// A table cell: `None` prints empty, `Some(0)` prints 0.00.
pub type Cell = Option<Decimal>;

/// Sums cells; empty if every part is empty.
pub fn sum_cells<I: IntoIterator<Item = Cell>>(cells: I) -> Cell {
    cells
        .into_iter()
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or_default() + v))
}

/// Sums the parts of a fixed group (the four 三公 items, an asset line's figures): empty
/// unless every part is typed, because a total over a missing part would invent it as zero.
pub fn sum_all<I: IntoIterator<Item = Cell>>(cells: I) -> Cell {
    cells
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, c| c.map(|v| acc + v))
}

/// The value of a cell for arithmetic (empty counts as zero).
pub fn val(cell: Cell) -> Decimal {
    cell.unwrap_or_default()
}

/// A comparison of `current` with a `base` (prior year, or budget).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub current: Decimal,
    pub base: Decimal,
    /// `current − base`.
    pub delta: Decimal,
    /// Growth in percent, unrounded; `None` when the base is zero.
    pub rate: Option<Decimal>,
}

impl Change {
    pub fn new(current: Decimal, base: Decimal) -> Self {
        Self {
            current,
            base,
            delta: current - base,
            rate: money::growth(current, base),
        }
    }

    /// `current ÷ base × 100`: the completion rate; `None` against a zero base.
    pub fn completion(&self) -> Option<Decimal> {
        money::percent(self.current, self.base)
    }
}

/// A part and its share of a whole (占 X%).
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub amount: Decimal,
    /// Percent, unrounded; `None` when the whole is zero.
    pub percent: Option<Decimal>,
}

impl Share {
    pub fn of(amount: Decimal, whole: Decimal) -> Self {
        Self {
            amount,
            percent: money::percent(amount, whole),
        }
    }
}

/// Everything the document prints, computed.
#[derive(Debug, Clone)]
pub struct Derived {
    pub statements: Statements,
    pub evaluations: Vec<DerivedEvaluation>,
    pub evaluation_groups: Vec<EvaluationGroup>,
    /// Mean of the evaluations' 总分; `None` without evaluations.
    pub evaluation_average: Option<Decimal>,
    /// Σ 全年执行数 of the evaluated projects (万元).
    pub evaluation_funds: Decimal,
    /// That sum as a percent of 05表 项目支出 (converted to 万元); `None` against zero.
    pub evaluation_funds_share: Option<Decimal>,
    /// 一级项目: the evaluated projects that are not 二级项目 (when that count is typed).
    pub primary_projects: Option<u64>,
}

/// Runs every derivation.
pub fn derive(v: &Validated) -> Derived {
    let statements = statements::derive(v);
    let evaluations: Vec<DerivedEvaluation> =
        v.evaluations().iter().map(evaluation::derive).collect();
    let evaluation_groups = evaluation::groups(v.evaluations());
    let evaluation_average = if evaluations.is_empty() {
        None
    } else {
        let total: Decimal = evaluations.iter().map(|e| e.total_score).sum();
        Some(total / Decimal::from(evaluations.len()))
    };
    let evaluation_funds = evaluations.iter().map(|e| e.funds.total.executed).sum();
    let evaluation_funds_share = money::percent(
        evaluation_funds,
        to_wan(statements.general_budget_project_total, v.unit()),
    );
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
fn to_wan(v: Decimal, unit: Unit) -> Decimal {
    match unit {
        Unit::Yuan => v / Decimal::from(10_000),
        Unit::TenThousandYuan => v,
    }
}

/// Chinese ordinal in lower case: 1 → 一, 10 → 十, 26 → 二十六.
pub fn chinese_ordinal(n: usize) -> String {
    use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};
    (n as u64)
        .to_chinese(
            ChineseVariant::Simple,
            ChineseCase::Lower,
            ChineseCountMethod::TenThousand,
        )
        .unwrap_or_else(|_| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ordinals() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(20), "二十");
        assert_eq!(chinese_ordinal(26), "二十六");
    }

    #[test]
    fn sums_keep_empty_cells_empty() {
        assert_eq!(sum_cells([None, None]), None);
        assert_eq!(sum_cells([None, Some(d("0"))]), Some(d("0")));
        assert_eq!(
            sum_cells([Some(d("1.10")), Some(d("2.205"))]),
            Some(d("3.305"))
        );
    }

    #[test]
    fn change_against_zero_base_has_no_rate() {
        let c = Change::new(d("350000"), Decimal::ZERO);
        assert_eq!(c.delta, d("350000"));
        assert_eq!(c.rate, None);
        assert_eq!(c.completion(), None);
        let c = Change::new(d("0"), d("350000"));
        assert_eq!(c.delta, d("-350000"));
        assert_eq!(c.rate, Some(d("-100")));
    }

    #[test]
    fn share_of_zero_whole() {
        assert_eq!(Share::of(d("5"), Decimal::ZERO).percent, None);
        assert_eq!(Share::of(d("1"), d("4")).percent, Some(d("25")));
    }
}
