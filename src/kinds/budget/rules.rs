//! validate: the rules of a 部门预算 project. Settings, units and their 项 codes (catalog,
//! duplicates, signs), the 经济分类 codes and their block (人员经费/公用经费), and the places
//! where the same money is typed twice: 基本支出 by 功能分类 (the units) and by 经济分类,
//! the prior year's 项目支出 执行数 against the codes' 执行数, and the performance-target forms
//! against each unit's 项目支出.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::Project as BudgetProject;
use super::input::{BudgetInput, BudgetLine};
use super::profile::BudgetProfile;
use super::sums;
use crate::catalog::{self, Catalogs, EconomicBlock, Names};
use crate::check::{Checker, Date, PrintUnits, Unit};
use crate::diag::Diagnostics;
use crate::forms::input::TargetInput;
use crate::load::scalar::{Amount, Text};
use crate::rules;

/// The validated budget project: the only input `derive::budget` accepts.
#[derive(Debug, Clone)]
pub struct ValidatedBudget {
    input: BudgetInput,
    targets: Vec<TargetInput>,
    unit: Unit,
    date: Option<Date>,
    names: Names,
    profile: BudgetProfile,
    units: PrintUnits,
    /// The region pack the document follows; none for the built-in edition.
    pack: Option<std::sync::Arc<crate::pack::Resolved>>,
}

impl ValidatedBudget {
    /// The region pack the document follows, if any.
    pub fn pack(&self) -> Option<&crate::pack::Resolved> {
        self.pack.as_deref()
    }
    /// The 科目 names the document prints.
    pub fn names(&self) -> &Names {
        &self.names
    }
    pub fn input(&self) -> &BudgetInput {
        &self.input
    }
    pub fn targets(&self) -> &[TargetInput] {
        &self.targets
    }
    /// The unit amounts are typed in.
    pub fn unit(&self) -> Unit {
        self.unit
    }
    /// The unit each part prints in.
    pub fn print_units(&self) -> PrintUnits {
        self.units
    }
    pub fn profile(&self) -> &BudgetProfile {
        &self.profile
    }
    pub fn date(&self) -> Option<Date> {
        self.date
    }
    /// The name of the unit with `code`.
    pub fn unit_name(&self, code: &str) -> Option<&str> {
        self.input
            .units
            .iter()
            .find(|u| u.code.as_ref().is_some_and(|c| c.as_str() == code))
            .map(|u| u.name.as_str())
    }
}

/// Runs every rule of a budget project.
pub fn validate(
    loaded: &BudgetProject,
    catalogs: &Catalogs,
) -> Result<(ValidatedBudget, Diagnostics), Diagnostics> {
    let mut v = Checker::new(loaded, catalogs);
    let input = &loaded.main;
    let (unit, date) = v.check_settings(
        input.unit.as_ref(),
        input.year,
        input.date.as_ref(),
        &input.department,
        Unit::TenThousandYuan,
    );
    let profile: BudgetProfile = v.profile(
        &super::profile::layers(input.year),
        &[
            ("format", input.format.as_ref()),
            ("amount_units", input.amount_units.as_ref()),
            ("words", input.words.as_ref()),
            ("tables", input.tables.as_ref()),
            ("forms", input.forms.as_ref()),
        ],
    );
    let units = v.check_print_units(&profile.amount_units, unit);
    let pack = v.check_pack(input);
    v.check_table_list(&profile);
    v.check_catalog_entries(&input.catalog);
    v.check_units(input);
    v.check_other_lines(input);
    v.check_prior_projects(input);
    v.check_economic(input, sums::basic_total(input).value());
    v.check_reasons(input);
    v.check_other_funds(input);
    if pack.is_none() && input.region.is_none() && input.pack_file.is_none() {
        // The built-in edition's facts; a pack declares its own (`requires:`).
        v.check_budget_targets(input, &profile.forms);
        v.check_missing_facts(input);
    }
    v.check_plausible_unit(
        unit,
        input
            .general_lines()
            .chain(input.fund_lines())
            .flat_map(|l| [l.basic, l.project]),
    );
    let names = Names(v.names);
    let mut diags = v.diags;
    if diags.has_errors() {
        let missed = v.acceptance.missed(&diags);
        diags.extend(missed);
        return Err(diags);
    }
    Ok((
        ValidatedBudget {
            input: input.clone(),
            targets: loaded.attachments.iter().map(|(_, t)| t.clone()).collect(),
            unit,
            date,
            names,
            profile,
            units,
            pack: pack.map(std::sync::Arc::new),
        },
        diags,
    ))
}

