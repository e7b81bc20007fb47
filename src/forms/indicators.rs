//! load: the one indicator tree of the 项目支出 forms (the self-evaluation of a 部门决算 and
//! the performance-target form): 一级指标 → 二级指标 → the typed 三级 rows, with the labels
//! and key paths of its nine 二级 groups in form order. Every kind walks it through
//! [`INDICATOR_GROUPS`] and [`Indicators::groups`]; nothing else lists the tree.

use serde::{Deserialize, Serialize};

/// 产出指标, by 二级指标. `I` is the indicator row of the form (a self-evaluation's, or a
/// performance target's).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputIndicators<I> {
    #[serde(default)]
    pub quantity: Vec<I>,
    #[serde(default)]
    pub quality: Vec<I>,
    #[serde(default)]
    pub timeliness: Vec<I>,
    #[serde(default)]
    pub cost: Vec<I>,
}

/// 效益指标, by 二级指标.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectIndicators<I> {
    #[serde(default)]
    pub economic: Vec<I>,
    #[serde(default)]
    pub social: Vec<I>,
    #[serde(default)]
    pub ecological: Vec<I>,
    #[serde(default)]
    pub sustainable: Vec<I>,
}

/// 满意度指标, by 二级指标.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionIndicators<I> {
    #[serde(default)]
    pub service_recipients: Vec<I>,
}

/// The three-level indicator tree: 一级 (the field) → 二级 (the sub-field) → 三级 (the rows).
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(bound = "I: schemars::JsonSchema + Default")]
pub struct Indicators<I> {
    #[serde(default)]
    pub output: OutputIndicators<I>,
    #[serde(default)]
    pub effect: EffectIndicators<I>,
    #[serde(default)]
    pub satisfaction: SatisfactionIndicators<I>,
}

/// The 二级指标 of the tree in form order: (key path, 一级 key, 一级 label, 二级 label).
pub const INDICATOR_GROUPS: [(&str, &str, &str, &str); 9] = [
    ("output.quantity", "output", "产出指标", "数量指标"),
    ("output.quality", "output", "产出指标", "质量指标"),
    ("output.timeliness", "output", "产出指标", "时效指标"),
    ("output.cost", "output", "产出指标", "成本指标"),
    ("effect.economic", "effect", "效益指标", "经济效益指标"),
    ("effect.social", "effect", "效益指标", "社会效益指标"),
    ("effect.ecological", "effect", "效益指标", "生态效益指标"),
    ("effect.sustainable", "effect", "效益指标", "可持续影响指标"),
    (
        "satisfaction.service_recipients",
        "satisfaction",
        "满意度指标",
        "服务对象满意度指标",
    ),
];

impl<I> Indicators<I> {
    /// The rows of each 二级指标, in the order of [`INDICATOR_GROUPS`].
    pub fn groups(&self) -> [&[I]; 9] {
        [
            &self.output.quantity,
            &self.output.quality,
            &self.output.timeliness,
            &self.output.cost,
            &self.effect.economic,
            &self.effect.social,
            &self.effect.ecological,
            &self.effect.sustainable,
            &self.satisfaction.service_recipients,
        ]
    }

    /// The tree by 一级 (key, label), each with its 二级 (label, rows), in form order.
    pub fn levels(&self) -> Vec<Level<'_, I>> {
        let mut out: Vec<Level<'_, I>> = Vec::new();
        for ((_, key, label1, label2), rows) in INDICATOR_GROUPS.iter().zip(self.groups()) {
            match out.last_mut() {
                Some(level) if level.key == *key => level.groups.push((label2, rows)),
                _ => out.push(Level {
                    key,
                    label: label1,
                    groups: vec![(label2, rows)],
                }),
            }
        }
        out
    }
}

/// One 一级指标 of a tree: its key and label, and its 二级 labels with their rows.
pub struct Level<'a, I> {
    pub key: &'static str,
    pub label: &'static str,
    pub groups: Vec<(&'static str, &'a [I])>,
}

impl<'a, I> Level<'a, I> {
    /// Every 三级 row under this 一级指标.
    pub fn rows(&self) -> impl Iterator<Item = &'a I> + '_ {
        self.groups.iter().flat_map(|(_, rows)| rows.iter())
    }
}
