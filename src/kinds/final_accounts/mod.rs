//! The 部门决算 (final accounts, `kind: final-accounts`): 目录, 单位概况, the nine 公开表, the
//! ten sections of the 情况说明, the 名词解释 and the 项目支出绩效自评表 attachment.

pub mod evaluation;
pub mod figures;
pub mod input;
pub mod profile;
pub mod rules;
pub mod sheets;
pub mod statements;
pub mod view;

use crate::catalog::Catalogs;
use crate::diag::Diagnostics;
use crate::kind::{DocumentKind, MainInput, Meta};
use crate::load::scalar::{Code, Text};
use crate::load::{Loaded, PROJECT_FILE};
use input::{EvaluationInput, FinalAccountsInput};

/// A loaded 部门决算 project.
pub type Project = Loaded<FinalAccountsInput, EvaluationInput>;

/// The 部门决算 kind.
pub struct FinalAccounts;

impl MainInput<EvaluationInput> for FinalAccountsInput {
    fn inline(&self) -> &[EvaluationInput] {
        &self.evaluations
    }
    fn accept(&self) -> &[crate::load::common::AcceptEntry] {
        &self.accept
    }
    fn catalog(&self) -> Option<(i32, &std::collections::BTreeMap<Code, Text>, Option<&Text>)> {
        Some((self.year, &self.catalog, self.catalog_file.as_ref()))
    }
}

impl DocumentKind for FinalAccounts {
    const KEY: &'static str = "final-accounts";
    const DESCRIPTION: &'static str = "部门决算 (final accounts)";
    const ATTACHMENTS: &'static str = "evaluations";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "main.typ",
            include_str!("../../../templates/final-accounts/main.typ"),
        ),
        (
            "style.typ",
            include_str!("../../../templates/common/style.typ"),
        ),
        (
            "tables.typ",
            include_str!("../../../templates/final-accounts/tables.typ"),
        ),
        (
            "narrative.typ",
            include_str!("../../../templates/final-accounts/narrative.typ"),
        ),
        (
            "evaluation.typ",
            include_str!("../../../templates/final-accounts/evaluation.typ"),
        ),
    ];
    const STARTER: &'static [(&'static str, &'static str)] = &[
        (
            PROJECT_FILE,
            include_str!("../../init/final-accounts/budgetdoc.yaml"),
        ),
        (
            "evaluations/01-example.yaml",
            include_str!("../../init/final-accounts/evaluations/01-example.yaml"),
        ),
    ];

    type Input = FinalAccountsInput;
    type Attachment = EvaluationInput;
    type Valid = rules::Validated;
    type View = view::FinalAccountsView;
    type Figures = figures::Derived;

    fn validate(
        loaded: &Project,
        catalogs: &Catalogs,
    ) -> Result<(rules::Validated, Diagnostics), Diagnostics> {
        rules::validate(loaded, catalogs)
    }
    fn sheets(data: &serde_json::Value) -> Vec<crate::workbook::Sheet> {
        sheets::sheets(data)
    }
    fn import(
        book: &crate::workbook::read::Book,
        options: &crate::workbook::project::ImportOptions,
    ) -> Option<Result<crate::workbook::project::Imported, Diagnostics>> {
        sheets::import(book, options)
    }
    fn figures(valid: &rules::Validated) -> figures::Derived {
        figures::derive(valid)
    }
    fn meta(valid: &rules::Validated, figures: &figures::Derived) -> Meta {
        Meta {
            department: valid.input().department.as_str().to_string(),
            year: valid.input().year,
            date: valid.date(),
            summary: format!(
                "{}, {} self-evaluations",
                "部门决算",
                figures.evaluations.len()
            ),
        }
    }
    fn view(valid: &rules::Validated, figures: &figures::Derived) -> view::FinalAccountsView {
        view::view(valid, figures)
    }
}
