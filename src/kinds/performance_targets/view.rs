//! render (项目支出预算绩效目标 publication): `/data.json` — the cover notice and every form,
//! each through the shared form view ([`crate::forms::view::target`]).

use serde::Serialize;

use super::rules::ValidatedTargets;
use crate::forms::figures::DerivedTarget;
use crate::forms::view::{FormContext, TargetIdentity, TargetView, target};
use crate::render::common::{FontsView, Identity, trimmed};

/// The publication's identity and titles.
#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    #[serde(flatten)]
    pub identity: Identity,
    pub title: String,
    pub date: Option<String>,
}

/// The cover notice (印发通知).
#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub paragraphs: Vec<String>,
    /// Before the attachment's name (附件：).
    pub attachment_prefix: String,
    pub attachment: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
}

/// `/data.json` of a performance-target publication.
#[derive(Debug, Clone, Serialize)]
pub struct TargetsView {
    pub meta: MetaView,
    pub fonts: FontsView,
    pub notice: Option<NoticeView>,
    pub targets: Vec<TargetView>,
}

/// Builds `/data.json` of a performance-target publication.
pub fn view(v: &ValidatedTargets, derived: &[DerivedTarget]) -> TargetsView {
    let input = v.input();
    let dept = input.department.as_str().trim();
    let year = input.year;
    let profile = v.profile();
    let cx = FormContext {
        profile: &profile.forms,
        year,
        title: trimmed(&input.form_title),
        attachment_label: trimmed(&input.attachment_label),
    };
    let targets = v
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
                implementer_code: t
                    .implementer_code
                    .as_ref()
                    .map(|c| c.as_str())
                    .unwrap_or(""),
            };
            target(t, d, &id, v.layout(), &cx)
        })
        .collect();
    let notice = input.notice.as_ref().map(|n| NoticeView {
        paragraphs: crate::render::common::paragraphs(&n.paragraphs),
        attachment_prefix: profile.words.attachment.clone(),
        attachment: trimmed(&n.attachment),
        issuer: trimmed(&n.issuer),
        date: v.notice_date().map(|d| d.chinese()),
    });
    TargetsView {
        meta: MetaView {
            identity: Identity::new(dept, year, "万元"),
            title: trimmed(&input.title).unwrap_or_else(|| {
                crate::profile::fill(&profile.words.title, &[("year", &year.to_string())])
            }),
            date: v.date().map(|d| d.chinese()),
        },
        fonts: FontsView::of(&input.fonts),
        notice,
        targets,
    }
}
