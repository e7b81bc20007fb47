//! render: hand the derived figures to Typst. Builds `/data.json` (ready-formatted strings),
//! gathers the templates (embedded defaults, overridable file by file from the project's
//! `templates/` directory) and compiles them in an in-memory [`world::BudgetWorld`].
//!
//! Templates never compute money: they place the strings `view` prepared.

pub mod common;
pub mod format;
pub mod settle;
pub mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic, SourceResult, Warned};
use typst::foundations::Datetime;
use typst::layout::Abs;
use typst::{World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::check::Date;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::{Confinement, TEMPLATES_DIR, read_bytes, reads};

/// Where diagnostics place the embedded templates.
const EMBEDDED: &str = "<embedded templates>";

/// The virtual path of the generated data.
pub const DATA_PATH: &str = "data.json";

/// The sources of one document, ready to compile (or to write out with `--emit-source`).
#[derive(Debug, Clone)]
pub struct Sources {
    /// Virtual path → contents: the templates and `data.json`.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Which template files came from the project instead of the embedded defaults.
    pub overridden: Vec<String>,
}

/// `/data.json` as `--emit-source` writes it, indented for a person to read; the same
/// value as the compact text Typst reads.
pub fn readable_json(compact: &[u8]) -> Vec<u8> {
    serde_json::from_slice::<serde_json::Value>(compact)
        .and_then(|v| serde_json::to_vec_pretty(&v))
        .unwrap_or_else(|_| compact.to_vec())
}

/// Serialises the document data and collects the templates (embedded defaults, each
/// replaced by the project's `templates/<name>` when that file exists).
pub fn sources(
    project_root: &Path,
    templates: &[(&str, &str)],
    data: &serde_json::Value,
) -> Result<Sources, Diagnostics> {
    // Compact: Typst reads it again after every edit in a preview (`--emit-source` writes
    // it indented, see [`readable_json`]).
    let json = serde_json::to_vec(data).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(format!(
            "cannot serialise the document data: {e}"
        ))])
    })?;
    let mut files = BTreeMap::new();
    let mut overridden = Vec::new();
    let dir = project_root.join(TEMPLATES_DIR);
    let confinement = Confinement::new(project_root).map_err(|d| Diagnostics(vec![d]))?;
    let present = reads::list(&dir)
        .map_err(|e| {
            Diagnostics(vec![Diagnostic::error(format!(
                "cannot read `{}`: {e}",
                dir.display()
            ))])
        })?
        .unwrap_or_default();
    for (name, text) in templates {
        let custom = dir.join(name);
        // Anything at that path (a file, a link, a FIFO) is an override: read it under the
        // project's confinement, which refuses what is not a regular file inside the project.
        let (bytes, shown_as) = if present.contains(&custom) {
            overridden.push(name.to_string());
            let bytes =
                read_bytes(&custom, Some(&confinement)).map_err(|d| Diagnostics(vec![d]))?;
            (bytes, custom)
        } else {
            (text.as_bytes().to_vec(), Path::new(EMBEDDED).join(name))
        };
        // Diagnostics show snippets of the template as it was compiled.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            crate::diag::remember_source(&shown_as, text);
        }
        files.insert(name.to_string(), bytes);
    }
    files.insert(DATA_PATH.to_string(), json);
    Ok(Sources { files, overridden })
}

/// Every number the document prints as a figure (amounts, rates, shares, scores: the
/// figure list of [`format::figures_of`]), normalised (`1,234.50` → `1234.5`).
pub fn printed_figures(printed: &[format::Printed]) -> BTreeSet<String> {
    printed
        .iter()
        .flat_map(|p| crate::check::free_text::numbers(&p.text.replace(',', "")))
        .map(|(_, n, _)| n)
        .collect()
}

/// The date Typst sees as "today": the publication date, else 1 January after the
/// document's year (never the clock).
pub fn today(date: Option<Date>, year: i32) -> Datetime {
    date.and_then(|d| Datetime::from_ymd(d.year, d.month, d.day))
        .or_else(|| Datetime::from_ymd(year + 1, 1, 1))
        .or_else(|| Datetime::from_ymd(2000, 1, 1))
        .expect("2000-01-01 is a valid date")
}

