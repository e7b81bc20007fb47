//! A publication of project performance targets (项目支出预算绩效目标, `kind:
//! performance-targets`): a cover notice and one form per project, in the 自治区本级, 市级 or
//! 县级 layout of the shared form ([`crate::forms`]).

pub mod input;
pub mod profile;
pub mod rules;
pub mod sheets;
pub mod view;

use crate::catalog::Catalogs;
use crate::diag::Diagnostics;
use crate::forms::figures::{self, DerivedTarget};
use crate::forms::input::TargetInput;
use crate::kind::{DocumentKind, MainInput, Meta};
use crate::load::{Loaded, PROJECT_FILE};
use input::TargetsDocumentInput;

/// A loaded performance-target publication.
pub type TargetsProject = Loaded<TargetsDocumentInput, TargetInput>;

/// The performance-target publication kind.
pub struct PerformanceTargets;

impl MainInput<TargetInput> for TargetsDocumentInput {
    fn inline(&self) -> &[TargetInput] {
        &self.targets
    }
    fn accept(&self) -> &[crate::load::common::AcceptEntry] {
        &self.accept
    }
}

impl DocumentKind for PerformanceTargets {
    const KEY: &'static str = "performance-targets";
    const DESCRIPTION: &'static str = "项目支出预算绩效目标 (a performance-target publication)";
    const ATTACHMENTS: &'static str = "targets";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "main.typ",
            include_str!("../../../templates/performance-targets/main.typ"),
        ),
        (
            "style.typ",
            include_str!("../../../templates/common/style.typ"),
        ),
        (
            "targets.typ",
            include_str!("../../../templates/common/targets.typ"),
        ),
    ];
    const STARTER: &'static [(&'static str, &'static str)] = &[
        (
            PROJECT_FILE,
            include_str!("../../init/performance-targets/budgetdoc.yaml"),
        ),
        (
            "targets/01-example.yaml",
            include_str!("../../init/performance-targets/targets/01-example.yaml"),
        ),
    ];

    type Input = TargetsDocumentInput;
    type Attachment = TargetInput;
    type View = view::TargetsView;
    type Valid = rules::ValidatedTargets;
    type Figures = Vec<DerivedTarget>;

    fn validate(
        loaded: &TargetsProject,
        _catalogs: &Catalogs,
    ) -> Result<(rules::ValidatedTargets, Diagnostics), Diagnostics> {
        rules::validate(loaded)
    }
    fn sheets(data: &serde_json::Value) -> Vec<crate::workbook::Sheet> {
        sheets::sheets(data)
    }
    fn import(
        book: &crate::workbook::read::Book,
        options: &crate::workbook::project::ImportOptions,
    ) -> Option<Result<crate::workbook::project::Imported, crate::diag::Diagnostics>> {
        sheets::import(book, options)
    }
    fn figures(valid: &rules::ValidatedTargets) -> Vec<DerivedTarget> {
        valid
            .targets()
            .iter()
            .map(|t| figures::derive(t, &valid.profile().forms))
            .collect()
    }
    fn meta(valid: &rules::ValidatedTargets, figures: &Vec<DerivedTarget>) -> Meta {
        Meta {
            department: valid.input().department.as_str().to_string(),
            year: valid.input().year,
            date: valid.date(),
            summary: format!("项目支出预算绩效目标, {} forms", figures.len()),
        }
    }
    fn view(valid: &rules::ValidatedTargets, figures: &Vec<DerivedTarget>) -> view::TargetsView {
        view::view(valid, figures)
    }
}
