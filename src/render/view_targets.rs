//! render: the JSON of performance-target forms (项目支出预算绩效目标表), shared by every
//! document kind that prints the form (the template component is `targets.typ`), and the
//! `/data.json` of a standalone performance-target publication.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::derive::targets::{DerivedTarget, TargetLayout};
use crate::load::TargetInput;
use crate::load::scalar::Text;
use crate::money;
use crate::validate::Date;
use crate::validate::targets::ValidatedTargets;

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

fn date_cn(d: Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// Builds `/data.json` of a performance-target publication.
pub fn view(v: &ValidatedTargets, derived: &[DerivedTarget]) -> Value {
    let input = v.input();
    let text = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().trim().to_string());
    let dept = input.department.as_str().trim();
    let year = input.year;
    let targets: Vec<Value> = v
        .targets()
        .iter()
        .zip(derived)
        .map(|(t, d)| {
            let id = TargetIdentity {
                department: t
                    .department
                    .as_ref()
                    .map(|x| x.as_str().trim())
                    .unwrap_or(dept),
                department_code: t.department_code.as_ref().map(|c| c.as_str()).unwrap_or(""),
                implementer: t
                    .implementer
                    .as_ref()
                    .map(|x| x.as_str().trim())
                    .unwrap_or(dept),
            };
            target(t, d, &id)
        })
        .collect();
    let notice = input.notice.as_ref().map(|n| {
        json!({
            "paragraphs": n.paragraphs.iter().map(|p| p.as_str().trim()).collect::<Vec<_>>(),
            "attachment": text(&n.attachment),
            "issuer": text(&n.issuer),
            "date": v.notice_date().map(date_cn),
        })
    });
    let fonts = &input.fonts;
    json!({
        "meta": {
            "department": dept,
            "year": year.to_string(),
            "prior_year": (year - 1).to_string(),
            "unit": "万元",
            "title": text(&input.title).unwrap_or_else(|| format!("{year}年项目支出预算绩效目标")),
            "form_title": text(&input.form_title).unwrap_or_else(|| format!("{year}年部门项目支出预算绩效目标表")),
            "attachment_label": text(&input.attachment_label),
            "layout": layout_key(v.layout()),
            "date": v.date().map(date_cn),
        },
        "fonts": {
            "body": text(&fonts.body), "heading": text(&fonts.heading),
            "kai": text(&fonts.kai), "title": text(&fonts.title),
        },
        "notice": notice,
        "targets": targets,
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
