//! render: a pack evaluated over a document's registry — its figures by name, its typed
//! texts and its row sources — into the generic view the pack template lays out. Every
//! figure is a [`Fig`] of the registry's [`Num`]s, formatted here by the part's numbers;
//! the template places strings and computes nothing.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{Block, Column, NumberStyle, Pack, RowGroup, Section, Side, Table};
use super::skeleton::{self, Run, Slot};
use crate::check::Unit;
use crate::figures::{Cell, Change, Num, sum_cells};
use crate::money;
use crate::render::common::FontsView;
use crate::render::format::{Fig, Numbers, Trend};

/// A named value of the registry.
#[derive(Debug, Clone)]
pub enum Value {
    /// An amount in the unit the project types.
    Amount(Num),
    /// A count (units, projects, vehicles).
    Count(Num),
    /// Words typed by the project (a reason, a date).
    Text(String),
}

/// One row of a source: its code, level, and values by name.
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub code: String,
    pub values: BTreeMap<String, Value>,
}

/// A row source's data: leaves at its deepest level, rolled up by code prefix.
#[derive(Debug, Clone, Default)]
pub struct SourceData {
    /// The leaves (项, 款, a unit, a project), in order.
    pub leaves: Vec<Item>,
    /// The name of every code above the leaves (类, 款).
    pub names: BTreeMap<String, String>,
}

/// What a kind computes, whatever the data: the names a pack may use.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    pub scalars: &'static [&'static str],
    pub texts: &'static [&'static str],
    pub sources: &'static [SourceSchema],
}

/// A row source of a kind: its levels (name and code length, the last the leaves'), its
/// text fields and its amounts (summed when rows roll up).
#[derive(Debug, Clone, Copy)]
pub struct SourceSchema {
    pub name: &'static str,
    pub levels: &'static [(&'static str, usize)],
    pub fields: &'static [&'static str],
    pub measures: &'static [&'static str],
}

/// Names every row knows besides its source's: its code, its name, its ordinal in its
/// list (`{ordinal}` 一, `{n}` 1).
pub const ROW_NAMES: &[&str] = &["code", "name", "ordinal", "n"];

/// Names every document knows.
pub const IDENTITY: &[&str] = &["department", "year", "prior_year", "title", "locality"];

/// The functions a skeleton may call, with their number of arguments.
pub const FUNCTIONS: &[(&str, usize)] = &[("change", 2), ("trend", 2), ("percent", 2)];

impl Schema {
    pub fn source(&self, name: &str) -> Option<&'static SourceSchema> {
        self.sources.iter().find(|s| s.name == name)
    }
}

/// A document's registry: everything a pack can print.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub scalars: BTreeMap<String, Value>,
    pub texts: BTreeMap<String, Vec<String>>,
    pub sources: BTreeMap<String, SourceData>,
    /// The project's 名词解释, when typed.
    pub glossary: Option<Vec<(String, String)>>,
}

