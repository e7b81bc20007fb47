//! derive: the figures and the shape of a performance-target form (项目支出预算绩效目标表):
//! 年度资金总额 from its parts, the numbered goals, and the indicator rows with the row spans
//! of the merged 一级/二级 cells, for a given official layout.

use rust_decimal::Decimal;

use crate::load::TargetInput;
use crate::load::input::INDICATOR_GROUPS;

/// The official layouts of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetLayout {
    /// The 市/县 部门预算 form (seed 004): 二级 labels carry 必填/选填, 生态效益 is printed
    /// only when it has indicators.
    Municipal,
}

impl TargetLayout {
    /// The 二级 label as printed, and whether the row is printed when it has no indicator,
    /// for each of [`INDICATOR_GROUPS`].
    fn level2(self) -> [(&'static str, bool); 9] {
        match self {
            TargetLayout::Municipal => [
                ("数量指标（必填硬性指标）", true),
                ("质量指标（必填）", true),
                ("时效指标（必填）", true),
                ("成本指标（必填硬性指标）", true),
                ("经济效益指标（选填）", true),
                ("社会效益指标（必填）", true),
                ("生态效益指标（选填）", false),
                ("可持续影响指标（必填）", true),
                ("服务对象满意度指标（必填）", true),
            ],
        }
    }
}

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
    /// 年度资金总额 = 财政拨款 + 其他资金.
    pub total: Decimal,
    pub fiscal: Decimal,
    pub other: Decimal,
    /// Goals with their numbering: `目标1：…` (or `目标：…` when there is one).
    pub goals: Vec<String>,
    pub levels: Vec<TargetLevel1>,
    /// Rows of the indicator block (Σ spans).
    pub indicator_rows: usize,
}

/// Derives one form in `layout`.
pub fn derive(t: &TargetInput, layout: TargetLayout) -> DerivedTarget {
    let fiscal = t.funds.fiscal.map(|a| a.0).unwrap_or_default();
    let other = t.funds.other.map(|a| a.0).unwrap_or_default();
    let goals = if t.goals.len() == 1 {
        vec![format!("目标：{}", t.goals[0].as_str().trim())]
    } else {
        t.goals
            .iter()
            .enumerate()
            .map(|(i, g)| format!("目标{}：{}", i + 1, g.as_str().trim()))
            .collect()
    };
    let mut levels: Vec<TargetLevel1> = Vec::new();
    let labels = layout.level2();
    for (((_, _, level1, _), list), (label, always)) in INDICATOR_GROUPS
        .iter()
        .zip(t.indicators.groups())
        .zip(labels)
    {
        if list.is_empty() && !always {
            continue;
        }
        let rows: Vec<TargetRow> = if list.is_empty() {
            vec![TargetRow::default()]
        } else {
            list.iter()
                .map(|i| TargetRow {
                    name: i.name.as_str().trim().to_string(),
                    value: i.value.as_str().trim().to_string(),
                })
                .collect()
        };
        let group = TargetLevel2 { label, rows };
        match levels.last_mut() {
            Some(l) if l.label == *level1 => {
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
        total: fiscal + other,
        fiscal,
        other,
        goals,
        levels,
        indicator_rows,
    }
}
