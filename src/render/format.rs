//! render: the one way numbers, percentages and comparisons become the strings templates
//! place. Each kind maps its `format:` settings onto [`Numbers`]; nothing else formats.
//!
//! A comparison carries its words (增加/减少/持平, 增长/下降/持平, 大于/小于/等于) and, for the
//! templates' choices of sentence, flags: `trend` (`up`, `down`, `same`) and `versus`
//! (`above`, `below`, `equal`). At zero change every word is 持平/等于 and the trend is
//! `same`; the rate is none against a zero base.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::figures::provenance::{self, Op};
use crate::figures::{Cell, Change, Num};
use crate::load::positions::{Segment, format_path};
use crate::money;

/// How a document prints numbers (in one place of the document: its tables, a table, its
/// sentences — each may have its own unit).
#[derive(Debug, Clone)]
pub struct Numbers {
    /// Decimals of amounts.
    pub amount_decimals: u32,
    /// Thousands separators in table amounts.
    pub table_separators: bool,
    /// Thousands separators in the amounts of sentences.
    pub text_separators: bool,
    /// Thousands separators inside percentages (`1,055.4%`).
    pub percent_separators: bool,
    /// A zero amount (or table percentage) prints as `0`.
    pub zero_as_integer: bool,
    /// A percentage in a sentence that rounds to a whole number prints without decimals.
    pub whole_percent_as_integer: bool,
    /// Typed amounts are divided by this before printing: 1 in the typed unit, 10000 to
    /// print 元 as 万元, 0.0001 to print 万元 as 元.
    pub divisor: Decimal,
    /// What a sentence prints for a growth rate against a zero base (`--(基数为0,不可比)`);
    /// none leaves the rate out.
    pub zero_base: Option<String>,
}

impl Default for Numbers {
    /// Two decimals, no separators, `0.00`, every unit as typed, zero-base rates left out.
    fn default() -> Self {
        Self {
            amount_decimals: 2,
            table_separators: false,
            text_separators: false,
            percent_separators: false,
            zero_as_integer: false,
            whole_percent_as_integer: false,
            divisor: Decimal::ONE,
            zero_base: None,
        }
    }
}

impl Numbers {
    /// The same numbers in another unit: amounts divided by `divisor`.
    pub fn in_unit(&self, divisor: Decimal) -> Self {
        Self {
            divisor,
            ..self.clone()
        }
    }

    /// An amount as printed, unit converted, without separators, with the node of the
    /// printed value (the conversion and the rounding are steps of its derivation).
    fn plain(&self, v: Num) -> (String, Num) {
        let v = if self.divisor == Decimal::ONE {
            v
        } else {
            v / Num::constant(self.divisor, "单位换算")
        };
        let printed = v.round(self.amount_decimals);
        let text = if self.zero_as_integer && printed.is_zero() {
            "0".into()
        } else {
            money::fixed(v.value(), self.amount_decimals)
        };
        (text, printed)
    }

    /// An amount in a sentence: separators when configured.
    pub fn text(&self, v: impl Into<Num>) -> Fig {
        let (text, printed) = self.plain(v.into());
        Fig::new(grouped_if(self.text_separators, text), printed)
    }

    /// An amount in a table: separators when configured.
    pub fn table(&self, v: impl Into<Num>) -> Fig {
        let (text, printed) = self.plain(v.into());
        Fig::new(grouped_if(self.table_separators, text), printed)
    }

    /// A table cell: empty when nothing was typed.
    pub fn cell(&self, c: Cell) -> Fig {
        c.map(|v| self.table(v)).unwrap_or_default()
    }

    /// A percentage in a sentence, with `dp` decimals.
    pub fn percent(&self, p: impl Into<Num>, dp: u32) -> Fig {
        let p = p.into();
        let plain = if self.whole_percent_as_integer {
            money::fixed_or_whole(p.value(), dp)
        } else {
            money::fixed(p.value(), dp)
        };
        Fig::new(grouped_if(self.percent_separators, plain), p.round(dp))
    }

    /// A percentage that may be absent (against a zero base): null then.
    pub fn opt_percent(&self, p: Option<Num>, dp: u32) -> Option<Fig> {
        p.map(|p| self.percent(p, dp))
    }

    /// A percentage in a table column: always `dp` decimals (zero as `0` if configured).
    pub fn table_percent(&self, p: impl Into<Num>, dp: u32) -> Fig {
        let p = p.into();
        let printed = p.round(dp);
        let text = if self.zero_as_integer && printed.is_zero() {
            "0".into()
        } else {
            money::fixed(p.value(), dp)
        };
        Fig::new(text, printed)
    }

    /// A part and its share of a whole (pct null against a zero whole).
    pub fn share(&self, amount: Num, percent: Option<Num>, dp: u32) -> ShareView {
        ShareView {
            amount: self.text(amount),
            pct: self.opt_percent(percent, dp),
        }
    }