/// Compiles the sources into a laid-out document, turning Typst's diagnostics into ours
/// (positions inside the templates, with the project's override path when there is one).
/// `seed`, the last good layout of the same project, lets a rebuild settle in fewer layout
/// passes ([`settle`]); the document is the same with or without it.
pub fn compile(
    project_root: &Path,
    sources: &Sources,
    fonts: Arc<FontStore>,
    today: Datetime,
    timeout: Option<Duration>,
    seed: Option<PagedDocument>,
) -> Result<(PagedDocument, Diagnostics), Diagnostics> {
    let fonts_key = Arc::as_ptr(&fonts) as usize;
    let world = world::BudgetWorld::new(fonts, &sources.files, "main.typ", today)
        .map_err(|e| Diagnostics(vec![Diagnostic::error(e)]))?;
    let (world, result) = match timeout {
        None => {
            let result = compile_caught(&world, seed.as_ref()).map_err(|d| Diagnostics(vec![d]))?;
            (world, result)
        }
        Some(limit) => {
            compile_on_worker(world, seed, limit, overrun_key(sources, today, &fonts_key))
                .map_err(|d| Diagnostics(vec![d]))?
        }
    };
    let mut warnings = Diagnostics::default();
    for w in result.warnings.iter() {
        warnings.push(convert(&world, project_root, sources, w));
    }
    match result.output {
        Ok(doc) => Ok((doc, warnings)),
        Err(errors) => {
            let mut all = warnings;
            for e in errors.iter() {
                all.push(convert(&world, project_root, sources, e));
            }
            Err(all)
        }
    }
}

/// Compiles (from `seed` when there is one and the layout settles from it, else as Typst
/// does), turning a panic inside Typst into an error instead of a crash.
fn compile_caught(
    world: &world::BudgetWorld,
    seed: Option<&PagedDocument>,
) -> Result<Warned<SourceResult<PagedDocument>>, Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        seed.and_then(|seed| settle::compile_from(world, seed, settle::PASSES))
            .unwrap_or_else(|| typst::compile::<PagedDocument>(world))
    }))
    .map_err(|_| {
        Diagnostic::error(
            "template: the template compiler stopped unexpectedly (a bug in Typst or budgetdoc); nothing was written",
        )
        .hint("report it with the project that triggers it; `--emit-source DIR` writes what was compiled")
    })
}

/// What identifies a compile's result: its sources, its date and its fonts. Two compiles
/// with the same key lay out the same document (or overrun alike).
fn overrun_key(sources: &Sources, today: Datetime, fonts: &usize) -> u128 {
    typst::utils::hash128(&(&sources.files, today, fonts))
}

/// The compiles that overran their limit and still run, by [`overrun_key`]: the same
/// sources again would only overrun again, on one more thread (a preview rebuilt after an
/// edit that changed nothing the templates read).
fn overrunning() -> &'static std::sync::Mutex<std::collections::HashSet<u128>> {
    static RUNNING: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<u128>>> =
        std::sync::OnceLock::new();
    RUNNING.get_or_init(Default::default)
}

fn overrun_error(limit: Duration) -> Diagnostic {
    Diagnostic::error(format!(
        "template: the templates did not finish within {} s; nothing was written",
        limit.as_secs_f64()
    ))
    .hint("a template override may loop for ever; fix it, or raise the limit with --timeout SECONDS (env BUDGETDOC_TIMEOUT)")
}

/// Compiles on a thread of its own and waits at most `limit` (watch, preview, each project
/// of a batch, programs that use the library). Typst cannot be interrupted, so a compile
/// that overruns is left to finish in its thread; while it runs, a compile of the same
/// sources (`key`) fails at once instead of starting another.
fn compile_on_worker(
    world: world::BudgetWorld,
    seed: Option<PagedDocument>,
    limit: Duration,
    key: u128,
) -> Result<(world::BudgetWorld, Warned<SourceResult<PagedDocument>>), Diagnostic> {
    if overrunning()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&key)
    {
        return Err(overrun_error(limit));
    }
    // Deeply nested template content recurses deeply; typst-cli runs on an 8 MB main stack.
    const STACK: usize = 64 * 1024 * 1024;
    let (send, receive) = mpsc::channel();
    let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ended = Arc::clone(&finished);
    let spawned = std::thread::Builder::new()
        .name("typst".into())
        .stack_size(STACK)
        .spawn(move || {
            if let Ok(result) = compile_caught(&world, seed.as_ref()) {
                let _ = send.send((world, result));
            }
            // Under the lock the waiting side takes to record an overrun: never recorded
            // after this.
            let mut running = overrunning().lock().unwrap_or_else(|e| e.into_inner());
            ended.store(true, std::sync::atomic::Ordering::Release);
            running.remove(&key);
        });
    if let Err(e) = spawned {
        return Err(Diagnostic::error(format!(
            "cannot start the template compiler: {e}"
        )));
    }
    receive.recv_timeout(limit).map_err(|e| match e {
        mpsc::RecvTimeoutError::Timeout => {
            let mut running = overrunning().lock().unwrap_or_else(|e| e.into_inner());
            if !finished.load(std::sync::atomic::Ordering::Acquire) {
                running.insert(key);
            }
            overrun_error(limit)
        }
        mpsc::RecvTimeoutError::Disconnected => Diagnostic::error(
            "template: the template compiler stopped unexpectedly (a bug in Typst or budgetdoc); nothing was written",
        )
        .hint("report it with the project that triggers it; `--emit-source DIR` writes what was compiled"),
    })
}

