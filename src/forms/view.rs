//! render: the view of one performance-target form (项目支出预算绩效目标表), shared by every
//! kind that prints the form (the template component is `targets.typ`). The layout's words
//! (labels, numbering, codes) are added here, from [`TargetLayout`].

use rust_decimal::Decimal;
use serde::Serialize;

use super::figures::{DerivedTarget, TargetRow};
use super::input::TargetInput;
use super::layout::TargetLayout;
use crate::load::scalar::{Amount, Text};
use crate::money;

/// The form's identity texts, resolved by the caller (主管部门 and 实施单位 may come from the
/// document rather than the form).
pub struct TargetIdentity<'a> {
    pub department: &'a str,
    pub department_code: &'a str,
    pub implementer: &'a str,
}

/// An amount of a form as printed: the decimals it needs, at most two (`60`, `385.4`).
pub fn form_amount(v: Decimal) -> String {
    money::fixed(v, money::round_half_up(v, 2).normalize().scale())
}

/// The 资金 block: every total and part, empty when nothing under it was typed.
#[derive(Debug, Clone, Serialize)]
pub struct FundsView {
    pub total: String,
    pub fiscal: String,
    pub other: String,
    pub carryover: String,
    pub central: String,
    pub regional: String,
    pub local: String,
    pub transfer: String,
    pub fiscal_all: String,
}

/// One 三级 row: 三级指标 and 指标值.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub name: String,
    pub value: String,
}

/// A 二级 group: its label and rows.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub label: &'static str,
    pub rows: Vec<RowView>,
}

/// A 一级 block: its label, the rows it spans, its groups.
#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    pub label: &'static str,
    pub span: usize,
    pub groups: Vec<GroupView>,
}

/// One form, as `targets.typ` reads it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// The layout (`municipal`, `regional`, `county`).
    pub layout: &'static str,
    pub name: String,
    pub department: String,
    pub department_code: String,
    pub implementer: String,
    pub attribute: String,
    pub period: String,
    pub project_total: String,
    pub funds: FundsView,
    pub goals: Vec<String>,
    /// The county form's 年度绩效目标（含本级）: `local_goals`, else the goals.
    pub local_goals: Vec<String>,
    pub indicator_rows: usize,
    pub levels: Vec<LevelView>,
}

fn row(layout: TargetLayout, r: &TargetRow) -> RowView {
    let (name, value) = match r {
        TargetRow::Indicator {
            number,
            name,
            value,
        } => (layout.indicator(*number, name), value.clone()),
        TargetRow::Numbered(n) => (layout.indicator(*n, ""), String::new()),
        TargetRow::Continuation => (TargetLayout::CONTINUATION.to_string(), String::new()),
        TargetRow::Blank => (String::new(), String::new()),
    };
    RowView { name, value }
}

/// One form in `layout`.
pub fn target(
    t: &TargetInput,
    d: &DerivedTarget,
    id: &TargetIdentity,
    layout: TargetLayout,
) -> TargetView {
    let opt = |x: &Option<Text>| {
        x.as_ref()
            .map(|t| t.as_str().trim())
            .unwrap_or("")
            .to_string()
    };
    let m = &d.money;
    // A part that was not typed prints empty (the county form leaves 其他资金 blank); a total
    // prints when any of its parts was typed — a sum of nothing typed is not a 0.
    let f = &t.funds;
    let part = |typed: bool, v: Decimal| if typed { form_amount(v) } else { String::new() };
    let any = |xs: &[Option<Amount>]| xs.iter().any(Option::is_some);
    let goals = layout.goals(&t.goals);
    let labels = layout.level2();
    TargetView {
        layout: layout.key(),
        name: t.name.as_str().trim().to_string(),
        department: id.department.to_string(),
        department_code: id.department_code.to_string(),
        implementer: id.implementer.to_string(),
        attribute: opt(&t.attribute),
        period: opt(&t.period),
        project_total: d.project_total.map(form_amount).unwrap_or_default(),
        funds: FundsView {
            total: part(
                any(&[f.fiscal, f.other, f.carryover, f.central, f.regional]),
                m.total,
            ),
            fiscal: part(f.fiscal.is_some(), m.fiscal),
            other: part(f.other.is_some(), m.other),
            carryover: part(f.carryover.is_some(), m.carryover),
            central: part(f.central.is_some(), m.central),
            regional: part(f.regional.is_some(), m.regional),
            local: part(any(&[f.fiscal, f.other, f.carryover]), m.local),
            transfer: part(any(&[f.central, f.regional]), m.transfer),
            fiscal_all: part(
                any(&[f.fiscal, f.carryover, f.central, f.regional]),
                m.fiscal_all,
            ),
        },
        local_goals: match &t.local_goals {
            Some(g) => layout.goals(g),
            None => goals.clone(),
        },
        goals,
        indicator_rows: d.indicator_rows,
        levels: d
            .levels
            .iter()
            .map(|l| LevelView {
                label: layout.level1(l.key),
                span: l.span,
                groups: l
                    .groups
                    .iter()
                    .map(|g| GroupView {
                        label: labels[g.group].0,
                        rows: g.rows.iter().map(|r| row(layout, r)).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_amounts_print_the_decimals_they_need() {
        assert_eq!(form_amount(Decimal::new(3854, 1)), "385.4");
        assert_eq!(form_amount(Decimal::from(60)), "60");
        assert_eq!(form_amount(Decimal::new(98612, 2)), "986.12");
        assert_eq!(form_amount(Decimal::new(60000, 3)), "60");
        assert_eq!(form_amount(Decimal::new(1005, 3)), "1.01");
    }

    #[test]
    fn rows_take_the_layouts_words() {
        let county = TargetLayout::County;
        let r = row(
            county,
            &TargetRow::Indicator {
                number: 1,
                name: "培训人数".into(),
                value: "60人".into(),
            },
        );
        assert_eq!(
            (r.name.as_str(), r.value.as_str()),
            ("指标1:培训人数", "60人")
        );
        assert_eq!(row(county, &TargetRow::Numbered(2)).name, "指标2:");
        assert_eq!(row(county, &TargetRow::Continuation).name, ".....");
        assert_eq!(row(TargetLayout::Regional, &TargetRow::Blank).name, "");
    }
}
