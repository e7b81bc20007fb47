//! The forms' funds as a workbook sheet (export), and a workbook with such a sheet into a
//! performance-target publication with one form per row (import): the layout is the one
//! whose funds columns the sheet has; goals and indicators are left as marked placeholders.

use serde_json::Value as Json;

use crate::diag::Diagnostics;
use crate::forms::layout::TargetLayout;
use crate::forms::sheets::{form_file, form_node, form_text, funds_sheet, read_funds, targets_of};
use crate::workbook::locate::{self, Reading};
use crate::workbook::project::{ImportOptions, Imported, Node, PLACEHOLDER};
use crate::workbook::read::Book;
use crate::workbook::{Sheet, text};

/// The name of the funds sheet.
const SHEET: &str = "项目资金";

pub fn sheets(d: &Json) -> Vec<Sheet> {
    let publisher = format!("部门：{}", text(&d["meta"]["department"]));
    funds_sheet(targets_of(d), SHEET, &publisher)
        .into_iter()
        .collect()
}

pub fn import(book: &Book, options: &ImportOptions) -> Option<Result<Imported, Diagnostics>> {
    let mut reading = Reading::default();
    let (grid, layout, rows) = read_funds(book, &[SHEET], &mut reading)?;
    let id = locate::identity(book);
    let mut errors = Diagnostics::default();
    let mut root = Node::map();
    locate::identity_lines(
        &mut root,
        "performance-targets",
        &id,
        options.year,
        &mut errors,
    );
    root.set(
        "layout",
        Node::raw(match layout {
            TargetLayout::Regional => "自治区本级",
            TargetLayout::Municipal => "市级",
            TargetLayout::County => "县级",
        }),
    );
    let title = grid.text(0, 0);
    if !title.is_empty() {
        root.set("form_title", Node::text_from(&title, &grid.place(0, 0)));
    }
    root.set("title", Node::text(&format!("{PLACEHOLDER}封面标题")));
    let source = book.file_name();
    let mut files = vec![(
        crate::load::PROJECT_FILE.to_string(),
        format!(
            "{}\n\n{}",
            crate::workbook::project::header(
                &source,
                &format!(
                    ": one form per row of `{}` in targets/.",
                    crate::workbook::project::comment(&grid.name)
                )
            ),
            root.to_yaml()
        ),
    )];
    let mut facts = 0;
    for (i, row) in rows.iter().enumerate() {
        let (node, n) = form_node(row, layout, &mut reading, &[]);
        facts += n;
        files.push((
            form_file(crate::load::TARGETS_DIR, i),
            form_text(&node, &source),
        ));
    }
    errors.extend(std::mem::take(&mut reading.errors));
    if errors.has_errors() {
        return Some(Err(errors));
    }
    Some(Ok(Imported {
        files,
        warnings: reading.warnings,
        located: reading.located,
        facts,
    }))
}
