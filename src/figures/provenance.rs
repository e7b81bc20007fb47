//! figures: how each figure was obtained (provenance). A [`Num`] is a `Decimal` with the
//! node of the derivation that produced it: a typed fact (its file and key path), or an
//! operation (sum, difference, ratio, percent, growth, rounding, …) over other nodes.
//!
//! Nodes are recorded only while a [`Recording`] is active on the thread — `explain` and the
//! preview's figure panel start one; a plain build does not, so its arithmetic costs one
//! thread-local check per operation and allocates nothing. Recording never changes a value:
//! a `Num` computes exactly what the `Decimal` arithmetic computes.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};
use std::path::PathBuf;

use rust_decimal::Decimal;

/// A node of the derivation graph; `NodeId::NONE` when nothing was recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

impl NodeId {
    /// No node: a constant, or a value computed while nothing was recorded.
    pub const NONE: NodeId = NodeId(0);

    pub fn is_none(self) -> bool {
        self == Self::NONE
    }

    /// The node's number, for a marker that names it ([`NodeId::from_raw`]).
    pub fn raw(self) -> u32 {
        self.0
    }

    pub fn from_raw(raw: u32) -> Self {
        Self(raw)
    }

    /// The node's index in [`Trace::nodes`]; `None` for [`NodeId::NONE`].
    pub fn index(self) -> Option<usize> {
        (self.0 as usize).checked_sub(1)
    }
}

/// How a node's value was obtained.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Op {
    /// A typed fact: the file it was read from (an index into [`Trace::files`]) and its key
    /// path there (`functional[3].general_budget.basic`); the path is known once the file's
    /// values have been walked ([`Trace::name_fact`]).
    Fact { file: usize, path: Option<String> },
    /// A fixed number of the rules (the 10 points of 执行率, 100 %).
    Constant(&'static str),
    /// Σ operands.
    Sum,
    /// operands[0] − operands[1].
    Difference,
    /// operands[0] × operands[1].
    Product,
    /// operands[0] ÷ operands[1].
    Quotient,
    /// operands[0] ÷ operands[1] × 100: a share, a completion rate, an execution rate.
    Percent,
    /// (operands[0] − operands[1]) ÷ operands[1] × 100: a growth rate.
    Growth,
    /// The smaller of the operands.
    Min,
    /// The absolute value of operands[0] (a rate printed after its word 增长/下降).
    Abs,
    /// operands[0] rounded half-up to `dp` decimals.
    Round { dp: u32 },
    /// Σ operands ÷ their count.
    Mean,
    /// No rate: the base (operands[1]) is zero, so the rule prints words instead of a rate.
    NoRate,
    /// Nothing typed: an empty cell or an absent fact, counted as 0.
    Empty,
    /// Zero because a complete list holds nothing there, and why.
    NoneListed(&'static str),
}

/// One recorded step: its operation, its value and its operands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub op: Op,
    pub value: Decimal,
    pub operands: Vec<NodeId>,
    /// What the step means in the document's words (完成年初预算, 占比, 增减%), when the
    /// derivation names it.
    pub label: Option<&'static str>,
}

/// Everything recorded on one thread between [`Recording::start`] and
/// [`Recording::finish`].
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub nodes: Vec<Node>,
    /// The files typed facts were read from, by index.
    pub files: Vec<PathBuf>,
    /// The file being read: new facts belong to it.
    current_file: Option<usize>,
    /// Each computed node by its operation, operands and value: the same computation over
    /// the same nodes is one node, so a figure restated elsewhere (a sentence repeating a
    /// table's total) has the table's identity, however the view reached it.
    shared: std::collections::HashMap<(Op, Vec<NodeId>, Decimal), NodeId>,
}

impl Trace {
    /// The node behind `id`.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index()?)
    }

    /// The typed facts `id` rests on, each once, in the order first met.
    pub fn facts(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            let Some(node) = self.node(n) else { continue };
            if matches!(node.op, Op::Fact { .. }) {
                out.push(n);
            }
            stack.extend(node.operands.iter().rev().copied());
        }
        out
    }
}

