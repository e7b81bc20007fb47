//! render: the view of one performance-target form (项目支出预算绩效目标表), shared by every
//! kind that prints the form (the template component is `targets.typ`). Every word —
//! labels, header, numbering, codes beside names, the title and the attachment label — and
//! the amounts' format come from the form's profile ([`FormProfile`]).

use std::collections::BTreeMap;

use crate::figures::Num;
use crate::render::format::Fig;
use serde::Serialize;

use super::figures::{DerivedTarget, TargetRow};
use super::indicators::INDICATOR_GROUPS;
use super::input::TargetInput;
use super::profile::{FormProfile, Header, ZeroAmounts};
use crate::load::scalar::{Amount, Text};
use crate::money;
use crate::profile::fill;

/// The form's identity texts, resolved by the caller (主管部门 and 实施单位 may come from the
/// document rather than the form).
pub struct TargetIdentity<'a> {
    pub department: &'a str,
    pub department_code: &'a str,
    pub implementer: &'a str,
    pub implementer_code: &'a str,
}

/// What one document says about all its forms: its year, the title its forms carry (a
/// document's `form_title`, else the profile's) and the label above them.
pub struct FormContext<'a> {
    pub profile: &'a FormProfile,
    pub year: i32,
    pub title: Option<String>,
    pub attachment_label: Option<String>,
}

impl FormProfile {
    /// An amount of a form as the profile prints it: fixed decimals, or those it needs (at
    /// most two: `60`, `385.4`); a zero blank where the profile says so.
    pub fn amount(&self, v: impl Into<Num>) -> Fig {
        let v = v.into();
        if self.zero_amounts == ZeroAmounts::Blank && v.is_zero() {
            return Fig::default();
        }
        let dp = match self.amount_decimals {
            Some(dp) => dp,
            None => money::round_half_up(v.value(), 2).normalize().scale(),
        };
        Fig::fixed(v, dp)
    }

    /// A name with its code, as the profile's pattern prints it; the name alone without code.
    fn coded(pattern: &str, name: &str, code: &str) -> String {
        if code.is_empty() {
            name.to_string()
        } else {
            fill(pattern, &[("name", name), ("code", code)])
        }
    }

    /// The goals as printed: numbered or not, one goal its own way.
    fn goals(&self, goals: &[Text]) -> Vec<String> {
        let pattern = if goals.len() == 1 {
            &self.single_goal
        } else {
            &self.goal
        };
        goals
            .iter()
            .enumerate()
            .map(|(i, g)| {
                fill(
                    pattern,
                    &[("n", &(i + 1).to_string()), ("goal", g.as_str().trim())],
                )
            })
            .collect()
    }

    fn row(&self, r: &TargetRow) -> RowView {
        let indicator =
            |n: usize, name: &str| fill(&self.indicator, &[("n", &n.to_string()), ("name", name)]);
        let (name, value) = match r {
            TargetRow::Indicator {
                number,
                name,
                value,
            } if name.is_empty() && value.is_empty() => (String::new(), String::new()),
            TargetRow::Indicator {
                number,
                name,
                value,
            } => (indicator(*number, name), value.clone()),
            TargetRow::Numbered(n) => (indicator(*n, ""), String::new()),
            TargetRow::Continuation => {
                (self.continuation.clone().unwrap_or_default(), String::new())
            }
            TargetRow::Blank => (String::new(), String::new()),
        };
        RowView { name, value }
    }
}

/// The 资金 block: every total and part, empty when nothing under it was typed.
#[derive(Debug, Clone, Serialize)]
pub struct FundsView {
    pub total: Fig,
    pub fiscal: Fig,
    pub other: Fig,
    pub carryover: Fig,
    pub central: Fig,
    pub regional: Fig,
    pub local: Fig,
    pub transfer: Fig,
    pub fiscal_all: Fig,
}

/// One 三级 row: 三级指标 and 指标值.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub name: String,
    pub value: String,
}

/// A 二级 group: its label and rows.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub label: String,
    pub rows: Vec<RowView>,
}

/// A 一级 block: its label, the rows it spans, its groups.
#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    pub label: String,
    pub span: usize,
    pub groups: Vec<GroupView>,
}

/// The form's fixed words, from its profile.
#[derive(Debug, Clone, Serialize)]
pub struct FormWords {
    pub title: String,
    pub year_line: String,
    pub unit_line: String,
    /// The layout's fixed cells by key; a line break is `\n`.
    pub labels: BTreeMap<String, String>,
    pub header: Header,
}

/// One form, as `targets.typ` reads it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// The layout (`municipal`, `regional`, `county`): the shape of the grid.
    pub layout: &'static str,
    pub words: FormWords,
    /// The label above the form (附件1), if any.
    pub label: Option<String>,
    pub name: String,
    /// 主管部门 as printed (with its code where the profile prints one).
    pub department: String,
    pub implementer: String,
    pub attribute: String,
    pub period: String,
    pub project_total: Fig,
    pub funds: FundsView,
    pub goals: Vec<String>,
    /// The county form's 年度绩效目标（含本级）: `local_goals`, else the goals.
    pub local_goals: Vec<String>,
    pub indicator_rows: usize,
    pub levels: Vec<LevelView>,
}

