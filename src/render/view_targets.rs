//! render: the JSON of one performance-target form (项目支出预算绩效目标表), shared by every
//! document kind that prints the form; the template component is `targets.typ`.

use serde_json::{Value, json};

use crate::derive::targets::DerivedTarget;
use crate::load::TargetInput;

/// The form's identity texts, resolved by the caller (主管部门 and 实施单位 may come from the
/// document rather than the form).
pub struct TargetIdentity<'a> {
    pub department: &'a str,
    pub department_code: &'a str,
    pub implementer: &'a str,
}

/// One form, every amount formatted by `amount`.
pub fn target(
    t: &TargetInput,
    d: &DerivedTarget,
    id: &TargetIdentity,
    amount: &dyn Fn(rust_decimal::Decimal) -> String,
) -> Value {
    let opt = |x: &Option<crate::load::scalar::Text>| {
        x.as_ref()
            .map(|t| t.as_str().trim())
            .unwrap_or("")
            .to_string()
    };
    json!({
        "name": t.name.as_str().trim(),
        "department": id.department,
        "department_code": id.department_code,
        "implementer": id.implementer,
        "attribute": opt(&t.attribute),
        "period": opt(&t.period),
        "funds": {
            "total": amount(d.total),
            "fiscal": amount(d.fiscal),
            "other": amount(d.other),
        },
        "goals": d.goals,
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
