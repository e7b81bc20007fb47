//! validate (项目支出预算绩效目标 publication): the document's settings (layout, dates, that
//! it has forms) and each form's rules ([`crate::forms::rules`]); only this builds
//! [`ValidatedTargets`].

use super::TargetsProject;
use super::input::TargetsDocumentInput;
use super::profile::TargetsProfile;
use crate::catalog::Catalogs;
use crate::check::{Checker, Date, Unit};
use crate::diag::Diagnostics;
use crate::forms::input::TargetInput;
use crate::forms::layout::TargetLayout;
use crate::rules;

/// The validated performance-target publication: the only input its derive accepts.
#[derive(Debug, Clone)]
pub struct ValidatedTargets {
    input: TargetsDocumentInput,
    targets: Vec<TargetInput>,
    layout: TargetLayout,
    profile: TargetsProfile,
    date: Option<Date>,
    notice_date: Option<Date>,
}

impl ValidatedTargets {
    pub fn input(&self) -> &TargetsDocumentInput {
        &self.input
    }
    pub fn targets(&self) -> &[TargetInput] {
        &self.targets
    }
    pub fn layout(&self) -> TargetLayout {
        self.layout
    }
    pub fn profile(&self) -> &TargetsProfile {
        &self.profile
    }
    pub fn date(&self) -> Option<Date> {
        self.date
    }
    /// The notice's date (printed under the issuer).
    pub fn notice_date(&self) -> Option<Date> {
        self.notice_date
    }
}

/// Runs every rule of a performance-target publication.
pub fn validate(loaded: &TargetsProject) -> Result<(ValidatedTargets, Diagnostics), Diagnostics> {
    let no_catalogs = Catalogs::default();
    let mut v = Checker::new(loaded, &no_catalogs);
    let input = &loaded.main;
    let (unit, date) = v.check_settings(
        input.unit.as_ref(),
        input.year,
        input.date.as_ref(),
        &input.department,
        Unit::TenThousandYuan,
    );
    if unit != Unit::TenThousandYuan {
        v.report(
            &rules::U01,
            "unit",
            "performance-target forms are in 万元",
            "remove `unit:` or write `unit: 万元`",
        );
    }
    let layout = TargetLayout::parse(input.layout.as_str()).unwrap_or_else(|| {
        v.report(
            &rules::U01,
            "layout",
            format!("unknown layout `{}`", input.layout.as_str()),
            "write `layout: 自治区本级`, `layout: 市级` or `layout: 县级`",
        );
        TargetLayout::Municipal
    });
    let profile: TargetsProfile = v.profile(
        &super::profile::layers(layout, input.year),
        &[
            ("words", input.words.as_ref()),
            ("forms", input.forms.as_ref()),
        ],
    );
    let notice_date = input
        .notice
        .as_ref()
        .and_then(|n| n.date.as_ref())
        .and_then(|d| {
            let parsed = crate::check::parse_date(d.as_str());
            if parsed.is_none() {
                v.report(
                    &rules::U01,
                    "notice.date",
                    format!("`{}` is not a date", d.as_str()),
                    "write the notice's date as YYYY-MM-DD, e.g. `date: 2024-02-28`",
                );
            }
            parsed
        });
    if loaded.attachments.is_empty() {
        v.report(
            &rules::L03,
            "",
            "the publication has no forms",
            "add one YAML file per project under `targets/`",
        );
    }
    for (origin, t) in &loaded.attachments {
        v.origin = origin.clone();
        v.check_target(t, false, &profile.forms);
    }
    let mut diags = v.diags;
    if diags.has_errors() {
        let missed = v.acceptance.missed(&diags);
        diags.extend(missed);
        return Err(diags);
    }
    Ok((
        ValidatedTargets {
            input: input.clone(),
            targets: loaded.attachments.iter().map(|(_, t)| t.clone()).collect(),
            layout,
            profile,
            date,
            notice_date,
        },
        diags,
    ))
}