/// `/data.json` of a pack's document.
#[derive(Debug, Clone, Serialize)]
pub struct PackView {
    /// Marks the data as a pack's (the workbook export reads its tables generically).
    pub pack: String,
    pub meta: PackMeta,
    pub fonts: FontsView,
    pub cover: Vec<Vec<Run>>,
    pub contents: Option<String>,
    pub parts: Vec<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackMeta {
    pub department: String,
    pub year: String,
    pub prior_year: String,
    /// The unit of the sentences.
    pub unit: String,
    pub title: String,
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub title: String,
    pub level: usize,
    pub page_break: bool,
    pub blocks: Vec<BlockView>,
    pub sections: Vec<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum BlockView {
    Heading {
        text: String,
    },
    Paragraph {
        runs: Vec<Run>,
    },
    Term {
        ordinal: String,
        term: String,
        text: String,
    },
    Table(TableView),
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub title: String,
    pub department: String,
    pub unit: String,
    pub columns: usize,
    /// `left` for text columns, `right` for figures.
    pub aligns: Vec<&'static str>,
    pub header: Vec<Vec<HeaderCell>>,
    pub rows: Vec<RowView>,
    pub notes: Vec<Vec<Run>>,
    /// Every figure cell by key `<table>.<row>.<figure>`: the figure as derived and
    /// rounded to the table's unit (before any figure accepted as printed).
    #[serde(skip)]
    pub cells: BTreeMap<String, Num>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeaderCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub cells: Vec<CellView>,
    /// A total row.
    pub strong: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub text: Run,
    pub span: usize,
    pub align: &'static str,
}

/// The numbers of a place: `style` for amounts typed in `typed`.
pub fn numbers(
    style: &NumberStyle,
    unit: Option<&str>,
    decimals: Option<u32>,
    typed: Unit,
) -> Numbers {
    let unit = unit
        .and_then(Unit::parse)
        .or_else(|| Unit::parse(&style.unit))
        .unwrap_or(typed);
    Numbers {
        amount_decimals: decimals.unwrap_or(style.decimals),
        table_separators: style.separators,
        text_separators: style.separators,
        divisor: typed.divisor_to(unit),
        ..Numbers::default()
    }
}

/// Everything the evaluation reads.
pub struct Env<'a> {
    pub pack: &'a Pack,
    pub schema: Schema,
    pub reg: &'a Registry,
    /// The unit amounts are typed in.
    pub typed: Unit,
    pub fonts: FontsView,
    pub date: Option<String>,
    /// Table figures printed as the published document prints them (`accept:` entries with
    /// `printed:`), by cell key `<table>.<row>.<figure>`, in the table's unit.
    pub printed: BTreeMap<String, Num>,
}

/// A place where slots are filled: the numbers, and the row it is about.
struct Ctx<'a> {
    env: &'a Env<'a>,
    numbers: Numbers,
    unit: String,
    item: Option<&'a Item>,
}

/// What a table's cells are keyed by while its rows are made: its id, and the cells so far.
struct Cells<'a> {
    table: &'a str,
    derived: BTreeMap<String, Num>,
}

impl Ctx<'_> {
    fn value(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.item.and_then(|i| i.values.get(name)) {
            return Some(v.clone());
        }
        self.env.reg.scalars.get(name).cloned()
    }

    fn amount(&self, name: &str) -> Option<Num> {
        match self.value(name)? {
            Value::Amount(n) | Value::Count(n) => Some(n),
            Value::Text(_) => None,
        }
    }

    fn runs(&self, v: Value) -> Option<Vec<Run>> {
        Some(vec![match v {
            Value::Amount(n) => Run::Fig(self.numbers.text(n)),
            Value::Count(n) => Run::Fig(Fig::fixed(n, 0)),
            Value::Text(t) if t.trim().is_empty() => return None,
            Value::Text(t) => Run::Text(t),
        }])
    }

    fn word(&self, key: &str, default: &str) -> String {
        self.env
            .pack
            .words
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    fn slot(&self, slot: &Slot) -> Option<Vec<Run>> {
        if !slot.call {
            return self.runs(self.value(&slot.name)?);
        }
        let a = self.amount(slot.args.first()?)?;
        let b = self.amount(slot.args.get(1)?)?;
        match slot.name.as_str() {
            "change" => {
                let c = self.numbers.change(&Change::new(a, b), 2, 2);
                Some(match c.trend {
                    Trend::Same => vec![Run::Text(self.word("same", "持平"))],
                    t => vec![
                        Run::Text(if t == Trend::Up {
                            self.word("up", "增加")
                        } else {
                            self.word("down", "减少")
                        }),
                        Run::Fig(c.delta),
                        Run::Text(self.unit.clone()),
                    ],
                })
            }
            "trend" => {
                let c = self.numbers.change(&Change::new(a, b), 2, 2);
                Some(vec![Run::Text(match c.trend {
                    Trend::Same => self.word("same", "持平"),
                    Trend::Up => self.word("up", "增加"),
                    Trend::Down => self.word("down", "减少"),
                })])
            }
            "percent" => {
                let p = a.percent_of(b)?;
                Some(vec![
                    Run::Fig(self.numbers.percent(p, 2)),
                    Run::Text("%".into()),
                ])
            }
            _ => None,
        }
    }

    /// A skeleton filled here; `None` when it is left out.
    fn fill(&self, text: &str) -> Option<Vec<Run>> {
        let segs = skeleton::parse(text).ok()?;
        skeleton::fill(&segs, &|s| self.slot(s))
    }

    /// A skeleton of words only (a title): its text, or empty.
    fn words(&self, text: &str) -> String {
        self.fill(text)
            .map(|r| skeleton::plain(&r))
            .unwrap_or_default()
    }
}