thread_local! {
    static TRACE: RefCell<Option<Trace>> = const { RefCell::new(None) };
}

/// Records derivations on this thread until [`Recording::finish`] (or drop).
pub struct Recording(());

impl Recording {
    /// Starts recording on this thread (a recording already under way is replaced).
    pub fn start() -> Self {
        TRACE.with(|t| *t.borrow_mut() = Some(Trace::default()));
        Recording(())
    }

    /// Stops recording and returns what was recorded.
    pub fn finish(self) -> Trace {
        TRACE.with(|t| t.borrow_mut().take()).unwrap_or_default()
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        TRACE.with(|t| t.borrow_mut().take());
    }
}

/// Runs `f` with the thread-local `flag` set, and clears it afterwards even if `f` unwinds
/// (a marker-writing serialization must never outlive its walk).
pub fn while_set<R>(
    flag: &'static std::thread::LocalKey<std::cell::Cell<bool>>,
    f: impl FnOnce() -> R,
) -> R {
    struct Reset(&'static std::thread::LocalKey<std::cell::Cell<bool>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            self.0.with(|c| c.set(false));
        }
    }
    flag.with(|c| c.set(true));
    let _reset = Reset(flag);
    f()
}

/// Whether this thread records derivations.
pub fn recording() -> bool {
    TRACE.with(|t| t.borrow().is_some())
}

/// Runs `f` on the recording, if one is under way.
fn with_trace<R>(f: impl FnOnce(&mut Trace) -> R) -> Option<R> {
    TRACE.with(|t| t.borrow_mut().as_mut().map(f))
}

/// Records a node; `NodeId::NONE` when nothing is recorded.
pub fn record(
    op: Op,
    value: Decimal,
    operands: Vec<NodeId>,
    label: Option<&'static str>,
) -> NodeId {
    with_trace(|t| {
        let id = push(t, op, value, operands);
        if let Some(n) = id.index().and_then(|i| t.nodes.get_mut(i))
            && n.label.is_none()
        {
            n.label = label;
        }
        id
    })
    .unwrap_or(NodeId::NONE)
}

fn push(t: &mut Trace, op: Op, value: Decimal, operands: Vec<NodeId>) -> NodeId {
    // Typed facts and absent ones are each their own; a constant, and a computation over
    // the same operands (a sum's in any order), is one node however often it is made.
    let shared = match &op {
        Op::Fact { .. } | Op::Empty | Op::NoneListed(_) => None,
        Op::Constant(_) => Some((op.clone(), Vec::new(), value)),
        Op::Sum | Op::Min | Op::Mean => {
            let mut key = operands.clone();
            key.sort();
            Some((op.clone(), key, value))
        }
        _ => Some((op.clone(), operands.clone(), value)),
    };
    if let Some(id) = shared.as_ref().and_then(|k| t.shared.get(k)) {
        return *id;
    }
    t.nodes.push(Node {
        op,
        value,
        operands,
        label: None,
    });
    let id = NodeId(t.nodes.len() as u32);
    if let Some(key) = shared {
        t.shared.insert(key, id);
    }
    id
}

/// `num` as an operand: its node, or a constant node for an untraced value.
fn operand(t: &mut Trace, num: Num) -> NodeId {
    if num.node.is_none() {
        push(t, Op::Constant(""), num.value, Vec::new())
    } else {
        num.node
    }
}

/// The facts read from here on belong to `file`.
pub fn reading_file(file: &std::path::Path) {
    with_trace(|t| {
        let index = match t.files.iter().position(|f| f == file) {
            Some(i) => i,
            None => {
                t.files.push(file.to_path_buf());
                t.files.len() - 1
            }
        };
        t.current_file = Some(index);
    });
}

