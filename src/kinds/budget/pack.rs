//! derive (部门预算 under a region pack): the registry a pack prints from — every figure of
//! the budget by name (totals by source, the prior year's 预算, 三公, 机关运行经费, 政府采购,
//! vehicles, counts), the typed texts, and the row sources (功能分类 类/款/项 by source and
//! 基本/项目, 经济分类 类/款 of 基本支出, units, projects). Only typed facts and their sums:
//! a figure nobody typed is absent from the registry, so a pack's sentence leaves it out.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::input::{BudgetInput, IncomeSource, UnitNature, VehicleCounts};
use super::rules::ValidatedBudget;
use crate::catalog;
use crate::figures::{Cell, Num, sum_all, sum_cells};
use crate::load::common::ThreePublicItems;
use crate::load::scalar::{Amount, Count, Text};
use crate::pack::engine::{Item, Registry, Schema, SourceData, SourceSchema, Value};

const VEHICLE_KEYS: [&str; 9] = [
    "ministerial",
    "leaders",
    "confidential",
    "emergency",
    "law_enforcement",
    "special",
    "retired",
    "other",
    "equipment",
];

/// Every name a budget's pack may print (the registry holds those the data gives).
pub const SCHEMA: Schema = Schema {
    scalars: &[
        "income.total",
        "income.fiscal",
        "income.general",
        "income.fund",
        "income.state_capital",
        "income.business",
        "income.operating",
        "income.other",
        "expenditure.total",
        "expenditure.fiscal",
        "expenditure.general",
        "expenditure.fund",
        "expenditure.state_capital",
        "expenditure.basic",
        "expenditure.project",
        "prior_budget.fiscal",
        "prior_budget.general",
        "prior_budget.fund",
        "prior_budget.state_capital",
        "three_public.total",
        "three_public.outbound",
        "three_public.vehicle",
        "three_public.vehicle_purchase",
        "three_public.vehicle_operation",
        "three_public.reception",
        "prior_three_public.total",
        "prior_three_public.outbound",
        "prior_three_public.vehicle",
        "prior_three_public.vehicle_purchase",
        "prior_three_public.vehicle_operation",
        "prior_three_public.reception",
        "operating_costs",
        "prior_operating_costs",
        "operating_costs.scope",
        "procurement.total",
        "procurement.goods",
        "procurement.works",
        "procurement.services",
        "procurement.reserved_for_sme",
        "procurement.reserved_for_small",
        "performance.units",
        "performance.projects",
        "performance.amount",
        "units.count",
        "units.subordinate",
        "units.administrative",
        "units.institutional",
        "units.civil_service",
        "vehicles.as_of",
        "vehicles.held.total",
        "vehicles.held.ministerial",
        "vehicles.held.leaders",
        "vehicles.held.confidential",
        "vehicles.held.emergency",
        "vehicles.held.law_enforcement",
        "vehicles.held.special",
        "vehicles.held.retired",
        "vehicles.held.other",
        "vehicles.held.equipment",
        "vehicles.purchase.total",
        "vehicles.purchase.ministerial",
        "vehicles.purchase.leaders",
        "vehicles.purchase.confidential",
        "vehicles.purchase.emergency",
        "vehicles.purchase.law_enforcement",
        "vehicles.purchase.special",
        "vehicles.purchase.retired",
        "vehicles.purchase.other",
        "vehicles.purchase.equipment",
        "reason.fiscal",
        "reason.three_public",
        "reason.outbound",
        "reason.vehicle",
        "reason.vehicle_purchase",
        "reason.vehicle_operation",
        "reason.reception",
        "reason.operating_costs",
    ],
    texts: &["duties", "composition", "other_matters", "paragraphs.*"],
    sources: &[
        SourceSchema {
            name: "functional",
            levels: &[("类", 3), ("款", 5), ("项", 7)],
            fields: &["class_name", "section_name", "use"],
            measures: &[
                "total",
                "basic",
                "project",
                "fiscal",
                "fiscal.basic",
                "fiscal.project",
                "general",
                "general.basic",
                "general.project",
                "fund",
                "fund.basic",
                "fund.project",
                "state_capital",
                "state_capital.basic",
                "state_capital.project",
                "business",
                "operating",
                "other",
            ],
        },
        SourceSchema {
            name: "economic",
            levels: &[("类", 3), ("款", 5)],
            fields: &[],
            measures: &["total", "personnel", "public"],
        },
        SourceSchema {
            name: "units",
            levels: &[("单位", 0)],
            fields: &["nature"],
            measures: &[],
        },
        SourceSchema {
            name: "projects",
            levels: &[("项目", 0)],
            fields: &[
                "overview",
                "basis",
                "implementer",
                "plan",
                "period",
                "budget_use",
                "targets",
            ],
            measures: &["budget"],
        },
    ],
};