/// The pack's document.
pub fn view(env: &Env<'_>) -> PackView {
    let text = numbers(&env.pack.numbers.text, None, None, env.typed);
    let ctx = Ctx {
        env,
        numbers: text,
        unit: env.pack.numbers.text.unit.clone(),
        item: None,
    };
    let scalar_text = |k: &str| match env.reg.scalars.get(k) {
        Some(Value::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let mut counters = Vec::new();
    let parts = env
        .pack
        .parts
        .iter()
        .map(|s| section(&ctx, s, 1, &mut counters))
        .collect();
    PackView {
        pack: env.pack.name.clone(),
        meta: PackMeta {
            department: scalar_text("department"),
            year: scalar_text("year"),
            prior_year: scalar_text("prior_year"),
            unit: env.pack.numbers.text.unit.clone(),
            title: scalar_text("title"),
            date: env.date.clone(),
        },
        fonts: env.fonts.clone(),
        cover: env
            .pack
            .cover
            .lines
            .iter()
            .filter_map(|l| ctx.fill(l))
            .collect(),
        contents: env.pack.contents.clone(),
        parts,
    }
}

/// The ordinal of the `n`th numbered section at `level` (1-based).
pub fn ordinal(pack: &Pack, level: usize, n: usize) -> String {
    match pack.numbering.get(level - 1) {
        Some(f) => f
            .replace("{cn}", &money::chinese_ordinal(n))
            .replace("{n}", &n.to_string()),
        None => String::new(),
    }
}

fn section(ctx: &Ctx<'_>, s: &Section, level: usize, counters: &mut Vec<usize>) -> SectionView {
    counters.truncate(level);
    while counters.len() < level {
        counters.push(0);
    }
    let numbered = s.numbered.unwrap_or(true);
    let mut title = ctx.words(&s.title);
    if numbered {
        counters[level - 1] += 1;
        let n = counters[level - 1];
        let ord = match &s.numbering {
            Some(f) => f
                .replace("{cn}", &money::chinese_ordinal(n))
                .replace("{n}", &n.to_string()),
            None => ordinal(ctx.env.pack, level, n),
        };
        title = format!("{ord}{title}");
    }
    let mut blocks = Vec::new();
    for b in &s.blocks {
        block(ctx, b, &mut blocks);
    }
    let mut inner = counters.clone();
    SectionView {
        title,
        level,
        page_break: s.page_break.unwrap_or(level == 1),
        blocks,
        sections: s
            .sections
            .iter()
            .map(|c| section(ctx, c, level + 1, &mut inner))
            .collect(),
    }
}

fn block(ctx: &Ctx<'_>, b: &Block, out: &mut Vec<BlockView>) {
    let env = ctx.env;
    if let Some(w) = &b.when
        && ctx.amount(w).is_none_or(Num::is_zero)
    {
        return;
    }
    if let Some(u) = &b.unless
        && !ctx.amount(u).is_some_and(Num::is_zero)
    {
        return;
    }
    if let Some(h) = &b.heading {
        let text = ctx.words(h);
        if !text.is_empty() {
            out.push(BlockView::Heading { text });
        }
    } else if let Some(p) = &b.paragraph {
        let runs = ctx
            .fill(p)
            .or_else(|| b.otherwise.as_deref().and_then(|o| ctx.fill(o)));
        if let Some(runs) = runs.filter(|r| !skeleton::plain(r).trim().is_empty()) {
            out.push(BlockView::Paragraph { runs });
        }
    } else if let Some(key) = &b.texts {
        for t in env.reg.texts.get(key).into_iter().flatten() {
            out.push(BlockView::Paragraph {
                runs: vec![Run::Text(t.clone())],
            });
        }
    } else if let Some(id) = &b.table {
        if let Some(t) = env.pack.tables.get(id) {
            out.push(BlockView::Table(table(ctx, id, t)));
        }
    } else if b.glossary == Some(true) {
        let terms: Vec<(String, String)> = match &env.reg.glossary {
            Some(g) => g.clone(),
            None => env
                .pack
                .glossary
                .iter()
                .map(|t| (t.term.clone(), t.text.clone()))
                .collect(),
        };
        for (i, (term, text)) in terms.into_iter().enumerate() {
            out.push(BlockView::Term {
                ordinal: ordinal(env.pack, 2, i + 1),
                term,
                text: ctx.words(&text),
            });
        }
    } else if let Some(source) = &b.each {
        let items = rows_of(env, source, &b.levels, b.filter.as_deref());
        for item in &items {
            let inner = Ctx {
                env,
                numbers: ctx.numbers.clone(),
                unit: ctx.unit.clone(),
                item: Some(item),
            };
            for b in &b.blocks {
                block(&inner, b, out);
            }
        }
    }
}

/// A source's schema, its data and the leaves kept where `filter` is a non-zero figure;
/// none for a source the registry does not hold.
fn kept_leaves<'e>(
    env: &'e Env<'_>,
    source: &str,
    filter: Option<&str>,
) -> Option<(&'static SourceSchema, &'e SourceData, Vec<&'e Item>)> {
    let schema = env.schema.source(source)?;
    let data = env.reg.sources.get(source)?;
    let kept = data
        .leaves
        .iter()
        .filter(|i| match filter {
            None => true,
            Some(f) => {
                matches!(i.values.get(f), Some(Value::Amount(n) | Value::Count(n)) if !n.is_zero())
            }
        })
        .collect();
    Some((schema, data, kept))
}

/// A source's rows at `levels` (all when empty), leaves kept where `filter` is a non-zero
/// figure, each upper row the sum of the kept leaves under it; each row numbered (`n`,
/// `ordinal`) in order.
pub fn rows_of(env: &Env<'_>, source: &str, levels: &[String], filter: Option<&str>) -> Vec<Item> {
    let Some((schema, data, kept)) = kept_leaves(env, source, filter) else {
        return Vec::new();
    };
    let wanted = |name: &str| levels.is_empty() || levels.iter().any(|l| l == name);
    let (leaf_level, uppers) = schema
        .levels
        .split_last()
        .map(|(l, u)| (*l, u))
        .unwrap_or((("", 0), &[]));
    let mut out: Vec<Item> = Vec::new();
    let mut last: Vec<Option<String>> = vec![None; uppers.len()];
    for leaf in &kept {
        for (k, (name, len)) in uppers.iter().enumerate() {
            let Some(prefix) = leaf.code.get(..*len) else {
                continue;
            };
            if last[k].as_deref() == Some(prefix) {
                continue;
            }
            last[k] = Some(prefix.to_string());
            for l in last.iter_mut().skip(k + 1) {
                *l = None;
            }
            if wanted(name) {
                let under: Vec<&&Item> =
                    kept.iter().filter(|i| i.code.starts_with(prefix)).collect();
                let mut values = summed(schema, under.iter().map(|i| **i));
                values.insert("code".into(), Value::Text(prefix.to_string()));
                values.insert(
                    "name".into(),
                    Value::Text(data.names.get(prefix).cloned().unwrap_or_default()),
                );
                out.push(Item {
                    code: prefix.to_string(),
                    values,
                });
            }
        }
        if wanted(leaf_level.0) {
            out.push((*leaf).clone());
        }
    }
    for (i, item) in out.iter_mut().enumerate() {
        item.values
            .insert("n".into(), Value::Text((i + 1).to_string()));
        item.values
            .insert("ordinal".into(), Value::Text(money::chinese_ordinal(i + 1)));
    }
    out
}

/// Each measure of `schema` summed over `items` (nothing when no item has it).
fn summed<'a>(
    schema: &SourceSchema,
    items: impl Iterator<Item = &'a Item> + Clone,
) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for m in schema.measures {
        let total: Cell = sum_cells(items.clone().map(|i| match i.values.get(*m) {
            Some(Value::Amount(n)) => Some(*n),
            _ => None,
        }));
        if let Some(n) = total {
            out.insert(m.to_string(), Value::Amount(n));
        }
    }
    out
}

