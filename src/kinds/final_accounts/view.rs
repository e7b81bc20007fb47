//! render: turn the derived figures into the JSON the templates read (`/data.json`). Every
//! number leaves here as a ready-formatted string, rounded once (half-up) at the precision the
//! document asks for; templates only place strings, they never compute.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::evaluation::{DerivedEvaluation, EXECUTION_WEIGHT};
use super::figures::Derived;
use super::input::{FormatSettings, IndicatorInput};
use super::rules::{TableId, Validated};
use super::statements::EconomicRow;
use crate::figures::hierarchy::{HierTable, Level};
use crate::figures::three_public::ThreePublic;
use crate::figures::{Cell, Change, Share, val};
use crate::load::scalar::{Count, Text};
use crate::money::{self, chinese_ordinal};
use crate::render::format::Numbers;

/// The embedded default glossary (第四部分 名词解释), used unless the project gives its own.
const DEFAULT_GLOSSARY: &str = include_str!("glossary.yaml");

/// The document's number formats ([`Numbers`]) and its decimals by kind of figure.
struct Fmt<'a> {
    s: &'a FormatSettings,
    n: Numbers,
}

impl<'a> Fmt<'a> {
    fn new(s: &'a FormatSettings) -> Self {
        Self {
            s,
            n: Numbers {
                amount_decimals: 2,
                table_separators: s.table_separators,
                zero_as_integer: false,
                whole_percent_as_integer: false,
            },
        }
    }
    /// A table amount; empty cells stay empty.
    fn cell(&self, c: Cell) -> Value {
        json!(self.n.cell(c))
    }
    fn table(&self, v: Decimal) -> String {
        self.n.table(v)
    }
    /// An amount in a sentence: 2 decimals, no separators.
    fn text(&self, v: Decimal) -> String {
        self.n.text(v)
    }
    fn pct(&self, v: Option<Decimal>, dp: u32) -> Value {
        self.n.opt_percent(v, dp)
    }
    fn share(&self, s: &Share) -> Value {
        self.n.share(s.amount, s.percent, self.s.share_decimals)
    }
    fn change(&self, c: &Change, completion_dp: u32) -> Value {
        self.n.change(c, self.s.growth_decimals, completion_dp)
    }
    fn opt_change(&self, c: &Option<Change>) -> Value {
        c.as_ref()
            .map(|c| self.change(c, self.s.completion_decimals))
            .unwrap_or(Value::Null)
    }
}

fn text(t: &Option<Text>) -> Value {
    match t {
        Some(t) if !t.0.trim().is_empty() => json!(t.0.trim()),
        _ => Value::Null,
    }
}

fn texts(list: &[Text]) -> Value {
    json!(list.iter().map(|t| t.0.trim()).collect::<Vec<_>>())
}

