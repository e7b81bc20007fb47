//! load/validate: region packs. A pack is a region's edition of a document kind as data —
//! parts and sections with their numbering, tables (columns, rows from row sources, units),
//! sentence skeletons over the kind's figure registry, the facts the edition needs — written
//! in YAML by a finance office, no Rust and no Typst. Shipped packs are embedded; a project
//! names one with `region:` and may keep its own file (`pack_file:`), which may `extends:` a
//! shipped pack or a file beside it. Layers merge like profiles (mappings key by key, lists
//! replaced whole). Every problem of a pack is located at its `file:line:col`.

pub mod engine;
pub mod model;
pub mod skeleton;
pub mod workbook;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{Confinement, SourceFile};
use crate::rules;
use engine::{FUNCTIONS, IDENTITY, ROW_NAMES, Schema};
use model::{Block, Column, Pack, RowGroup, Section};

/// A pack shipped in the binary, with the starter project `init --region` writes.
#[derive(Debug, Clone, Copy)]
pub struct Shipped {
    pub name: &'static str,
    pub yaml: &'static str,
    /// `budgetdoc.yaml` of the starter: a commented project that builds as is.
    pub starter: &'static str,
}

/// The shipped packs.
pub const SHIPPED: &[Shipped] = &[Shipped {
    name: "shanghai-district",
    yaml: include_str!("../../templates/packs/shanghai-district.yaml"),
    starter: include_str!("../../examples/shanghai-district-2026-budget/budgetdoc.yaml"),
}];

/// A shipped pack typed and as YAML, parsed once per process; none if it does not parse
/// (a test parses every shipped pack).
fn parsed_shipped(name: &str) -> Option<&'static (Pack, Value)> {
    /// A shipped pack typed and as YAML.
    type Parsed = Option<(Pack, Value)>;
    static PARSED: std::sync::OnceLock<Vec<Parsed>> = std::sync::OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|s| {
                let typed = serde_yaml::from_str::<Pack>(s.yaml).ok();
                let value = serde_yaml::from_str::<Value>(s.yaml).ok();
                typed.zip(value)
            })
            .collect()
    });
    let i = SHIPPED.iter().position(|s| s.name == name)?;
    parsed[i].as_ref()
}

/// A shipped pack's text as a located file, indexed once per process.
fn shipped_file(name: &str) -> SourceFile {
    static FILES: std::sync::OnceLock<Vec<SourceFile>> = std::sync::OnceLock::new();
    let files = FILES.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|s| crate::load::embedded(&shipped_path(s.name), s.yaml))
            .collect()
    });
    SHIPPED
        .iter()
        .position(|s| s.name == name)
        .map(|i| files[i].clone())
        .unwrap_or_else(|| crate::load::embedded(&shipped_path(name), ""))
}

/// The shipped pack `name`.
pub fn find_shipped(name: &str) -> Option<&'static Shipped> {
    SHIPPED.iter().find(|s| s.name == name)
}

/// The templates of every pack's document: one layout, reading the pack's view.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("main.typ", include_str!("../../templates/pack/main.typ")),
    (
        "style.typ",
        include_str!("../../templates/common/style.typ"),
    ),
];

/// The virtual path a shipped pack's problems are reported at.
pub(crate) fn shipped_path(name: &str) -> String {
    format!("<budgetdoc>/templates/packs/{name}.yaml")
}

/// The shipped packs of `kind`: name and description.
pub fn shipped(kind: Option<&str>) -> Vec<(&'static str, String, String)> {
    SHIPPED
        .iter()
        .filter_map(|s| {
            let p: Pack = serde_yaml::from_str(s.yaml).ok()?;
            kind.is_none_or(|k| p.kind == k)
                .then_some((s.name, p.kind, p.description))
        })
        .collect()
}

/// A pack with the files it was read from (the project's first, the shipped base last).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub pack: Pack,
    pub files: Vec<SourceFile>,
}

impl Resolved {
    /// The location of `path` in the layer that sets it (the topmost), or of its nearest
    /// ancestor in the top layer.
    pub fn locate(&self, path: &str) -> Option<crate::diag::Location> {
        let file = self
            .files
            .iter()
            .find(|f| f.positions.has(path))
            .or(self.files.first())?;
        Some(file.location(path))
    }

    /// A diagnostic of the pack at `path`.
    pub fn problem(&self, path: &str, message: String, hint: String) -> Diagnostic {
        Diagnostic::error(message)
            .rule(&rules::K01)
            .at(self.locate(path))
            .path(path.to_string())
            .hint(hint)
    }
}

