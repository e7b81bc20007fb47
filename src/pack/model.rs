//! load: the serde types of a region pack, field for field as a finance office writes it.
//! Every field has a default, so that a pack extending another types on its own; what a
//! complete pack must hold is checked after the layers are merged ([`super::check`]).

use std::collections::BTreeMap;

use serde::Deserialize;

/// A region's edition of one document kind: its parts, tables and sentences.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pack {
    /// The name projects give as `region:` (`shanghai-district`).
    pub name: String,
    /// The document kind it is an edition of (`budget`).
    pub kind: String,
    /// One line for `init --help`: what the edition is.
    pub description: String,
    /// A pack this one changes: a shipped pack's name, or a file beside this one.
    pub extends: Option<String>,
    /// Facts of the project the edition needs, each checked by `check`.
    pub requires: Vec<Required>,
    /// How amounts print in the tables and in the sentences.
    pub numbers: PackNumbers,
    /// The ordinal of a numbered section at each level: `{cn}` a Chinese numeral, `{n}` an
    /// Arabic one (`"{cn}、"`, `"（{cn}）"`, `"{n}."`).
    pub numbering: Vec<String>,
    /// The words of comparisons: `up`, `down`, `same` (增加, 减少, 持平).
    pub words: BTreeMap<String, String>,
    pub cover: Cover,
    /// The 目录's title; none prints no 目录.
    pub contents: Option<String>,
    /// The parts in order (level 1 sections).
    pub parts: Vec<Section>,
    /// The tables by id; the parts place them (`table: id`).
    pub tables: BTreeMap<String, Table>,
    /// The 名词解释 the edition prints when a project types none.
    pub glossary: Vec<Term>,
}

/// A fact a project of this edition must type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Required {
    /// Its key path in `budgetdoc.yaml` (`locality`, `prior_budget.general_budget`).
    pub key: String,
    /// What it is for, and how to type it.
    pub hint: String,
}

/// The number styles of the document's two places.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PackNumbers {
    pub tables: NumberStyle,
    pub text: NumberStyle,
}

/// How amounts print in one place.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NumberStyle {
    /// 元 or 万元.
    pub unit: String,
    pub decimals: u32,
    /// Thousands separators (`1,234`).
    pub separators: bool,
}

impl Default for NumberStyle {
    fn default() -> Self {
        Self {
            unit: "万元".into(),
            decimals: 2,
            separators: false,
        }
    }
}

/// The cover page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cover {
    /// Skeletons, one line each, largest first.
    pub lines: Vec<String>,
}

/// A part or a section of one: a numbered (or not) heading, its blocks, its sections.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Section {
    pub title: String,
    /// Whether the title carries the level's ordinal (default yes).
    pub numbered: Option<bool>,
    /// The ordinal format of this section when it is not its level's (`"{cn}、"`).
    pub numbering: Option<String>,
    /// Whether the section starts a page (default: parts do, sections do not).
    pub page_break: Option<bool>,
    pub blocks: Vec<Block>,
    pub sections: Vec<Section>,
}

/// One block of a section: exactly one of its kind keys is set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Block {
    /// An unnumbered heading (a skeleton), centred.
    pub heading: Option<String>,
    /// A sentence skeleton; left out when a slot outside `[…]` has no figure.
    pub paragraph: Option<String>,
    /// What a `paragraph` prints instead when it is left out.
    pub otherwise: Option<String>,
    /// The project's typed paragraphs of that name (`duties`, `composition`,
    /// `other_matters`, or a free-text section `paragraphs.<name>`).
    pub texts: Option<String>,
    /// A table, by id.
    pub table: Option<String>,
    /// The 名词解释: the project's, or the pack's.
    pub glossary: Option<bool>,
    /// Repeats `blocks` for each item of a row source (`functional`, `units`, `projects`).
    pub each: Option<String>,
    /// With `each`: the levels of the source to take (`[项]`); all when none.
    pub levels: Vec<String>,
    /// With `each`: only items whose figure of that name is not nothing or 0.
    #[serde(rename = "where")]
    pub filter: Option<String>,
    pub blocks: Vec<Block>,
    /// Printed only when this figure is typed and not 0.
    pub when: Option<String>,
    /// Printed only when this figure is typed as 0 (what a document says of none).
    pub unless: Option<String>,
}

/// A table: title, unit line, header tree, rows; one side, or two side by side (收入 | 支出).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Table {
    /// A skeleton (`{year}年部门收入预算总表`).
    pub title: String,
    /// 元 or 万元; the pack's table unit when none.
    pub unit: Option<String>,
    pub decimals: Option<u32>,
    pub columns: Vec<Column>,
    pub rows: Vec<RowGroup>,
    /// Two or more sides laid side by side, instead of `columns`/`rows`.
    pub sides: Vec<Side>,
    /// The note printed under the table when its source rows are empty (a skeleton).
    pub empty: Option<String>,
    /// A note always printed under the table.
    pub note: Option<String>,
}

/// One side of a table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Side {
    pub columns: Vec<Column>,
    pub rows: Vec<RowGroup>,
    /// The side's last row (收入总计), printed level with the other sides' footers.
    pub footer: Option<RowGroup>,
}

/// A column, or a header over columns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Column {
    pub header: String,
    /// A text of the row: `label`, `code` or `name`.
    pub field: Option<String>,
    /// The figure of a row source's row this column prints (`total`, `basic`, …); fixed
    /// rows give theirs in `values`.
    pub figure: Option<String>,
    pub children: Vec<Column>,
}

/// Rows of a table: one fixed row (`label` and `values`), or a source's rows (with their
/// total row when `total` is set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RowGroup {
    /// A fixed row's label (a skeleton).
    pub label: Option<String>,
    /// A fixed row's figures, one per figure column in order (`""` leaves a cell empty).
    pub values: Vec<String>,
    /// A row source: `functional`, `economic`, `units`, `projects`.
    pub source: Option<String>,
    pub levels: Vec<String>,
    #[serde(rename = "where")]
    pub filter: Option<String>,
    /// The label of the source's total row; no total row when none.
    pub total: Option<String>,
    /// Where the total row prints: `top` (default) or `bottom`.
    pub total_at: Option<String>,
    /// The label of each source row (a skeleton over the row: `{ordinal}、{name}`); its
    /// name when none.
    pub row_label: Option<String>,
}

/// A term of the 名词解释.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Term {
    pub term: String,
    pub text: String,
}