fn convert(
    world: &world::BudgetWorld,
    project_root: &Path,
    sources: &Sources,
    d: &SourceDiagnostic,
) -> Diagnostic {
    let location = d.span.id().and_then(|id| {
        let source = world.source(id).ok()?;
        let range = world.range(d.span)?;
        let lines = source.lines();
        let line = lines.byte_to_line(range.start)?;
        let col = lines.byte_to_column(range.start)?;
        let name = world.path_of(id);
        let file = if sources.overridden.contains(&name) {
            project_root.join(TEMPLATES_DIR).join(&name)
        } else {
            Path::new(EMBEDDED).join(&name)
        };
        Some(Location {
            file,
            line: line + 1,
            col: col + 1,
        })
    });
    let message = format!("template: {}", d.message);
    let mut out = match d.severity {
        TypstSeverity::Error => Diagnostic::error(message),
        TypstSeverity::Warning => Diagnostic::warning(message),
    }
    .at(location);
    if let Some(h) = d.hints.first() {
        out = out.hint(h.v.to_string());
    }
    out
}

/// The text of a laid-out document, one line per text run, pages separated by form feeds.
/// Tests and `check`-style tools read figures from it without a PDF text extractor.
pub fn document_text(doc: &PagedDocument) -> String {
    let mut out = String::new();
    for page in doc.pages() {
        out.push_str(&page_text(page));
        out.push('\u{c}');
    }
    out
}

/// Calls `visit` with every item of a page that is not a group, in the order of its
/// frames, with the item's position in points from the page's top left. Tables and blocks
/// are translated groups; a rotated or scaled group (none in these documents) is placed by
/// its translation only.
fn each_item(
    page: &typst_layout::Page,
    visit: &mut impl FnMut(typst::layout::Point, &typst::layout::FrameItem),
) {
    use typst::layout::{Frame, FrameItem, Point};
    fn walk(frame: &Frame, at: Point, visit: &mut impl FnMut(Point, &FrameItem)) {
        for (pos, item) in frame.items() {
            let here = at + *pos;
            match item {
                FrameItem::Group(g) => {
                    let shift = Point::new(g.transform.tx, g.transform.ty);
                    walk(&g.frame, here + shift, visit)
                }
                item => visit(here, item),
            }
        }
    }
    walk(&page.frame, Point::zero(), visit);
}

/// The text of one page, one text run per line (the preview's alternative text of a page).
pub fn page_text(page: &typst_layout::Page) -> String {
    let mut out = String::new();
    each_item(page, &mut |_, item| {
        if let typst::layout::FrameItem::Text(t) = item {
            out.push_str(&t.text);
            out.push('\n');
        }
    });
    out
}

/// The page number a page prints (its footer's, the logical number `counter(page)` gives
/// it), when it prints one: the last line of its text is that number with only decoration
/// around it (`— 18 —`, `- 18 -`, `第18页`). A cover or a 目录 page prints none.
pub fn page_label(page: &typst_layout::Page) -> Option<String> {
    let number = page.number.to_string();
    let text = page_text(page);
    let last = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let core: String = last
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '—' | '-' | '–' | '第' | '页'))
        .collect();
    (core == number).then_some(number)
}

/// A number printed on a page and where, found in the text alone (a figure or not): what a
/// test or a tool points at, independently of the marked layout's figure boxes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NumberBox {
    pub text: String,
    #[serde(flatten)]
    pub rect: Rect,
}