/// Why a project's pack could not be found.
#[derive(Debug)]
pub enum PackError {
    /// `region:` names no shipped pack.
    UnknownRegion(String),
    /// The pack's files have problems (located).
    Files(Diagnostics),
}

/// Where a layer comes from: a shipped pack, or a file (read inside the project when the
/// project names it, anywhere when the person running budgetdoc does).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Src {
    Shipped(String),
    File(PathBuf, bool),
}

/// At most this many packs extend each other.
const MAX_LAYERS: usize = 16;

/// The pack of a project: its `pack_file` (inside the project, read under `confinement`)
/// over what it extends, or the shipped pack `region`; none when the project names neither.
pub fn resolve(
    root: &Path,
    region: Option<&str>,
    pack_file: Option<&str>,
    named: Option<&Path>,
    confinement: &Confinement,
) -> Result<Option<Resolved>, PackError> {
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let mut next = match (pack_file, named, region) {
        (Some(f), _, _) => Some(Src::File(root.join(f.trim()), true)),
        (None, Some(n), _) => Some(Src::File(n.to_path_buf(), false)),
        (None, None, Some(r)) => Some(Src::Shipped(r.to_string())),
        (None, None, None) => return Ok(None),
    };
    let mut files: Vec<SourceFile> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut diags = Diagnostics::default();
    while let Some(src) = next.take() {
        if !seen.insert(src.clone()) || files.len() >= MAX_LAYERS {
            let top = files.last().expect("a repeat needs a layer before it");
            diags.push(
                Diagnostic::error(format!(
                    "the packs extend each other in a cycle (or more than {MAX_LAYERS} deep): `{}` comes back",
                    match &src {
                        Src::Shipped(n) => n.clone(),
                        Src::File(p, _) => p.display().to_string(),
                    }
                ))
                .rule(&rules::K01)
                .at(Some(top.location("extends")))
                .path("extends")
                .hint("a pack extends a shipped pack or another file once; remove one `extends:`"),
            );
            return Err(PackError::Files(diags));
        }
        let file = match &src {
            Src::Shipped(name) => match find_shipped(name) {
                Some(_) => shipped_file(name),
                None => {
                    if files.is_empty() {
                        return Err(PackError::UnknownRegion(name.clone()));
                    }
                    let top = files.last().expect("checked");
                    diags.push(
                        Diagnostic::error(format!("no shipped pack `{name}` to extend"))
                            .rule(&rules::K01)
                            .at(Some(top.location("extends")))
                            .path("extends")
                            .hint(known_hint(name)),
                    );
                    return Err(PackError::Files(diags));
                }
            },
            Src::File(path, confined) => {
                // A project's pack stays inside the project, as every file it names; one
                // the person running budgetdoc names is read where it is.
                match crate::load::read(path, confined.then_some(confinement), None) {
                    Ok(f) => f,
                    Err(d) => {
                        diags.extend(d);
                        return Err(PackError::Files(diags));
                    }
                }
            }
        };
        let (typed, value) = match &src {
            // A shipped pack is parsed once per process (a preview rebuilds often).
            Src::Shipped(name) => match parsed_shipped(name) {
                Some((t, v)) => (t.clone(), v.clone()),
                None => return Err(PackError::Files(diags)),
            },
            Src::File(..) => {
                let typed: Option<Pack> = crate::load::parse(&file, &mut diags);
                let value: Option<Value> = serde_yaml::from_str(&file.text).ok();
                let (Some(typed), Some(value)) = (typed, value) else {
                    return Err(PackError::Files(diags));
                };
                (typed, value)
            }
        };
        next = match (&typed.extends, &src) {
            (Some(e), _) if find_shipped(e).is_some() => Some(Src::Shipped(e.clone())),
            (Some(e), Src::File(p, confined)) => Some(Src::File(
                p.parent().unwrap_or(Path::new(".")).join(e.trim()),
                *confined,
            )),
            (Some(e), Src::Shipped(_)) => Some(Src::Shipped(e.clone())),
            // A project's own pack without `extends:` changes the region's pack: the one
            // named on the command line, else the shipped one its `region:` names.
            (None, Src::File(_, true)) if files.is_empty() => match named {
                Some(n) => Some(Src::File(n.to_path_buf(), false)),
                None => region.map(|r| Src::Shipped(r.to_string())),
            },
            (None, Src::File(_, false)) => region.map(|r| Src::Shipped(r.to_string())),
            (None, _) => None,
        };
        files.push(file);
        values.push(value);
    }
    let mut merged = Value::Mapping(Default::default());
    for v in values.into_iter().rev() {
        crate::profile::merge(&mut merged, v, "", true, &mut Vec::new());
    }
    if let Value::Mapping(m) = &mut merged {
        m.remove("extends");
    }
    match serde_yaml::from_value::<Pack>(merged) {
        Ok(pack) => Ok(Some(Resolved { pack, files })),
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("the merged pack does not type: {e}"))
                    .rule(&rules::K01)
                    .at(files.first().map(|f| f.location("")))
                    .hint("each layer types on its own; check the keys the layers share"),
            );
            Err(PackError::Files(diags))
        }
    }
}

