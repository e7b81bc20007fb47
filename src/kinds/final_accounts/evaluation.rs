//! derive: the figures of each 项目支出绩效自评表 — 年度资金总额, 执行率 and its 得分, the
//! 一级指标 分值 totals, the 总分 — and the grouping of the attachment's 目录.
//!
//! Pure arithmetic; the only rounding is the 执行率 得分, rounded half-up to 2 decimals as
//! printed so the 总分 equals the sum of the printed scores.

use rust_decimal::Decimal;

use super::input::{EvaluationInput, FundRow, IndicatorInput};
use crate::figures::{Cell, Num, sum_cells, val};

/// Points for 预算执行率 on every form.
pub const EXECUTION_WEIGHT: Decimal = Decimal::TEN;

/// The standard 分值 of each 一级指标 (by key), after the 执行率's [`EXECUTION_WEIGHT`]:
/// together 100.
pub const STANDARD_SPLIT: [(&str, u32); 3] = [("output", 50), ("effect", 30), ("satisfaction", 10)];

/// The 分值 typed on `rows`, summed; none when none is typed.
pub fn typed_weight<'a>(rows: impl IntoIterator<Item = &'a IndicatorInput>) -> Option<Num> {
    rows.into_iter()
        .filter_map(|i| i.weight.map(|a| a.num()))
        .reduce(|a, b| a + b)
}

/// One row of the 项目资金 block.
#[derive(Debug, Clone, Default)]
pub struct FundFigures {
    pub initial: Cell,
    pub full_year: Cell,
    pub executed: Cell,
}

/// The 年度资金总额 row (always printed, so plain decimals).
#[derive(Debug, Clone, Default)]
pub struct FundTotals {
    pub initial: Num,
    pub full_year: Num,
    pub executed: Num,
    pub any_initial: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Funds {
    pub total: FundTotals,
    pub current_year: FundFigures,
    pub carryover: FundFigures,
    pub other: FundFigures,
}

/// A 二级指标 with its indicators (possibly none: the form prints an empty row).
#[derive(Debug, Clone)]
pub struct Level2 {
    pub name: &'static str,
    pub indicators: Vec<IndicatorInput>,
}

/// A 一级指标 with its 分值 total.
#[derive(Debug, Clone)]
pub struct Level1 {
    pub name: &'static str,
    /// The sum of the 分值 typed under it; none when none is typed.
    pub weight: Option<Num>,
    pub level2: Vec<Level2>,
}

#[derive(Debug, Clone)]
pub struct DerivedEvaluation {
    pub funds: Funds,
    /// 全年执行数 ÷ 全年预算数 × 100, unrounded; `None` without a 全年预算数.
    pub execution_rate: Option<Num>,
    /// min(执行率, 100%) × 10, rounded half-up to 2 decimals.
    pub execution_score: Num,
    pub level1: Vec<Level1>,
    /// Σ 分值 including the 10 of 执行率.
    pub total_weight: Num,
    /// 执行率 得分 + Σ indicator 得分.
    pub total_score: Num,
}

/// One heading of the attachment's 目录 and the indices of its evaluations.
#[derive(Debug, Clone)]
pub struct EvaluationGroup {
    pub name: String,
    pub members: Vec<usize>,
}

fn figures(row: &FundRow) -> FundFigures {
    FundFigures {
        initial: row.initial.map(|a| a.num()),
        full_year: row.full_year.map(|a| a.num()),
        executed: row.executed.map(|a| a.num()),
    }
}

pub fn derive(e: &EvaluationInput) -> DerivedEvaluation {
    let rows = [
        figures(&e.funds.current_year),
        figures(&e.funds.carryover),
        figures(&e.funds.other),
    ];
    let total = FundTotals {
        initial: val(sum_cells(rows.iter().map(|r| r.initial))),
        full_year: val(sum_cells(rows.iter().map(|r| r.full_year))),
        executed: val(sum_cells(rows.iter().map(|r| r.executed))),
        any_initial: rows.iter().any(|r| r.initial.is_some()),
    };
    let execution_rate = total
        .executed
        .percent_of(total.full_year)
        .map(|r| r.labelled("执行率"));
    let weight = Num::constant(EXECUTION_WEIGHT, "执行率的分值");
    let execution_score = match execution_rate {
        Some(rate) => {
            let hundred = Num::constant(Decimal::ONE_HUNDRED, "执行率的上限 100%");
            let capped = rate.min(hundred);
            (capped * weight / hundred).round(2).labelled("执行率得分")
        }
        None => Num::ZERO,
    };
    let [current_year, carryover, other] = rows;

    let level1: Vec<Level1> = e
        .indicators
        .levels()
        .into_iter()
        .map(|l| level1(l.label, l.groups))
        .collect();
    let indicator_scores: Num = level1
        .iter()
        .flat_map(|l| &l.level2)
        .flat_map(|l| &l.indicators)
        .filter_map(|ind| ind.score.map(|a| a.num()))
        .sum();
    let total_weight = weight + level1.iter().filter_map(|l| l.weight).sum::<Num>();

    DerivedEvaluation {
        funds: Funds {
            total,
            current_year,
            carryover,
            other,
        },
        execution_rate,
        execution_score,
        level1,
        total_weight,
        total_score: (execution_score + indicator_scores).labelled("总分"),
    }
}

fn level1(name: &'static str, parts: Vec<(&'static str, &[IndicatorInput])>) -> Level1 {
    let level2: Vec<Level2> = parts
        .into_iter()
        .map(|(name, list)| Level2 {
            name,
            indicators: list.to_vec(),
        })
        .collect();
    // The 一级 分值 is the sum of the 分值 typed under it: none typed, no 分值 to print.
    let weight = typed_weight(level2.iter().flat_map(|l| &l.indicators));
    Level1 {
        name,
        weight,
        level2,
    }
}