/// One form of a document, in `layout`.
pub fn target(
    t: &TargetInput,
    d: &DerivedTarget,
    id: &TargetIdentity,
    layout: super::layout::TargetLayout,
    cx: &FormContext,
) -> TargetView {
    let p = cx.profile;
    let opt = |x: &Option<Text>| {
        x.as_ref()
            .map(|t| t.as_str().trim())
            .unwrap_or("")
            .to_string()
    };
    let m = &d.money;
    // A part that was not typed prints empty (the county form leaves 其他资金 blank); a total
    // prints when any of its parts was typed — a sum of nothing typed is not a 0.
    let f = &t.funds;
    let part = |typed: bool, v: Num| if typed { p.amount(v) } else { Fig::default() };
    let any = |xs: &[Option<Amount>]| xs.iter().any(Option::is_some);
    let goals = p.goals(&t.goals);
    let year = cx.year.to_string();
    let title = cx
        .title
        .clone()
        .unwrap_or_else(|| fill(&p.title, &[("year", &year)]));
    TargetView {
        layout: layout.key(),
        words: FormWords {
            title,
            year_line: fill(&p.year_line, &[("year", &year)]),
            unit_line: p.unit_line.clone(),
            labels: p.labels.clone(),
            header: p.header.clone(),
        },
        label: t
            .attachment_label
            .as_ref()
            .map(|l| l.as_str().trim().to_string())
            .or_else(|| cx.attachment_label.clone())
            .or_else(|| p.attachment_label.clone()),
        name: t.name.as_str().trim().to_string(),
        department: FormProfile::coded(&p.department, id.department, id.department_code),
        implementer: FormProfile::coded(&p.implementer, id.implementer, id.implementer_code),
        attribute: opt(&t.attribute),
        period: opt(&t.period),
        project_total: d.project_total.map(|v| p.amount(v)).unwrap_or_default(),
        funds: FundsView {
            total: part(
                any(&[f.fiscal, f.other, f.carryover, f.central, f.regional]),
                m.total,
            ),
            fiscal: part(f.fiscal.is_some(), m.fiscal),
            other: part(f.other.is_some(), m.other),
            carryover: part(f.carryover.is_some(), m.carryover),
            central: part(f.central.is_some(), m.central),
            regional: part(f.regional.is_some(), m.regional),
            local: part(any(&[f.fiscal, f.other, f.carryover]), m.local),
            transfer: part(any(&[f.central, f.regional]), m.transfer),
            fiscal_all: part(
                any(&[f.fiscal, f.carryover, f.central, f.regional]),
                m.fiscal_all,
            ),
        },
        local_goals: match &t.local_goals {
            Some(g) => p.goals(g),
            None => goals.clone(),
        },
        goals,
        indicator_rows: d.indicator_rows,
        levels: d
            .levels
            .iter()
            .map(|l| LevelView {
                label: p.level1.get(l.key).cloned().unwrap_or_default(),
                span: l.span,
                groups: l
                    .groups
                    .iter()
                    .map(|g| GroupView {
                        label: p
                            .group(super::figures::group_key(INDICATOR_GROUPS[g.group].0))
                            .map(|w| w.label.clone())
                            .unwrap_or_default(),
                        rows: g.rows.iter().map(|r| p.row(r)).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::layout::TargetLayout;
    use rust_decimal::Decimal;

    fn profile(layout: TargetLayout, year: i32) -> FormProfile {
        #[derive(serde::Deserialize)]
        struct Only {
            forms: FormProfile,
        }
        let p: Only = crate::profile::defaults(&crate::forms::profile::layers(layout, year));
        p.forms
    }

    #[test]
    fn form_amounts_print_as_the_profile_says() {
        let p = profile(TargetLayout::Regional, 2024);
        assert_eq!(p.amount(Decimal::new(3854, 1)), "385.4");
        assert_eq!(p.amount(Decimal::from(60)), "60");
        assert_eq!(p.amount(Decimal::new(98612, 2)), "986.12");
        assert_eq!(p.amount(Decimal::new(60000, 3)), "60");
        assert_eq!(p.amount(Decimal::new(1005, 3)), "1.01");
        assert_eq!(p.amount(Decimal::ZERO), "0");
        let p = profile(TargetLayout::Regional, 2022);
        assert_eq!(p.amount(Decimal::from(73398)), "73398.00");
        assert_eq!(p.amount(Decimal::new(8867, 1)), "886.70");
        assert_eq!(p.amount(Decimal::ZERO), "");
    }

    #[test]
    fn rows_goals_and_codes_take_the_profiles_words() {
        let county = profile(TargetLayout::County, 2024);
        let r = county.row(&TargetRow::Indicator {
            number: 1,
            name: "培训人数".into(),
            value: "60人".into(),
        });
        assert_eq!(
            (r.name.as_str(), r.value.as_str()),
            ("指标1:培训人数", "60人")
        );
        assert_eq!(county.row(&TargetRow::Numbered(2)).name, "指标2:");
        assert_eq!(county.row(&TargetRow::Continuation).name, ".....");
        let regional = profile(TargetLayout::Regional, 2024);
        assert_eq!(regional.row(&TargetRow::Blank).name, "");
        let goals = [Text("A。".into()), Text("B。".into())];
        assert_eq!(county.goals(&goals), ["目标1:A。", "目标2:B。"]);
        assert_eq!(county.goals(&goals[..1]), ["目标1:A。"]);
        assert_eq!(regional.goals(&goals), ["A。", "B。"]);
        let municipal = profile(TargetLayout::Municipal, 2024);
        assert_eq!(municipal.goals(&goals), ["目标1：A。", "目标2：B。"]);
        assert_eq!(municipal.goals(&goals[..1]), ["目标：A。"]);
        assert_eq!(
            FormProfile::coded(&municipal.department, "人社局", "310"),
            "人社局 310"
        );
        let old = profile(TargetLayout::Regional, 2022);
        assert_eq!(
            FormProfile::coded(&old.department, "人社厅", "303"),
            "303-人社厅"
        );
        assert_eq!(FormProfile::coded(&old.department, "人社厅", ""), "人社厅");
    }
}
