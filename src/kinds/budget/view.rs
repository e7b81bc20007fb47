//! render: the JSON a 部门预算's templates read (`/data.json`). Every number leaves as a
//! ready-formatted string, rounded once (half-up) by `money`, following the document's
//! `format:` settings; templates only place strings.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::figures::{AssetLine, BudgetRow, DerivedBudget, NamedAmount, RowLevel};
use super::input::{AssetNotes, BudgetFormat};
use super::rules::ValidatedBudget;
use crate::figures::three_public::ThreePublic;
use crate::figures::{Change, Share};
use crate::forms::layout::TargetLayout;
use crate::forms::view::{self as view_targets, TargetIdentity};
use crate::load::scalar::Text;
use crate::money::{self, chinese_ordinal};
use crate::render::format::Numbers;

/// The nine 预算表 in print order: their key in the data and official title.
pub const TABLES: [(&str, &str); 9] = [
    ("t1", "财政拨款收支预算总表"),
    ("t2", "一般公共预算财政拨款支出预算表"),
    ("t3", "一般公共预算财政拨款基本支出预算表"),
    ("t4", "一般公共预算财政拨款“三公”经费支出预算表"),
    ("t5", "政府性基金预算财政拨款支出预算表"),
    ("t6", "部门收支预算总表"),
    ("t7", "部门收入预算表"),
    ("t8", "部门支出预算表"),
    ("t9", "部门项目支出预算绩效目标表"),
];

/// The embedded default glossary of a 部门预算 (第四部分 名词解释).
const DEFAULT_GLOSSARY: &str = include_str!("glossary.yaml");

/// The budget's number formats ([`Numbers`], from its `format:` settings).
struct Fmt<'a> {
    s: &'a BudgetFormat,
    n: Numbers,
}