/// A typed fact just read (from the file named by [`reading_file`]); its key path follows
/// with [`name_fact`].
pub fn fact(value: Decimal) -> NodeId {
    with_trace(|t| {
        let file = t.current_file.unwrap_or_default();
        push(t, Op::Fact { file, path: None }, value, Vec::new())
    })
    .unwrap_or(NodeId::NONE)
}

/// Gives fact `id` its key path.
pub fn name_fact(id: NodeId, key_path: String) {
    with_trace(|t| {
        if let Some(Node {
            op: Op::Fact { path, .. },
            ..
        }) = id.index().and_then(|i| t.nodes.get_mut(i))
        {
            *path = Some(key_path);
        }
    });
}

/// A number and how it was obtained. Its default is zero for what nothing was typed for
/// ([`Num::empty`]).
#[derive(Debug, Clone, Copy)]
pub struct Num {
    value: Decimal,
    node: NodeId,
}

impl Num {
    pub const ZERO: Num = Num {
        value: Decimal::ZERO,
        node: NodeId::NONE,
    };

    /// A value with its node.
    pub fn new(value: Decimal, node: NodeId) -> Self {
        Self { value, node }
    }

    /// Zero for what nothing was typed for (an empty cell, an absent fact), recorded as such.
    pub fn empty() -> Self {
        Self::new(
            Decimal::ZERO,
            record(Op::Empty, Decimal::ZERO, Vec::new(), None),
        )
    }

    /// Zero because a complete list holds nothing there (a sum over no amount, an
    /// 经济分类 款 the breakdown does not list): recorded with why, unlike an absent fact
    /// read as zero ([`Num::empty`]).
    pub fn none_listed(why: &'static str) -> Self {
        Self::new(
            Decimal::ZERO,
            record(Op::NoneListed(why), Decimal::ZERO, Vec::new(), None),
        )
    }

    /// A fixed number of the rules, recorded with its meaning.
    pub fn constant(value: Decimal, meaning: &'static str) -> Self {
        Self::new(
            value,
            record(Op::Constant(meaning), value, Vec::new(), None),
        )
    }

    pub fn value(self) -> Decimal {
        self.value
    }

    pub fn node(self) -> NodeId {
        self.node
    }

    pub fn is_zero(self) -> bool {
        self.value.is_zero()
    }

    /// The same value under the name the document gives it (完成年初预算, 占比): the step
    /// that computed it takes the name, unless it is a typed fact or already named.
    pub fn labelled(self, label: &'static str) -> Self {
        with_trace(|t| {
            if let Some(n) = self.node.index().and_then(|i| t.nodes.get_mut(i))
                && n.label.is_none()
                && !matches!(n.op, Op::Fact { .. })
            {
                n.label = Some(label);
            }
        });
        self
    }

    /// A step with operands `args`: recorded when recording and any operand is traced;
    /// an untraced operand is recorded as a constant.
    fn step(value: Decimal, op: Op, args: &[Num]) -> Self {
        if args.iter().all(|a| a.node.is_none()) {
            return Self::new(value, NodeId::NONE);
        }
        let node = with_trace(|t| {
            let operands = args.iter().map(|a| operand(t, *a)).collect();
            push(t, op, value, operands)
        })
        .unwrap_or(NodeId::NONE);
        Self::new(value, node)
    }

    /// `self ÷ whole × 100`, unrounded; `None` against a zero whole.
    pub fn percent_of(self, whole: Num) -> Option<Num> {
        crate::money::percent(self.value, whole.value)
            .map(|v| Self::step(v, Op::Percent, &[self, whole]))
    }

    /// Growth of `self` over `base` in percent; `None` against a zero base.
    pub fn growth_over(self, base: Num) -> Option<Num> {
        crate::money::growth(self.value, base.value)
            .map(|v| Self::step(v, Op::Growth, &[self, base]))
    }

