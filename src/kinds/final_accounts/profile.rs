//! The profile of a 部门决算: its number formats (precision, separators in tables,
//! sentences and percentages, zero-base wording) and every heading, cover line and fixed
//! table word. Embedded in `profile.yaml`; a project overrides any key under `format:` or
//! `words:`. (Which 公开表 print, in which order and with which titles is the `tables:`
//! list, checked against the table ids in `rules.rs`.)

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::profile::Layer;

/// Display precision and separators: a presentation choice, never in the arithmetic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormatSettings {
    /// Decimals of shares (占 X%).
    pub share_decimals: u32,
    /// Decimals of growth rates (增长/下降 X%).
    pub growth_decimals: u32,
    /// Decimals of 完成年初预算的 X%.
    pub completion_decimals: u32,
    /// Decimals of 三公 完成预算的 X%.
    pub three_public_completion_decimals: u32,
    /// Decimals of 执行率 in self-evaluations.
    pub execution_rate_decimals: u32,
    /// Thousands separators in table amounts.
    pub table_separators: bool,
    /// Thousands separators in the amounts of sentences.
    pub text_separators: bool,
    /// Thousands separators inside percentages.
    pub percent_separators: bool,
    /// What a sentence prints for a growth rate against a zero base; none leaves it out.
    pub zero_base: Option<String>,
}

/// The resolved profile of a 部门决算.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalAccountsProfile {
    pub format: FormatSettings,
    pub amount_units: crate::check::Units,
    /// Headings, cover lines and table words by key (placeholders `{department}`,
    /// `{title}`, `{year}`, `{prior}`, `{unit}`; `{id}` in `table_code`).
    pub words: BTreeMap<String, String>,
}

/// The embedded layers.
pub fn layers() -> Vec<Layer> {
    vec![Layer {
        section: "",
        yaml: include_str!("profile.yaml"),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_profile_types() {
        let p: FinalAccountsProfile = crate::profile::defaults(&layers());
        assert_eq!(p.format.completion_decimals, 0);
        assert!(p.words.contains_key("part3"));
    }
}