fn hier(f: &Fmt, t: &HierTable) -> Value {
    let rows: Vec<Value> = t
        .rows
        .iter()
        .map(|r| {
            let (class, section, item) = match r.level {
                Level::Class => (&r.code[..3], "", ""),
                Level::Section => (&r.code[..3], &r.code[3..5], ""),
                Level::Item => (&r.code[..3], &r.code[3..5], &r.code[5..7]),
            };
            json!({
                "level": match r.level { Level::Class => "class", Level::Section => "section", Level::Item => "item" },
                "code": r.code,
                "class": class, "section": section, "item": item,
                "name": r.name,
                "cells": r.cells.iter().map(|c| f.cell(*c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "total": t.total.iter().map(|c| f.cell(*c)).collect::<Vec<_>>(),
        "rows": rows,
        "empty": t.is_empty(),
    })
}

fn econ_rows(f: &Fmt, rows: &[EconomicRow]) -> Value {
    json!(
        rows.iter()
            .map(|r| json!({"code": r.code, "name": r.name, "class": r.is_class, "amount": f.cell(r.amount)}))
            .collect::<Vec<_>>()
    )
}

fn three_public(f: &Fmt, r: &ThreePublic) -> Value {
    json!(r.cells().iter().map(|c| f.cell(*c)).collect::<Vec<_>>())
}

fn indicator(i: &IndicatorInput) -> Value {
    let num = |a: Option<crate::load::scalar::Amount>| match a {
        Some(a) => json!(money::fixed(a.0, a.0.scale().min(2))),
        None => json!(""),
    };
    json!({
        "name": i.name.0.trim(),
        "target": i.target.as_ref().map(|t| t.0.trim()).unwrap_or(""),
        "actual": i.actual.as_ref().map(|t| t.0.trim()).unwrap_or(""),
        "weight": num(i.weight),
        "score": num(i.score),
        "deviation": i.deviation.as_ref().map(|t| t.0.trim()).unwrap_or(""),
    })
}

fn evaluation(f: &Fmt, v: &Validated, i: usize, d: &DerivedEvaluation) -> Value {
    let e = &v.evaluations()[i];
    let wan = |c: Cell| match c {
        None => json!(""),
        Some(v) => json!(money::fixed(v, 2)),
    };
    let row = |r: &crate::kinds::final_accounts::evaluation::FundFigures| {
        json!([wan(r.initial), wan(r.full_year), wan(r.executed)])
    };
    let t = &d.funds.total;
    let level1: Vec<Value> = d
        .level1
        .iter()
        .map(|l| {
            json!({
                "name": l.name,
                "weight": l.weight.map(money::points),
                "level2": l.level2.iter().map(|l2| json!({
                    "name": l2.name,
                    "indicators": l2.indicators.iter().map(indicator).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "number": i + 1,
        "name": e.name.0.trim(),
        "department": e.department.0.trim(),
        "implementer": e.implementer.0.trim(),
        "funds": {
            "total": [
                if t.any_initial { json!(money::fixed(t.initial, 2)) } else { json!("") },
                money::fixed(t.full_year, 2),
                money::fixed(t.executed, 2),
            ],
            "current_year": row(&d.funds.current_year),
            "carryover": row(&d.funds.carryover),
            "other": row(&d.funds.other),
        },
        "execution_weight": money::points(EXECUTION_WEIGHT),
        "execution_rate": f.pct(d.execution_rate, f.s.execution_rate_decimals),
        "execution_score": money::fixed(d.execution_score, 2),
        "goal": { "expected": e.goal.expected.0.trim(), "actual": e.goal.actual.0.trim() },
        "level1": level1,
        "total_weight": money::points(d.total_weight),
        "total_score": money::fixed(d.total_score, 2),
    })
}

fn glossary(v: &Validated) -> Value {
    let list = crate::render::glossary_entries(v.input().glossary.as_deref(), DEFAULT_GLOSSARY);
    json!(
        list.iter()
            .map(|(term, text)| json!({"term": term, "text": text}))
            .collect::<Vec<_>>()
    )
}

/// Builds `/data.json`.
/// 第三部分 情况说明: every figure of its ten sections.
fn narrative(v: &Validated, d: &Derived, f: &Fmt) -> Value {
    let input = v.input();
    let s = &d.statements;
    let (s01, s06) = (&s.s01, &s.s06);
    let r = &input.reasons;
    let tpd = &input.three_public_details;
    let p3 = input.format.three_public_completion_decimals;
    let count = |c: Option<Count>| c.map(|n| json!(n.to_string())).unwrap_or(Value::Null);
    json!({
        "total": {
            "amount": f.text(s01.grand_total),
            "change": f.opt_change(&s.total_change),
            "income_change": f.opt_change(&s.income_change),
            "opening_change": f.opt_change(&s.opening_change),
            "reason": text(&r.total_change),
        },
        "income": {
            "total": f.text(s01.total_income),
            "shares": s.income_shares.iter().map(|x| f.share(x)).collect::<Vec<_>>(),
        },
        "expenditure": {
            "total": f.text(s01.total_expenditure),
            "shares": s.expenditure_shares.iter().map(|x| f.share(x)).collect::<Vec<_>>(),
        },
        "fiscal": {
            "amount": f.text(s.fiscal_total),
            "change": f.opt_change(&s.fiscal_total_change),
            "income_change": f.opt_change(&s.fiscal_income_change),
            "opening_change": f.opt_change(&s.fiscal_opening_change),
            "reason": text(&r.fiscal_total_change),
        },
        "general_budget": {
            "amount": f.text(s.general_budget_total),
            "share": f.share(&s.general_budget_share_of_expenditure),
            "change": f.opt_change(&s.general_budget_change),
            "reason": text(&r.general_budget_change),
            "classes": s.general_budget_by_class.iter().map(|(code, name, sh)| json!({
                "code": code, "name": name, "share": f.share(sh)
            })).collect::<Vec<_>>(),
            "vs_initial": f.opt_change(&s.general_budget_vs_initial),
            "execution": s.class_execution.iter().enumerate().map(|(i, c)| json!({
                "number": i + 1,
                "name": c.name,
                "vs_budget": f.change(&c.vs_budget, input.format.completion_decimals),
                "reason": c.reason,
            })).collect::<Vec<_>>(),
        },
        "basic": {
            "amount": f.text(s.basic_total),
            "personnel": f.text(s06.personnel_total),
            "public": f.text(s06.public_total),
            "classes": s.economic_classes.iter().enumerate().map(|(i, c)| json!({
                "number": i + 1,
                "name": c.name,
                "amount": f.text(c.amount),
                "vs_budget": f.opt_change(&c.vs_budget),
                "vs_prior": f.opt_change(&c.vs_prior),
                "reason": c.reason,
            })).collect::<Vec<_>>(),
        },
        "three_public": {
            "vs_budget": f.change(&s.three_public_vs_budget, p3),
            "vs_prior": f.opt_change(&s.three_public_vs_prior),
            "reason_vs_budget": text(&r.three_public_vs_budget),
            "reason_change": text(&r.three_public_change),
            "outbound": {
                "vs_budget": f.change(&s.outbound_vs_budget, p3),
                "vs_prior": f.opt_change(&s.outbound_vs_prior),
                "reason_vs_budget": text(&r.outbound_vs_budget),
                "reason_change": text(&r.outbound_change),
                "groups": count(tpd.outbound_groups),
                "people": count(tpd.outbound_people),
            },
            "vehicle": {
                "vs_budget": f.change(&s.vehicle_vs_budget, p3),
                "vs_prior": f.opt_change(&s.vehicle_vs_prior),
                "reason_vs_budget": text(&r.vehicle_vs_budget),
                "reason_change": text(&r.vehicle_change),
                "purchase": f.text(val(s.three_public_actual.vehicle_purchase)),
                "operation": f.text(val(s.three_public_actual.vehicle_operation)),
                "purchased": count(tpd.vehicles_purchased),
                "operation_use": text(&tpd.vehicle_operation_use),
                "held": count(tpd.vehicles_held),
            },
            "reception": {
                "vs_budget": f.change(&s.reception_vs_budget, p3),
                "vs_prior": f.opt_change(&s.reception_vs_prior),
                "reason_vs_budget": text(&r.reception_vs_budget),
                "reason_change": text(&r.reception_change),
                "domestic": tpd.domestic_reception.map(|a| f.text(a.0)),
                "domestic_use": text(&tpd.domestic_reception_use),
                "foreign": s.foreign_reception.map(|a| f.text(a)),
                "domestic_batches": count(tpd.domestic_batches),
                "domestic_people": count(tpd.domestic_people),
                "foreign_batches": count(tpd.foreign_batches),
                "foreign_people": count(tpd.foreign_people),
            },
        },
        "fund": {
            "income": f.text(s.fund_income),
            "expenditure": f.text(s.fund_expenditure),
            "closing": f.text(s.fund_closing),
            "change": f.opt_change(&s.fund_change),
            "none": s.fund_income.is_zero() && s.fund_expenditure.is_zero() && s.fund_closing.is_zero(),
            "prior_none": s.fund_change.as_ref().is_some_and(|c| c.base.is_zero()),
            "reason": text(&r.government_fund),
        },
        "capital": {
            "income": f.text(s.capital_income),
            "expenditure": f.text(s.capital_expenditure),
            "closing": f.text(s.capital_closing),
            "change": f.opt_change(&s.capital_change),
            "reason": text(&r.state_capital),
        },
        "operating_costs": {
            "amount": s.operating_costs.map(|a| f.text(a)),
            "change": f.opt_change(&s.operating_costs_change),
            "reason": text(&r.operating_costs_change),
        },
        "procurement": {
            "total": s.procurement_total.map(|t| f.text(t)),
            "categories": s.procurement_shares.iter().map(|x| x.as_ref().map(|x| f.share(x))).collect::<Vec<_>>(),
            "sme": s.sme_share.as_ref().map(|x| f.share(x)),
            "small_micro": s.small_micro_share.as_ref().map(|x| f.share(x)),
            "sme_categories": s.sme_category_shares.iter().map(|x| x.as_ref().map(|x| f.share(x))).collect::<Vec<_>>(),
        },
        "assets": {
            "building_area": input.assets.building_area.map(|a| money::fixed(a.0, 2)),
            "vehicles_total": s.vehicles_total.map(|n| n.to_string()),
            "vehicles": {
                "leadership": count(input.assets.vehicles.leadership),
                "confidential": count(input.assets.vehicles.confidential),
                "emergency": count(input.assets.vehicles.emergency),
                "law_enforcement": count(input.assets.vehicles.law_enforcement),
                "special_technical": count(input.assets.vehicles.special_technical),
                "retired_cadres": count(input.assets.vehicles.retired_cadres),
                "other": count(input.assets.vehicles.other),
            },
            "other_use": text(&input.assets.other_vehicles_use),
            "large_equipment": count(input.assets.large_equipment),
        },
        "performance": {
            "projects": d.evaluations.len().to_string(),
            "primary": d.primary_projects.map(|n| n.to_string()),
            "secondary": count(input.performance.secondary_projects),
            "funds_wan": money::fixed(d.evaluation_funds, 2),
            "funds_share": f.pct(d.evaluation_funds_share, input.format.share_decimals),
            "fund_projects": count(input.performance.government_fund_projects),
            "average": d.evaluation_average.map(|a| money::fixed(a, 2)),
            "work": texts(&input.performance.work),
            "problems": texts(&input.performance.problems),
            "improvements": texts(&input.performance.improvements),
        },
    })
}

pub fn view(v: &Validated, d: &Derived) -> Value {
    let input = v.input();
    let f = Fmt::new(&input.format);
    let s = &d.statements;
    let year = input.year;
    let unit = v.unit().label();

    let tables: Vec<Value> = v
        .tables()
        .iter()
        .enumerate()
        .map(|(i, (id, title))| json!({"id": id.number(), "title": title, "ordinal": chinese_ordinal(i + 1)}))
        .collect();
    let table_title = |id: TableId| {
        v.tables()
            .iter()
            .find(|(t, _)| *t == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| id.default_title().to_string())
    };

    let s01 = &s.s01;
    let t01 = json!({
        "income": s01.income_lines.iter().map(|c| f.cell(*c)).collect::<Vec<_>>(),
        "total_income": f.table(s01.total_income),
        "non_fiscal_balance_used": f.cell(s01.non_fiscal_balance_used),
        "opening": f.cell(s01.opening),
        "grand_total": f.table(s01.grand_total),
        "classes": s01.class_lines.iter().enumerate().map(|(i, (code, name, c))| json!({
            "code": code, "label": format!("{}、{}", chinese_ordinal(i + 1), name), "amount": f.cell(*c)
        })).collect::<Vec<_>>(),
        "total_expenditure": f.table(s01.total_expenditure),
        "surplus_distribution": f.cell(s01.surplus_distribution),
        "closing": f.table(s01.closing),
    });
    let s04 = &s.s04;
    let t04 = json!({
        "income": s04.income.iter().map(|c| f.cell(*c)).collect::<Vec<_>>(),
        "total_income": f.table(s04.total_income),
        "classes": s04.class_lines.iter().enumerate().map(|(i, (code, name, c))| json!({
            "code": code, "label": format!("{}、{}", chinese_ordinal(i + 1), name),
            "amounts": c.iter().map(|x| f.cell(*x)).collect::<Vec<_>>()
        })).collect::<Vec<_>>(),
        "total_expenditure": s04.total_expenditure.iter().map(|x| f.table(*x)).collect::<Vec<_>>(),
        "opening": s04.opening.iter().map(|c| f.cell(*c)).collect::<Vec<_>>(),
        "opening_total": f.table(s04.opening_total),
        "closing": s04.closing.iter().map(|x| f.table(*x)).collect::<Vec<_>>(),
        "grand_total": f.table(s04.grand_total),
        "grand_total_by_kind": s04.grand_total_by_kind.iter().map(|x| f.table(*x)).collect::<Vec<_>>(),
    });
    let s06 = &s.s06;
    let t06 = json!({
        "personnel": econ_rows(&f, &s06.personnel),
        "public_left": econ_rows(&f, &s06.public_left),
        "public_right": econ_rows(&f, &s06.public_right),
        "personnel_total": f.table(s06.personnel_total),
        "public_total": f.table(s06.public_total),
        "total": f.table(s06.personnel_total + s06.public_total),
    });
    let t07 = json!({
        "budget": three_public(&f, &s.three_public_budget),
        "actual": three_public(&f, &s.three_public_actual),
    });

    let narrative = narrative(v, d, &f);

    let groups: Vec<Value> = d
        .evaluation_groups
        .iter()
        .enumerate()
        .map(|(i, g)| json!({"ordinal": chinese_ordinal(i + 1), "name": g.name, "members": g.members}))
        .collect();
    let evaluations: Vec<Value> = d
        .evaluations
        .iter()
        .enumerate()
        .map(|(i, e)| evaluation(&f, v, i, e))
        .collect();

    let fonts = &input.fonts;
    let family = |t: &Option<Text>| t.as_ref().map(|t| t.0.trim().to_string());
    json!({
        "meta": {
            "department": input.department.0.trim(),
            "year": year.to_string(),
            "prior_year": (year - 1).to_string(),
            "unit": unit,
            "title": input.title.as_ref().map(|t| t.0.trim()).unwrap_or("部门决算"),
            "evaluation_title": input
                .evaluation_title
                .as_ref()
                .map(|t| t.0.trim())
                .unwrap_or("项目支出绩效自评表"),
            "date": v.date().map(|d| format!("{}年{}月", year_cn(d.year), chinese_ordinal(d.month as usize))),
        },
        "fonts": {
            "body": family(&fonts.body),
            "heading": family(&fonts.heading),
            "kai": family(&fonts.kai),
            "title": family(&fonts.title),
        },
        "overview": {
            "duties": texts(&input.overview.duties),
            "organization": texts(&input.overview.organization),
        },
        "tables": tables,
        "titles": {
            "t01": table_title(TableId::T01), "t02": table_title(TableId::T02),
            "t03": table_title(TableId::T03), "t04": table_title(TableId::T04),
            "t05": table_title(TableId::T05), "t06": table_title(TableId::T06),
            "t07": table_title(TableId::T07), "t08": table_title(TableId::T08),
            "t09": table_title(TableId::T09),
        },
        "t01": t01,
        "t02": hier(&f, &s.s02),
        "t03": hier(&f, &s.s03),
        "t04": t04,
        "t05": hier(&f, &s.s05),
        "t06": t06,
        "t07": t07,
        "t08": hier(&f, &s.s08),
        "t09": hier(&f, &s.s09),
        "narrative": narrative,
        "glossary": glossary(v),
        "evaluation_groups": groups,
        "evaluations": evaluations,
    })
}

/// 2025 → 二〇二五 (the way dates are written on a cover).
fn year_cn(year: i32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    year.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| DIGITS[d as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_year() {
        assert_eq!(year_cn(2025), "二〇二五");
    }

    #[test]
    fn default_glossary_parses() {
        let v: serde_yaml::Value = serde_yaml::from_str(DEFAULT_GLOSSARY).unwrap();
        assert!(v.as_sequence().is_some_and(|s| s.len() >= 10));
    }
}