/// Groups evaluations by their `group`, in order of first appearance.
pub fn groups(evaluations: &[EvaluationInput]) -> Vec<EvaluationGroup> {
    let mut out: Vec<EvaluationGroup> = Vec::new();
    for (i, e) in evaluations.iter().enumerate() {
        let name = e.group.as_str().trim();
        match out.iter_mut().find(|g| g.name == name) {
            Some(g) => g.members.push(i),
            None => out.push(EvaluationGroup {
                name: name.to_string(),
                members: vec![i],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::indicators::Indicators;
    use crate::kinds::final_accounts::input::{EvaluationFunds, Goal};
    use crate::load::scalar::{Amount, Text};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn a(s: &str) -> Option<Amount> {
        Some(Amount::new(Decimal::from_str(s).unwrap()))
    }

    fn eval(full: &str, executed: &str, scores: &[(&str, &str)]) -> EvaluationInput {
        let indicators = scores
            .iter()
            .map(|(w, s)| IndicatorInput {
                name: Text("x".into()),
                target: None,
                actual: None,
                weight: a(w),
                score: a(s),
                deviation: None,
            })
            .collect();
        let mut ind = Indicators::default();
        ind.output.quantity = indicators;
        EvaluationInput {
            group: Text("g".into()),
            name: Text("n".into()),
            department: Text("d".into()),
            implementer: Text("i".into()),
            funds: EvaluationFunds {
                current_year: FundRow {
                    initial: a("990"),
                    full_year: a(full),
                    executed: a(executed),
                },
                carryover: FundRow {
                    initial: a("61.68"),
                    full_year: a("0"),
                    executed: a("0"),
                },
                other: FundRow::default(),
            },
            goal: Goal::default(),
            indicators: ind,
        }
    }

    #[test]
    fn execution_score_and_total() {
        // Seed 002 项目1: 927.65 of 990 → 93.70%, 得分 9.37.
        let e = derive(&eval("990", "927.65", &[("50", "40.5")]));
        assert_eq!(e.funds.total.initial, Decimal::from_str("1051.68").unwrap());
        assert_eq!(e.execution_score, Decimal::from_str("9.37").unwrap());
        assert_eq!(e.total_score, Decimal::from_str("49.87").unwrap());
        assert_eq!(e.total_weight, Decimal::from_str("60").unwrap());
        assert_eq!(
            e.level1[0].weight,
            Some(Num::from(Decimal::from_str("50").unwrap()))
        );
    }

    #[test]
    fn over_execution_is_capped_and_zero_budget_scores_zero() {
        let e = derive(&eval("100", "120", &[]));
        assert_eq!(e.execution_score, Decimal::TEN);
        let e = derive(&eval("0", "0", &[]));
        assert_eq!(e.execution_rate, None);
        assert_eq!(e.execution_score, Decimal::ZERO);
    }

    #[test]
    fn execution_score_rounds_half_up() {
        // 68.865% → 6.8865 → 6.89 (seed 002 项目3: 1101.84 of 1600).
        let e = derive(&eval("1600", "1101.84", &[]));
        assert_eq!(e.execution_score, Decimal::from_str("6.89").unwrap());
    }
}