/// The 基本/项目 cells of one 项 code in each source.
#[derive(Default, Clone)]
struct Split {
    basic: Cell,
    project: Cell,
}

impl Split {
    fn add(&mut self, line: (Option<Amount>, Option<Amount>)) {
        self.basic = sum_cells([self.basic, line.0.map(Amount::num)]);
        self.project = sum_cells([self.project, line.1.map(Amount::num)]);
    }
    fn whole(&self) -> Cell {
        sum_cells([self.basic, self.project])
    }
}

#[derive(Default, Clone)]
struct Code {
    general: Split,
    fund: Split,
    state_capital: Split,
    business: Split,
    operating: Split,
    other: Split,
}

fn put(values: &mut BTreeMap<String, Value>, key: &str, cell: Cell) {
    if let Some(n) = cell {
        values.insert(key.to_string(), Value::Amount(n));
    }
}

fn text(values: &mut BTreeMap<String, Value>, key: &str, t: Option<&Text>) {
    if let Some(t) = t.filter(|t| !t.as_str().trim().is_empty()) {
        values.insert(key.to_string(), Value::Text(t.as_str().trim().to_string()));
    }
}

fn count(n: usize, meaning: &'static str) -> Value {
    Value::Count(Num::constant(Decimal::from(n), meaning))
}

/// The 功能分类 leaves: one per 项 code, every source's 基本/项目 and their sums.
fn functional(v: &ValidatedBudget) -> SourceData {
    let input = v.input();
    let mut codes: BTreeMap<String, Code> = BTreeMap::new();
    for l in input.general_lines() {
        codes
            .entry(l.code.as_str().into())
            .or_default()
            .general
            .add((l.basic, l.project));
    }
    for l in input.fund_lines() {
        codes
            .entry(l.code.as_str().into())
            .or_default()
            .fund
            .add((l.basic, l.project));
    }
    for l in &input.state_capital {
        codes
            .entry(l.code.as_str().into())
            .or_default()
            .state_capital
            .add((l.basic, l.project));
    }
    for l in &input.other_sources {
        let e = codes.entry(l.code.as_str().into()).or_default();
        let split = match l.source {
            IncomeSource::Business => &mut e.business,
            IncomeSource::Operating => &mut e.operating,
            IncomeSource::Other => &mut e.other,
        };
        split.add((l.basic, l.project));
    }
    let names = v.names();
    let mut data = SourceData::default();
    for (code, c) in &codes {
        let mut values = BTreeMap::new();
        let fiscal_basic = sum_cells([c.general.basic, c.fund.basic, c.state_capital.basic]);
        let fiscal_project =
            sum_cells([c.general.project, c.fund.project, c.state_capital.project]);
        let basic = sum_cells([
            fiscal_basic,
            c.business.basic,
            c.operating.basic,
            c.other.basic,
        ]);
        let project = sum_cells([
            fiscal_project,
            c.business.project,
            c.operating.project,
            c.other.project,
        ]);
        put(&mut values, "total", sum_cells([basic, project]));
        put(&mut values, "basic", basic);
        put(&mut values, "project", project);
        put(
            &mut values,
            "fiscal",
            sum_cells([fiscal_basic, fiscal_project]),
        );
        put(&mut values, "fiscal.basic", fiscal_basic);
        put(&mut values, "fiscal.project", fiscal_project);
        for (key, s) in [
            ("general", &c.general),
            ("fund", &c.fund),
            ("state_capital", &c.state_capital),
        ] {
            put(&mut values, key, s.whole());
            put(&mut values, &format!("{key}.basic"), s.basic);
            put(&mut values, &format!("{key}.project"), s.project);
        }
        put(&mut values, "business", c.business.whole());
        put(&mut values, "operating", c.operating.whole());
        put(&mut values, "other", c.other.whole());
        values.insert("code".into(), Value::Text(code.clone()));
        values.insert("name".into(), Value::Text(names.functional(code)));
        if code.len() == 7 {
            values.insert(
                "class_name".into(),
                Value::Text(names.functional(&code[..3])),
            );
            values.insert(
                "section_name".into(),
                Value::Text(names.functional(&code[..5])),
            );
        }
        text(
            &mut values,
            "use",
            input
                .uses
                .iter()
                .find(|(c, _)| c.as_str() == code)
                .map(|(_, t)| t),
        );
        for upper in [&code[..3.min(code.len())], &code[..5.min(code.len())]] {
            data.names
                .entry(upper.to_string())
                .or_insert_with(|| names.functional(upper));
        }
        data.leaves.push(Item {
            code: code.clone(),
            values,
        });
    }
    data
}

