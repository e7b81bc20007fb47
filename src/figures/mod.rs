//! figures: the arithmetic every kind shares — table cells that may be empty, sums, a
//! comparison with a base (增减/增长/完成), a share of a whole (占 X%) — and the 类/款/项
//! hierarchy of a 功能分类 table ([`hierarchy`]).
//!
//! Pure `rust_decimal`: no I/O, no `f64`, no formatting and no wording. Amounts stay
//! `Decimal` and rates stay unrounded, so the render stage rounds once, half-up
//! ([`crate::money`]).

pub mod hierarchy;
pub mod provenance;
pub mod three_public;

pub use provenance::Num;

/// A table cell: `None` prints empty, `Some(0)` prints 0.00.
pub type Cell = Option<Num>;

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
        .try_fold(Num::ZERO, |acc, c| c.map(|v| acc + v))
}

/// The value of a cell for arithmetic (empty counts as zero).
pub fn val(cell: Cell) -> Num {
    cell.unwrap_or_else(Num::empty)
}

/// A cell of a complete table printed blank, read as zero in a sentence or a sum: a blank
/// cell of a 决算 statement means no amount (the tables list every 科目 and column), so the
/// zero is recorded as the table's, with `why` ([`Num::none_listed`]) — unlike an absent
/// fact, which no sentence reads as zero.
pub fn blank(cell: Cell, why: &'static str) -> Num {
    cell.unwrap_or_else(|| Num::none_listed(why))
}

/// A comparison of `current` with a `base` (prior year, or budget).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub current: Num,
    pub base: Num,
    /// `current − base`.
    pub delta: Num,
    /// Growth in percent, unrounded; `None` when the base is zero.
    pub rate: Option<Num>,
}

impl Change {
    pub fn new(current: Num, base: Num) -> Self {
        Self {
            current,
            base,
            delta: current - base,
            rate: current.growth_over(base),
        }
    }

    /// `current ÷ base × 100`: the completion rate; `None` against a zero base.
    pub fn completion(&self) -> Option<Num> {
        self.current.percent_of(self.base)
    }
}

/// A part and its share of a whole (占 X%).
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub amount: Num,
    /// Percent, unrounded; `None` when the whole is zero.
    pub percent: Option<Num>,
}

impl Share {
    pub fn of(amount: Num, whole: Num) -> Self {
        Self {
            amount,
            percent: amount.percent_of(whole),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Num {
        Num::from(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn sums_keep_empty_cells_empty() {
        assert_eq!(sum_cells([None, None]), None);
        assert_eq!(sum_cells([None, Some(d("0"))]), Some(d("0")));
        assert_eq!(
            sum_cells([Some(d("1.10")), Some(d("2.205"))]),
            Some(d("3.305"))
        );
        assert_eq!(sum_all([Some(d("1")), None]), None);
        assert_eq!(sum_all([Some(d("1")), Some(d("2"))]), Some(d("3")));
    }

    #[test]
    fn change_against_zero_base_has_no_rate() {
        let c = Change::new(d("350000"), Num::ZERO);
        assert_eq!(c.delta, d("350000"));
        assert_eq!(c.rate, None);
        assert_eq!(c.completion(), None);
        let c = Change::new(d("0"), d("350000"));
        assert_eq!(c.delta, d("-350000"));
        assert_eq!(c.rate, Some(d("-100")));
    }

    #[test]
    fn share_of_zero_whole() {
        assert_eq!(Share::of(d("5"), Num::ZERO).percent, None);
        assert_eq!(Share::of(d("1"), d("4")).percent, Some(d("25")));
    }
}