impl Checker<'_, BudgetInput, TargetInput> {
    /// The project's region pack (`region:`, `pack_file:`), checked against what a budget
    /// computes, and the facts it requires.
    fn check_pack(&mut self, input: &BudgetInput) -> Option<crate::pack::Resolved> {
        let named = self.catalogs.pack.clone();
        let own = input.region.is_some() || input.pack_file.is_some();
        if !own && named.is_none() {
            return None;
        }
        let confinement = match crate::load::Confinement::new(&self.loaded.root) {
            Ok(c) => c,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let resolved = crate::pack::resolve(
            &self.loaded.root,
            input.region.as_ref().map(Text::as_str),
            input.pack_file.as_ref().map(Text::as_str),
            named.as_deref(),
            &confinement,
        );
        let r = match resolved {
            // A pack named for the run applies to the projects of its kind.
            Ok(Some(r))
                if !own && r.pack.kind != <super::Budget as crate::kind::DocumentKind>::KEY =>
            {
                return None;
            }
            Ok(r) => r?,
            Err(crate::pack::PackError::UnknownRegion(name)) => {
                self.report(
                    &rules::K01,
                    "region",
                    format!("no shipped region pack `{name}`"),
                    crate::pack::known_hint(&name),
                );
                return None;
            }
            Err(crate::pack::PackError::Files(d)) => {
                self.diags.extend(d);
                return None;
            }
        };
        let problems = crate::pack::check(
            &r,
            <super::Budget as crate::kind::DocumentKind>::KEY,
            &super::pack::SCHEMA,
        );
        let bad = problems.has_errors();
        self.diags.extend(problems);
        for req in &r.pack.requires {
            if !self.loaded.has(&self.origin, &req.key) {
                let parent = req.key.rfind(['.', '[']).map_or("", |i| &req.key[..i]);
                let (loc, _) = if parent.is_empty() || !self.loaded.has(&self.origin, parent) {
                    self.loaded.locate_key(&self.origin, "region")
                } else {
                    self.loaded.locate(&self.origin, parent)
                };
                self.diags.push(
                    crate::diag::Diagnostic::error(format!(
                        "the region pack `{}` needs `{}`, which is not typed",
                        r.pack.name, req.key
                    ))
                    .rule(&rules::K02)
                    .at(loc)
                    .path(self.origin.join(&req.key))
                    .hint(req.hint.clone()),
                );
            }
        }
        (!bad).then_some(r)
    }

    /// The 国有资本经营 and non-财政拨款 lines: 项 codes of the catalog, once per source.
    fn check_other_lines(&mut self, input: &BudgetInput) {
        let mut seen = BTreeSet::new();
        for (i, line) in input.state_capital.iter().enumerate() {
            self.check_line(&format!("state_capital[{i}]"), line, &mut seen);
        }
        let mut seen = BTreeSet::new();
        for (i, line) in input.other_sources.iter().enumerate() {
            let at = format!("other_sources[{i}]");
            self.check_functional_code(&format!("{at}.code"), line.code.as_str(), None);
            if !seen.insert((line.code.as_str().to_string(), line.source as u8)) {
                self.report(
                    &rules::C04,
                    &format!("{at}.code"),
                    format!("`{}` appears twice for the same source", line.code),
                    "put 基本支出 and 项目支出 of one code and source in one entry",
                );
            }
            if line.basic.is_none() && line.project.is_none() {
                self.report(
                    &rules::L04,
                    &format!("{at}.code"),
                    format!("the line for `{}` has no amount", line.code),
                    "type `basic` or `project`, or remove the line",
                );
            }
        }
    }

    /// Every entry of `tables:` names one of the budget's tables, once.
    fn check_table_list(&mut self, profile: &BudgetProfile) {
        let mut seen = BTreeSet::new();
        for (i, t) in profile.tables.iter().enumerate() {
            let id = t.id.as_str();
            if !super::profile::TABLE_IDS.contains(&id) {
                self.report(
                    &rules::U01,
                    &format!("tables[{i}].id"),
                    format!("no table `{id}` in a 部门预算"),
                    format!("the tables are {}", super::profile::TABLE_IDS.join(", ")),
                );
            } else if !seen.insert(id) {
                self.report(
                    &rules::U01,
                    &format!("tables[{i}].id"),
                    format!("table `{id}` is listed twice"),
                    "list each table once",
                );
            }
        }
    }

    /// Unit codes and names, and each 项 line: typed per unit, or department-wide (a
    /// department without a per-unit split), not both.
    fn check_units(&mut self, input: &BudgetInput) {
        let mut codes = BTreeSet::new();
        if input
            .general_lines()
            .chain(input.fund_lines())
            .next()
            .is_none()
        {
            self.report(
                &rules::L03,
                if input.units.is_empty() { "units" } else { "general_budget" },
                "the budget has no 项 lines",
                "list 本级 and each 二级预算单位 under `units:` with their 项 lines, or type the department's lines under `general_budget:` when it gives no per-unit split",
            );
        }
        let per_unit = input
            .units
            .iter()
            .position(|u| !u.general_budget.is_empty() || !u.government_fund.is_empty());
        if let Some(u) = per_unit
            && !input.split_by_unit()
        {
            let top = if input.general_budget.is_empty() {
                "government_fund"
            } else {
                "general_budget"
            };
            self.report(
                &rules::C04,
                top,
                "the department's lines are typed both department-wide and per unit: the same money would count twice",
                format!("type every line either under `units[…]` (as `units[{u}]` does) or department-wide, not both"),
            );
        }
        for (u, unit) in input.units.iter().enumerate() {
            if let Some(code) = &unit.code
                && !codes.insert(code.as_str().to_string())
            {
                self.report(
                    &rules::C04,
                    &format!("units[{u}].code"),
                    format!("unit code `{code}` appears twice"),
                    "each unit once, with all its lines",
                );
            }
            if unit.name.as_str().trim().is_empty() {
                self.report(
                    &rules::L03,
                    &format!("units[{u}].name"),
                    "the unit name is empty",
                    "write the unit's full name",
                );
            }
        }
        for g in input.line_groups() {
            for (fund, lines) in [
                ("general_budget", g.general_budget),
                ("government_fund", g.government_fund),
            ] {
                let mut seen = BTreeSet::new();
                for (i, line) in lines.iter().enumerate() {
                    let at = format!("{}[{i}]", g.path(fund));
                    self.check_line(&at, line, &mut seen);
                }
            }
        }
    }

    fn check_line(&mut self, at: &str, line: &BudgetLine, seen: &mut BTreeSet<String>) {
        let code = line.code.as_str();
        self.check_functional_code(&format!("{at}.code"), code, line.name.as_ref());
        if !seen.insert(code.to_string()) {
            self.report(
                &rules::C04,
                &format!("{at}.code"),
                format!("功能分类 code `{code}` appears twice in this unit"),
                "put 基本支出, 项目支出 and 执行数 of one code in one entry",
            );
        }
        if line.basic.is_none() && line.project.is_none() && line.prior.is_none() {
            self.report(
                &rules::L04,
                &format!("{at}.code"),
                format!("the line for `{code}` has no amount"),
                "type `basic`, `project` or `prior`, or remove the line",
            );
        }
    }

    /// The prior year's 项目支出 执行数 of a code cannot exceed the code's whole 执行数.
    fn check_prior_projects(&mut self, input: &BudgetInput) {
        let mut prior: BTreeMap<&str, Decimal> = BTreeMap::new();
        for line in input.general_lines() {
            *prior.entry(line.code.as_str()).or_default() += Amount::or_zero(line.prior);
        }
        for (code, value) in &input.prior_project_execution {
            let rel = format!("prior_project_execution.{code}");
            if code.as_str().len() != 7 || !prior.contains_key(code.as_str()) {
                self.report_key(
                    &rules::C01,
                    &rel,
                    format!("`{code}` is not the 7-digit 项 code of any unit's line"),
                    "key the prior year's 项目支出 执行数 by the 项 code of the units' lines",
                );
                continue;
            }
            let whole = prior.get(code.as_str()).copied().unwrap_or_default();
            if value.0 > whole {
                self.report(&rules::B13, &rel,
                    format!(
                        "the prior year's 项目支出 执行数 {} of `{code}` exceeds the code's whole 执行数 {} (sum of the units' `prior`) by {}",
                        value.0,
                        whole,
                        value.0 - whole
                    ),
                    "the 项目支出 part of a 执行数 is at most the 执行数 in 表二; check both figures",
                );
            }
        }
    }

    /// 经济分类 codes exist, sit in the right block, and add up to the units' 基本支出.
    fn check_economic(&mut self, input: &BudgetInput, basic_total: Decimal) {
        let mut sum = Decimal::ZERO;
        for (block, key, map) in [
            (
                EconomicBlock::Personnel,
                "personnel",
                &input.basic_by_economic.personnel,
            ),
            (
                EconomicBlock::Public,
                "public",
                &input.basic_by_economic.public,
            ),
        ] {
            for (code, value) in map {
                let rel = format!("basic_by_economic.{key}.{code}");
                sum += value.0;
                let c = code.as_str();
                if c.len() != 5 || catalog::economic_name(c).is_none() {
                    self.report_key(
                        &rules::C03,
                        &rel,
                        format!("unknown 经济分类 款 code `{c}`"),
                        "type 5-digit 款 codes such as \"30101\"; 类 rows are derived",
                    );
                    continue;
                }
                let actual = catalog::economic_block(&c[..3]);
                if actual != Some(block) {
                    let (is, should) = match actual {
                        Some(EconomicBlock::Personnel) => ("人员经费", "personnel"),
                        _ => ("公用经费", "public"),
                    };
                    self.report_key(
                        &rules::C03,
                        &rel,
                        format!(
                            "`{c}` {} belongs to {is}, not to `{key}`",
                            catalog::economic_name(c).unwrap_or("")
                        ),
                        format!("move it under `basic_by_economic.{should}`"),
                    );
                }
            }
        }
        let typed = !input.basic_by_economic.personnel.is_empty()
            || !input.basic_by_economic.public.is_empty();
        if typed && sum != basic_total {
            self.report_key(&rules::B07, "basic_by_economic",
                format!(
                    "基本支出 by 经济分类 sums to {} but the units' 基本支出 (一般公共预算) sum to {} (difference {})",
                    sum.normalize(),
                    basic_total.normalize(),
                    (sum - basic_total).normalize()
                ),
                "表二 and 表三 show the same money in two breakdowns; find the line that differs",
            );
        }
    }

    /// 其中 items within their total, and non-财政拨款 income spent in full (a budget balances:
    /// 本年收入合计 = 本年支出合计, and the 财政拨款 parts balance by construction).
    fn check_other_funds(&mut self, input: &BudgetInput) {
        let inc = &input.income;
        let parts = Amount::or_zero(inc.business_non_same_level)
            + Amount::or_zero(inc.business_special_account);
        if parts > Amount::or_zero(inc.business) {
            self.report(&rules::B14, "income.business",
                format!(
                    "事业预算收入 {} is less than its 其中 items ({parts})",
                    Amount::or_zero(inc.business)
                ),
                "`business` is the whole 事业预算收入, including `business_non_same_level` and `business_special_account`",
            );
        }
        let income = sums::other_income(inc);
        let spending = sums::other_spending(&input.expenditure);
        if income != spending {
            self.report(&rules::B14, if income.is_zero() { "expenditure" } else { "income" },
                format!(
                    "income other than 财政拨款 ({income}) differs from spending other than 财政拨款 ({spending}) by {}",
                    income - spending
                ),
                "a budget balances: type where the non-财政拨款 income is spent under `expenditure:`",
            );
        }
    }

    /// Reasons keyed by a code that has no sentence are ignored: say so.
    fn check_reasons(&mut self, input: &BudgetInput) {
        let mut with_sentence = BTreeSet::new();
        for line in input.general_lines() {
            if Amount::or_zero(line.project) != Decimal::ZERO {
                with_sentence.insert(line.code.as_str());
            }
        }
        for (code, v) in &input.prior_project_execution {
            if v.0 != Decimal::ZERO {
                with_sentence.insert(code.as_str());
            }
        }
        for code in input.reasons.projects.keys() {
            if !with_sentence.contains(code.as_str()) {
                self.report_key(&rules::R03, &format!("reasons.projects.{code}"),
                    format!("`{code}` has neither 项目支出 this year nor a prior 项目支出 执行数, so its reason is never printed"),
                    "check the code, or remove the reason",
                );
            }
        }
        for code in &with_sentence {
            let has = input.reasons.projects.keys().any(|c| c.as_str() == *code);
            // A sentence without a known base compares with nothing, so needs no reason.
            let compared = super::sums::prior_project(input, code).is_some();
            if !has && compared {
                self.report(&rules::R01, "reasons.projects",
                    format!("no 主要原因 for `{code}`: its sentence compares this year's 项目支出 with the prior year's 执行数"),
                    format!("add `\"{code}\": <reason>` under `reasons.projects`"),
                );
            }
        }
    }

    /// A code with 项目支出 this year whose prior 项目支出 执行数 the data does not say (its
    /// lines carry a 执行数 that is not 0, and none is typed): its sentence and the 基本支出
    /// comparison leave the comparison out (R04, at the code's first line).
    fn check_missing_prior_projects(&mut self, input: &BudgetInput) {
        for code in super::sums::project_codes(input) {
            let lines_known = BudgetLine::all_have_prior(
                input.general_lines().filter(|l| l.code.as_str() == code),
            );
            if !lines_known || super::sums::prior_project(input, code).is_some() {
                continue;
            }
            let Some(at) = input.line_groups().iter().find_map(|g| {
                let i = g
                    .general_budget
                    .iter()
                    .position(|l| l.code.as_str() == code)?;
                Some(format!("{}[{i}]", g.path("general_budget")))
            }) else {
                continue;
            };
            self.report(&rules::R04, &format!("{at}.prior"),
                format!("the prior year's 项目支出 执行数 of `{code}` is not typed: its `prior` (上年执行数) may be 基本 or 项目支出, so the 情况说明 states its 项目支出 without comparing it, and does not compare 基本支出 with the prior year"),
                format!("add `\"{code}\": <执行数>` under `prior_project_execution` (0 when the code had no 项目支出 last year)"),
            );
        }
    }

    /// Facts the tables and sentences need but nobody typed (R04): each is printed empty or
    /// left out, never as 0, and this says which and what it leaves out.
    fn check_missing_facts(&mut self, input: &BudgetInput) {
        for (fund, what) in [("general_budget", "表二"), ("government_fund", "表五")] {
            let groups = input.line_groups();
            let lines: Vec<(String, &BudgetLine)> = groups
                .iter()
                .flat_map(|g| {
                    let list = if fund == "general_budget" {
                        g.general_budget
                    } else {
                        g.government_fund
                    };
                    let path = g.path(fund);
                    list.iter()
                        .enumerate()
                        .map(move |(i, l)| (format!("{path}[{i}]"), l))
                })
                .collect();
            // A line with no amount at all is L04's.
            let missing: Vec<&(String, &BudgetLine)> = lines
                .iter()
                .filter(|(_, l)| l.prior.is_none() && (l.basic.is_some() || l.project.is_some()))
                .collect();
            if let Some((at, _)) = lines.first()
                && missing.len() == lines.len()
            {
                self.missing(
                    &format!("{at}.prior"),
                    format!("no line carries its prior-year 执行数 (`prior:`): {what} prints the 执行数 and 增减 columns empty, and the 情况说明 states this year's figures without comparing them"),
                    "type `prior:` (上年执行数) on each line; a code new this year gets `prior: 0`",
                );
            } else {
                for (at, l) in missing {
                    self.report(&rules::R04, at,
                        format!("no `prior` (上年执行数) for `{}`: its 执行数 and 增减 print empty, and no department-wide comparison of {what} is stated", l.code),
                        "type `prior:`; a code new this year gets `prior: 0`",
                    );
                }
            }
        }
        self.check_missing_prior_projects(input);
        if input.carryover.is_none() {
            self.missing(
                "carryover",
                "`carryover` (上年结转结余) is not typed: the 情况说明 leaves out 上年结转结余, what 基本/项目支出 it funds and 年末结转结余",
                "add `carryover: 0` when the budget brings no balance forward",
            );
        }
        let tp = &input.three_public;
        for (key, group, what) in [
            ("budget", &tp.budget, "表四 and 三 leave it out"),
            (
                "prior_budget",
                &tp.prior_budget,
                "表四 and the comparison in 三 leave it out",
            ),
            ("prior_actual", &tp.prior_actual, "表四 prints it empty"),
        ] {
            let missing: Vec<&str> = [
                ("outbound", group.outbound),
                ("vehicle_purchase", group.vehicle_purchase),
                ("vehicle_operation", group.vehicle_operation),
                ("reception", group.reception),
            ]
            .into_iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k)
            .collect();
            if !missing.is_empty() {
                self.report(
                    &rules::R04,
                    &format!("three_public.{key}"),
                    format!(
                        "`three_public.{key}` lacks {}: {what} (and its 合计/小计)",
                        missing.join(", ")
                    ),
                    "type each item, 0 for one the department does not spend on",
                );
            }
        }
        match &input.operating_costs {
            None => self.missing(
                "operating_costs",
                "`operating_costs` (机关运行经费) is not typed: 六(一) states nothing",
                "add `operating_costs: { budget: …, prior_budget: … }` (budget 0 when there is none)",
            ),
            Some(o) if o.prior_budget.is_none() => self.report(&rules::R04, "operating_costs",
                "`operating_costs.prior_budget` is not typed: 六(一) states this year's figure without comparing it",
                "add the prior year's 预算 as `prior_budget:`",
            ),
            Some(_) => {}
        }
        match &input.procurement {
            None => self.missing(
                "procurement",
                "`procurement` (政府采购) is not typed: 六(二) states nothing",
                "add `procurement: { goods: …, works: …, services: … }` (0 for a category without purchases)",
            ),
            Some(p) if p.goods.is_none() || p.works.is_none() || p.services.is_none() => self.report(&rules::R04, "procurement",
                "a category of `procurement` is not typed: 六(二) leaves it out and states no total",
                "type goods, works and services (0 for a category without purchases)",
            ),
            Some(_) => {}
        }
        match &input.assets {
            None => self.missing(
                "assets",
                "`assets` (国有资产占用使用情况) is not typed: 六(三) states nothing",
                "add `assets:` with `as_of` and its parts",
            ),
            Some(a) => {
                for (i, p) in a.parts.iter().enumerate() {
                    let missing: Vec<&str> = [
                        ("building_area", p.building_area.is_none()),
                        ("building_value", p.building_value.is_none()),
                        ("land_area", p.land_area.is_none()),
                        ("land_value", p.land_value.is_none()),
                        ("vehicles", p.vehicles.is_none()),
                        ("vehicle_value", p.vehicle_value.is_none()),
                        ("furniture_value", p.furniture_value.is_none()),
                        ("other_value", p.other_value.is_none()),
                    ]
                    .into_iter()
                    .filter_map(|(k, m)| m.then_some(k))
                    .collect();
                    if !missing.is_empty() {
                        self.report(&rules::R04, &format!("assets.parts[{i}]"),
                            format!("`{}` lacks {}: 六(三) leaves those figures out of its line and of the department-wide line", p.label.as_str().trim(), missing.join(", ")),
                            "type each figure, 0 where the part holds none",
                        );
                    }
                }
            }
        }
        let project = sums::project_total(input);
        if self.loaded.attachments.is_empty() && !project.is_zero() {
            self.missing(
                "targets",
                format!("项目支出 is {project} but no performance-target form is attached: 表九 and 六(四) say the forms are not attached"),
                "add one form per project under `targets/`, or word the note with `performance.no_forms`",
            );
        }
    }

    /// Every form's `unit` is one of the budget's units; the forms of a unit add up to its
    /// 项目支出.
    fn check_budget_targets(
        &mut self,
        input: &BudgetInput,
        form: &crate::forms::profile::FormProfile,
    ) {
        let main = self.origin.clone();
        let loaded = self.loaded;
        let mut per_unit: BTreeMap<&str, Decimal> = BTreeMap::new();
        for (origin, t) in &loaded.attachments {
            self.origin = origin.clone();
            self.check_target(t, true, form);
            if let Some(code) = &t.unit {
                if input.units.iter().any(|u| u.code.as_ref() == Some(code)) {
                    *per_unit.entry(code.as_str()).or_default() +=
                        Amount::or_zero(t.funds.fiscal) + Amount::or_zero(t.funds.other);
                } else {
                    let known: Vec<String> = input
                        .units
                        .iter()
                        .filter_map(|u| Some(format!("{} {}", u.code.as_ref()?, u.name.as_str())))
                        .collect();
                    self.report(
                        &rules::T07,
                        "unit",
                        format!("`{code}` is not one of the budget's units"),
                        format!("use one of: {}", known.join(", ")),
                    );
                }
            }
        }
        self.origin = main;
        if loaded.attachments.is_empty() {
            return;
        }
        // Without a per-unit split, only the department-wide total is checked (B10's).
        if !input.split_by_unit() {
            return;
        }
        for (u, unit) in input.units.iter().enumerate() {
            // A unit without a code has no forms of its own (they name their unit by code).
            let Some(code) = &unit.code else { continue };
            let project = sums::unit_project(unit).value();
            let forms = per_unit.get(code.as_str()).copied().unwrap_or_default();
            if forms != project {
                self.report(&rules::B11, &format!("units[{u}].code"),
                    format!(
                        "the performance-target forms of `{}` total {} 万元, its 项目支出 is {}",
                        code, forms, project
                    ),
                    "every 项目支出 line should be covered by a 绩效目标表 (targets/*.yaml with this `unit`)",
                );
            }
        }
    }
}