/// The 经济分类 leaves of 基本支出: one per 款 code, in 人员经费 or 公用经费.
fn economic(input: &BudgetInput) -> SourceData {
    let mut data = SourceData::default();
    let mut all: Vec<(&str, &str, Num)> = Vec::new();
    for (block, map) in [
        ("personnel", &input.basic_by_economic.personnel),
        ("public", &input.basic_by_economic.public),
    ] {
        for (code, amount) in map {
            all.push((code.as_str(), block, amount.num()));
        }
    }
    all.sort_by(|a, b| a.0.cmp(b.0));
    for (code, block, n) in all {
        let mut values = BTreeMap::new();
        values.insert("total".into(), Value::Amount(n));
        values.insert(block.into(), Value::Amount(n));
        values.insert("code".into(), Value::Text(code.to_string()));
        values.insert(
            "name".into(),
            Value::Text(catalog::economic_name(code).unwrap_or_default().to_string()),
        );
        if let Some(class) = code.get(..3) {
            data.names.insert(
                class.to_string(),
                catalog::economic_name(class)
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        data.leaves.push(Item {
            code: code.to_string(),
            values,
        });
    }
    data
}

fn units(input: &BudgetInput) -> SourceData {
    let mut data = SourceData::default();
    for (i, u) in input.units.iter().enumerate() {
        let mut values = BTreeMap::new();
        values.insert(
            "name".into(),
            Value::Text(u.name.as_str().trim().to_string()),
        );
        values.insert(
            "code".into(),
            Value::Text(
                u.code
                    .as_ref()
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
            ),
        );
        if let Some(n) = u.nature {
            values.insert(
                "nature".into(),
                Value::Text(
                    match n {
                        UnitNature::Administrative => "行政",
                        UnitNature::Institutional => "事业",
                        UnitNature::CivilServiceManaged => "参公",
                    }
                    .into(),
                ),
            );
        }
        data.leaves.push(Item {
            code: format!("{i:04}"),
            values,
        });
    }
    data
}

fn projects(input: &BudgetInput) -> SourceData {
    let mut data = SourceData::default();
    for (i, p) in input.projects.iter().enumerate() {
        let mut values = BTreeMap::new();
        values.insert(
            "name".into(),
            Value::Text(p.name.as_str().trim().to_string()),
        );
        for (key, t) in [
            ("overview", &p.overview),
            ("basis", &p.basis),
            ("implementer", &p.implementer),
            ("plan", &p.plan),
            ("period", &p.period),
            ("budget_use", &p.budget_use),
            ("targets", &p.targets),
        ] {
            text(&mut values, key, t.as_ref());
        }
        put(&mut values, "budget", p.budget.map(Amount::num));
        data.leaves.push(Item {
            code: format!("{i:04}"),
            values,
        });
    }
    data
}

/// The four 三公 items, their 公务用车 sum and their total: each sum only when every part
/// is typed (a total over a missing part would invent it as 0).
fn three_public(s: &mut BTreeMap<String, Value>, prefix: &str, items: &ThreePublicItems) {
    let parts = [
        ("outbound", items.outbound),
        ("vehicle_purchase", items.vehicle_purchase),
        ("vehicle_operation", items.vehicle_operation),
        ("reception", items.reception),
    ];
    for (k, a) in parts {
        put(s, &format!("{prefix}.{k}"), a.map(Amount::num));
    }
    let all = |xs: &[Option<Amount>]| sum_all(xs.iter().map(|a| a.map(Amount::num)));
    put(
        s,
        &format!("{prefix}.vehicle"),
        all(&[items.vehicle_purchase, items.vehicle_operation]),
    );
    put(
        s,
        &format!("{prefix}.total"),
        all(&[
            items.outbound,
            items.vehicle_purchase,
            items.vehicle_operation,
            items.reception,
        ]),
    );
}

fn vehicles(s: &mut BTreeMap<String, Value>, prefix: &str, v: &VehicleCounts) {
    let counts = [
        v.ministerial,
        v.leaders,
        v.confidential,
        v.emergency,
        v.law_enforcement,
        v.special,
        v.retired,
        v.other,
        v.equipment,
    ];
    for (k, c) in VEHICLE_KEYS.iter().zip(counts) {
        if let Some(c) = c {
            s.insert(format!("{prefix}.{k}"), Value::Count(c.num()));
        }
    }
    // The vehicles (not the equipment) in all, when every kind is typed.
    let cars = &counts[..8];
    if cars.iter().all(Option::is_some) {
        let total: Num = cars.iter().flatten().map(|c: &Count| c.num()).sum();
        s.insert(format!("{prefix}.total"), Value::Count(total));
    }
}

/// The registry of a validated budget.
pub fn registry(v: &ValidatedBudget) -> Registry {
    let input = v.input();
    let functional = functional(v);
    let mut s: BTreeMap<String, Value> = BTreeMap::new();
    s.insert(
        "department".into(),
        Value::Text(input.department.as_str().trim().to_string()),
    );
    s.insert("year".into(), Value::Text(input.year.to_string()));
    s.insert(
        "prior_year".into(),
        Value::Text((input.year - 1).to_string()),
    );
    s.insert(
        "title".into(),
        Value::Text(
            input
                .title
                .as_ref()
                .unwrap_or(&input.department)
                .as_str()
                .trim()
                .to_string(),
        ),
    );
    text(&mut s, "locality", input.locality.as_ref());
    let total_of = |m: &str| -> Cell {
        sum_cells(functional.leaves.iter().map(|i| match i.values.get(m) {
            Some(Value::Amount(n)) => Some(*n),
            _ => None,
        }))
    };
    for (key, measure) in [
        ("total", "total"),
        ("fiscal", "fiscal"),
        ("general", "general"),
        ("fund", "fund"),
        ("state_capital", "state_capital"),
    ] {
        let t = total_of(measure);
        put(&mut s, &format!("income.{key}"), t);
        put(&mut s, &format!("expenditure.{key}"), t);
    }
    for key in ["business", "operating", "other"] {
        put(&mut s, &format!("income.{key}"), total_of(key));
    }
    put(&mut s, "expenditure.basic", total_of("basic"));
    put(&mut s, "expenditure.project", total_of("project"));
    let pb = &input.prior_budget;
    put(
        &mut s,
        "prior_budget.general",
        pb.general_budget.map(Amount::num),
    );
    put(
        &mut s,
        "prior_budget.fund",
        pb.government_fund.map(Amount::num),
    );
    put(
        &mut s,
        "prior_budget.state_capital",
        pb.state_capital.map(Amount::num),
    );
    put(
        &mut s,
        "prior_budget.fiscal",
        sum_all(
            [pb.general_budget, pb.government_fund, pb.state_capital].map(|a| a.map(Amount::num)),
        ),
    );
    three_public(&mut s, "three_public", &input.three_public.budget);
    three_public(
        &mut s,
        "prior_three_public",
        &input.three_public.prior_budget,
    );
    if let Some(oc) = &input.operating_costs {
        put(&mut s, "operating_costs", Some(oc.budget.num()));
        put(
            &mut s,
            "prior_operating_costs",
            oc.prior_budget.map(Amount::num),
        );
        text(&mut s, "operating_costs.scope", oc.scope.as_ref());
    }
    if let Some(p) = &input.procurement {
        for (k, a) in [
            ("goods", p.goods),
            ("works", p.works),
            ("services", p.services),
            ("reserved_for_sme", p.reserved_for_sme),
            ("reserved_for_small", p.reserved_for_small),
        ] {
            put(&mut s, &format!("procurement.{k}"), a.map(Amount::num));
        }
        put(
            &mut s,
            "procurement.total",
            sum_all([p.goods, p.works, p.services].map(|a| a.map(Amount::num))),
        );
    }
    if let Some(n) = input.performance.units {
        s.insert("performance.units".into(), Value::Count(n.num()));
    }
    let budgets: Vec<Num> = input
        .projects
        .iter()
        .filter_map(|p| p.budget.map(Amount::num))
        .collect();
    if !input.projects.is_empty() {
        s.insert(
            "performance.projects".into(),
            count(budgets.len(), "所列项目个数"),
        );
        put(
            &mut s,
            "performance.amount",
            sum_cells(budgets.into_iter().map(Some)),
        );
    }
    if !input.units.is_empty() {
        let natures: Vec<Option<UnitNature>> = input.units.iter().map(|u| u.nature).collect();
        s.insert("units.count".into(), count(natures.len(), "所列单位个数"));
        // The first unit listed is the department's own (本部); the rest are 下属单位.
        s.insert(
            "units.subordinate".into(),
            count(natures.len() - 1, "所列下属单位个数（首个为本部）"),
        );
        if natures.iter().all(Option::is_some) {
            let n = |f: &dyn Fn(UnitNature) -> bool| {
                natures.iter().flatten().filter(|x| f(**x)).count()
            };
            s.insert(
                "units.administrative".into(),
                count(n(&|x| x == UnitNature::Administrative), "所列行政单位个数"),
            );
            s.insert(
                "units.institutional".into(),
                count(
                    n(&|x| x != UnitNature::Administrative),
                    "所列事业单位个数（含参公）",
                ),
            );
            s.insert(
                "units.civil_service".into(),
                count(
                    n(&|x| x == UnitNature::CivilServiceManaged),
                    "所列参公事业单位个数",
                ),
            );
        }
    }
    if let Some(vh) = &input.vehicles {
        text(&mut s, "vehicles.as_of", Some(&vh.as_of));
        vehicles(&mut s, "vehicles.held", &vh.held);
        vehicles(&mut s, "vehicles.purchase", &vh.purchase);
    }
    let r = &input.reasons;
    text(&mut s, "reason.fiscal", r.fiscal.as_ref());
    text(&mut s, "reason.three_public", r.three_public.total.as_ref());
    text(&mut s, "reason.outbound", r.three_public.outbound.as_ref());
    text(&mut s, "reason.vehicle", r.three_public.vehicle.as_ref());
    text(
        &mut s,
        "reason.vehicle_purchase",
        r.three_public.vehicle_purchase.as_ref(),
    );
    text(
        &mut s,
        "reason.vehicle_operation",
        r.three_public.vehicle_operation.as_ref(),
    );
    text(
        &mut s,
        "reason.reception",
        r.three_public.reception.as_ref(),
    );
    text(&mut s, "reason.operating_costs", r.operating_costs.as_ref());
    let texts = |ts: &[Text]| {
        ts.iter()
            .map(|t| t.as_str().trim().to_string())
            .collect::<Vec<_>>()
    };
    let mut texts_map = BTreeMap::new();
    texts_map.insert("duties".to_string(), texts(&input.overview.duties));
    texts_map.insert(
        "composition".to_string(),
        texts(&input.overview.composition),
    );
    texts_map.insert("other_matters".to_string(), texts(&input.other_matters));
    for (name, list) in &input.paragraphs {
        texts_map.insert(format!("paragraphs.{}", name.trim()), texts(list));
    }
    let mut sources = BTreeMap::new();
    sources.insert("functional".to_string(), functional);
    sources.insert("economic".to_string(), economic(input));
    sources.insert("units".to_string(), units(input));
    sources.insert("projects".to_string(), projects(input));
    Registry {
        scalars: s,
        texts: texts_map,
        sources,
        glossary: input.glossary.as_ref().map(|g| {
            g.iter()
                .map(|e| {
                    (
                        e.term.as_str().trim().to_string(),
                        e.text.as_str().trim().to_string(),
                    )
                })
                .collect()
        }),
    }
}

/// The table figures the project accepts as printed (`accept:` entries of rule R08 with
/// `printed:`), by cell key.
pub fn printed(input: &BudgetInput) -> BTreeMap<String, Num> {
    input
        .accept
        .iter()
        .filter(|e| e.rule.as_str().trim() == "R08")
        .filter_map(|e| Some((e.at.as_str().trim().to_string(), e.printed?.num())))
        .collect()
}