    /// Rounded half-up to `dp` decimals ([`crate::money::round_half_up`]).
    pub fn round(self, dp: u32) -> Num {
        let v = crate::money::round_half_up(self.value, dp);
        Self::step(v, Op::Round { dp }, &[self])
    }

    pub fn abs(self) -> Num {
        if self.value.is_sign_negative() {
            Self::step(self.value.abs(), Op::Abs, &[self])
        } else {
            self
        }
    }

    pub fn min(self, other: Num) -> Num {
        let v = self.value.min(other.value);
        Self::step(v, Op::Min, &[self, other])
    }

    /// The mean of `values`; `None` without any.
    pub fn mean(values: &[Num]) -> Option<Num> {
        if values.is_empty() {
            return None;
        }
        let total: Decimal = values.iter().map(|v| v.value).sum();
        let v = total / Decimal::from(values.len());
        Some(Self::step(v, Op::Mean, values))
    }
}

impl Default for Num {
    fn default() -> Self {
        Num::empty()
    }
}

impl From<Decimal> for Num {
    /// An untraced number (a constant, or a value the derivation does not follow).
    fn from(value: Decimal) -> Self {
        Self::new(value, NodeId::NONE)
    }
}

impl From<Num> for Decimal {
    /// The value alone (for the checks of validate, which compare and never print).
    fn from(n: Num) -> Decimal {
        n.value
    }
}

impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Num {}