/// The pack files a project's main file names (its `pack_file:` and the files that extends
/// in turn), whether or not they load: what a preview watches so that fixing a broken pack
/// rebuilds. Read leniently; the check reports every problem.
pub fn files_named(root: &Path, main_text: &str) -> Vec<PathBuf> {
    let pack_file = |text: &str, key: &str| -> Option<String> {
        let v: Value = serde_yaml::from_str(text).ok()?;
        v.get(key)?.as_str().map(|s| s.trim().to_string())
    };
    let mut out = Vec::new();
    let Some(first) = pack_file(main_text, "pack_file") else {
        return out;
    };
    let mut next = Some(root.join(first));
    while let Some(path) = next.take() {
        if out.contains(&path) || out.len() >= MAX_LAYERS {
            break;
        }
        out.push(path.clone());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        next = pack_file(&text, "extends")
            .filter(|e| find_shipped(e).is_none())
            .map(|e| path.parent().unwrap_or(Path::new(".")).join(e));
    }
    out
}

/// The hint for an unknown pack name: the nearest shipped one and the list.
pub fn known_hint(name: &str) -> String {
    let names: Vec<&str> = SHIPPED.iter().map(|s| s.name).collect();
    let near = crate::suggest::nearest(name, names.iter().copied(), 1);
    match near.first() {
        Some(n) => format!(
            "did you mean `{n}`? the shipped packs: {} (`budgetdoc init --help` lists them)",
            names.join(", ")
        ),
        None => format!("the shipped packs: {}", names.join(", ")),
    }
}

/// Every problem of a resolved pack against what its kind computes: unknown slots,
/// figures, row sources, texts and tables; columns bound to nothing; blocks that are not
/// one thing; skeletons that do not parse.
pub fn check(r: &Resolved, kind: &str, schema: &Schema) -> Diagnostics {
    let mut c = PackCheck {
        r,
        schema,
        diags: Diagnostics::default(),
    };
    let p = &r.pack;
    if p.kind != kind {
        c.push(
            "kind",
            format!(
                "the pack is an edition of `{}`, the project is a `{kind}`",
                p.kind
            ),
            "use a pack of the project's kind".into(),
        );
    }
    if p.parts.is_empty() {
        c.push(
            "parts",
            "the pack has no parts".into(),
            "list the document's parts under `parts:`".into(),
        );
    }
    if p.numbering.is_empty() {
        c.push(
            "numbering",
            "the pack gives no numbering".into(),
            "e.g. `numbering: [\"{cn}、\", \"（{cn}）\", \"{n}.\"]`".into(),
        );
    }
    for (key, style) in [
        ("numbers.tables", &p.numbers.tables),
        ("numbers.text", &p.numbers.text),
    ] {
        if crate::check::Unit::parse(&style.unit).is_none() {
            c.push(
                &format!("{key}.unit"),
                format!("unknown unit `{}`", style.unit),
                "元 or 万元".into(),
            );
        }
        if style.decimals > 6 {
            c.push(
                &format!("{key}.decimals"),
                format!("{} decimals", style.decimals),
                "0 to 6".into(),
            );
        }
    }
    for (i, line) in p.cover.lines.iter().enumerate() {
        c.skeleton(&format!("cover.lines[{i}]"), line, None);
    }
    for (i, s) in p.parts.iter().enumerate() {
        c.section(&format!("parts[{i}]"), s);
    }
    for (id, t) in &p.tables {
        c.table(&format!("tables.{id}"), t);
    }
    for (i, t) in p.glossary.iter().enumerate() {
        c.skeleton(&format!("glossary[{i}].text"), &t.text, None);
    }
    c.diags
}

