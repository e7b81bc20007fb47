//! render: the one way numbers, percentages and comparisons become the strings templates
//! place. Each kind maps its `format:` settings onto [`Numbers`]; nothing else formats.
//!
//! A comparison carries its words (增加/减少/持平, 增长/下降/持平, 大于/小于/等于) and, for the
//! templates' choices of sentence, flags: `trend` (`up`, `down`, `same`) and `versus`
//! (`above`, `below`, `equal`). At zero change every word is 持平/等于 and the trend is
//! `same`; the rate is none against a zero base.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::figures::{Cell, Change};
use crate::money;

/// How a document prints numbers.
#[derive(Debug, Clone, Copy)]
pub struct Numbers {
    /// Decimals of amounts.
    pub amount_decimals: u32,
    /// Thousands separators in table amounts (sentences never have them).
    pub table_separators: bool,
    /// A zero amount (or table percentage) prints as `0`.
    pub zero_as_integer: bool,
    /// A percentage in a sentence that rounds to a whole number prints without decimals.
    pub whole_percent_as_integer: bool,
}

impl Numbers {
    /// An amount in a sentence: no separators.
    pub fn text(&self, v: Decimal) -> String {
        if self.zero_as_integer && money::round_half_up(v, self.amount_decimals).is_zero() {
            "0".into()
        } else {
            money::fixed(v, self.amount_decimals)
        }
    }

    /// An amount in a table: separators when configured.
    pub fn table(&self, v: Decimal) -> String {
        let plain = self.text(v);
        if self.table_separators && plain != "0" {
            money::grouped(v, self.amount_decimals)
        } else {
            plain
        }
    }

    /// A table cell: empty when nothing was typed.
    pub fn cell(&self, c: Cell) -> String {
        c.map(|v| self.table(v)).unwrap_or_default()
    }

    /// A percentage in a sentence, with `dp` decimals.
    pub fn percent(&self, p: Decimal, dp: u32) -> String {
        if self.whole_percent_as_integer {
            money::fixed_or_whole(p, dp)
        } else {
            money::fixed(p, dp)
        }
    }

    /// A percentage that may be absent (against a zero base): null then.
    pub fn opt_percent(&self, p: Option<Decimal>, dp: u32) -> Option<String> {
        p.map(|p| self.percent(p, dp))
    }

    /// A percentage in a table column: always `dp` decimals (zero as `0` if configured).
    pub fn table_percent(&self, p: Decimal, dp: u32) -> String {
        if self.zero_as_integer && money::round_half_up(p, dp).is_zero() {
            "0".into()
        } else {
            money::fixed(p, dp)
        }
    }

    /// A part and its share of a whole (pct null against a zero whole).
    pub fn share(&self, amount: Decimal, percent: Option<Decimal>, dp: u32) -> ShareView {
        ShareView {
            amount: self.text(amount),
            pct: self.opt_percent(percent, dp),
        }
    }

    /// A comparison of `c.current` with `c.base`: the amounts, the words, the flags, the
    /// growth rate (`rate_dp` decimals) and the completion rate (`completion_dp`).
    pub fn change(&self, c: &Change, rate_dp: u32, completion_dp: u32) -> ChangeView {
        let (trend, dir, rate_dir) = match c.delta.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => (Trend::Up, "增加", "增长"),
            std::cmp::Ordering::Less => (Trend::Down, "减少", "下降"),
            std::cmp::Ordering::Equal => (Trend::Same, "持平", "持平"),
        };
        let (versus, cmp) = match c.current.cmp(&c.base) {
            std::cmp::Ordering::Greater => (Versus::Above, "大于"),
            std::cmp::Ordering::Less => (Versus::Below, "小于"),
            std::cmp::Ordering::Equal => (Versus::Equal, "等于"),
        };
        ChangeView {
            current: self.text(c.current),
            base: self.text(c.base),
            delta: self.text(c.delta.abs()),
            trend,
            dir,
            rate_dir,
            rate: self.opt_percent(c.rate.map(|r| r.abs()), rate_dp),
            completion: self.opt_percent(c.completion(), completion_dp),
            versus,
            cmp,
        }
    }
}

/// A part and its share: `{amount, pct}`.
#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    pub amount: String,
    pub pct: Option<String>,
}

/// Which way a figure moved against its base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Same,
}

/// How a figure stands against its base (a budget, a prior year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Versus {
    Above,
    Below,
    Equal,
}

/// A comparison as the templates read it: amounts, words, flags and rates.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub current: String,
    pub base: String,
    /// The difference, unsigned (the words and flags carry the sign).
    pub delta: String,
    pub trend: Trend,
    /// 增加 / 减少 / 持平.
    pub dir: &'static str,
    /// 增长 / 下降 / 持平.
    pub rate_dir: &'static str,
    /// The growth rate, unsigned; null against a zero base.
    pub rate: Option<String>,
    /// current / base; null against a zero base.
    pub completion: Option<String>,
    pub versus: Versus,
    /// 大于 / 小于 / 等于.
    pub cmp: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_two_conventions() {
        let plain = Numbers {
            amount_decimals: 2,
            table_separators: true,
            zero_as_integer: false,
            whole_percent_as_integer: false,
        };
        assert_eq!(plain.table(d("1234567.8")), "1,234,567.80");
        assert_eq!(plain.table(Decimal::ZERO), "0.00");
        assert_eq!(plain.percent(d("100"), 2), "100.00");
        let municipal = Numbers {
            table_separators: false,
            zero_as_integer: true,
            whole_percent_as_integer: true,
            ..plain
        };
        assert_eq!(municipal.table(Decimal::ZERO), "0");
        assert_eq!(municipal.percent(d("100"), 2), "100");
        assert_eq!(municipal.table_percent(d("-100"), 2), "-100.00");
    }

    #[test]
    fn zero_change_is_the_same_everywhere() {
        let n = Numbers {
            amount_decimals: 2,
            table_separators: false,
            zero_as_integer: false,
            whole_percent_as_integer: false,
        };
        let v = n.change(&Change::new(d("5"), d("5")), 2, 0);
        assert_eq!(v.trend, Trend::Same);
        assert_eq!(v.dir, "持平");
        assert_eq!(v.rate_dir, "持平");
        assert_eq!(v.versus, Versus::Equal);
        let v = n.change(&Change::new(d("5"), Decimal::ZERO), 2, 0);
        assert_eq!(v.trend, Trend::Up);
        assert_eq!(v.rate, None);
        // The flags serialise as the templates compare them.
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["trend"], "up");
        assert_eq!(json["versus"], "above");
    }
}
