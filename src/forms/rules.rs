//! validate: the facts of one performance-target form (项目支出预算绩效目标表), shared by every
//! kind that prints the form — a name, an implementing unit, indicators that have a name —
//! and the form's own consistency rules: printed totals equal their parts (本级 = 财政拨款 +
//! 其他资金 + 结余结转资金, 转移 = 中央 + 自治区, 年度 = 本级 + 转移), 年度资金总额 ≤ 项目总额,
//! each required 一级 category has an indicator, and no 成本指标 in 万元 exceeds the year's
//! funds.

use rust_decimal::Decimal;

use super::indicators::INDICATOR_GROUPS;
use super::input::TargetInput;
use super::money::TargetMoney;
use crate::check::Checker;
use crate::load::scalar::Amount;
use crate::rules::{self, Rule};

/// The amount in 万元 a 成本指标 value states (`60万元`, `≤ 12.5 万元`), if any.
pub fn cost_in_wan(text: &str) -> Option<Decimal> {
    let i = text.find("万元")?;
    let before = text[..i].trim_end();
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i)?;
    before[start..].parse().ok()
}

impl<M, A> Checker<'_, M, A> {
    /// Checks one form; `has_unit_list` says whether `unit:` codes can be resolved (a budget);
    /// `form` is how the profile prints it (explicit empty rows, which 二级 rows print when
    /// empty).
    pub(crate) fn check_target(
        &mut self,
        t: &TargetInput,
        has_unit_list: bool,
        form: &super::profile::FormProfile,
    ) {
        let empty_rows = form.empty_rows;
        if t.name.as_str().trim().is_empty() {
            self.report(
                &rules::L03,
                "name",
                "the project name is empty",
                "write the 项目名称",
            );
        }
        match (&t.unit, &t.implementer) {
            (None, None) => self.report(&rules::T07, "",
                "the form has no 实施单位",
                if has_unit_list {
                    "add `unit: \"<unit code>\"` (one of the budget's units) or `implementer: <name>`"
                } else {
                    "add `implementer: <name>`"
                },
            ),
            (Some(_), Some(_)) => self.report(&rules::T07, "implementer",
                "both `unit` and `implementer` are given",
                "keep one: `unit` prints the unit's name from the budget",
            ),
            (Some(_), None) if !has_unit_list => self.report(&rules::T07, "unit",
                "`unit` refers to a budget unit, but this document has none",
                "write the 实施单位 as `implementer: <name>`",
            ),
            _ => {}
        }
        for (i, g) in t.goals.iter().enumerate() {
            if g.as_str().trim().is_empty() {
                self.report(
                    &rules::L03,
                    &format!("goals[{i}]"),
                    "an empty 目标",
                    "write the goal's text or remove the item",
                );
            }
        }
        for ((key, _, _, label), list) in INDICATOR_GROUPS.iter().zip(t.indicators.groups()) {
            let always = form
                .group(super::figures::group_key(key))
                .is_some_and(|g| g.always);
            for (i, ind) in list.iter().enumerate() {
                if !empty_rows
                    && ind.name.as_str().trim().is_empty()
                    && ind.value.as_str().trim().is_empty()
                {
                    let hint = if always {
                        "remove the item (this form prints an empty 二级指标 as an empty row by itself), or set `forms: { empty_rows: true }` where the form prints explicit empty rows"
                    } else {
                        "remove the item (this form prints this 二级指标 only when it has indicators), or set `forms: { empty_rows: true }` where the form prints explicit empty rows"
                    };
                    self.report(
                        &rules::L03,
                        &format!("indicators.{key}[{i}]"),
                        "an indicator without 三级指标 and 指标值",
                        hint,
                    );
                }
            }
            // `[]` typed where the form prints only the 二级 rows that have indicators: the
            // row is left out, which may not be what the empty list meant.
            let rel = format!("indicators.{key}");
            if list.is_empty() && !always && self.loaded.has(&self.origin, &rel) {
                let explicit = if empty_rows {
                    "; write `- {}` for an empty row"
                } else {
                    ""
                };
                self.report(
                    &rules::T08,
                    &rel,
                    format!("`{key}: []` prints no {label} row: this form prints a 二级指标 only when it has indicators"),
                    format!("remove the key if the row is to be left out{explicit}"),
                );
            }
        }
        self.check_target_funds(t);
        self.check_target_categories(t);
    }

    /// Printed totals equal their parts; the year's funds fit in the project's total; no
    /// 成本指标 states more than the year's funds.
    fn check_target_funds(&mut self, t: &TargetInput) {
        let m = TargetMoney::of(t);
        let f = &t.funds;
        let mut check = |rule: &'static Rule,
                         rel: &str,
                         typed: Option<Amount>,
                         derived: Decimal,
                         what: &str,
                         parts: &str| {
            if let Some(a) = typed
                && a.0 != derived
            {
                self.report(
                    rule,
                    rel,
                    format!(
                        "{what} {} is not the sum of its parts {} ({parts}); difference {}",
                        a.0.normalize(),
                        derived.normalize(),
                        (a.0 - derived).normalize()
                    ),
                    "budgetdoc prints the sum of the parts: correct the parts or the total (or leave the total out)",
                );
            }
        };
        check(
            &rules::T01,
            "funds.local_total",
            f.local_total,
            m.local.value(),
            "本级资金总额",
            "财政拨款 + 其他资金 + 结余结转资金",
        );
        check(
            &rules::T02,
            "funds.transfer_total",
            f.transfer_total,
            m.transfer.value(),
            "转移市县（区）资金总额",
            "中央资金 + 自治区资金",
        );
        check(
            &rules::T03,
            "funds.total",
            f.total,
            m.total.value(),
            "年度资金总额",
            "本级资金 + 转移市县（区）资金",
        );
        if let Some(project) = t.project_total
            && m.total.value() > project.0
        {
            let rel = if f.total.is_some() {
                "funds.total"
            } else {
                "project_total"
            };
            self.report(
                &rules::T04,
                rel,
                format!(
                    "年度资金总额 {} exceeds the 项目总额 {}",
                    m.total.value().normalize(),
                    project.0.normalize()
                ),
                "a year's funds are part of the project's total over all its years",
            );
        }
        for (i, ind) in t.indicators.output.cost.iter().enumerate() {
            for (field, text) in [("value", &ind.value), ("name", &ind.name)] {
                if let Some(cost) = cost_in_wan(text.as_str())
                    && cost > m.total.value()
                {
                    self.report(&rules::T06, &format!("indicators.output.cost[{i}].{field}"),
                        format!(
                            "成本指标 states {} 万元, more than the year's funds {} 万元",
                            cost.normalize(),
                            m.total.value().normalize()
                        ),
                        "a cost target cannot exceed 年度资金总额; check the figure or its unit (元/万元)",
                    );
                }
            }
        }
    }

    /// 产出, 效益 and 满意度 each need at least one indicator.
    fn check_target_categories(&mut self, t: &TargetInput) {
        let i = &t.indicators;
        let groups = i.groups();
        for (key, label, range) in [
            ("output", "产出指标", 0..4),
            ("effect", "效益指标", 4..8),
            ("satisfaction", "满意度指标", 8..9),
        ] {
            if groups[range].iter().all(|g| g.is_empty()) {
                // Point at the empty 一级 key, else at `indicators`, else at the form's name.
                let at = [
                    format!("indicators.{key}"),
                    "indicators".into(),
                    "name".into(),
                ]
                .into_iter()
                .find(|p| self.loaded.has(&self.origin, p))
                .unwrap_or_default();
                let (loc, path) = self.loaded.locate_key(&self.origin, &at);
                self.emit(
                    crate::diag::Diagnostic::error(format!("the form has no {label}"))
                        .rule(&rules::T05)
                        .at(loc)
                        .path(path)
                        .hint(format!(
                            "every form sets at least one {label} under `indicators.{key}`"
                        )),
                );
            }
        }
    }
}
