//! The form's profile: every word and printing choice of a 项目支出预算绩效目标表 that varies
//! by region, year or layout — its fixed cells, the indicator header, the 一级/二级 labels,
//! which 二级 rows always print, numbering, amount decimals, blank or zero amounts, codes
//! beside names, explicit empty rows. Embedded per layout in `profiles/*.yaml` (a year's
//! variant layered over its layout); a project overrides any key under `forms:`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::layout::TargetLayout;
use crate::profile::Layer;

/// One 二级 group's label, and whether its row prints with no indicator typed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupWords {
    pub label: String,
    pub always: bool,
}

/// The indicator block's column header.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Above the merged lead column (绩效指标), in layouts that have one.
    pub name: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    /// 指标值 / 绩效值.
    pub value: String,
}

/// How a zero amount prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ZeroAmounts {
    /// `0`.
    Number,
    /// An empty cell.
    Blank,
}

/// The resolved profile of the form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormProfile {
    /// The form's title (`{year}` is replaced); a document's `form_title` wins.
    pub title: String,
    /// The line under the title, e.g. `（{year}年度）`.
    pub year_line: String,
    pub unit_line: String,
    /// Printed above every form (附件3); a form's own `attachment_label` wins.
    pub attachment_label: Option<String>,
    /// The layout's fixed cells by key (a line break is `\n`).
    pub labels: BTreeMap<String, String>,
    pub header: Header,
    /// The 一级 labels: `output`, `effect`, `satisfaction`.
    pub level1: BTreeMap<String, String>,
    /// The nine 二级 groups by key (`quantity`, …, `service_recipients`).
    pub groups: BTreeMap<String, GroupWords>,
    /// A 三级指标 as printed: `{name}`, `{n}` its number in the group.
    pub indicator: String,
    /// Numbered rows each group offers even when fewer indicators are typed (县级: 2).
    pub numbered_rows: usize,
    /// A continuation row closing each group (县级 `.....`), or none.
    pub continuation: Option<String>,
    /// A goal as printed when there are several: `{n}`, `{goal}`.
    pub goal: String,
    /// The goal as printed when it is the only one.
    pub single_goal: String,
    /// Decimals of amounts: a number prints exactly that many; null the ones the amount
    /// needs (at most two: `60`, `385.4`).
    pub amount_decimals: Option<u32>,
    pub zero_amounts: ZeroAmounts,
    /// 主管部门 as printed: `{name}`, `{code}` (the name alone when there is no code).
    pub department: String,
    /// 实施单位 as printed, the same way.
    pub implementer: String,
    /// Whether an indicator with neither name nor value is an explicit empty row (printed)
    /// rather than a mistake (L03).
    pub empty_rows: bool,
}

const MUNICIPAL: &str = include_str!("profiles/municipal.yaml");
const REGIONAL: &str = include_str!("profiles/regional.yaml");
const REGIONAL_2022: &str = include_str!("profiles/regional-2022.yaml");
const COUNTY: &str = include_str!("profiles/county.yaml");

/// The last year the 自治区本级 form was printed the 2022 way.
const REGIONAL_2022_UNTIL: i32 = 2022;

/// The embedded layers of the form's profile in `layout` for `year`, as the `forms` section
/// of a kind's profile.
pub fn layers(layout: TargetLayout, year: i32) -> Vec<Layer> {
    let layer = |yaml| Layer {
        section: "forms",
        yaml,
    };
    match layout {
        TargetLayout::Municipal => vec![layer(MUNICIPAL)],
        TargetLayout::Regional if year <= REGIONAL_2022_UNTIL => {
            vec![layer(REGIONAL), layer(REGIONAL_2022)]
        }
        TargetLayout::Regional => vec![layer(REGIONAL)],
        TargetLayout::County => vec![layer(COUNTY)],
    }
}

impl FormProfile {
    /// The label of the 二级 group `key` (the last segment of its key path).
    pub fn group(&self, key: &str) -> Option<&GroupWords> {
        self.groups.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Only {
        forms: FormProfile,
    }

    #[test]
    fn every_embedded_layout_types_and_names_every_group() {
        for (layout, year) in [
            (TargetLayout::Municipal, 2024),
            (TargetLayout::Regional, 2024),
            (TargetLayout::Regional, 2022),
            (TargetLayout::County, 2024),
        ] {
            let p: Only = crate::profile::defaults(&layers(layout, year));
            for (path, ..) in super::super::indicators::INDICATOR_GROUPS {
                let key = path.rsplit('.').next().unwrap();
                assert!(p.forms.group(key).is_some(), "{layout:?} {year}: {key}");
            }
            for key in ["output", "effect", "satisfaction"] {
                assert!(p.forms.level1.contains_key(key));
            }
        }
        let p: Only = crate::profile::defaults(&layers(TargetLayout::Regional, 2022));
        assert_eq!(p.forms.header.value, "指标值");
        assert_eq!(p.forms.groups["quantity"].label, "11-数量指标");
        assert!(!p.forms.groups["quantity"].always);
    }
}