/// Every number printed on `page` (`-1,234.50`, `182%`, `94.11`) with its box.
pub fn number_boxes(page: &typst_layout::Page) -> Vec<NumberBox> {
    let mut out = Vec::new();
    each_item(page, &mut |here, item| {
        let typst::layout::FrameItem::Text(t) = item else {
            return;
        };
        for (range, text) in numbers_in(&t.text) {
            let mut x = here.x;
            let mut width = Abs::zero();
            for g in &t.glyphs {
                let advance = g.x_advance.at(t.size);
                if g.range().end <= range.start {
                    x += advance;
                } else if g.range().start < range.end {
                    width += advance;
                }
            }
            let top = here.y - t.size * 0.9;
            out.push(NumberBox {
                text,
                rect: Rect::of(x, top, x + width, top + t.size * 1.15),
            });
        }
    });
    out
}

/// The show rules of the marked layout, put before the main template: a figure's opening
/// mark (its id) and its closing mark become metadata, which Typst places as zero-width tags
/// without shaping or printing anything ([`format::marked_figures_of`]).
pub const MARK_RULES: &str = "#show regex(\"\u{E000}[^\u{E001}]*\u{E001}\"): it => metadata(it.text)\n#show \"\u{E002}\": metadata(\"\u{E002}\")\n";

/// Turns the sources of a document with marked data into those of its marked layout.
pub fn mark(sources: &mut Sources) {
    if let Some(main) = sources.files.get_mut("main.typ") {
        let mut text = MARK_RULES.as_bytes().to_vec();
        text.append(main);
        *main = text;
    }
}

/// A box on a page, in points from its top left corner (as `pdftotext -bbox` measures).
/// Positions are added and compared as Typst lengths ([`Abs`]), never as bare floats.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    fn of(left: Abs, top: Abs, right: Abs, bottom: Abs) -> Self {
        Self {
            x: left.to_pt(),
            y: top.to_pt(),
            width: (right - left).to_pt(),
            height: (bottom - top).to_pt(),
        }
    }

    fn left(&self) -> Abs {
        Abs::pt(self.x)
    }

    fn top(&self) -> Abs {
        Abs::pt(self.y)
    }

    fn right(&self) -> Abs {
        Abs::pt(self.x) + Abs::pt(self.width)
    }

    fn bottom(&self) -> Abs {
        Abs::pt(self.y) + Abs::pt(self.height)
    }

    /// Whether the point lies in the box (its edges included).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let (x, y) = (Abs::pt(x), Abs::pt(y));
        x >= self.left() && x <= self.right() && y >= self.top() && y <= self.bottom()
    }

    /// The box's centre.
    pub fn centre(&self) -> (f64, f64) {
        (
            (self.left() + Abs::pt(self.width) / 2.0).to_pt(),
            (self.top() + Abs::pt(self.height) / 2.0).to_pt(),
        )
    }

    /// The smallest box holding both.
    fn union(&self, other: &Rect) -> Rect {
        Rect::of(
            self.left().min(other.left()),
            self.top().min(other.top()),
            self.right().max(other.right()),
            self.bottom().max(other.bottom()),
        )
    }
}

/// Where a figure is printed on a page (one box per line it takes): what `explain --at`
/// and the preview's click look a point up in.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FigureBox {
    /// The figure's id: its path in `/data.json`.
    pub id: String,
    /// The figure's text on that line.
    pub text: String,
    #[serde(flatten)]
    pub rect: Rect,
}

/// The box of a text run: from its pen position, its width, its font's ascender and
/// descender.
fn run_rect(at: typst::layout::Point, t: &typst::text::TextItem) -> Rect {
    let m = t.font.metrics();
    Rect::of(
        at.x,
        at.y - m.ascender.at(t.size),
        at.x + t.width(),
        at.y - m.descender.at(t.size),
    )
}

/// The boxes of the figures printed on a page of a marked layout
/// ([`crate::compile_marked`]): the glyphs between a figure's two marks.
pub fn figure_boxes(page: &typst_layout::Page) -> Vec<FigureBox> {
    use typst::foundations::Value;
    use typst::introspection::{MetadataElem, Tag};
    use typst::layout::FrameItem;

    let mut open: Vec<String> = Vec::new();
    let mut out: Vec<FigureBox> = Vec::new();
    each_item(page, &mut |here, item| match item {
        FrameItem::Tag(Tag::Start(content, _)) => {
            let Some(meta) = content.to_packed::<MetadataElem>() else {
                return;
            };
            let Value::Str(s) = &meta.value else { return };
            let s = s.as_str();
            if s == format::MARK_CLOSE.to_string() {
                open.pop();
            } else if let Some(id) = s
                .strip_prefix(format::MARK_OPEN)
                .and_then(|r| r.strip_suffix(format::MARK_TEXT))
            {
                open.push(id.to_string());
            }
        }
        FrameItem::Text(t) => {
            let Some(id) = open.last() else { return };
            let rect = run_rect(here, t);
            // The runs of one figure on one line make one box.
            let close = Abs::pt(0.01);
            match out.last_mut() {
                Some(last)
                    if last.id == *id
                        && (last.rect.top() - rect.top()).abs() < close
                        && (last.rect.right() - rect.left()).abs() < close =>
                {
                    last.rect = last.rect.union(&rect);
                    last.text.push_str(&t.text);
                }
                _ => out.push(FigureBox {
                    id: id.clone(),
                    text: t.text.to_string(),
                    rect,
                }),
            }
        }
        _ => {}
    });
    out
}

