//! render: the JSON a 部门预算's templates read (`/data.json`). Every number leaves as a
//! ready-formatted string, rounded once (half-up) by `money`, following the document's
//! `format:` settings; templates only place strings.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::view_targets::{self, TargetIdentity};
use crate::derive::budget::{
    AssetLine, BudgetRow, DerivedBudget, NamedAmount, RowLevel, ThreePublicGroup,
};
use crate::derive::targets::TargetLayout;
use crate::derive::{Change, Share, chinese_ordinal};
use crate::load::budget::{AssetNotes, BudgetFormat};
use crate::load::scalar::Text;
use crate::money;
use crate::validate::budget::ValidatedBudget;

/// The embedded default glossary of a 部门预算 (第四部分 名词解释).
const DEFAULT_GLOSSARY: &str = include_str!("glossary-budget.yaml");

/// Formatting rules of one budget.
struct Fmt<'a> {
    s: &'a BudgetFormat,
}

impl Fmt<'_> {
    /// An amount in a sentence.
    fn text(&self, v: Decimal) -> String {
        if self.s.zero_as_integer && money::round_half_up(v, self.s.amount_decimals).is_zero() {
            "0".into()
        } else {
            money::fixed(v, self.s.amount_decimals)
        }
    }
    /// An amount in a table (separators if configured).
    fn table(&self, v: Decimal) -> String {
        let plain = self.text(v);
        if self.s.table_separators && plain != "0" {
            money::grouped(v, self.s.amount_decimals)
        } else {
            plain
        }
    }
    fn cell(&self, c: Option<Decimal>) -> String {
        c.map(|v| self.table(v)).unwrap_or_default()
    }
    fn pct(&self, p: Decimal) -> String {
        if self.s.whole_percent_as_integer {
            money::fixed_or_whole(p, self.s.percent_decimals)
        } else {
            money::fixed(p, self.s.percent_decimals)
        }
    }
    /// A percentage in a table column: always the same decimals (zero as 0 if configured).
    fn table_pct(&self, p: Decimal) -> String {
        if self.s.zero_as_integer && money::round_half_up(p, self.s.percent_decimals).is_zero() {
            "0".into()
        } else {
            money::fixed(p, self.s.percent_decimals)
        }
    }
    fn opt_pct(&self, p: Option<Decimal>) -> Value {
        p.map(|p| json!(self.pct(p))).unwrap_or(Value::Null)
    }
    /// A comparison: amounts, the direction words and the rate (null against a zero base).
    fn change(&self, c: &Change) -> Value {
        let (dir, rate_dir) = if c.delta > Decimal::ZERO {
            ("增加", "增长")
        } else if c.delta < Decimal::ZERO {
            ("减少", "下降")
        } else {
            ("持平", "持平")
        };
        json!({
            "current": self.text(c.current),
            "base": self.text(c.base),
            "delta": self.text(c.delta.abs()),
            "dir": dir,
            "rate_dir": rate_dir,
            "rate": self.opt_pct(c.rate.map(|r| r.abs())),
        })
    }
    fn share(&self, label: &str, s: &Share) -> Value {
        json!({"label": label, "amount": self.text(s.amount), "pct": self.opt_pct(s.percent)})
    }
    fn row(&self, r: &BudgetRow) -> Value {
        json!({
            "level": match r.level {
                RowLevel::Department => "department",
                RowLevel::Unit => "unit",
                RowLevel::Class => "class",
                RowLevel::Section => "section",
                RowLevel::Item => "item",
            },
            "code": r.code,
            "name": r.name,
            "cells": [
                self.table(r.prior), self.table(r.total), self.table(r.basic),
                self.table(r.project), self.table(r.change.delta),
                r.change.rate.map(|p| self.table_pct(p)).unwrap_or_default(),
            ],
        })
    }
    fn three_public(&self, g: &ThreePublicGroup) -> Value {
        json!([
            self.table(g.total),
            self.table(g.outbound),
            self.table(g.vehicle),
            self.table(g.vehicle_purchase),
            self.table(g.vehicle_operation),
            self.table(g.reception),
        ])
    }
    fn items(&self, list: &[NamedAmount]) -> Value {
        json!(
            list.iter()
                .map(|i| json!({"name": i.name, "amount": self.text(i.amount)}))
                .collect::<Vec<_>>()
        )
    }
    fn assets(&self, a: &AssetLine, notes: &AssetNotes, label: &str) -> Value {
        let note = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| format!("（{}）", t.as_str().trim()))
                .unwrap_or_default()
        };
        json!({
            "label": label,
            "building_area": area(a.building_area),
            "building_area_note": note(&notes.building_area),
            "building_value": self.text(a.building_value),
            "building_value_note": note(&notes.building_value),
            "land_area": area(a.land_area),
            "land_area_note": note(&notes.land_area),
            "land_value": self.text(a.land_value),
            "land_value_note": note(&notes.land_value),
            "vehicles": a.vehicles.to_string(),
            "vehicles_note": note(&notes.vehicles),
            "vehicle_value": self.text(a.vehicle_value),
            "vehicle_value_note": note(&notes.vehicle_value),
            "furniture_value": self.text(a.furniture_value),
            "furniture_value_note": note(&notes.furniture_value),
            "other_value": self.text(a.other_value),
            "other_value_note": note(&notes.other_value),
        })
    }
}