    /// A comparison of `c.current` with `c.base`: the amounts, the words, the flags, the
    /// growth rate (`rate_dp` decimals) and the completion rate (`completion_dp`).
    pub fn change(&self, c: &Change, rate_dp: u32, completion_dp: u32) -> ChangeView {
        let (trend, dir, rate_dir) = match c.delta.value().cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => (Trend::Up, "增加", "增长"),
            std::cmp::Ordering::Less => (Trend::Down, "减少", "下降"),
            std::cmp::Ordering::Equal => (Trend::Same, "持平", "持平"),
        };
        let (versus, cmp) = match c.current.cmp(&c.base) {
            std::cmp::Ordering::Greater => (Versus::Above, "大于"),
            std::cmp::Ordering::Less => (Versus::Below, "小于"),
            std::cmp::Ordering::Equal => (Versus::Equal, "等于"),
        };
        let rate = self.opt_percent(c.rate.map(|r| r.abs()), rate_dp);
        let rate_text = match (&rate, &self.zero_base) {
            (Some(r), _) => Some(Fig::new(format!("{}%", r.text), r.num)),
            (None, Some(words)) if c.base.is_zero() && !c.delta.is_zero() => Some(Fig::new(
                words.clone(),
                Num::new(
                    Decimal::ZERO,
                    provenance::record(
                        Op::NoRate,
                        Decimal::ZERO,
                        vec![c.current.node(), c.base.node()],
                        Some("基数为0，不计算增减率"),
                    ),
                ),
            )),
            (None, _) => None,
        };
        ChangeView {
            current: self.text(c.current),
            base: self.text(c.base),
            delta: self.text(c.delta.abs()),
            trend,
            dir,
            rate_dir,
            rate,
            rate_text,
            completion: self.opt_percent(c.completion(), completion_dp),
            versus,
            cmp,
        }
    }
}

/// A figure as printed: its text, and the number behind it (its node says how it was
/// obtained; see [`crate::figures::provenance`]). It serializes as its text, so the
/// templates read plain strings; [`figures_of`] lists every figure of a view with where it
/// sits in it.
#[derive(Debug, Clone, Default)]
pub struct Fig {
    pub text: String,
    pub num: Num,
}