/// A line of a page's text: the runs on one baseline, left to right, with the box they
/// span. A table's row is one line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageLine {
    pub text: String,
    #[serde(flatten)]
    pub rect: Rect,
}

/// A run of text on a page: what one text item prints, with its box and baseline.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageRun {
    pub text: String,
    #[serde(flatten)]
    pub rect: Rect,
    #[serde(skip)]
    baseline: Abs,
}

/// Every text run of a page, in the order of its frames.
pub fn page_runs(page: &typst_layout::Page) -> Vec<PageRun> {
    let mut runs = Vec::new();
    each_item(page, &mut |here, item| {
        if let typst::layout::FrameItem::Text(t) = item {
            runs.push(PageRun {
                text: t.text.to_string(),
                rect: run_rect(here, t),
                baseline: here.y,
            });
        }
    });
    runs
}

/// The lines of a page ([`PageLine`]), top to bottom. Runs on one baseline are joined with
/// a space where a gap parts them (a table's cells), without one where they touch.
pub fn page_lines(page: &typst_layout::Page) -> Vec<PageLine> {
    let mut runs = page_runs(page);
    // Baselines within a tenth of a point are one line.
    let key = |r: &PageRun| (r.baseline * 10.0).to_pt().round() as i64;
    runs.sort_by(|a, b| key(a).cmp(&key(b)).then(a.rect.x.total_cmp(&b.rect.x)));
    let mut lines: Vec<PageLine> = Vec::new();
    let mut last_key = None;
    let mut right = Abs::zero();
    for r in runs {
        let k = key(&r);
        match lines.last_mut() {
            Some(line) if last_key == Some(k) => {
                if r.rect.left() - right > Abs::pt(0.5) {
                    line.text.push(' ');
                }
                line.text.push_str(&r.text);
                line.rect = line.rect.union(&r.rect);
            }
            _ => lines.push(PageLine {
                text: r.text.clone(),
                rect: r.rect,
            }),
        }
        right = r.rect.right();
        last_key = Some(k);
    }
    lines
}

/// The rules of a page's tables: vertical lines (x, top, bottom) and horizontal ones (y,
/// left, right).
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub vertical: Vec<(Abs, Abs, Abs)>,
    pub horizontal: Vec<(Abs, Abs, Abs)>,
}

/// The straight rules a page draws (a table's grid).
pub fn table_rules(page: &typst_layout::Page) -> Rules {
    use typst::visualize::Geometry;
    let mut out = Rules::default();
    each_item(page, &mut |here, item| {
        let typst::layout::FrameItem::Shape(shape, _) = item else {
            return;
        };
        let Geometry::Line(to) = &shape.geometry else {
            return;
        };
        let flat = Abs::pt(0.01);
        if to.x.abs() < flat && to.y.abs() > flat {
            let (a, b) = (here.y, here.y + to.y);
            out.vertical.push((here.x, a.min(b), a.max(b)));
        } else if to.y.abs() < flat && to.x.abs() > flat {
            let (a, b) = (here.x, here.x + to.x);
            out.horizontal.push((here.y, a.min(b), a.max(b)));
        }
    });
    out
}

