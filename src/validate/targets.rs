//! validate: the facts of one performance-target form (项目支出预算绩效目标表), shared by every
//! document kind that prints them: a name, an implementing unit, funds that are not negative,
//! and indicators that have a name.

use rust_decimal::Decimal;

use super::Checker;
use crate::load::TargetInput;
use crate::load::input::INDICATOR_GROUPS;

impl<M, A> Checker<'_, M, A> {
    /// Checks one form; `has_unit_list` says whether `unit:` codes can be resolved (a budget).
    pub(super) fn check_target(&mut self, t: &TargetInput, has_unit_list: bool) {
        if t.name.as_str().trim().is_empty() {
            self.error("name", "the project name is empty", "write the 项目名称");
        }
        match (&t.unit, &t.implementer) {
            (None, None) => self.error(
                "",
                "the form has no 实施单位",
                if has_unit_list {
                    "add `unit: \"<unit code>\"` (one of the budget's units) or `implementer: <name>`"
                } else {
                    "add `implementer: <name>`"
                },
            ),
            (Some(_), Some(_)) => self.error(
                "implementer",
                "both `unit` and `implementer` are given",
                "keep one: `unit` prints the unit's name from the budget",
            ),
            (Some(_), None) if !has_unit_list => self.error(
                "unit",
                "`unit` refers to a budget unit, but this document has none",
                "write the 实施单位 as `implementer: <name>`",
            ),
            _ => {}
        }
        for (rel, amount) in [
            ("funds.fiscal", t.funds.fiscal),
            ("funds.other", t.funds.other),
        ] {
            if let Some(a) = amount
                && a.0 < Decimal::ZERO
            {
                self.error(rel, "a fund amount is negative", "amounts are ≥ 0 (万元)");
            }
        }
        for (i, g) in t.goals.iter().enumerate() {
            if g.as_str().trim().is_empty() {
                self.error(
                    &format!("goals[{i}]"),
                    "an empty 目标",
                    "write the goal's text or remove the item",
                );
            }
        }
        for ((key, ..), list) in INDICATOR_GROUPS.iter().zip(t.indicators.groups()) {
            for (i, ind) in list.iter().enumerate() {
                if ind.name.as_str().trim().is_empty() && ind.value.as_str().trim().is_empty() {
                    self.error(
                        &format!("indicators.{key}[{i}]"),
                        "an indicator without 三级指标 and 指标值",
                        "remove the item: an empty 二级指标 is printed as an empty row by itself",
                    );
                }
            }
        }
    }
}
