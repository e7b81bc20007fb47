//! render (项目支出预算绩效目标 publication): `/data.json` — the cover notice and every form,
//! each through the shared form view ([`crate::forms::view::target`]).

use serde_json::{Value, json};

use super::rules::ValidatedTargets;
use crate::forms::figures::DerivedTarget;
use crate::forms::view::{TargetIdentity, layout_key, target};
use crate::load::scalar::Text;

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
            "date": v.notice_date().map(|d| d.chinese()),
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
            "date": v.date().map(|d| d.chinese()),
        },
        "fonts": {
            "body": text(&fonts.body), "heading": text(&fonts.heading),
            "kai": text(&fonts.kai), "title": text(&fonts.title),
        },
        "notice": notice,
        "targets": targets,
    })
}