impl Fig {
    pub fn new(text: String, num: Num) -> Self {
        Self { text, num }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `v` with `dp` decimals, half-up ([`money::fixed`]).
    pub fn fixed(v: Num, dp: u32) -> Self {
        Self::new(money::fixed(v.value(), dp), v.round(dp))
    }

    /// Points as forms print them ([`money::points`]).
    pub fn points(v: Num) -> Self {
        let dp = if v.value().fract().is_zero() { 0 } else { 2 };
        Self::new(money::points(v.value()), v.round(dp))
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl std::fmt::Display for Fig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::ops::Deref for Fig {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Fig {
    /// Figures compare as printed.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl PartialEq<&str> for Fig {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl Serialize for Fig {
    /// The text; while [`figures_of`] walks a view, a marker with the figure's node.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if LISTING.with(|l| l.get()) {
            serializer.serialize_str(&format!(
                "{FIG_MARKER}{}:{}",
                self.num.node().raw(),
                self.text
            ))
        } else {
            serializer.serialize_str(&self.text)
        }
    }
}

thread_local! {
    static LISTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts the string a [`Fig`] serializes to while [`figures_of`] lists a view's figures.
const FIG_MARKER: &str = "\u{2}fig:";

/// One printed figure: where it sits in the view (the key path of `/data.json`), its text
/// and its node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub path: String,
    pub text: String,
    pub node: provenance::NodeId,
}

/// Every non-empty figure of a view, in the order of the view's fields.
pub fn figures_of<T: Serialize>(view: &T) -> Vec<Printed> {
    marked_figures_of(view).1
}

/// Opens a figure in the marked data: `MARK_OPEN` id `MARK_TEXT` text `MARK_CLOSE`, where
/// the id is the figure's path in `/data.json` ([`Printed::path`]). Private-use characters
/// of Unicode, which no typed text needs; the marked layout's show rules
/// ([`crate::render::MARK_RULES`]) turn them into invisible metadata before any text is
/// shaped.
pub const MARK_OPEN: char = '\u{E000}';
/// Ends a figure's id and starts its text.
pub const MARK_TEXT: char = '\u{E001}';
/// Ends a figure's text.
pub const MARK_CLOSE: char = '\u{E002}';

/// The data of a view with every non-empty figure marked with its id (its path in the
/// data), and the list of those figures. The marked data lays out exactly as the plain data
/// does (the marks become zero-width tags), so the layout tells where each figure is
/// ([`crate::render::figure_boxes`]); the plain data is what a PDF is built from.
pub fn marked_figures_of<T: Serialize>(view: &T) -> (serde_json::Value, Vec<Printed>) {
    let tree = provenance::while_set(&LISTING, || serde_json::to_value(view));
    let mut out = Vec::new();
    let Ok(mut tree) = tree else {
        return (serde_json::Value::Null, out);
    };
    walk(&mut tree, &mut Vec::new(), &mut out);
    return (tree, out);

    fn walk(v: &mut serde_json::Value, path: &mut Vec<Segment>, out: &mut Vec<Printed>) {
        match v {
            serde_json::Value::String(s) => {
                if let Some((node, text)) =
                    s.strip_prefix(FIG_MARKER).and_then(|m| m.split_once(':'))
                {
                    let text = text.to_string();
                    *s = if text.is_empty() {
                        String::new()
                    } else {
                        let id = format_path(path);
                        out.push(Printed {
                            path: id.clone(),
                            text: text.clone(),
                            node: provenance::NodeId::from_raw(node.parse().unwrap_or_default()),
                        });
                        format!("{MARK_OPEN}{id}{MARK_TEXT}{text}{MARK_CLOSE}")
                    };
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    path.push(Segment::Index(i));
                    walk(item, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map.iter_mut() {
                    path.push(Segment::Key(k.clone()));
                    walk(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

/// Every leaf of a JSON value (a string, number, boolean or null) with its path, `a.b[2].c`
/// as [`Printed::path`] writes it, in the order of the value's fields.
pub fn leaves_of(v: &serde_json::Value) -> Vec<(String, &serde_json::Value)> {
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    return out;

    fn walk<'v>(
        v: &'v serde_json::Value,
        path: &mut Vec<Segment>,
        out: &mut Vec<(String, &'v serde_json::Value)>,
    ) {
        match v {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Segment::Index(i));
                    walk(item, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    path.push(Segment::Key(k.clone()));
                    walk(item, path, out);
                    path.pop();
                }
            }
            leaf => out.push((format_path(path), leaf)),
        }
    }
}

/// `plain` with thousands separators when `on`.
fn grouped_if(on: bool, plain: String) -> String {
    if on { money::group(&plain) } else { plain }
}

/// A part and its share: `{amount, pct}`.
#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    pub amount: Fig,
    pub pct: Option<Fig>,
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
    pub current: Fig,
    pub base: Fig,
    /// The difference, unsigned (the words and flags carry the sign).
    pub delta: Fig,
    pub trend: Trend,
    /// 增加 / 减少 / 持平.
    pub dir: &'static str,
    /// 增长 / 下降 / 持平.
    pub rate_dir: &'static str,
    /// The growth rate, unsigned; null against a zero base.
    pub rate: Option<Fig>,
    /// What a sentence prints after 增长/下降: the rate with its `%`, or the profile's words
    /// against a zero base (`--(基数为0,不可比)`); null when the sentence leaves it out.
    pub rate_text: Option<Fig>,
    /// current / base; null against a zero base.
    pub completion: Option<Fig>,
    pub versus: Versus,
    /// 大于 / 小于 / 等于.
    pub cmp: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Num {
        Num::from(s.parse::<Decimal>().unwrap())
    }

    #[test]
    fn the_two_conventions() {
        let plain = Numbers {
            table_separators: true,
            ..Numbers::default()
        };
        assert_eq!(plain.table(d("1234567.8")), "1,234,567.80");
        assert_eq!(plain.table(Num::ZERO), "0.00");
        assert_eq!(plain.percent(d("100"), 2), "100.00");
        let municipal = Numbers {
            table_separators: false,
            zero_as_integer: true,
            whole_percent_as_integer: true,
            ..plain
        };
        assert_eq!(municipal.table(Num::ZERO), "0");
        assert_eq!(municipal.percent(d("100"), 2), "100");
        assert_eq!(municipal.table_percent(d("-100"), 2), "-100.00");
    }

    #[test]
    fn units_separators_and_zero_bases_as_the_profile_says() {
        let n = Numbers {
            text_separators: true,
            percent_separators: true,
            zero_base: Some("--(基数为0,不可比)".into()),
            ..Numbers::default()
        };
        assert_eq!(n.text(d("1234567.891")), "1,234,567.89");
        assert_eq!(
            n.in_unit(d("10000").value()).text(d("1234567.891")),
            "123.46"
        );
        assert_eq!(
            n.in_unit(d("0.0001").value()).text(d("12.3456")),
            "123,456.00"
        );
        assert_eq!(n.percent(d("1055.44"), 1), "1,055.4");
        let v = n.change(&Change::new(d("5"), Num::ZERO), 2, 0);
        assert_eq!(v.rate_text.as_deref(), Some("--(基数为0,不可比)"));
        let v = n.change(&Change::new(d("6"), d("5")), 2, 0);
        assert_eq!(v.rate_text.as_deref(), Some("20.00%"));
        let v = Numbers::default().change(&Change::new(d("5"), Num::ZERO), 2, 0);
        assert_eq!(v.rate_text, None);
    }

    #[test]
    fn zero_change_is_the_same_everywhere() {
        let n = Numbers::default();
        let v = n.change(&Change::new(d("5"), d("5")), 2, 0);
        assert_eq!(v.trend, Trend::Same);
        assert_eq!(v.dir, "持平");
        assert_eq!(v.rate_dir, "持平");
        assert_eq!(v.versus, Versus::Equal);
        let v = n.change(&Change::new(d("5"), Num::ZERO), 2, 0);
        assert_eq!(v.trend, Trend::Up);
        assert_eq!(v.rate, None);
        // The flags serialise as the templates compare them.
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["trend"], "up");
        assert_eq!(json["versus"], "above");
    }
}
