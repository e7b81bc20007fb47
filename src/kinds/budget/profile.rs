//! The profile of a 部门预算: its number formats, the unit (`amount_units`) of its tables, of its 三公 table
//! and of its sentences, every heading and cover line, the table list (order, titles,
//! ordinals, empty-table notes) and the forms of 表九. Embedded in `profile.yaml` over the
//! 市级 form; a project overrides any key with the same sections in its `budgetdoc.yaml`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::forms::layout::TargetLayout;
use crate::forms::profile::FormProfile;
use crate::profile::Layer;

/// Display settings: a presentation choice, never in the arithmetic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFormat {
    /// Decimals of amounts.
    pub amount_decimals: u32,
    /// Decimals of amounts per part, where they differ from `amount_decimals` (the 上海
    /// tables print whole 元 while their text prints 万元 with 2 decimals).
    pub decimals: PartDecimals,
    /// Decimals of percentages (增减%, 占 X%, 增长/下降 X%).
    pub percent_decimals: u32,
    /// Thousands separators in table amounts.
    pub table_separators: bool,
    /// Thousands separators in the amounts of sentences.
    pub text_separators: bool,
    /// Thousands separators inside percentages.
    pub percent_separators: bool,
    /// Print a zero amount as `0` (instead of `0.00`).
    pub zero_as_integer: bool,
    /// Print a percentage in a sentence that rounds to a whole number without decimals
    /// (`占 100%`); table columns keep their decimals.
    pub whole_percent_as_integer: bool,
    /// What a sentence prints for a growth rate against a zero base; none leaves it out.
    pub zero_base: Option<String>,
}

/// The decimals of each part of the document; none: `amount_decimals`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartDecimals {
    pub tables: Option<u32>,
    pub three_public: Option<u32>,
    pub text: Option<u32>,
}

/// One table of the document: its key (`t1`…`t9`), title, ordinal (一, 二, … by position
/// unless given) and what it prints when it has no rows (a zero row unless a note is given).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSetting {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub ordinal: Option<String>,
    #[serde(default)]
    pub empty_note: Option<String>,
}

/// The resolved profile of a 部门预算.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetProfile {
    pub format: BudgetFormat,
    pub amount_units: crate::check::Units,
    /// Headings, cover lines and fixed sentences by key (placeholders: `{department}`,
    /// `{title}`, `{year}`, `{prior}`, `{part}`, `{ordinal}`, `{unit}`).
    pub words: BTreeMap<String, String>,
    pub tables: Vec<TableSetting>,
    pub forms: FormProfile,
}

/// The embedded layers of a budget published in `year`.
pub fn layers(year: i32) -> Vec<Layer> {
    let mut layers = crate::forms::profile::layers(TargetLayout::Municipal, year);
    layers.push(Layer {
        section: "",
        yaml: include_str!("profile.yaml"),
    });
    layers
}

/// The tables a budget can print.
pub const TABLE_IDS: [&str; 9] = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_profile_types_and_lists_every_table() {
        let p: BudgetProfile = crate::profile::defaults(&layers(2024));
        let ids: Vec<&str> = p.tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, TABLE_IDS);
        assert_eq!(p.forms.title, "部门项目支出预算绩效目标表");
        assert!(p.words.contains_key("part_header"));
    }
}