/// The total of a source's kept leaves.
fn total_of(env: &Env<'_>, source: &str, filter: Option<&str>) -> BTreeMap<String, Value> {
    match kept_leaves(env, source, filter) {
        Some((schema, _, kept)) => summed(schema, kept.into_iter()),
        None => BTreeMap::new(),
    }
}

/// A column's leaves, in order.
pub fn leaves(cols: &[Column]) -> Vec<&Column> {
    cols.iter()
        .flat_map(|c| {
            if c.children.is_empty() {
                vec![c]
            } else {
                leaves(&c.children)
            }
        })
        .collect()
}

/// How many header rows a column tree takes.
pub fn depth(cols: &[Column]) -> usize {
    cols.iter()
        .map(|c| 1 + depth(&c.children))
        .max()
        .unwrap_or(0)
}

fn header_rows(
    cols: &[Column],
    level: usize,
    max: usize,
    rows: &mut [Vec<HeaderCell>],
    ctx: &Ctx<'_>,
) {
    for c in cols {
        let span = leaves(std::slice::from_ref(c)).len();
        rows[level].push(HeaderCell {
            text: ctx.words(&c.header),
            colspan: span,
            rowspan: if c.children.is_empty() {
                max - level
            } else {
                1
            },
        });
        header_rows(&c.children, level + 1, max, rows, ctx);
    }
}

