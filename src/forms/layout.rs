//! The official layouts of the 项目支出预算绩效目标表 (自治区本级, 市级, 县级): the labels,
//! numbering and codes each prints. Data about the layout only: derive asks it which rows
//! are printed, the view asks it for the words; the figures are in [`super::figures`].

use crate::load::scalar::Text;

/// The official layouts of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetLayout {
    /// 市级 部门预算 form (seed 004): 年度资金总额/财政拨款/其他资金, goals numbered 目标1：,
    /// 二级 labels carrying 必填/选填; 生态效益 printed only when it has indicators.
    Municipal,
    /// 自治区本级 form (seed 000): 项目总额, 本级/转移市县 funds, coded indicators
    /// (`1-产出指标`, `11-数量指标`), goals unnumbered.
    Regional,
    /// 县级 form (seed 001): funds and goals in two columns (含本级和市县 / 含本级),
    /// indicators numbered 指标1: with placeholder rows (指标2:, .....).
    County,
}

impl TargetLayout {
    /// The layout named in the YAML (`layout:`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "市级" | "municipal" => Some(TargetLayout::Municipal),
            "自治区本级" | "regional" => Some(TargetLayout::Regional),
            "县级" | "county" => Some(TargetLayout::County),
            _ => None,
        }
    }

    /// The 一级 label as printed, for 产出/效益/满意度.
    pub(crate) fn level1(self, key: &str) -> &'static str {
        match (self, key) {
            (TargetLayout::Regional, "output") => "1-产出指标",
            (TargetLayout::Regional, "effect") => "2-效益指标",
            (TargetLayout::Regional, _) => "3-满意度指标",
            (_, "output") => "产出指标",
            (_, "effect") => "效益指标",
            _ => "满意度指标",
        }
    }

    /// The 二级 label as printed, and whether the row is printed when it has no indicator,
    /// for each of [`INDICATOR_GROUPS`].
    pub(crate) fn level2(self) -> [(&'static str, bool); 9] {
        match self {
            TargetLayout::Municipal => [
                ("数量指标（必填硬性指标）", true),
                ("质量指标（必填）", true),
                ("时效指标（必填）", true),
                ("成本指标（必填硬性指标）", true),
                ("经济效益指标（选填）", true),
                ("社会效益指标（必填）", true),
                ("生态效益指标（选填）", false),
                ("可持续影响指标（必填）", true),
                ("服务对象满意度指标（必填）", true),
            ],
            TargetLayout::Regional => [
                ("11-数量指标", true),
                ("12-质量指标", true),
                ("13-时效指标", true),
                ("14-成本指标", true),
                ("21-经济效益", true),
                ("22-社会效益", true),
                ("23-生态效益", true),
                ("24-可持续影响", true),
                ("31-服务对象满意度", true),
            ],
            TargetLayout::County => [
                ("数量指标", true),
                ("质量指标", true),
                ("时效指标", true),
                ("成本指标", true),
                ("经济效益指标", true),
                ("社会效益指标", true),
                ("生态效益指标", true),
                ("可持续影响指标", true),
                ("服务对象满意度指标", true),
            ],
        }
    }

    /// A 三级指标 as printed: numbered (`指标1:`) in the county layout; `name` is empty on a
    /// numbered placeholder row.
    pub(crate) fn indicator(self, number: usize, name: &str) -> String {
        match self {
            TargetLayout::County => format!("指标{number}:{name}"),
            _ => name.to_string(),
        }
    }

    /// The text of the layout's continuation row.
    pub(crate) const CONTINUATION: &'static str = ".....";

    /// The layout's name in the data (`targets.typ` switches on it).
    pub fn key(self) -> &'static str {
        match self {
            TargetLayout::Municipal => "municipal",
            TargetLayout::Regional => "regional",
            TargetLayout::County => "county",
        }
    }

    /// Numbered goals as the layout prints them.
    pub(crate) fn goals(self, goals: &[Text]) -> Vec<String> {
        let trimmed = goals.iter().map(|g| g.as_str().trim());
        match self {
            TargetLayout::Regional => trimmed.map(str::to_string).collect(),
            TargetLayout::Municipal if goals.len() == 1 => {
                trimmed.map(|g| format!("目标：{g}")).collect()
            }
            TargetLayout::Municipal => trimmed
                .enumerate()
                .map(|(i, g)| format!("目标{}：{g}", i + 1))
                .collect(),
            TargetLayout::County => trimmed
                .enumerate()
                .map(|(i, g)| format!("目标{}:{g}", i + 1))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_and_indicators_are_numbered_as_each_layout_prints_them() {
        let goals = [Text("A。".into()), Text("B。".into())];
        assert_eq!(
            TargetLayout::County.goals(&goals),
            ["目标1:A。", "目标2:B。"]
        );
        assert_eq!(TargetLayout::Regional.goals(&goals), ["A。", "B。"]);
        assert_eq!(
            TargetLayout::Municipal.goals(&goals),
            ["目标1：A。", "目标2：B。"]
        );
        assert_eq!(TargetLayout::Municipal.goals(&goals[..1]), ["目标：A。"]);
        assert_eq!(TargetLayout::County.indicator(2, ""), "指标2:");
        assert_eq!(TargetLayout::Regional.indicator(1, "培训人数"), "培训人数");
        assert_eq!(TargetLayout::Regional.level1("effect"), "2-效益指标");
        assert_eq!(TargetLayout::Regional.level2()[0].0, "11-数量指标");
    }
}