/// An area in 平方米 with the decimals it was typed with (at most 2): 15102.5 stays 15102.5.
fn area(v: Decimal) -> String {
    money::fixed(v, v.normalize().scale().min(2))
}

fn texts(list: &[Text]) -> Value {
    json!(list.iter().map(|t| t.as_str().trim()).collect::<Vec<_>>())
}

/// "主要原因是…", or "主要原因一是…" when the reason enumerates; null without a reason.
fn reason(t: Option<&Text>) -> Value {
    match t.map(|t| t.as_str().trim()).filter(|t| !t.is_empty()) {
        None => Value::Null,
        Some(r) if r.starts_with("一是") => json!(format!("主要原因{r}")),
        Some(r) => json!(format!("主要原因是{r}")),
    }
}

fn glossary(v: &ValidatedBudget) -> Value {
    let list = super::glossary_entries(v.input().glossary.as_deref(), DEFAULT_GLOSSARY);
    json!(
        list.iter()
            .enumerate()
            .map(|(i, (term, text))| json!({"ordinal": chinese_ordinal(i + 1), "term": term, "text": text}))
            .collect::<Vec<_>>()
    )
}

/// Builds `/data.json` of a budget.
pub fn view(v: &ValidatedBudget, d: &DerivedBudget) -> Value {
    let input = v.input();
    let f = Fmt { s: &input.format };
    let year = input.year;
    let dept = input.department.as_str().trim();
    let dept_code = input.code.as_ref().map(|c| c.as_str()).unwrap_or("");

    let classes: Vec<Value> = d
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "label": format!("（{}）{}", chinese_ordinal(i + 1), c.name),
                "name": c.name,
                "cells": [f.cell(c.total), f.cell(c.general), f.cell(c.fund)],
                "amount": c.total.map(|t| f.text(t)),
            })
        })
        .collect();
    let inc = &d.income;
    let sp = &d.spending;
    let nature = |n: &crate::derive::budget::NatureSpending| {
        json!({
            "total": f.table(n.total), "fiscal": f.table(n.fiscal),
            "general": f.table(n.general), "fund": f.cell(Some(n.fund).filter(|x| !x.is_zero())),
        })
    };
    let blank_zero = |x: Decimal| f.cell(Some(x).filter(|x| !x.is_zero()));
    let t6 = json!({
        "fiscal": f.table(inc.fiscal), "general": f.table(inc.general),
        "general_local": f.table(inc.general), "fund": blank_zero(inc.fund),
        "fund_local": blank_zero(inc.fund),
        "business": blank_zero(inc.business),
        "business_non_same_level": blank_zero(inc.business_non_same_level),
        "business_special_account": blank_zero(inc.business_special_account),
        "superior_subsidy": blank_zero(inc.superior_subsidy),
        "affiliated": blank_zero(inc.affiliated),
        "operating": blank_zero(inc.operating),
        "debt": blank_zero(inc.debt),
        "non_same_level": blank_zero(inc.non_same_level),
        "non_same_level_horizontal": blank_zero(inc.non_same_level_horizontal),
        "non_same_level_other": blank_zero(inc.non_same_level_other),
        "investment": blank_zero(inc.investment),
        "other": blank_zero(inc.other),
        "income_total": f.table(inc.total),
        "administrative": nature(&sp.administrative),
        "institutional": nature(&sp.institutional),
        "operating_spending": blank_zero(sp.operating),
        "remit_to_superior": blank_zero(sp.remit_to_superior),
        "subsidy_to_affiliated": blank_zero(sp.subsidy_to_affiliated),
        "investment_spending": blank_zero(sp.investment),
        "debt_repayment": blank_zero(sp.debt_repayment),
        "other_spending": blank_zero(sp.other),
        "spending_total": f.table(sp.total),
    });
    let t7 = json!([
        f.table(inc.total),
        f.table(inc.fiscal),
        f.table(inc.general),
        f.table(inc.fund),
        f.table(inc.business),
        f.table(inc.business_non_same_level),
        f.table(inc.business_special_account),
        f.table(inc.superior_subsidy),
        f.table(inc.affiliated),
        f.table(inc.operating),
        f.table(inc.debt),
        f.table(inc.non_same_level),
        f.table(inc.non_same_level_other),
        f.table(inc.non_same_level_horizontal),
        f.table(inc.investment),
        f.table(inc.other),
    ]);
    let t8 = json!([
        f.table(sp.total),
        f.table(sp.administrative.total),
        f.table(sp.institutional.total),
        f.table(sp.operating),
        f.table(sp.remit_to_superior),
        f.table(sp.subsidy_to_affiliated),
        f.table(sp.investment),
        f.table(sp.debt_repayment),
        f.table(sp.other),
    ]);

    let targets: Vec<Value> = v
        .targets()
        .iter()
        .zip(&d.targets)
        .map(|(t, dt)| {
            let implementer = match (&t.unit, &t.implementer) {
                (Some(code), _) => v.unit_name(code.as_str()).unwrap_or(""),
                (None, Some(name)) => name.as_str().trim(),
                (None, None) => "",
            };
            let id = TargetIdentity {
                department: t
                    .department
                    .as_ref()
                    .map(|x| x.as_str().trim())
                    .unwrap_or(dept),
                department_code: t
                    .department_code
                    .as_ref()
                    .map(|c| c.as_str())
                    .unwrap_or(dept_code),
                implementer,
            };
            let mut form = view_targets::target(t, dt, &id);
            form["layout"] = json!(view_targets::layout_key(TargetLayout::Municipal));
            form
        })
        .collect();

    let r = &input.reasons;
    let tp = &d.three_public_changes;
    let tp_reasons = [
        None,
        r.three_public.outbound.as_ref(),
        r.three_public.vehicle_purchase.as_ref(),
        r.three_public.vehicle_operation.as_ref(),
        r.three_public.reception.as_ref(),
    ];
    let tp_labels = [
        "“三公”经费",
        "因公出国（境）费",
        "公务用车购置费",
        "公务用车运行费",
        "公务接待费",
    ];
    let three_public_changes: Vec<Value> = tp
        .iter()
        .zip(tp_labels)
        .zip(tp_reasons)
        .map(|((c, label), why)| json!({"label": label, "change": f.change(c), "reason": reason(why)}))
        .collect();
    let bud = &d.three_public_budget;
    let nonzero_classes: Vec<Value> = d
        .classes
        .iter()
        .filter(|c| c.total.is_some_and(|t| !t.is_zero()))
        .map(|c| json!({"name": c.name, "amount": f.text(c.total.unwrap_or_default())}))
        .collect();
    let project_sentences: Vec<Value> = d
        .project_sentences
        .iter()
        .map(|s| {
            json!({
                "code": s.code, "name": s.name, "change": f.change(&s.change),
                "reason": reason(input.reasons.projects.iter().find(|(c, _)| c.as_str() == s.code).map(|(_, t)| t)),
            })
        })
        .collect();
    let oc = input
        .operating_costs
        .as_ref()
        .zip(d.operating_costs.as_ref())
        .map(|(o, (amount, change))| {
            json!({
                "scope": o.scope.as_ref().map(|s| s.as_str().trim()),
                "amount": f.text(*amount),
                "change": change.as_ref().map(|c| f.change(c)),
                "reason": reason(input.reasons.operating_costs.as_ref()),
            })
        });
    let procurement = input.procurement.as_ref().zip(d.procurement_total).map(|(p, total)| {
        let a = |x| f.text(crate::load::scalar::Amount::or_zero(x));
        json!({"total": f.text(total), "goods": a(p.goods), "works": a(p.works), "services": a(p.services)})
    });
    let assets = input
        .assets
        .as_ref()
        .zip(d.assets_total.as_ref())
        .map(|(a, total)| {
            json!({
                "as_of": a.as_of.as_str().trim(),
                "total": f.assets(total, &a.total_notes, ""),
                "parts": a.parts.iter().zip(&d.asset_parts)
                    .map(|(p, line)| f.assets(line, &p.notes, p.label.as_str().trim()))
                    .collect::<Vec<_>>(),
            })
        });
    let perf = &d.performance;
    let narrative = json!({
        "fiscal": {
            "total": f.text(inc.fiscal), "general": f.text(inc.general), "fund": f.text(inc.fund),
            "carryover": f.text(Decimal::ZERO), "classes": nonzero_classes,
        },
        "basic": {
            "total": f.text(d.basic_total), "change": f.change(&d.basic_change),
            "reason": reason(r.basic.as_ref()),
            "personnel": f.text(d.personnel_items.iter().map(|i| i.amount).sum()),
            "personnel_items": f.items(&d.personnel_items),
            "public": f.text(d.public_items.iter().map(|i| i.amount).sum()),
            "public_items": f.items(&d.public_items),
        },
        "project": { "total": f.text(d.project_total), "sentences": project_sentences },
        "three_public": {
            "total": f.text(bud.total), "outbound": f.text(bud.outbound),
            "vehicle_purchase": f.text(bud.vehicle_purchase),
            "vehicle_operation": f.text(bud.vehicle_operation),
            "reception": f.text(bud.reception),
            "changes": three_public_changes,
        },
        "fund": if d.fund_total.is_zero() && d.fund_prior.is_zero() { Value::Null } else {
            json!({"change": f.change(&Change::new(d.fund_total, d.fund_prior)), "reason": reason(r.government_fund.as_ref())})
        },
        "overall": {
            "income": f.text(inc.total), "spending": f.text(sp.total),
            "income_shares": d.income_shares.iter().map(|(l, s)| f.share(l, s)).collect::<Vec<_>>(),
            "spending_shares": d.spending_shares.iter().map(|(l, s)| f.share(l, s)).collect::<Vec<_>>(),
        },
        "operating_costs": oc,
        "procurement": procurement,
        "assets": assets,
        "performance": {
            "intro": input.performance.intro.as_ref().map(|t| t.as_str().trim()),
            "projects": perf.projects.to_string(),
            "funds": view_targets::form_amount(perf.funds.amount),
            "funds_pct": f.opt_pct(perf.funds.percent),
            "key_count": perf.key_names.len().to_string(),
            "key_names": perf.key_names,
            "key_funds": f.text(perf.key_funds.amount),
            "key_pct": f.opt_pct(perf.key_funds.percent),
        },
        "other_matters": texts(&input.other_matters),
    });

    let fonts = &input.fonts;
    let family = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().trim().to_string());
    json!({
        "meta": {
            "department": dept,
            "code": dept_code,
            "title": input.title.as_ref().map(|t| t.as_str().trim()).unwrap_or(dept),
            "year": year.to_string(),
            "prior_year": (year - 1).to_string(),
            "unit": v.unit().label(),
            "date": v.date().map(|d| format!("{}年{}月{}日", d.year, d.month, d.day)),
        },
        "fonts": {
            "body": family(&fonts.body), "heading": family(&fonts.heading),
            "kai": family(&fonts.kai), "title": family(&fonts.title),
        },
        "overview": {
            "duties": texts(&input.overview.duties),
            "composition": texts(&input.overview.composition),
        },
        "t1": {
            "classes": classes,
            "income_general": f.table(inc.general),
            "income_fund": blank_zero(inc.fund),
            "income_total": f.table(inc.fiscal),
            "spending": [f.table(inc.fiscal), f.table(inc.general), blank_zero(inc.fund)],
            "total": f.table(inc.fiscal),
        },
        "t2": { "rows": d.general_rows.iter().map(|r| f.row(r)).collect::<Vec<_>>() },
        "t3": {
            "rows": d.economic.iter().map(|e| json!({
                "code": e.code, "name": e.name, "class": e.is_class,
                "cells": [f.table(e.total), f.table(e.personnel), f.table(e.public)],
            })).collect::<Vec<_>>(),
        },
        "t4": {
            "prior_budget": f.three_public(&d.three_public_prior_budget),
            "prior_actual": f.three_public(&d.three_public_prior_actual),
            "budget": f.three_public(bud),
        },
        "t5": {
            "rows": d.fund_rows.iter().map(|r| f.row(r)).collect::<Vec<_>>(),
            "zero": f.table(Decimal::ZERO),
        },
        "t6": t6,
        "t7": t7,
        "t8": t8,
        "targets": targets,
        "narrative": narrative,
        "glossary": glossary(v),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_that_enumerate_keep_their_grammar() {
        let t = |s: &str| Text(s.into());
        assert_eq!(reason(Some(&t("配备制服"))), json!("主要原因是配备制服"));
        assert_eq!(
            reason(Some(&t("一是A，二是B"))),
            json!("主要原因一是A，二是B")
        );
        assert_eq!(reason(Some(&t("  "))), Value::Null);
        assert_eq!(reason(None), Value::Null);
    }

    #[test]
    fn budget_format_prints_zero_and_whole_percentages_plainly() {
        let s = BudgetFormat::default();
        let f = Fmt { s: &s };
        assert_eq!(f.text(Decimal::ZERO), "0");
        assert_eq!(f.text(Decimal::new(7000, 2)), "70.00");
        assert_eq!(f.pct(Decimal::from(-100)), "-100");
        assert_eq!(f.pct(Decimal::new(710, 2)), "7.10");
    }

    #[test]
    fn default_budget_glossary_parses() {
        let v: serde_yaml::Value = serde_yaml::from_str(DEFAULT_GLOSSARY).unwrap();
        assert!(v.as_sequence().is_some_and(|s| s.len() >= 14));
    }
}