/// The sides of a table (one when it has `columns`).
pub fn sides(t: &Table) -> Vec<Side> {
    if t.sides.is_empty() {
        vec![Side {
            columns: t.columns.clone(),
            rows: t.rows.clone(),
            footer: None,
        }]
    } else {
        t.sides.clone()
    }
}

fn table(ctx: &Ctx<'_>, id: &str, t: &Table) -> TableView {
    let env = ctx.env;
    let style = &env.pack.numbers.tables;
    let unit = t.unit.clone().unwrap_or_else(|| style.unit.clone());
    let tctx = Ctx {
        env,
        numbers: numbers(style, Some(&unit), t.decimals, env.typed),
        unit: unit.clone(),
        item: None,
    };
    let sides = sides(t);
    let max = sides.iter().map(|s| depth(&s.columns)).max().unwrap_or(1);
    let mut header: Vec<Vec<HeaderCell>> = (0..max).map(|_| Vec::new()).collect();
    let mut aligns = Vec::new();
    let mut bodies = Vec::new();
    let mut footers = Vec::new();
    let mut empty = false;
    let mut cells = Cells {
        table: id,
        derived: BTreeMap::new(),
    };
    for side in &sides {
        let d = depth(&side.columns);
        // A shallower side's leaves reach down to the deepest header row.
        header_rows(&side.columns, 0, max.max(d), &mut header, &tctx);
        let cols = leaves(&side.columns);
        aligns.extend(
            cols.iter()
                .map(|c| if c.field.is_some() { "left" } else { "right" }),
        );
        let mut rows = Vec::new();
        for g in &side.rows {
            if group(&tctx, &mut cells, g, &cols, &mut rows) {
                empty = true;
            }
        }
        bodies.push((cols.len(), rows));
        footers.push(side.footer.as_ref().map(|f| {
            let mut r = Vec::new();
            group(&tctx, &mut cells, f, &cols, &mut r);
            r
        }));
    }
    // Side by side: pad each side's body to the longest, then the footers level.
    let height = bodies.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let mut rows: Vec<RowView> = Vec::new();
    for i in 0..height {
        let mut cells = Vec::new();
        let mut strong = false;
        for (width, body) in &bodies {
            match body.get(i) {
                Some(r) => {
                    cells.extend(r.cells.clone());
                    strong |= r.strong;
                }
                None => cells.extend(blank(*width)),
            }
        }
        rows.push(RowView { cells, strong });
    }
    if footers.iter().any(Option::is_some) {
        let mut cells = Vec::new();
        for ((width, _), f) in bodies.iter().zip(&footers) {
            match f.as_ref().and_then(|r| r.first()) {
                Some(r) => cells.extend(r.cells.clone()),
                None => cells.extend(blank(*width)),
            }
        }
        rows.push(RowView {
            cells,
            strong: true,
        });
    }
    let mut notes = Vec::new();
    if empty
        && let Some(e) = &t.empty
        && let Some(r) = ctx.fill(e)
    {
        notes.push(r);
    }
    if let Some(n) = &t.note
        && let Some(r) = ctx.fill(n)
    {
        notes.push(r);
    }
    let department = match env.reg.scalars.get("department") {
        Some(Value::Text(d)) => d.clone(),
        _ => String::new(),
    };
    TableView {
        title: ctx.words(&t.title),
        department,
        unit,
        columns: aligns.len(),
        aligns,
        header,
        rows,
        notes,
        cells: cells.derived,
    }
}

