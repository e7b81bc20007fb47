//! load: what several kinds' main files share — the font families by role, a glossary
//! (名词解释) that replaces the kind's default, the four 三公 items of one column, and the
//! acknowledged exceptions (`accept:`).

use serde::{Deserialize, Serialize};

use super::scalar::{Amount, Text};

/// Font families by role; each falls back to the embedded open fonts. A department that owns
/// licensed official fonts (仿宋_GB2312, 方正小标宋简体, …) names them here and passes their
/// directory with `--font-path`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FontChoice {
    /// Body text and tables (宋/仿宋 style).
    pub body: Option<Text>,
    /// Headings (黑体 style).
    pub heading: Option<Text>,
    /// Sub-headings (楷体 style).
    pub kai: Option<Text>,
    /// The title page (小标宋 style).
    pub title: Option<Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub term: Text,
    pub text: Text,
}

/// The four 三公 items of one column (预算, 决算 or 执行数), as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreePublicItems {
    pub outbound: Option<Amount>,
    pub vehicle_purchase: Option<Amount>,
    pub vehicle_operation: Option<Amount>,
    pub reception: Option<Amount>,
}

/// One acknowledged exception (`accept:`): a content rule's breach the department publishes
/// as it is (an official figure), where it is, and why.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptEntry {
    /// The rule's ID, e.g. `T06`.
    pub rule: Text,
    /// The key path the problem is reported at (`at` in its message), or a parent of it.
    pub at: Text,
    /// The file it is in, relative to the project (an attachment); the main file if absent.
    #[serde(default)]
    pub file: Option<Text>,
    /// Why the figure is published as it is.
    pub reason: Text,
    /// With rule R08: the figure as the published document prints it, in the table's unit
    /// (a region pack's table cell, named by `at: <table>.<row code or label>.<column figure>`).
    #[serde(default)]
    pub printed: Option<crate::load::scalar::Amount>,
    /// With `printed`: how far it may lie from the derived figure, in the same unit.
    #[serde(default)]
    pub tolerance: Option<crate::load::scalar::Amount>,
}