impl<'a> Fmt<'a> {
    fn new(s: &'a BudgetFormat) -> Self {
        Self {
            s,
            n: Numbers {
                amount_decimals: s.amount_decimals,
                table_separators: s.table_separators,
                zero_as_integer: s.zero_as_integer,
                whole_percent_as_integer: s.whole_percent_as_integer,
            },
        }
    }
    /// An amount in a sentence.
    fn text(&self, v: Decimal) -> String {
        self.n.text(v)
    }
    /// An amount in a table (separators if configured).
    fn table(&self, v: Decimal) -> String {
        self.n.table(v)
    }
    fn cell(&self, c: Option<Decimal>) -> String {
        self.n.cell(c)
    }
    /// A percentage in a table column: always the same decimals (zero as 0 if configured).
    fn table_pct(&self, p: Decimal) -> String {
        self.n.table_percent(p, self.s.percent_decimals)
    }
    fn opt_pct(&self, p: Option<Decimal>) -> Value {
        self.n.opt_percent(p, self.s.percent_decimals)
    }
    fn change(&self, c: &Change) -> Value {
        self.n
            .change(c, self.s.percent_decimals, self.s.percent_decimals)
    }
    fn share(&self, label: &str, s: &Share) -> Value {
        let mut v = self.n.share(s.amount, s.percent, self.s.percent_decimals);
        v["label"] = json!(label);
        v
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
                self.cell(r.prior), self.cell(r.total), self.cell(r.basic),
                self.cell(r.project), self.cell(r.change.as_ref().map(|c| c.delta)),
                r.change.as_ref().and_then(|c| c.rate).map(|p| self.table_pct(p)).unwrap_or_default(),
            ],
        })
    }
    fn three_public(&self, g: &ThreePublic) -> Value {
        json!([
            self.cell(g.total),
            self.cell(g.outbound),
            self.cell(g.vehicle),
            self.cell(g.vehicle_purchase),
            self.cell(g.vehicle_operation),
            self.cell(g.reception),
        ])
    }
    fn items(&self, list: &[NamedAmount]) -> Value {
        json!(
            list.iter()
                .map(|i| json!({"name": i.name, "amount": self.text(i.amount)}))
                .collect::<Vec<_>>()
        )
    }
    /// One line of the asset sentence as its clauses (房屋…，价值…；土地…；…), each figure
    /// present only when typed; a group with neither figure is left out.
    fn assets(&self, a: &AssetLine, notes: &AssetNotes, label: &str, unit: &str) -> Value {
        let note = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| format!("（{}）", t.as_str().trim()))
                .unwrap_or_default()
        };
        let money = |c: Option<Decimal>, n: &Option<Text>| {
            c.map(|v| format!("价值{}{unit}{}", self.text(v), note(n)))
        };
        let group =
            |what: &str, count: Option<String>, n: &Option<Text>, value: Option<String>| match (
                count.map(|c| format!("{c}{}", note(n))),
                value,
            ) {
                (Some(c), Some(v)) => Some(format!("{what}{c}，{v}")),
                (Some(c), None) => Some(format!("{what}{c}")),
                (None, Some(v)) => Some(format!("{what}{v}")),
                (None, None) => None,
            };
        let clauses: Vec<String> = [
            group(
                "房屋",
                a.building_area.map(|v| area(v) + "平方米"),
                &notes.building_area,
                money(a.building_value, &notes.building_value),
            ),
            group(
                "土地",
                a.land_area.map(|v| area(v) + "平方米"),
                &notes.land_area,
                money(a.land_value, &notes.land_value),
            ),
            group(
                "车辆",
                a.vehicles.map(|v| format!("{v}辆")),
                &notes.vehicles,
                money(a.vehicle_value, &notes.vehicle_value),
            ),
            group(
                "办公家具",
                None,
                &None,
                money(a.furniture_value, &notes.furniture_value),
            ),
            group(
                "其他资产",
                None,
                &None,
                money(a.other_value, &notes.other_value),
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        json!({ "label": label, "clauses": clauses })
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
    let list = crate::render::glossary_entries(v.input().glossary.as_deref(), DEFAULT_GLOSSARY);
    json!(
        list.iter()
            .enumerate()
            .map(|(i, (term, text))| json!({"ordinal": chinese_ordinal(i + 1), "term": term, "text": text}))
            .collect::<Vec<_>>()
    )
}

/// What 表九 and 六(四) say when no performance-target form is attached: that there is no
/// 项目支出 — only when there is none — or that the forms are not attached (the project's
/// `performance.no_forms` wording, else the default).
fn no_forms_text(v: &ValidatedBudget, d: &DerivedBudget) -> String {
    let year = v.input().year;
    if d.project_total.is_zero() {
        format!("本部门{year}年无项目支出，故无项目支出预算绩效目标表。")
    } else {
        v.input()
            .performance
            .no_forms
            .as_ref()
            .map(|t| t.as_str().trim().to_string())
            .unwrap_or_else(|| format!("本部门{year}年项目支出预算绩效目标表未随本部门预算附列。"))
    }
}

/// Builds `/data.json` of a budget.
/// 表六, 表七 and 表八: income and spending by source and nature.
fn income_spending_tables(f: &Fmt, d: &DerivedBudget) -> (Value, Value, Value) {
    let inc = &d.income;
    let sp = &d.spending;
    // 表六 prints a zero (or untyped) figure as an empty cell.
    let blank_zero = |x: Option<Decimal>| f.cell(x.filter(|x| !x.is_zero()));
    let nature = |n: &crate::kinds::budget::figures::NatureSpending| {
        json!({
            "total": f.table(n.total), "fiscal": f.table(n.fiscal),
            "general": f.table(n.general), "fund": blank_zero(Some(n.fund)),
        })
    };
    let t6 = json!({
        "fiscal": f.table(inc.fiscal), "general": f.table(inc.general),
        "general_local": f.table(inc.general), "fund": blank_zero(Some(inc.fund)),
        "fund_local": blank_zero(Some(inc.fund)),
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
        f.cell(inc.business),
        f.cell(inc.business_non_same_level),
        f.cell(inc.business_special_account),
        f.cell(inc.superior_subsidy),
        f.cell(inc.affiliated),
        f.cell(inc.operating),
        f.cell(inc.debt),
        f.cell(inc.non_same_level),
        f.cell(inc.non_same_level_other),
        f.cell(inc.non_same_level_horizontal),
        f.cell(inc.investment),
        f.cell(inc.other),
    ]);
    let t8 = json!([
        f.table(sp.total),
        f.table(sp.administrative.total),
        f.table(sp.institutional.total),
        f.cell(sp.operating),
        f.cell(sp.remit_to_superior),
        f.cell(sp.subsidy_to_affiliated),
        f.cell(sp.investment),
        f.cell(sp.debt_repayment),
        f.cell(sp.other),
    ]);

    (t6, t7, t8)
}

/// 表九: one performance-target form per project, in the 市级 layout.
fn target_forms(v: &ValidatedBudget, d: &DerivedBudget) -> Vec<Value> {
    let input = v.input();
    let dept = input.department.as_str().trim();
    let dept_code = input.code.as_ref().map(|c| c.as_str()).unwrap_or("");
    v.targets()
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
        .collect()
}

/// 第三部分 情况说明: every figure of its sentences.
fn narrative(v: &ValidatedBudget, d: &DerivedBudget, f: &Fmt) -> Value {
    let input = v.input();
    let (inc, sp) = (&d.income, &d.spending);
    let r = &input.reasons;
    let tp_reason = |label: &str| match label {
        "因公出国（境）费" => r.three_public.outbound.as_ref(),
        "公务用车购置费" => r.three_public.vehicle_purchase.as_ref(),
        "公务用车运行费" => r.three_public.vehicle_operation.as_ref(),
        "公务接待费" => r.three_public.reception.as_ref(),
        _ => None,
    };
    let three_public_changes: Vec<Value> = d
        .three_public_changes
        .iter()
        .map(|(label, c)| json!({"label": label, "change": f.change(c), "reason": reason(tp_reason(label))}))
        .collect();
    let bud = &d.three_public_budget;
    // The first sentence names 公务用车购置 without 费, as the official text does.
    let three_public_items: Vec<Value> = bud
        .items()
        .iter()
        .filter_map(|(label, c)| {
            let label = label
                .strip_suffix("购置费")
                .map_or(label.to_string(), |l| format!("{l}购置"));
            Some(json!({"label": label, "amount": f.text((*c)?)}))
        })
        .collect();
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
                "code": s.code, "name": s.name, "current": f.text(s.current),
                "change": s.change.as_ref().map(|c| f.change(c)),
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
    let procurement = input.procurement.as_ref().map(|p| {
        let parts: Vec<Value> = [
            ("政府采购货物预算", p.goods),
            ("政府采购工程预算", p.works),
            ("政府采购服务预算", p.services),
        ]
        .into_iter()
        .filter_map(|(label, x)| Some(json!({"label": label, "amount": f.text(x?.0)})))
        .collect();
        json!({"total": d.procurement_total.map(|t| f.text(t)), "parts": parts})
    });
    let unit = v.unit().label();
    let assets = input
        .assets
        .as_ref()
        .zip(d.assets_total.as_ref())
        .map(|(a, total)| {
            json!({
                "as_of": a.as_of.as_str().trim(),
                "total": f.assets(total, &a.total_notes, "", unit),
                "parts": a.parts.iter().zip(&d.asset_parts)
                    .map(|(p, line)| f.assets(line, &p.notes, p.label.as_str().trim(), unit))
                    .collect::<Vec<_>>(),
            })
        });
    let perf = &d.performance;
    let carryover = input.carryover.map(|c| c.0);
    // With no 上年结转结余, the 基本/项目支出 funded from it and the 年末结转结余 are 0 too; with
    // some, the split is not typed and those clauses are left out.
    let carryover_zero = carryover
        .is_some_and(|c| c.is_zero())
        .then(|| f.text(Decimal::ZERO));
    json!({
        "fiscal": {
            "total": f.text(inc.fiscal), "general": f.text(inc.general), "fund": f.text(inc.fund),
            "carryover": carryover.map(|c| f.text(c)), "classes": nonzero_classes,
        },
        "carryover_zero": carryover_zero,
        "basic": {
            "total": f.text(d.basic_total),
            "change": d.basic_change.as_ref().map(|c| f.change(c)),
            "reason": reason(r.basic.as_ref()),
            "personnel": f.text(d.personnel_items.iter().map(|i| i.amount).sum()),
            "personnel_items": f.items(&d.personnel_items),
            "public": f.text(d.public_items.iter().map(|i| i.amount).sum()),
            "public_items": f.items(&d.public_items),
        },
        "project": { "total": f.text(d.project_total), "sentences": project_sentences },
        "three_public": {
            "total": bud.total.map(|t| f.text(t)),
            "items": three_public_items,
            "total_change": d.three_public_total_change.as_ref().map(|c| f.change(c)),
            "changes": three_public_changes,
        },
        "fund": if d.fund_rows.is_empty() || (d.fund_total.is_zero() && d.fund_change.as_ref().is_none_or(|c| c.base.is_zero())) { Value::Null } else {
            json!({
                "current": f.text(d.fund_total),
                "change": d.fund_change.as_ref().map(|c| f.change(c)),
                "reason": reason(r.government_fund.as_ref()),
            })
        },
        "overall": {
            "income": f.text(inc.total), "spending": f.text(sp.total),
            "income_total": carryover.map(|c| f.text(inc.total + c)),
            "carryover": carryover.map(|c| f.text(c)),
            "income_shares": d.income_shares.iter().map(|(l, s)| f.share(l, s)).collect::<Vec<_>>(),
            "spending_shares": d.spending_shares.iter().map(|(l, s)| f.share(l, s)).collect::<Vec<_>>(),
        },
        "operating_costs": oc,
        "procurement": procurement,
        "assets": assets,
        "performance": {
            "intro": input.performance.intro.as_ref().map(|t| t.as_str().trim()),
            // No forms: say why there are none — no 项目支出, or forms not attached — and
            // claim no count or sum of forms.
            "projects": (perf.projects > 0).then(|| perf.projects.to_string()),
            "no_forms": no_forms_text(v, d),
            "funds": view_targets::form_amount(perf.funds.amount),
            "funds_pct": f.opt_pct(perf.funds.percent),
            "key_count": perf.key_names.len().to_string(),
            "key_names": perf.key_names,
            "key_funds": f.text(perf.key_funds.amount),
            "key_pct": f.opt_pct(perf.key_funds.percent),
        },
        "other_matters": texts(&input.other_matters),
    })
}

pub fn view(v: &ValidatedBudget, d: &DerivedBudget) -> Value {
    let input = v.input();
    let f = Fmt::new(&input.format);
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
    let (t6, t7, t8) = income_spending_tables(&f, d);
    let targets = target_forms(v, d);
    let narrative = narrative(v, d, &f);
    let inc = &d.income;
    // 表一 prints a zero 政府性基金 as an empty cell.
    let blank_zero = |x: Option<Decimal>| f.cell(x.filter(|x| !x.is_zero()));
    // 表五 without a fund line: this year's columns are 0; the prior 执行数 (and so the
    // 增减额) is 0 only when the department typed its prior year on every line.
    let t5_empty = {
        let zero = f.table(Decimal::ZERO);
        let prior = if d.basic_change.is_some() {
            zero.clone()
        } else {
            String::new()
        };
        [prior.clone(), zero.clone(), zero.clone(), zero, prior]
    };
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
            "date": v.date().map(|d| d.chinese()),
        },
        "fonts": {
            "body": family(&fonts.body), "heading": family(&fonts.heading),
            "kai": family(&fonts.kai), "title": family(&fonts.title),
        },
        "overview": {
            "duties": texts(&input.overview.duties),
            "composition": texts(&input.overview.composition),
        },
        "tables": TABLES
            .iter()
            .enumerate()
            .map(|(i, (id, title))| json!({"id": id, "ordinal": chinese_ordinal(i + 1), "title": title}))
            .collect::<Vec<_>>(),
        "t1": {
            "classes": classes,
            "income_general": f.table(inc.general),
            "income_fund": blank_zero(Some(inc.fund)),
            "income_total": f.table(inc.fiscal),
            "spending": [f.table(inc.fiscal), f.table(inc.general), blank_zero(Some(inc.fund))],
            "total": f.table(inc.fiscal),
        },
        "t2": { "rows": d.general_rows.iter().map(|r| f.row(r)).collect::<Vec<_>>() },
        "t3": {
            "rows": d.economic.iter().map(|e| json!({
                "code": e.code,
                "name": match e.ordinal {
                    Some(n) => format!("{}、{}", chinese_ordinal(n), e.name),
                    None if e.code.is_empty() => "总计".to_string(),
                    None => e.name.clone(),
                },
                "class": e.is_class,
                "cells": [f.table(e.total), f.table(e.personnel), f.table(e.public)],
            })).collect::<Vec<_>>(),
        },
        "t4": {
            "prior_budget": f.three_public(&d.three_public_prior_budget),
            "prior_actual": f.three_public(&d.three_public_prior_actual),
            "budget": f.three_public(&d.three_public_budget),
        },
        "t5": {
            "rows": d.fund_rows.iter().map(|r| f.row(r)).collect::<Vec<_>>(),
            "empty": t5_empty,
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
        let f = Fmt::new(&s);
        assert_eq!(f.text(Decimal::ZERO), "0");
        assert_eq!(f.text(Decimal::new(7000, 2)), "70.00");
        assert_eq!(f.n.percent(Decimal::from(-100), 2), "-100");
        assert_eq!(f.n.percent(Decimal::new(710, 2), 2), "7.10");
    }

    #[test]
    fn default_budget_glossary_parses() {
        let v: serde_yaml::Value = serde_yaml::from_str(DEFAULT_GLOSSARY).unwrap();
        assert!(v.as_sequence().is_some_and(|s| s.len() >= 14));
    }
}
