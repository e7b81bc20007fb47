//! The profile of a performance-target publication: the words around its forms and the
//! forms' own profile, from the layout (and year) chosen by `layout:`. Embedded in
//! `profile.yaml` over the form's layout; a project overrides any key under `words:` or
//! `forms:`.

use serde::Deserialize;

use crate::forms::layout::TargetLayout;
use crate::forms::profile::FormProfile;
use crate::profile::Layer;

/// The words around the forms.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsWords {
    /// The notice's title when `title:` is not typed (`{year}`).
    pub title: String,
    /// Before the notice's attachment name.
    pub attachment: String,
}

/// The resolved profile of a performance-target publication.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsProfile {
    pub words: TargetsWords,
    pub forms: FormProfile,
}

/// The embedded layers for `layout` in `year`.
pub fn layers(layout: TargetLayout, year: i32) -> Vec<Layer> {
    let mut layers = crate::forms::profile::layers(layout, year);
    layers.push(Layer {
        section: "",
        yaml: include_str!("profile.yaml"),
    });
    layers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_types() {
        for layout in [
            TargetLayout::Municipal,
            TargetLayout::Regional,
            TargetLayout::County,
        ] {
            let p: TargetsProfile = crate::profile::defaults(&layers(layout, 2024));
            assert_eq!(p.forms.title, "{year}年部门项目支出预算绩效目标表");
        }
    }
}