impl PartialEq<Decimal> for Num {
    fn eq(&self, other: &Decimal) -> bool {
        self.value == *other
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl Add for Num {
    type Output = Num;
    /// A sum; a sum of sums is recorded as one sum of all their operands, and an untraced
    /// zero (the start of a fold) is no operand.
    fn add(self, rhs: Num) -> Num {
        let value = self.value + rhs.value;
        if self.node.is_none() && rhs.node.is_none() {
            return Num::new(value, NodeId::NONE);
        }
        if self.node.is_none() && self.value.is_zero() {
            return rhs;
        }
        if rhs.node.is_none() && rhs.value.is_zero() {
            return self;
        }
        // Nothing typed (or nothing listed) adds nothing: a sum that starts from an empty
        // cell is the other side.
        let empty = |n: Num| {
            with_trace(|t| {
                matches!(
                    n.node.index().and_then(|i| t.nodes.get(i)).map(|x| &x.op),
                    Some(Op::Empty | Op::NoneListed(_))
                )
            })
            .unwrap_or(false)
        };
        if empty(self) && !rhs.node.is_none() {
            return rhs;
        }
        if empty(rhs) && !self.node.is_none() {
            return self;
        }
        let node = with_trace(|t| {
            let mut operands = Vec::new();
            for side in [self, rhs] {
                match side.node.index().and_then(|i| t.nodes.get(i)) {
                    Some(n) if n.op == Op::Sum && n.label.is_none() => {
                        operands.extend(n.operands.iter().copied())
                    }
                    _ => operands.push(operand(t, side)),
                }
            }
            push(t, Op::Sum, value, operands)
        })
        .unwrap_or(NodeId::NONE);
        Num::new(value, node)
    }
}

impl AddAssign for Num {
    fn add_assign(&mut self, rhs: Num) {
        *self = *self + rhs;
    }
}

impl Sub for Num {
    type Output = Num;
    fn sub(self, rhs: Num) -> Num {
        Num::step(self.value - rhs.value, Op::Difference, &[self, rhs])
    }
}

impl Mul for Num {
    type Output = Num;
    fn mul(self, rhs: Num) -> Num {
        Num::step(self.value * rhs.value, Op::Product, &[self, rhs])
    }
}

impl Div for Num {
    type Output = Num;
    fn div(self, rhs: Num) -> Num {
        Num::step(self.value / rhs.value, Op::Quotient, &[self, rhs])
    }
}

impl Neg for Num {
    type Output = Num;
    fn neg(self) -> Num {
        Num::step(-self.value, Op::Difference, &[Num::ZERO, self])
    }
}

impl Sum for Num {
    /// Σ. A sum over a list none of whose items holds an amount (no line of a column, no
    /// row of a kind) is zero by the list's completeness, recorded as [`Num::none_listed`],
    /// unlike one absent fact read as zero ([`Num::empty`]).
    fn sum<I: Iterator<Item = Num>>(iter: I) -> Num {
        let total = iter.fold(Num::empty(), |acc, v| acc + v);
        let empty = with_trace(|t| {
            matches!(total.node.index().and_then(|i| t.nodes.get(i)), Some(n) if n.op == Op::Empty)
        })
        .unwrap_or(false);
        if empty {
            Num::none_listed("no item of the list holds an amount")
        } else {
            total
        }
    }
}

impl<'a> Sum<&'a Num> for Num {
    fn sum<I: Iterator<Item = &'a Num>>(iter: I) -> Num {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn without_a_recording_nothing_is_kept_and_values_are_the_decimals() {
        let a = Num::new(d("1.5"), fact(d("1.5")));
        let b = Num::new(d("2.25"), fact(d("2.25")));
        assert!(a.node().is_none());
        assert_eq!((a + b).value(), d("3.75"));
        assert!((a + b).node().is_none());
        assert_eq!(a.percent_of(b).unwrap().value(), d("150") / d("2.25"));
        assert_eq!(a.percent_of(Num::ZERO), None);
    }

    #[test]
    fn a_recording_keeps_each_step_down_to_the_facts() {
        let recording = Recording::start();
        reading_file(std::path::Path::new("budgetdoc.yaml"));
        let a = Num::new(d("418144219.93"), fact(d("418144219.93")));
        name_fact(a.node(), "functional[0].expenditure".into());
        let b = Num::new(d("100"), fact(d("100")));
        let c = Num::new(d("230315284.56"), fact(d("230315284.56")));
        let base = b + c;
        let rate = a.percent_of(base).unwrap().labelled("完成年初预算");
        let printed = rate.round(0);
        let trace = recording.finish();
        assert_eq!(printed.value(), d("182"));
        let round = trace.node(printed.node()).unwrap();
        assert_eq!(round.op, Op::Round { dp: 0 });
        let percent = trace.node(round.operands[0]).unwrap();
        assert_eq!(percent.op, Op::Percent);
        assert_eq!(percent.label, Some("完成年初预算"));
        assert_eq!(
            trace.facts(printed.node()),
            vec![a.node(), b.node(), c.node()]
        );
        assert_eq!(
            trace.node(a.node()).unwrap().op,
            Op::Fact {
                file: 0,
                path: Some("functional[0].expenditure".into())
            }
        );
        assert_eq!(trace.files, vec![PathBuf::from("budgetdoc.yaml")]);
        // Sums of sums are one sum.
        let total = base + a;
        let trace_total = trace.node(total.node());
        assert!(trace_total.is_none(), "recorded after the recording ended");
    }

    thread_local! {
        static FLAG: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[test]
    fn a_flag_is_cleared_even_when_its_work_unwinds() {
        assert!(while_set(&FLAG, || FLAG.with(|f| f.get())));
        let caught = std::panic::catch_unwind(|| while_set(&FLAG, || panic!("inside")));
        assert!(caught.is_err());
        assert!(!FLAG.with(|f| f.get()));
    }

    #[test]
    fn sums_of_sums_flatten() {
        let recording = Recording::start();
        let xs: Vec<Num> = (1..=4)
            .map(|i| Num::new(Decimal::from(i), fact(Decimal::from(i))))
            .collect();
        let total: Num = xs.iter().sum();
        let trace = recording.finish();
        let node = trace.node(total.node()).unwrap();
        assert_eq!(node.op, Op::Sum);
        assert_eq!(
            node.operands,
            xs.iter().map(|x| x.node()).collect::<Vec<_>>()
        );
        assert_eq!(total.value(), Decimal::from(10));
    }
}