/// Whether the typed texts `name` fit the kind's `key` (`paragraphs.*`: any name after
/// the dot).
fn text_matches(key: &str, name: &str) -> bool {
    match key.strip_suffix('*') {
        Some(prefix) => name.len() > prefix.len() && name.starts_with(prefix),
        None => key == name,
    }
}

struct PackCheck<'a> {
    r: &'a Resolved,
    schema: &'a Schema,
    diags: Diagnostics,
}

impl PackCheck<'_> {
    fn push(&mut self, path: &str, message: String, hint: String) {
        self.diags.push(self.r.problem(path, message, hint));
    }

    /// Whether `name` is a figure or text a skeleton may print, in a row of `source`.
    fn known(&self, name: &str, source: Option<&str>) -> bool {
        IDENTITY.contains(&name)
            || self.schema.scalars.contains(&name)
            || source.and_then(|s| self.schema.source(s)).is_some_and(|s| {
                ROW_NAMES.contains(&name) || s.fields.contains(&name) || s.measures.contains(&name)
            })
    }

    fn names_here(&self, source: Option<&str>) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = IDENTITY
            .iter()
            .chain(self.schema.scalars)
            .copied()
            .collect();
        if let Some(s) = source.and_then(|s| self.schema.source(s)) {
            out.extend(ROW_NAMES.iter().chain(s.fields).chain(s.measures).copied());
        }
        out
    }

    fn unknown_name(&mut self, path: &str, name: &str, source: Option<&str>, what: &str) {
        let names = self.names_here(source);
        let near = crate::suggest::nearest(name, names.iter().copied(), 1);
        let hint = match near.first() {
            Some(n) => format!(
                "did you mean `{n}`? the pack reference (docs/profiles-and-packs.md) lists every name"
            ),
            None => "the pack reference (docs/profiles-and-packs.md) lists every name".into(),
        };
        let scope = match source {
            Some(s) => format!(" (in a row of `{s}`)"),
            None => String::new(),
        };
        self.push(
            path,
            format!("{what} `{name}` is not a figure or text budgetdoc computes{scope}"),
            hint,
        );
    }

    fn skeleton(&mut self, path: &str, text: &str, source: Option<&str>) {
        let segs = match skeleton::parse(text) {
            Ok(s) => s,
            Err(e) => {
                self.push(
                    path,
                    format!("the skeleton does not parse: {e}"),
                    "slots are `{name}` or `{change(a, b)}`; optional clauses `[…]`".into(),
                );
                return;
            }
        };
        for slot in skeleton::slots(&segs) {
            if slot.call {
                match FUNCTIONS.iter().find(|(f, _)| *f == slot.name) {
                    None => {
                        let names: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
                        self.push(
                            path,
                            format!("unknown slot function `{}`", slot.name),
                            format!("the functions: {}", names.join(", ")),
                        );
                    }
                    Some((_, n)) if *n != slot.args.len() => {
                        self.push(
                            path,
                            format!("`{}` takes {n} figures, not {}", slot.name, slot.args.len()),
                            format!(
                                "e.g. `{{{}(income.fiscal, prior_budget.fiscal)}}`",
                                slot.name
                            ),
                        );
                    }
                    Some(_) => {
                        for a in &slot.args {
                            if !self.known(a, source) {
                                self.unknown_name(path, a, source, "the figure");
                            }
                        }
                    }
                }
            } else if !self.known(&slot.name, source) {
                self.unknown_name(path, &slot.name, source, "the slot");
            }
        }
    }

    fn section(&mut self, path: &str, s: &Section) {
        self.skeleton(&format!("{path}.title"), &s.title, None);
        for (i, b) in s.blocks.iter().enumerate() {
            self.block(&format!("{path}.blocks[{i}]"), b, None);
        }
        for (i, c) in s.sections.iter().enumerate() {
            self.section(&format!("{path}.sections[{i}]"), c);
        }
    }

    fn source(&mut self, path: &str, name: &str, levels: &[String], filter: Option<&str>) -> bool {
        let Some(s) = self.schema.source(name) else {
            let names: Vec<&str> = self.schema.sources.iter().map(|s| s.name).collect();
            let near = crate::suggest::nearest(name, names.iter().copied(), 1);
            self.push(
                path,
                format!("unknown row source `{name}`"),
                match near.first() {
                    Some(n) => format!("did you mean `{n}`? the row sources: {}", names.join(", ")),
                    None => format!("the row sources: {}", names.join(", ")),
                },
            );
            return false;
        };
        let parent = path.rfind('.').map_or(path, |i| &path[..i]);
        for (i, l) in levels.iter().enumerate() {
            if !s.levels.iter().any(|(n, _)| n == l) {
                let names: Vec<&str> = s.levels.iter().map(|(n, _)| *n).collect();
                self.push(
                    &format!("{parent}.levels[{i}]"),
                    format!("`{name}` has no level `{l}`"),
                    format!("its levels: {}", names.join(", ")),
                );
            }
        }
        if let Some(f) = filter
            && !s.measures.contains(&f)
        {
            self.push(
                &format!("{parent}.where"),
                format!("`{f}` is not a figure of `{name}`'s rows"),
                format!("its figures: {}", s.measures.join(", ")),
            );
        }
        true
    }

    fn block(&mut self, path: &str, b: &Block, source: Option<&str>) {
        let set = [
            b.heading.is_some(),
            b.paragraph.is_some(),
            b.texts.is_some(),
            b.table.is_some(),
            b.glossary.is_some(),
            b.each.is_some(),
        ];
        if set.iter().filter(|s| **s).count() != 1 {
            self.push(
                path,
                "a block is one of `heading`, `paragraph`, `texts`, `table`, `glossary` or `each`"
                    .into(),
                "split it into one block per thing".into(),
            );
            return;
        }
        if let Some(h) = &b.heading {
            self.skeleton(&format!("{path}.heading"), h, source);
        }
        if let Some(p) = &b.paragraph {
            self.skeleton(&format!("{path}.paragraph"), p, source);
        }
        for (key, f) in [("when", &b.when), ("unless", &b.unless)] {
            if let Some(f) = f
                && !self.known(f, source)
            {
                self.unknown_name(&format!("{path}.{key}"), f, source, "the figure");
            }
        }
        if let Some(o) = &b.otherwise {
            self.skeleton(&format!("{path}.otherwise"), o, source);
        }
        if let Some(t) = &b.texts
            && !self.schema.texts.iter().any(|k| text_matches(k, t))
        {
            self.push(
                &format!("{path}.texts"),
                format!("no typed texts `{t}`"),
                format!("the texts: {}", self.schema.texts.join(", ")),
            );
        }
        if let Some(t) = &b.table
            && !self.r.pack.tables.contains_key(t)
        {
            let ids: Vec<&str> = self.r.pack.tables.keys().map(String::as_str).collect();
            let near = crate::suggest::nearest(t, ids.iter().copied(), 1);
            self.push(
                &format!("{path}.table"),
                format!("no table `{t}` in the pack"),
                match near.first() {
                    Some(n) => format!("did you mean `{n}`? the tables: {}", ids.join(", ")),
                    None => format!("the tables: {}", ids.join(", ")),
                },
            );
        }
        if let Some(s) = &b.each {
            let ok = self.source(&format!("{path}.each"), s, &b.levels, b.filter.as_deref());
            for (i, inner) in b.blocks.iter().enumerate() {
                self.block(
                    &format!("{path}.blocks[{i}]"),
                    inner,
                    ok.then_some(s.as_str()),
                );
            }
        }
    }

    fn columns(&mut self, path: &str, cols: &[Column], source: Option<&str>) {
        for (i, c) in cols.iter().enumerate() {
            let at = format!("{path}[{i}]");
            self.skeleton(&format!("{at}.header"), &c.header, None);
            let kinds = [
                c.field.is_some(),
                c.figure.is_some(),
                !c.children.is_empty(),
            ];
            match kinds.iter().filter(|k| **k).count() {
                0 if source.is_some() => self.push(&at, format!("the column `{}` is bound to nothing", c.header), "give it `field:` (label, code, name), `figure:` (a figure of the rows) or `children:`".into()),
                0 | 1 => {}
                _ => self.push(&at, format!("the column `{}` is bound to more than one thing", c.header), "a column has one of `field:`, `figure:` or `children:`".into()),
            }
            if let Some(f) = &c.field
                && !["label", "code", "name"].contains(&f.as_str())
                && !source
                    .and_then(|s| self.schema.source(s))
                    .is_some_and(|s| s.fields.contains(&f.as_str()))
            {
                self.push(
                    &format!("{at}.field"),
                    format!("unknown field `{f}`"),
                    "label, code, name, or a text of the row source".into(),
                );
            }
            if let Some(f) = &c.figure {
                match source.and_then(|s| self.schema.source(s)) {
                    Some(s) if !s.measures.contains(&f.as_str()) => {
                        let near = crate::suggest::nearest(f, s.measures.iter().copied(), 1);
                        self.push(
                            &format!("{at}.figure"),
                            format!("`{f}` is not a figure of `{}`'s rows", s.name),
                            match near.first() {
                                Some(n) => format!(
                                    "did you mean `{n}`? its figures: {}",
                                    s.measures.join(", ")
                                ),
                                None => format!("its figures: {}", s.measures.join(", ")),
                            },
                        );
                    }
                    _ => {}
                }
            }
            self.columns(&format!("{at}.children"), &c.children, source);
        }
    }

    fn rows(&mut self, path: &str, g: &RowGroup, figure_columns: usize) -> Option<String> {
        if let Some(s) = &g.source {
            if !g.values.is_empty() || g.label.is_some() {
                self.push(path, "a row group is a fixed row (`label`, `values`) or a row source (`source`), not both".into(), "split it in two".into());
            }
            let ok = self.source(&format!("{path}.source"), s, &g.levels, g.filter.as_deref());
            if let Some(l) = &g.row_label {
                self.skeleton(&format!("{path}.row_label"), l, ok.then_some(s.as_str()));
            }
            if let Some(t) = &g.total {
                self.skeleton(&format!("{path}.total"), t, None);
            }
            if let Some(at) = &g.total_at
                && at != "top"
                && at != "bottom"
            {
                self.push(
                    &format!("{path}.total_at"),
                    format!("`{at}`"),
                    "top or bottom".into(),
                );
            }
            return ok.then(|| s.clone());
        }
        if let Some(l) = &g.label {
            self.skeleton(&format!("{path}.label"), l, None);
        }
        if g.values.len() != figure_columns {
            self.push(
                &format!("{path}.values"),
                format!(
                    "the row gives {} figures for {figure_columns} figure columns",
                    g.values.len()
                ),
                "one figure name per figure column, in order (`\"\"` for an empty cell)".into(),
            );
        }
        for (i, v) in g.values.iter().enumerate() {
            if !v.is_empty() && !self.known(v, None) {
                self.unknown_name(&format!("{path}.values[{i}]"), v, None, "the figure");
            }
        }
        None
    }

    fn table(&mut self, path: &str, t: &model::Table) {
        self.skeleton(&format!("{path}.title"), &t.title, None);
        if let Some(u) = &t.unit
            && crate::check::Unit::parse(u).is_none()
        {
            self.push(
                &format!("{path}.unit"),
                format!("unknown unit `{u}`"),
                "元 or 万元".into(),
            );
        }
        if t.sides.is_empty() == t.columns.is_empty() {
            self.push(
                path,
                "a table has `columns` and `rows`, or `sides`".into(),
                "one side: `columns:` and `rows:`; side by side: `sides:` each with its own".into(),
            );
        }
        let sides = engine::sides(t);
        for (k, side) in sides.iter().enumerate() {
            let base = if t.sides.is_empty() {
                path.to_string()
            } else {
                format!("{path}.sides[{k}]")
            };
            let figure_columns = engine::leaves(&side.columns)
                .iter()
                .filter(|c| c.field.is_none())
                .count();
            let mut source = None;
            for (i, g) in side.rows.iter().enumerate() {
                if let Some(s) = self.rows(&format!("{base}.rows[{i}]"), g, figure_columns) {
                    source.get_or_insert(s);
                }
            }
            if let Some(f) = &side.footer {
                self.rows(&format!("{base}.footer"), f, figure_columns);
            }
            self.columns(&format!("{base}.columns"), &side.columns, source.as_deref());
        }
        for (key, s) in [("empty", &t.empty), ("note", &t.note)] {
            if let Some(s) = s {
                self.skeleton(&format!("{path}.{key}"), s, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_pack_parses_indexes_cleanly_and_checks_against_its_kind() {
        for s in SHIPPED {
            assert!(parsed_shipped(s.name).is_some(), "{} parses", s.name);
            let indexed = crate::load::positions::Positions::index(s.yaml);
            assert!(
                indexed.problems.is_empty(),
                "{}: {:?}",
                s.name,
                indexed.problems
            );
            let (pack, _) = parsed_shipped(s.name).unwrap();
            let r = Resolved {
                pack: pack.clone(),
                files: vec![shipped_file(s.name)],
            };
            let schema = match pack.kind.as_str() {
                "budget" => crate::kinds::budget::pack::SCHEMA,
                other => panic!("no schema for `{other}`"),
            };
            let problems = check(&r, &pack.kind, &schema);
            assert!(problems.is_empty(), "{}: {problems:?}", s.name);
        }
    }
}
