//! The official layouts of the 项目支出预算绩效目标表 (自治区本级, 市级, 县级): the shape of
//! the form's grid, which `targets.typ` draws. Every word and printing choice of a layout is
//! data, in its profile ([`super::profile`]).

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

    /// The layout's name in the data (`targets.typ` switches on it).
    pub fn key(self) -> &'static str {
        match self {
            TargetLayout::Municipal => "municipal",
            TargetLayout::Regional => "regional",
            TargetLayout::County => "county",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_named_in_chinese_or_english() {
        assert_eq!(
            TargetLayout::parse("自治区本级"),
            Some(TargetLayout::Regional)
        );
        assert_eq!(TargetLayout::parse(" county "), Some(TargetLayout::County));
        assert_eq!(TargetLayout::parse("省级"), None);
        assert_eq!(TargetLayout::Municipal.key(), "municipal");
    }
}
