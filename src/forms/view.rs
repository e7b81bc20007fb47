//! render: the JSON of one performance-target form (项目支出预算绩效目标表), shared by every
//! kind that prints the form (the template component is `targets.typ`).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::figures::DerivedTarget;
use super::input::TargetInput;
use super::layout::TargetLayout;
use crate::load::scalar::Text;
use crate::money;

/// The form's identity texts, resolved by the caller (主管部门 and 实施单位 may come from the
/// document rather than the form).
pub struct TargetIdentity<'a> {
    pub department: &'a str,
    pub department_code: &'a str,
    pub implementer: &'a str,
}

/// The layout's name in the data (`targets.typ` switches on it).
pub fn layout_key(layout: TargetLayout) -> &'static str {
    match layout {
        TargetLayout::Municipal => "municipal",
        TargetLayout::Regional => "regional",
        TargetLayout::County => "county",
    }
}

/// An amount of a form as printed: the decimals it needs, at most two (`60`, `385.4`).
pub fn form_amount(v: Decimal) -> String {
    money::fixed(v, money::round_half_up(v, 2).normalize().scale())
}

/// One form.
pub fn target(t: &TargetInput, d: &DerivedTarget, id: &TargetIdentity) -> Value {
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
    let any = |xs: &[Option<crate::load::scalar::Amount>]| xs.iter().any(Option::is_some);
    json!({
        "name": t.name.as_str().trim(),
        "department": id.department,
        "department_code": id.department_code,
        "implementer": id.implementer,
        "attribute": opt(&t.attribute),
        "period": opt(&t.period),
        "project_total": d.project_total.map(form_amount).unwrap_or_default(),
        "funds": {
            "total": part(any(&[f.fiscal, f.other, f.carryover, f.central, f.regional]), m.total),
            "fiscal": part(f.fiscal.is_some(), m.fiscal),
            "other": part(f.other.is_some(), m.other),
            "carryover": part(f.carryover.is_some(), m.carryover),
            "central": part(f.central.is_some(), m.central),
            "regional": part(f.regional.is_some(), m.regional),
            "local": part(any(&[f.fiscal, f.other, f.carryover]), m.local),
            "transfer": part(any(&[f.central, f.regional]), m.transfer),
            "fiscal_all": part(any(&[f.fiscal, f.carryover, f.central, f.regional]), m.fiscal_all),
        },
        "goals": d.goals,
        "local_goals": d.local_goals,
        "indicator_rows": d.indicator_rows,
        "levels": d.levels.iter().map(|l| json!({
            "label": l.label,
            "span": l.span,
            "groups": l.groups.iter().map(|g| json!({
                "label": g.label,
                "rows": g.rows.iter().map(|r| json!({"name": r.name, "value": r.value})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
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
}
