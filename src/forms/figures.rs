//! derive: the figures and the shape of a performance-target form (项目支出预算绩效目标表) in
//! one of the official layouts: every 资金总额 from its parts, the goals and indicators with
//! the layout's numbering or codes, the placeholder rows a layout prints, and the row spans
//! of the merged 一级/二级 cells.

use rust_decimal::Decimal;

use super::indicators::INDICATOR_GROUPS;
use super::input::TargetInput;
use super::layout::TargetLayout;
use super::money::TargetMoney;

/// One 三级 row: 三级指标 and 指标值 (both empty on a placeholder row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetRow {
    pub name: String,
    pub value: String,
}

/// A 二级指标 and its rows (at least one).
#[derive(Debug, Clone)]
pub struct TargetLevel2 {
    pub label: &'static str,
    pub rows: Vec<TargetRow>,
}

/// A 一级指标: its label, the number of table rows it spans, its 二级 groups.
#[derive(Debug, Clone)]
pub struct TargetLevel1 {
    pub label: &'static str,
    pub span: usize,
    pub groups: Vec<TargetLevel2>,
}

/// Everything one form prints, computed.
#[derive(Debug, Clone)]
pub struct DerivedTarget {
    pub money: TargetMoney,
    /// 项目总额, when typed.
    pub project_total: Option<Decimal>,
    /// Goals as printed (numbered where the layout numbers them).
    pub goals: Vec<String>,
    /// The county form's 年度绩效目标（含本级）: `local_goals`, else the goals.
    pub local_goals: Vec<String>,
    pub levels: Vec<TargetLevel1>,
    /// Rows of the indicator block (Σ spans).
    pub indicator_rows: usize,
}

/// The rows of one 二级 group in `layout`.
fn rows(layout: TargetLayout, list: &[crate::forms::input::TargetIndicator]) -> Vec<TargetRow> {
    let mut out: Vec<TargetRow> = list
        .iter()
        .enumerate()
        .map(|(i, ind)| TargetRow {
            name: match layout {
                TargetLayout::County => format!("指标{}:{}", i + 1, ind.name.as_str().trim()),
                _ => ind.name.as_str().trim().to_string(),
            },
            value: ind.value.as_str().trim().to_string(),
        })
        .collect();
    if layout == TargetLayout::County {
        // The county form always offers a second numbered row and a continuation row.
        while out.len() < 2 {
            out.push(TargetRow {
                name: format!("指标{}:", out.len() + 1),
                value: String::new(),
            });
        }
        out.push(TargetRow {
            name: ".....".into(),
            value: String::new(),
        });
    }
    if out.is_empty() {
        out.push(TargetRow::default());
    }
    out
}

/// Derives one form in `layout`.
pub fn derive(t: &TargetInput, layout: TargetLayout) -> DerivedTarget {
    let money = TargetMoney::of(t);
    let goals = layout.goals(&t.goals);
    let local_goals = match &t.local_goals {
        Some(g) => layout.goals(g),
        None => goals.clone(),
    };
    let mut levels: Vec<TargetLevel1> = Vec::new();
    for (((_, key, _, _), list), (label, always)) in INDICATOR_GROUPS
        .iter()
        .zip(t.indicators.groups())
        .zip(layout.level2())
    {
        if list.is_empty() && !always {
            continue;
        }
        let group = TargetLevel2 {
            label,
            rows: rows(layout, list),
        };
        let level1 = layout.level1(key);
        match levels.last_mut() {
            Some(l) if l.label == level1 => {
                l.span += group.rows.len();
                l.groups.push(group);
            }
            _ => levels.push(TargetLevel1 {
                label: level1,
                span: group.rows.len(),
                groups: vec![group],
            }),
        }
    }
    let indicator_rows = levels.iter().map(|l| l.span).sum();
    DerivedTarget {
        money,
        project_total: t.project_total.map(|a| a.0),
        goals,
        local_goals,
        levels,
        indicator_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::indicators::Indicators;
    use crate::forms::input::{TargetFunds, TargetIndicator};
    use crate::load::scalar::{Amount, Text};

    fn form() -> TargetInput {
        let mut indicators: Indicators<TargetIndicator> = Indicators::default();
        indicators.output.quantity = vec![TargetIndicator {
            name: Text("培训人数".into()),
            value: Text("60人".into()),
        }];
        TargetInput {
            name: Text("x".into()),
            unit: None,
            implementer: Some(Text("y".into())),
            department: None,
            department_code: None,
            attribute: None,
            period: None,
            project_total: Some(Amount(Decimal::from(100))),
            key: false,
            funds: TargetFunds {
                fiscal: Some(Amount(Decimal::from(10))),
                other: Some(Amount(Decimal::from(2))),
                carryover: Some(Amount(Decimal::from(1))),
                central: Some(Amount(Decimal::from(5))),
                regional: None,
                ..TargetFunds::default()
            },
            goals: vec![Text("A。".into()), Text("B。".into())],
            local_goals: None,
            indicators,
        }
    }

    #[test]
    fn totals_come_from_their_parts() {
        let m = TargetMoney::of(&form());
        assert_eq!(m.local, Decimal::from(13));
        assert_eq!(m.transfer, Decimal::from(5));
        assert_eq!(m.total, Decimal::from(18));
        assert_eq!(m.fiscal_all, Decimal::from(16));
    }

    #[test]
    fn layouts_number_and_pad_as_printed() {
        let t = form();
        let county = derive(&t, TargetLayout::County);
        assert_eq!(county.goals, ["目标1:A。", "目标2:B。"]);
        let quantity = &county.levels[0].groups[0].rows;
        let names: Vec<&str> = quantity.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["指标1:培训人数", "指标2:", "....."]);
        // Every 二级 row is printed: 9 groups, each with at least 3 rows.
        assert_eq!(county.indicator_rows, 27);
        let regional = derive(&t, TargetLayout::Regional);
        assert_eq!(regional.goals, ["A。", "B。"]);
        assert_eq!(regional.levels[0].label, "1-产出指标");
        assert_eq!(regional.levels[0].groups[0].label, "11-数量指标");
        assert_eq!(regional.indicator_rows, 9);
        let municipal = derive(&t, TargetLayout::Municipal);
        assert_eq!(municipal.goals, ["目标1：A。", "目标2：B。"]);
        // 生态效益 is left out when empty.
        assert_eq!(municipal.indicator_rows, 8);
    }
}
