//! load (项目支出预算绩效目标 publication): the serde types of `budgetdoc.yaml` — the layout,
//! the titles and the cover notice; the forms themselves are [`crate::forms::input`].

use serde::{Deserialize, Serialize};

use crate::forms::input::TargetInput;
use crate::load::common::{AcceptEntry, FontChoice};
use crate::load::scalar::Text;

/// Top level of `budgetdoc.yaml` for `kind: performance-targets`: a publication of project
/// performance targets (项目支出预算绩效目标), one form per file in `targets/`.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetsDocumentInput {
    pub kind: Text,
    /// The publishing body.
    pub department: Text,
    pub year: i32,
    /// The official form: 自治区本级, 市级 or 县级.
    pub layout: Text,
    /// Always 万元 (the forms' unit); accepted for symmetry with the other kinds.
    #[serde(default)]
    pub unit: Option<Text>,
    /// Publication date `YYYY-MM-DD` (the PDF's date).
    #[serde(default)]
    pub date: Option<Text>,
    /// The cover notice's title, e.g. 2024年自治区本级部门项目支出预算绩效目标.
    #[serde(default)]
    pub title: Option<Text>,
    /// Each form's title.
    #[serde(default)]
    pub form_title: Option<Text>,
    /// A label printed above each form, e.g. 附件3.
    #[serde(default)]
    pub attachment_label: Option<Text>,
    #[serde(default)]
    pub notice: Option<Notice>,
    #[serde(default)]
    pub fonts: FontChoice,
    /// Profile overrides (see the README's profile reference): the words around the forms.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub words: Option<serde_yaml::Value>,
    /// Profile overrides: the forms' words and printing choices.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub forms: Option<serde_yaml::Value>,
    /// Acknowledged exceptions: content-rule breaches published as they are.
    #[serde(default)]
    pub accept: Vec<AcceptEntry>,
    /// Only in single-file projects; directory projects use `targets/*.yaml`.
    #[serde(
        default,
        deserialize_with = "crate::load::scalar::in_ten_thousand_yuan"
    )]
    pub targets: Vec<TargetInput>,
}

/// The cover notice: 根据…予以公开, the attachment's name, the issuer and the date.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    #[serde(default)]
    pub paragraphs: Vec<Text>,
    #[serde(default)]
    pub attachment: Option<Text>,
    #[serde(default)]
    pub issuer: Option<Text>,
    /// `YYYY-MM-DD`, printed as 2024年2月28日.
    #[serde(default)]
    pub date: Option<Text>,
}