/// The header of the table column a box sits in: the words printed above it between the
/// column's rules (the table's vertical lines beside the box), up to the table's head:
/// non-figure runs, nearest first, skipping the 栏次 numbers and stopping at a wide gap or at
/// the unit line; then top to bottom, a header cell broken over lines read as one name and
/// the levels (`事业收入`, `小计`) joined by ` · `. `None` outside a ruled table, or where
/// nothing is printed above the box in its column.
pub fn column_header(
    runs: &[PageRun],
    rules: &Rules,
    figures: &[Rect],
    cell: &Rect,
) -> Option<String> {
    let tolerance = Abs::pt(0.5);
    let (_, middle) = cell.centre();
    let middle = Abs::pt(middle);
    // The column: the nearest rules left and right of the box that reach its height.
    let beside = rules
        .vertical
        .iter()
        .filter(|(_, top, bottom)| *top <= middle && *bottom >= middle);
    let left = beside
        .clone()
        .map(|r| r.0)
        .filter(|x| *x <= cell.left() + tolerance)
        .max_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal))?;
    let right = beside
        .map(|r| r.0)
        .filter(|x| *x >= cell.right() - tolerance)
        .min_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal))?;
    let in_figure = |r: &Rect| {
        let (x, y) = r.centre();
        figures.iter().any(|f| f.contains(x, y))
    };
    let mut above: Vec<&PageRun> = runs
        .iter()
        .filter(|r| {
            r.rect.bottom() <= cell.top() + tolerance
                && r.rect.left() < right - tolerance
                && r.rect.right() > left + tolerance
                && r.text
                    .chars()
                    .any(|c| !c.is_ascii_digit() && !c.is_whitespace())
                && !in_figure(&r.rect)
        })
        .collect();
    above.sort_by(|a, b| b.rect.y.total_cmp(&a.rect.y));
    let mut picked: Vec<&PageRun> = Vec::new();
    for r in above {
        // The unit line (金额单位：元, 单位：万元) stands above the table's head.
        if r.text.contains("单位：") || r.text.contains("单位:") {
            break;
        }
        if let Some(last) = picked.last() {
            // The head's rows are close together; a wide gap is what stands above the table.
            if last.rect.top() - r.rect.bottom() > Abs::pt(last.rect.height) * 2.0 {
                break;
            }
        }
        picked.push(r);
    }
    let centre = left + (right - left) / 2.0;
    let mut out = String::new();
    let mut upper: Option<&Rect> = None;
    for r in picked.iter().rev() {
        if let Some(prev) = upper {
            // A rule across the column between two lines parts two header cells (two
            // levels); without one, the lower line continues the same cell's words.
            let (from, to) = (prev.bottom(), r.rect.top());
            let parted = rules.horizontal.iter().any(|(y, l, rt)| {
                *y >= from - tolerance && *y <= to + tolerance && *l <= centre && *rt >= centre
            });
            out.push_str(if parted { " · " } else { "" });
        }
        out.push_str(r.text.trim());
        upper = Some(&r.rect);
    }
    (!out.is_empty()).then_some(out)
}

/// Every glyph of a page with where it is printed (its glyph id and absolute position in
/// points, rounded to a thousandth), in the order of the page's frames: two layouts that
/// print the same glyphs at the same places have the same list, however their text runs are
/// split (a marked layout's tags split runs, [`mark`]).
pub fn glyph_positions(page: &typst_layout::Page) -> Vec<(u16, i64, i64)> {
    let milli = |a: Abs| (a * 1000.0).to_pt().round() as i64;
    let mut out = Vec::new();
    each_item(page, &mut |here, item| {
        if let typst::layout::FrameItem::Text(t) = item {
            let mut x = here.x;
            for g in &t.glyphs {
                let gx = x + g.x_offset.at(t.size);
                let gy = here.y - g.y_offset.at(t.size);
                out.push((g.id, milli(gx), milli(gy)));
                x += g.x_advance.at(t.size);
            }
        }
    });
    out
}

/// The numbers in a text run, by byte range: digits with their separators and decimals,
/// a leading minus and a trailing `%`.
fn numbers_in(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let starts = c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit()));
        let after_digit = i > 0 && (chars[i - 1].1.is_ascii_digit() || chars[i - 1].1 == '.');
        if !starts || after_digit {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let joins =
                (c == ',' || c == '.') && chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit());
            if c.is_ascii_digit() || joins {
                j += 1;
            } else {
                break;
            }
        }
        if chars.get(j).is_some_and(|(_, c)| *c == '%') {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        out.push((start..end, text[start..end].to_string()));
        i = j;
    }
    out
}

#[cfg(test)]
mod number_tests {
    use super::numbers_in;

    #[test]
    fn numbers_in_a_run_with_their_byte_ranges() {
        let found: Vec<String> = numbers_in("完成年初预算的182%，-1,234.50元，第3页。2024年")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(found, ["182%", "-1,234.50", "3", "2024"]);
        let (range, _) = &numbers_in("合计 99.5")[0];
        assert_eq!(&"合计 99.5"[range.clone()], "99.5");
    }
}