fn blank(width: usize) -> Vec<CellView> {
    (0..width)
        .map(|_| CellView {
            text: Run::Text(String::new()),
            span: 1,
            align: "left",
        })
        .collect()
}

/// The rows of one group appended to `out`; whether it is a source group that has no rows.
fn group(
    ctx: &Ctx<'_>,
    cells_of: &mut Cells<'_>,
    g: &RowGroup,
    cols: &[&Column],
    out: &mut Vec<RowView>,
) -> bool {
    let env = ctx.env;
    if let Some(source) = &g.source {
        let items = rows_of(env, source, &g.levels, g.filter.as_deref());
        let total = g.total.as_ref().map(|label| {
            let item = Item {
                code: String::new(),
                values: total_of(env, source, g.filter.as_deref()),
            };
            labelled_row(ctx, cells_of, &item, cols, &ctx.words(label), true)
        });
        let bottom = g.total_at.as_deref() == Some("bottom");
        if let Some(t) = &total
            && !bottom
        {
            out.push(t.clone());
        }
        for item in &items {
            let row_ctx = Ctx {
                env,
                numbers: ctx.numbers.clone(),
                unit: ctx.unit.clone(),
                item: Some(item),
            };
            let label = match &g.row_label {
                Some(l) => row_ctx.words(l),
                None => match item.values.get("name") {
                    Some(Value::Text(n)) => n.clone(),
                    _ => String::new(),
                },
            };
            out.push(source_row(&row_ctx, cells_of, item, cols, &label));
        }
        if let Some(t) = total
            && bottom
        {
            out.push(t);
        }
        return items.is_empty();
    }
    // A fixed row: its label, and its figures by name in the figure columns' order.
    let label = g.label.as_deref().map(|l| ctx.words(l)).unwrap_or_default();
    let mut values = g.values.iter();
    let mut cells = Vec::new();
    let row_key = label.trim().to_string();
    let mut pending_label = Some(label);
    for c in cols {
        if c.field.is_some() {
            cells.push(CellView {
                text: Run::Text(pending_label.take().unwrap_or_default()),
                span: 1,
                align: "left",
            });
        } else {
            let name = values.next().map(String::as_str).unwrap_or("");
            let key = format!("{}.{row_key}.{name}", cells_of.table);
            cells.push(figure_cell(ctx, cells_of, key, ctx.amount(name)));
        }
    }
    out.push(RowView {
        cells: merge_labels(cells),
        strong: false,
    });
    false
}

