//! The 部门预算 (budget, `kind: budget`): 目录, 单位概况, the nine 预算表 (with one 项目支出预算
//! 绩效目标表 per project), the 情况说明 with one sentence per 科目, and the 名词解释.

pub mod figures;
pub mod input;
pub mod pack;
pub mod profile;
pub mod rules;
pub mod sheets;
pub mod sums;
pub mod view;

use crate::catalog::Catalogs;
use crate::diag::Diagnostics;
use crate::forms::input::TargetInput;
use crate::kind::{DocumentKind, MainInput, Meta};
use crate::load::scalar::{Code, Text};
use crate::load::{Loaded, PROJECT_FILE, SourceFile};
use input::BudgetInput;

/// A loaded 部门预算 project.
pub type Project = Loaded<BudgetInput, TargetInput>;

/// `/data.json` of a budget: the built-in edition's, or a region pack's.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum BudgetDocView {
    Edition(Box<view::BudgetView>),
    Pack(Box<crate::pack::engine::PackView>),
}

/// The 部门预算 kind.
pub struct Budget;

impl MainInput<TargetInput> for BudgetInput {
    fn inline(&self) -> &[TargetInput] {
        &self.targets
    }
    fn accept(&self) -> &[crate::load::common::AcceptEntry] {
        &self.accept
    }
    fn catalog(&self) -> Option<(i32, &std::collections::BTreeMap<Code, Text>, Option<&Text>)> {
        Some((self.year, &self.catalog, self.catalog_file.as_ref()))
    }
}

impl DocumentKind for Budget {
    const KEY: &'static str = "budget";
    const DESCRIPTION: &'static str = "部门预算 (budget)";
    const ATTACHMENTS: &'static str = "targets";
    const TEMPLATES: &'static [(&'static str, &'static str)] = &[
        (
            "main.typ",
            include_str!("../../../templates/budget/main.typ"),
        ),
        (
            "style.typ",
            include_str!("../../../templates/common/style.typ"),
        ),
        (
            "tables.typ",
            include_str!("../../../templates/budget/tables.typ"),
        ),
        (
            "narrative.typ",
            include_str!("../../../templates/budget/narrative.typ"),
        ),
        (
            "targets.typ",
            include_str!("../../../templates/common/targets.typ"),
        ),
    ];
    const STARTER: &'static [(&'static str, &'static str)] = &[
        (
            PROJECT_FILE,
            include_str!("../../init/budget/budgetdoc.yaml"),
        ),
        (
            "targets/01-example.yaml",
            include_str!("../../init/budget/targets/01-example.yaml"),
        ),
        (
            "targets/02-example.yaml",
            include_str!("../../init/budget/targets/02-example.yaml"),
        ),
    ];

    type Input = BudgetInput;
    type Attachment = TargetInput;
    type Valid = rules::ValidatedBudget;
    type View = BudgetDocView;
    type Figures = figures::DerivedBudget;

    fn validate(
        loaded: &Project,
        catalogs: &Catalogs,
    ) -> Result<(rules::ValidatedBudget, Diagnostics), Diagnostics> {
        rules::validate(loaded, catalogs)
    }
    fn sheets(data: &serde_json::Value) -> Vec<crate::workbook::Sheet> {
        if data["pack"].is_string() {
            crate::pack::workbook::sheets(data)
        } else {
            sheets::sheets(data)
        }
    }
    fn import(
        book: &crate::workbook::read::Book,
        options: &crate::workbook::project::ImportOptions,
    ) -> Option<Result<crate::workbook::project::Imported, Diagnostics>> {
        if let Some(path) = &options.pack {
            return Some(crate::pack::workbook::import_named(
                book,
                options,
                path,
                Self::KEY,
                &pack::SCHEMA,
            ));
        }
        if let Some(pack) = crate::pack::workbook::detect(book, Self::KEY) {
            return Some(crate::pack::workbook::import(book, options, &pack));
        }
        sheets::import(book, options)
    }
    fn figures(valid: &rules::ValidatedBudget) -> figures::DerivedBudget {
        figures::derive(valid)
    }
    fn meta(valid: &rules::ValidatedBudget, figures: &figures::DerivedBudget) -> Meta {
        Meta {
            department: valid.input().department.as_str().to_string(),
            year: valid.input().year,
            date: valid.date(),
            summary: format!(
                "部门预算, {} units, {} performance-target forms",
                valid.input().units.len(),
                figures.targets.len()
            ),
        }
    }
    fn view(valid: &rules::ValidatedBudget, figures: &figures::DerivedBudget) -> BudgetDocView {
        match valid.pack() {
            Some(r) => {
                let registry = pack::registry(valid);
                let env = crate::pack::engine::Env {
                    pack: &r.pack,
                    schema: pack::SCHEMA,
                    reg: &registry,
                    typed: valid.unit(),
                    fonts: crate::render::common::FontsView::of(&valid.input().fonts),
                    date: valid.date().map(|d| d.chinese()),
                    printed: pack::printed(valid.input()),
                };
                BudgetDocView::Pack(Box::new(crate::pack::engine::view(&env)))
            }
            None => BudgetDocView::Edition(Box::new(view::view(valid, figures))),
        }
    }
    fn templates_of(valid: &rules::ValidatedBudget) -> &'static [(&'static str, &'static str)] {
        if valid.pack().is_some() {
            crate::pack::TEMPLATES
        } else {
            Self::TEMPLATES
        }
    }
    /// R05: the project count typed into `performance.intro` is the number of forms;
    /// R08/A03: the figures accepted as printed.
    fn check_figures(
        main: &SourceFile,
        valid: &rules::ValidatedBudget,
        figures: &figures::DerivedBudget,
    ) -> Diagnostics {
        let mut out = Diagnostics::default();
        let cells = match Self::view(valid, figures) {
            BudgetDocView::Pack(v) => Some(crate::pack::engine::cells(&v)),
            BudgetDocView::Edition(_) => None,
        };
        out.extend(crate::check::accept::check_printed(
            main,
            &valid.input().accept,
            cells.as_ref(),
        ));
        if !figures.targets.is_empty() {
            out.extend(crate::check::free_text::check_project_count(
                main,
                "performance.intro",
                figures.targets.len(),
                "the number of performance-target forms",
            ));
        }
        out
    }
}
