//! derive: the figures and the shape of a performance-target form (项目支出预算绩效目标表) in
//! one of the official layouts: every 资金总额 from its parts, which 二级 groups and rows
//! the profile prints (placeholder rows included), and the row spans of the merged 一级/二级
//! cells. The profile's wording (labels, numbering, codes) is added by the view.

use crate::figures::Num;

use super::indicators::INDICATOR_GROUPS;
use super::input::TargetInput;
use super::money::TargetMoney;
use super::profile::FormProfile;

/// One 三级 row of the form, as structure: the profile's wording is added by the view.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetRow {
    /// A typed indicator: its number within the 二级 group (from 1), 三级指标 and 指标值.
    Indicator {
        number: usize,
        name: String,
        value: String,
    },
    /// A numbered row the profile offers with nothing typed (the county form's 指标2:).
    Numbered(usize),
    /// The profile's continuation row (the county form's `.....`).
    Continuation,
    /// An empty row (a 二级 group the profile prints without indicators).
    Blank,
}

/// A 二级指标 group and its rows (at least one); `group` indexes [`INDICATOR_GROUPS`].
#[derive(Debug, Clone)]
pub struct TargetLevel2 {
    pub group: usize,
    pub rows: Vec<TargetRow>,
}

/// A 一级指标 (`output`, `effect`, `satisfaction`), the table rows it spans, its 二级
/// groups.
#[derive(Debug, Clone)]
pub struct TargetLevel1 {
    pub key: &'static str,
    pub span: usize,
    pub groups: Vec<TargetLevel2>,
}

/// Everything one form prints, computed.
#[derive(Debug, Clone)]
pub struct DerivedTarget {
    pub money: TargetMoney,
    /// 项目总额, when typed.
    pub project_total: Option<Num>,
    pub levels: Vec<TargetLevel1>,
    /// Rows of the indicator block (Σ spans).
    pub indicator_rows: usize,
}

/// The rows of one 二级 group as `profile` prints it.
fn rows(profile: &FormProfile, list: &[crate::forms::input::TargetIndicator]) -> Vec<TargetRow> {
    let mut out: Vec<TargetRow> = list
        .iter()
        .enumerate()
        .map(|(i, ind)| TargetRow::Indicator {
            number: i + 1,
            name: ind.name.as_str().trim().to_string(),
            value: ind.value.as_str().trim().to_string(),
        })
        .collect();
    // The county form always offers a second numbered row and a continuation row.
    while out.len() < profile.numbered_rows {
        out.push(TargetRow::Numbered(out.len() + 1));
    }
    if profile.continuation.is_some() {
        out.push(TargetRow::Continuation);
    }
    if out.is_empty() {
        out.push(TargetRow::Blank);
    }
    out
}

/// Derives one form as `profile` prints it.
pub fn derive(t: &TargetInput, profile: &FormProfile) -> DerivedTarget {
    let money = TargetMoney::of(t);
    let mut levels: Vec<TargetLevel1> = Vec::new();
    for (group, ((path, key, _, _), list)) in INDICATOR_GROUPS
        .iter()
        .zip(t.indicators.groups())
        .enumerate()
    {
        let always = profile.group(group_key(path)).is_some_and(|g| g.always);
        if list.is_empty() && !always {
            continue;
        }
        let group = TargetLevel2 {
            group,
            rows: rows(profile, list),
        };
        match levels.last_mut() {
            Some(l) if l.key == *key => {
                l.span += group.rows.len();
                l.groups.push(group);
            }
            _ => levels.push(TargetLevel1 {
                key,
                span: group.rows.len(),
                groups: vec![group],
            }),
        }
    }
    let indicator_rows = levels.iter().map(|l| l.span).sum();
    DerivedTarget {
        money,
        project_total: t.project_total.map(|a| a.num()),
        levels,
        indicator_rows,
    }
}

/// The key of a 二级 group in a profile: the last segment of its path (`quantity`).
pub fn group_key(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::layout::TargetLayout;
    use rust_decimal::Decimal;

    fn profile(layout: TargetLayout) -> FormProfile {
        #[derive(serde::Deserialize)]
        struct Only {
            forms: FormProfile,
        }
        let p: Only = crate::profile::defaults(&crate::forms::profile::layers(layout, 2024));
        p.forms
    }
    use crate::forms::indicators::Indicators;
    use crate::forms::input::{TargetFunds, TargetIndicator};
    use crate::load::scalar::{Amount, Text};

    fn form() -> TargetInput {
        let mut indicators: Indicators<TargetIndicator> = Indicators::default();
        indicators.output.quantity = vec![TargetIndicator {
            name: Text("培训人数".into()),
            value: Text("60人".into()),
        }];
        TargetInput {
            name: Text("x".into()),
            unit: None,
            implementer: Some(Text("y".into())),
            department: None,
            department_code: None,
            implementer_code: None,
            attachment_label: None,
            attribute: None,
            period: None,
            project_total: Some(Amount::new(Decimal::from(100))),
            key: false,
            funds: TargetFunds {
                fiscal: Some(Amount::new(Decimal::from(10))),
                other: Some(Amount::new(Decimal::from(2))),
                carryover: Some(Amount::new(Decimal::from(1))),
                central: Some(Amount::new(Decimal::from(5))),
                regional: None,
                ..TargetFunds::default()
            },
            goals: vec![Text("A。".into()), Text("B。".into())],
            local_goals: None,
            indicators,
        }
    }

    #[test]
    fn totals_come_from_their_parts() {
        let m = TargetMoney::of(&form());
        assert_eq!(m.local, Decimal::from(13));
        assert_eq!(m.transfer, Decimal::from(5));
        assert_eq!(m.total, Decimal::from(18));
        assert_eq!(m.fiscal_all, Decimal::from(16));
    }

    #[test]
    fn layouts_pad_and_span_as_printed() {
        let t = form();
        let county = derive(&t, &profile(TargetLayout::County));
        let quantity = &county.levels[0].groups[0].rows;
        assert_eq!(
            quantity,
            &[
                TargetRow::Indicator {
                    number: 1,
                    name: "培训人数".into(),
                    value: "60人".into()
                },
                TargetRow::Numbered(2),
                TargetRow::Continuation
            ]
        );
        // Every 二级 row is printed: 9 groups, each with at least 3 rows.
        assert_eq!(county.indicator_rows, 27);
        let regional = derive(&t, &profile(TargetLayout::Regional));
        assert_eq!(regional.levels[0].key, "output");
        assert_eq!(regional.levels[0].span, 4);
        assert_eq!(regional.levels[1].groups[0].rows, [TargetRow::Blank]);
        assert_eq!(regional.indicator_rows, 9);
        let municipal = derive(&t, &profile(TargetLayout::Municipal));
        // 生态效益 is left out when empty.
        assert_eq!(municipal.indicator_rows, 8);
        assert!(municipal.levels[1].groups.iter().all(|g| g.group != 6));
    }
}