/// A figure cell keyed `key`: the figure as derived, or as the published document prints
/// it when the project accepted that (`accept:` with `printed:`; checked by R08/A03).
fn figure_cell(ctx: &Ctx<'_>, cells: &mut Cells<'_>, key: String, n: Option<Num>) -> CellView {
    let text = match n {
        Some(n) => {
            let fig = ctx.numbers.table(n);
            cells.derived.insert(key.clone(), fig.num);
            match ctx.env.printed.get(&key) {
                Some(p) => Run::Fig(ctx.numbers.in_unit(rust_decimal::Decimal::ONE).table(*p)),
                None => Run::Fig(fig),
            }
        }
        None => Run::Text(String::new()),
    };
    CellView {
        text,
        span: 1,
        align: "right",
    }
}

/// A total row: the label over the leading text columns, the source's sums below.
fn labelled_row(
    ctx: &Ctx<'_>,
    cells_of: &mut Cells<'_>,
    item: &Item,
    cols: &[&Column],
    label: &str,
    strong: bool,
) -> RowView {
    let mut cells = Vec::new();
    let mut pending = Some(label.to_string());
    for c in cols {
        if c.field.is_some() {
            cells.push(CellView {
                text: Run::Text(pending.take().unwrap_or_default()),
                span: 1,
                align: "left",
            });
        } else {
            let n = c.figure.as_deref().and_then(|f| match item.values.get(f) {
                Some(Value::Amount(n)) => Some(*n),
                _ => None,
            });
            let key = format!(
                "{}.{}.{}",
                cells_of.table,
                label.trim(),
                c.figure.as_deref().unwrap_or("")
            );
            cells.push(figure_cell(ctx, cells_of, key, n));
        }
    }
    RowView {
        cells: merge_labels(cells),
        strong,
    }
}

fn source_row(
    ctx: &Ctx<'_>,
    cells_of: &mut Cells<'_>,
    item: &Item,
    cols: &[&Column],
    label: &str,
) -> RowView {
    let cells = cols
        .iter()
        .map(|c| match c.field.as_deref() {
            Some("label") => CellView {
                text: Run::Text(label.to_string()),
                span: 1,
                align: "left",
            },
            Some(f) => CellView {
                text: Run::Text(match item.values.get(f) {
                    Some(Value::Text(t)) => t.clone(),
                    _ => String::new(),
                }),
                span: 1,
                align: "left",
            },
            None => {
                let n = c.figure.as_deref().and_then(|f| match item.values.get(f) {
                    Some(Value::Amount(n)) => Some(*n),
                    _ => None,
                });
                let key = format!(
                    "{}.{}.{}",
                    cells_of.table,
                    item.code,
                    c.figure.as_deref().unwrap_or("")
                );
                figure_cell(ctx, cells_of, key, n)
            }
        })
        .collect();
    RowView {
        cells,
        strong: false,
    }
}

/// A label followed by empty text cells spans them (合计 over 编码 and 名称).
fn merge_labels(cells: Vec<CellView>) -> Vec<CellView> {
    let mut out: Vec<CellView> = Vec::new();
    for c in cells {
        if let Some(last) = out.last_mut()
            && last.align == "left"
            && c.align == "left"
            && c.text.text().is_empty()
            && !last.text.text().is_empty()
        {
            last.span += 1;
            continue;
        }
        out.push(c);
    }
    out
}

/// Every table figure cell of a pack's document, by key `<table>.<row>.<figure>`, as
/// derived and rounded to its table's unit.
pub fn cells(view: &PackView) -> BTreeMap<String, Num> {
    fn walk(s: &SectionView, out: &mut BTreeMap<String, Num>) {
        for b in &s.blocks {
            if let BlockView::Table(t) = b {
                out.extend(t.cells.iter().map(|(k, v)| (k.clone(), *v)));
            }
        }
        for c in &s.sections {
            walk(c, out);
        }
    }
    let mut out = BTreeMap::new();
    for p in &view.parts {
        walk(p, &mut out);
    }
    out
}
