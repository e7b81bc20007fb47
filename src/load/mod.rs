//! load: read a project's YAML files into serde types that mirror what the user wrote,
//! remembering where every value came from. No arithmetic, no cross-field rules.
//!
//! A project is a directory with `budgetdoc.yaml` (plus one file per attachment — the
//! kind's `evaluations/*.yaml` or `targets/*.yaml`, in file-name order), or a single YAML
//! file. Loading is kind-neutral: [`load_main`] reads the main file up to its `kind:`, and
//! [`load_kind`] reads the rest with the kind's schema. YAML syntax errors, wrong types, unknown keys, missing
//! fields and malformed amounts are reported here with `file:line:col` and the key path.

pub mod cache;
pub mod common;
pub mod keyboard;
pub mod positions;
pub mod reads;
pub mod scalar;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::rules;
use cache::LoadCache;
use positions::{Positions, Segment, format_path};

/// The project's main file name inside a project directory.
pub const PROJECT_FILE: &str = "budgetdoc.yaml";
/// Directory of per-project self-evaluation files (final accounts).
pub const EVALUATIONS_DIR: &str = "evaluations";
/// Directory of per-project performance-target files (budgets).
pub const TARGETS_DIR: &str = "targets";
/// Directory of template overrides inside a project.
pub const TEMPLATES_DIR: &str = "templates";

/// One YAML file read from disk, with its position index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub positions: Arc<Positions>,
}

impl SourceFile {
    /// The location of the value at `path`, or of its nearest indexed ancestor; the start
    /// of the file when nothing is indexed (an empty file).
    pub fn location(&self, path: &str) -> Location {
        let (line, col) = self.positions.value(path).unwrap_or((1, 1));
        Location {
            file: self.path.clone(),
            line,
            col,
        }
    }
}

/// Where a typed value lives: a file and the key path of its parent inside that file.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: usize,
    pub prefix: String,
}

impl Origin {
    /// Joins the prefix and a relative path (`funds.other`) into a full key path.
    pub fn join(&self, rel: &str) -> String {
        match (self.prefix.is_empty(), rel.is_empty()) {
            (true, _) => rel.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) if rel.starts_with('[') => format!("{}{rel}", self.prefix),
            (false, false) => format!("{}.{rel}", self.prefix),
        }
    }
}

/// A loaded project: the main input, each attached per-project file (self-evaluations of a
/// 部门决算, performance targets of a 部门预算) with its origin, and the files read.
#[derive(Debug, Clone)]
pub struct Loaded<M, A> {
    /// The project directory (or the directory of a single-file project).
    pub root: PathBuf,
    /// Output name stem, e.g. `nx-hrss-2024-final`.
    pub name: String,
    pub files: Vec<SourceFile>,
    pub main: M,
    pub attachments: Vec<(Origin, A)>,
}

impl<M, A> Loaded<M, A> {
    /// The location of the value at `rel` (relative to `origin`) and its full key path.
    pub fn locate(&self, origin: &Origin, rel: &str) -> (Option<Location>, String) {
        self.position(origin, rel, Positions::value)
    }

    /// The location of the key (not the value) at `rel`, and its full key path.
    pub fn locate_key(&self, origin: &Origin, rel: &str) -> (Option<Location>, String) {
        self.position(origin, rel, Positions::key)
    }

    /// Whether the file of `origin` holds a value at exactly `rel`.
    pub fn has(&self, origin: &Origin, rel: &str) -> bool {
        self.files
            .get(origin.file)
            .is_some_and(|f| f.positions.has(&origin.join(rel)))
    }

    fn position(
        &self,
        origin: &Origin,
        rel: &str,
        find: fn(&Positions, &str) -> Option<(usize, usize)>,
    ) -> (Option<Location>, String) {
        let path = origin.join(rel);
        let loc = self.files.get(origin.file).and_then(|f| {
            find(&f.positions, &path).map(|(line, col)| Location {
                file: f.path.clone(),
                line,
                col,
            })
        });
        (loc, path)
    }

    pub fn main_origin(&self) -> Origin {
        Origin {
            file: 0,
            prefix: String::new(),
        }
    }
}

/// What loading needs from a kind's main input: the attachments a single-file project lists
/// inline, and the project's own catalog settings.
pub trait MainInput<A> {
    /// The attachments typed inline (single-file projects).
    fn inline(&self) -> &[A];
    /// The acknowledged exceptions (`accept:`).
    fn accept(&self) -> &[common::AcceptEntry];
    /// The document's year and its `catalog:` entries and `catalog_file`, for kinds that
    /// print 科目 names.
    fn catalog(
        &self,
    ) -> Option<(
        i32,
        &std::collections::BTreeMap<scalar::Code, scalar::Text>,
        Option<&scalar::Text>,
    )> {
        None
    }
}

/// A project's main file, read and indexed, with where the project lives and the kind its
/// `kind:` names: the first half of loading, before the kind's schema is known.
#[derive(Debug)]
pub struct MainFile {
    /// The project directory (or the directory of a single-file project), as given.
    pub root: PathBuf,
    /// Output name stem.
    pub name: String,
    pub confinement: Confinement,
    pub file: SourceFile,
    /// The value of `kind:`, one of the registry's keys.
    pub kind: String,
    /// The decimals an amount of the main file may carry, from its `unit:`.
    pub max_decimals: u32,
    /// Whether the project is a directory (attachments then come from its files).
    pub in_dir: bool,
    /// The session's parsed files, when the project is built more than once.
    pub cache: Option<Arc<LoadCache>>,
}

/// Reads a project directory's `budgetdoc.yaml`, or a single YAML file, up to its `kind:`.
/// With a session's `cache`, this starts one of its builds: files whose text is unchanged
/// are not parsed again ([`cache`]).
pub fn load_main(
    project: &Path,
    kinds: &[&str],
    cache: Option<Arc<LoadCache>>,
) -> Result<MainFile, Diagnostics> {
    if let Some(c) = &cache {
        c.begin();
    }
    let (root, main_path, name) = resolve(project).map_err(one)?;
    let confinement = Confinement::new(&root).map_err(one)?;
    // The file named on the command line is the user's choice; a project directory's main
    // file is the project's and stays inside it.
    let file = read(
        &main_path,
        project.is_dir().then_some(&confinement),
        cache.as_deref(),
    )?;
    let (kind, max_decimals) = check_kind(&file, kinds, cache.as_deref())?;
    let in_dir = main_path.file_name().is_some_and(|n| n == PROJECT_FILE);
    Ok(MainFile {
        root,
        name,
        confinement,
        file,
        kind,
        max_decimals,
        in_dir,
        cache,
    })
}

/// Loads the main file as `M` and the attachments: those listed inline under `attachments`
/// (single-file projects) and one per YAML file of the directory of that name, in file-name
/// order. Attachment amounts are always in 万元.
pub fn load_kind<M, A>(main: MainFile, attachments: &str) -> Result<Loaded<M, A>, Diagnostics>
where
    M: DeserializeOwned + serde::Serialize + MainInput<A> + Clone + Send + Sync + 'static,
    A: DeserializeOwned + serde::Serialize + Clone + Send + Sync + 'static,
{
    let MainFile {
        root,
        name,
        confinement,
        file: main_file,
        max_decimals,
        in_dir,
        cache,
        ..
    } = main;
    let cache = cache.as_deref();
    let mut diags = Diagnostics::default();
    let main: Option<M> = parse_facts(&main_file, max_decimals, cache, &mut diags);
    let mut files = vec![main_file];
    let mut attached = Vec::new();
    if let Some(main) = &main {
        for (i, e) in main.inline().iter().enumerate() {
            let origin = Origin {
                file: 0,
                prefix: format_path(&[Segment::Key(attachments.into()), Segment::Index(i)]),
            };
            attached.push((origin, e.clone()));
        }
    }
    let dir = root.join(attachments);
    let listed = if in_dir {
        reads::list(&dir).map_err(|e| one(io_error(&dir, &e)))?
    } else {
        None
    };
    if let Some(entries) = listed {
        let paths = entries
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"));
        for p in paths {
            let file = match read(&p, Some(&confinement), cache) {
                Ok(f) => f,
                Err(d) => {
                    diags.extend(d);
                    continue;
                }
            };
            let parsed: Option<A> =
                parse_facts(&file, scalar::TEN_THOUSAND_YUAN_DECIMALS, cache, &mut diags);
            files.push(file);
            if let Some(e) = parsed {
                let origin = Origin {
                    file: files.len() - 1,
                    prefix: String::new(),
                };
                attached.push((origin, e));
            }
        }
    }
    if let Some(c) = cache {
        c.forget_unread();
    }
    match main {
        Some(main) if !diags.has_errors() => Ok(Loaded {
            root,
            name,
            files,
            main,
            attachments: attached,
        }),
        _ => Err(diags),
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot read `{}`: {e}", path.display())).rule(&rules::L01)
}

/// A file embedded in the binary (a shipped pack) as a [`SourceFile`], indexed: its
/// problems are located like a file's. Embedded files are tested to index cleanly.
pub fn embedded(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
        positions: Arc::new(Positions::index(text).positions),
    }
}

/// The project's root directory and main file: `<dir>` and `<dir>/budgetdoc.yaml` for a
/// directory, else the file's directory (`.` for a bare name) and the file itself. Paths
/// only: nothing is read.
pub fn project_paths(project: &Path) -> (PathBuf, PathBuf) {
    if project.is_dir() {
        (project.to_path_buf(), project.join(PROJECT_FILE))
    } else {
        let root = match project.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (root, project.to_path_buf())
    }
}

/// The name a project's PDF takes by default (its directory's name, or its file's stem), if
/// the project exists.
pub fn output_name(project: &Path) -> Option<String> {
    resolve(project).ok().map(|(_, _, name)| name)
}

/// Finds the main file: `<dir>/budgetdoc.yaml`, or the given YAML file itself.
fn resolve(project: &Path) -> Result<(PathBuf, PathBuf, String), Diagnostic> {
    let (root, main) = project_paths(project);
    if project.is_dir() {
        if !main.is_file() {
            return Err(Diagnostic::error(format!(
                "`{}` has no `{PROJECT_FILE}`",
                project.display()
            ))
            .hint("run `budgetdoc init <DIR> --kind final-accounts` (or `--kind budget`) to create a starter project"));
        }
        let name = dir_name(project);
        Ok((root, main, name))
    } else if project.is_file() {
        let stem = project
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        let name = if stem == "budgetdoc" {
            dir_name(&root)
        } else {
            stem
        };
        Ok((root, project.to_path_buf(), name))
    } else {
        Err(
            Diagnostic::error(format!("project `{}` does not exist", project.display()))
                .hint("give a project directory (holding budgetdoc.yaml) or a YAML file"),
        )
    }
}

fn dir_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "document".into())
}

/// The largest project file budgetdoc reads (a whole 部门决算 is about 100 KB of YAML).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Where the files of a project may live: paths a project reads must resolve (after
/// symlinks) inside its root, so that a project from a pull request cannot make a CI
/// builder read the builder's own files. Only the person running budgetdoc names paths
/// outside it (the single YAML file given on the command line, font directories).
#[derive(Debug, Clone)]
pub struct Confinement {
    /// The project root, canonical.
    root: PathBuf,
}

impl Confinement {
    /// The confinement of a project root (as given on the command line).
    pub fn new(root: &Path) -> Result<Self, Diagnostic> {
        let root = root.canonicalize().map_err(|e| io_error(root, &e))?;
        Ok(Self { root })
    }

    /// The canonical path of `path`, if it resolves inside the root; otherwise an L01 error
    /// naming both (the target is not read).
    pub fn admit(&self, path: &Path) -> Result<PathBuf, Diagnostic> {
        let real = path.canonicalize().map_err(|e| io_error(path, &e))?;
        if real.starts_with(&self.root) {
            Ok(real)
        } else {
            Err(Diagnostic::error(format!(
                "`{}` resolves to `{}`, outside the project directory `{}`; budgetdoc does not read it",
                path.display(),
                real.display(),
                self.root.display()
            ))
            .rule(&rules::L01)
            .hint("a project reads only its own files: copy the file into the project instead of linking to it"))
        }
    }
}

/// Reads a project file's bytes: a regular file (after symlinks), inside the project when
/// `confinement` is given, of at most [`MAX_FILE_BYTES`] (never more is read, whatever the
/// file claims to be).
pub fn read_bytes(path: &Path, confinement: Option<&Confinement>) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    if let Some(c) = confinement {
        c.admit(path)?;
    }
    let not_regular = |kind: &str| {
        Diagnostic::error(format!(
            "`{}` is {kind}, not a regular file; budgetdoc does not read it",
            path.display()
        ))
        .rule(&rules::L01)
        .hint("project files are ordinary files; remove or rename this entry")
    };
    // Checked before opening: opening a FIFO would block until a writer appears.
    let meta = fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular(file_kind(&meta)));
    }
    let file = fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let meta = file.metadata().map_err(|e| io_error(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular(file_kind(&meta)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "`{}` is larger than {} MB; budgetdoc reads project files of at most {} MB",
            path.display(),
            MAX_FILE_BYTES / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ))
        .rule(&rules::L01)
        .hint("a project's YAML is a few hundred KB; check that this is the right file"));
    }
    reads::note_file(path, &bytes);
    Ok(bytes)
}

/// What a path that is not a regular file is, for messages ("a FIFO", "a directory").
pub fn file_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_char_device() || t.is_block_device() {
            return "a device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Flow collections (`[…]`, `{…}`) nested deeper than this are refused before parsing: YAML
/// parsers take quadratic time on hostile nesting.
const MAX_FLOW_DEPTH: usize = 64;

/// The deepest nesting of flow brackets outside quotes and comments (an upper bound is
/// enough: legitimate files stay far below the limit).
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for line in text.lines() {
        let mut quote: Option<char> = None;
        for ch in line.chars() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(ch),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    max = max.max(depth);
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

/// Reads, decodes and indexes one YAML file; the structural guards of
/// [`positions::Positions::index`] apply to every file of every kind. A file whose text
/// the session's `cache` indexed before is not indexed again.
pub(crate) fn read(
    path: &Path,
    confinement: Option<&Confinement>,
    cache: Option<&LoadCache>,
) -> Result<SourceFile, Diagnostics> {
    let bytes = read_bytes(path, confinement).map_err(one)?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        one(Diagnostic::error(format!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .rule(&rules::L01)
        .hint("save the file as UTF-8"))
    })?;
    // Windows editors start UTF-8 files with a byte-order mark; it is not part of the YAML.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    crate::diag::remember_source(path, &text);
    let mistakes = keyboard::problems(path, &text);
    if !mistakes.is_empty() {
        return Err(Diagnostics(mistakes));
    }
    if let Some(positions) = cache.and_then(|c| c.positions(path, &text)) {
        return Ok(SourceFile {
            path: path.to_path_buf(),
            text,
            positions,
        });
    }
    // Checked on the raw text: YAML scanners take quadratic time on deep flow nesting, and
    // yaml-rust2 gives up on it with a scan error that would leave the structure unchecked.
    if flow_depth(&text) > MAX_FLOW_DEPTH {
        return Err(one(Diagnostic::error(format!(
            "`{}` nests `[`/`{{` collections more than {MAX_FLOW_DEPTH} deep",
            path.display()
        ))
        .rule(&rules::L01)
        .hint(
            "budgetdoc's YAML nests a few levels; check that this is a project file",
        )));
    }
    let indexed = Positions::index(&text);
    let file = SourceFile {
        path: path.to_path_buf(),
        text,
        positions: Arc::new(indexed.positions),
    };
    if indexed.problems.is_empty() {
        if let Some(c) = cache {
            c.keep_positions(path, &file.text, &file.positions);
        }
        return Ok(file);
    }
    let at = |(line, col): (usize, usize)| {
        Some(Location {
            file: file.path.clone(),
            line,
            col,
        })
    };
    Err(Diagnostics(
        indexed
            .problems
            .into_iter()
            .map(|p| {
                let mut d = Diagnostic::error(p.message)
                    .rule(&rules::L01)
                    .at(at(p.at))
                    .path(p.path.clone())
                    .hint(p.hint);
                if let Some((pos, note)) = p.related {
                    d = d.related(at(pos), p.path, note);
                }
                d
            })
            .collect(),
    ))
}

/// Reads `kind:` (and `unit:`) first: the kind decides the schema of the whole file. Returns
/// the kind and the decimals an amount may carry in the main file's unit.
fn check_kind(
    file: &SourceFile,
    kinds: &[&str],
    cache: Option<&LoadCache>,
) -> Result<(String, u32), Diagnostics> {
    #[derive(serde::Deserialize, Clone)]
    struct KindOnly {
        kind: Option<String>,
        unit: Option<String>,
    }
    let blank = file.text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    });
    if blank {
        return Err(one(Diagnostic::error(
            "the file holds no YAML (it is empty or only comments)",
        )
        .rule(&rules::L02)
        .at(Some(file.location("")))
        .hint(format!(
            "start from `budgetdoc init <DIR> --kind {}`, which writes a commented starter project",
            kinds.join("|")
        ))));
    }
    let mut diags = Diagnostics::default();
    // KindOnly ignores every other key, so whatever fails here is the file's syntax (or the
    // type of `kind:`/`unit:`): reported as it is, before any schema is chosen.
    let Some(k) = parse_cached::<KindOnly>(file, scalar::YUAN_DECIMALS, cache, &mut diags) else {
        return Err(diags);
    };
    let max = if k.unit.as_deref().map(str::trim) == Some("万元") {
        scalar::TEN_THOUSAND_YUAN_DECIMALS
    } else {
        scalar::YUAN_DECIMALS
    };
    let location = |path: &str| Some(file.location(path));
    let listed = kinds
        .iter()
        .map(|k| format!("`kind: {k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match k.kind.as_deref() {
        Some(key) if kinds.contains(&key) => Ok((key.to_string(), max)),
        Some(other) => Err(one(Diagnostic::error(format!(
            "unknown document kind `{other}`"
        ))
        .rule(&rules::U01)
        .at(location("kind"))
        .path("kind")
        .hint(format!("write one of {listed}")))),
        None => Err(one(Diagnostic::error("missing field `kind`")
            .rule(&rules::L02)
            .at(location(""))
            .hint(format!("add one of {listed} at the top of the file")))),
    }
}

/// [`parse_cached`] for a file of facts: while derivations are recorded, every amount read
/// is a fact of this file, named by its key path.
fn parse_facts<T: DeserializeOwned + serde::Serialize + Clone + Send + Sync + 'static>(
    file: &SourceFile,
    max_decimals: u32,
    cache: Option<&LoadCache>,
    diags: &mut Diagnostics,
) -> Option<T> {
    crate::figures::provenance::reading_file(&file.path);
    let value = parse_cached::<T>(file, max_decimals, cache, diags)?;
    scalar::name_facts(&value, &[]);
    Some(value)
}

/// [`parse`] with amounts of at most `max_decimals` decimals, reusing (and keeping) the
/// value the session's `cache` holds for the file's text.
fn parse_cached<T: DeserializeOwned + Clone + Send + Sync + 'static>(
    file: &SourceFile,
    max_decimals: u32,
    cache: Option<&LoadCache>,
    diags: &mut Diagnostics,
) -> Option<T> {
    if let Some(value) = cache.and_then(|c| c.typed::<T>(&file.path, &file.text, max_decimals)) {
        return Some(value);
    }
    let value = scalar::with_max_decimals(max_decimals, || parse::<T>(file, diags))?;
    if let Some(c) = cache {
        c.keep_typed(&file.path, &file.text, max_decimals, &value);
    }
    Some(value)
}

/// Deserializes one file, turning a serde error into a positioned diagnostic.
pub(crate) fn parse<T: DeserializeOwned>(file: &SourceFile, diags: &mut Diagnostics) -> Option<T> {
    let de = serde_yaml::Deserializer::from_str(&file.text);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Some(v),
        Err(err) => {
            let path = path_of(err.path());
            let inner = err.into_inner();
            diags.push(serde_diagnostic(file, &path, &inner));
            None
        }
    }
}

fn path_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment as S;
    let segs: Vec<Segment> = path
        .iter()
        .filter_map(|s| match s {
            S::Seq { index } => Some(Segment::Index(*index)),
            S::Map { key } => Some(Segment::Key(key.clone())),
            S::Enum { variant } => Some(Segment::Key(variant.clone())),
            S::Unknown => None,
        })
        .collect();
    format_path(&segs)
}

fn serde_diagnostic(file: &SourceFile, path: &str, err: &serde_yaml::Error) -> Diagnostic {
    let raw = err.to_string();
    // serde_yaml appends " at line L column C" and may prefix the path; we print both ourselves.
    let mut message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    // serde_yaml prefixes the path of the enclosing value ("balances: unknown field …").
    if let Some((prefix, rest)) = message.split_once(": ")
        && !prefix.is_empty()
        && path.starts_with(prefix)
    {
        message = rest.to_string();
    }
    let location = Some(match err.location() {
        Some(l) => Location {
            file: file.path.clone(),
            line: l.line(),
            col: l.column(),
        },
        None => file.location(path),
    });
    let hint = did_you_mean(&message).or_else(|| hint_for(&message));
    // Decimals are U02; a message about the value's shape or a key is L02; the rest comes
    // from the YAML scanner/parser (L01).
    const SCHEMA: [&str; 8] = [
        "unknown field",
        "missing field",
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
        "duplicate field",
        "expected",
    ];
    let rule = if message.contains("decimals") {
        &rules::U02
    } else if message.contains("is negative") {
        &rules::L03
    } else if SCHEMA.iter().any(|p| message.starts_with(p)) || message.contains("amount") {
        &rules::L02
    } else {
        &rules::L01
    };
    let mut d = Diagnostic::error(message)
        .rule(rule)
        .at(location)
        .path(path);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// "did you mean `x`?" for an unknown key or variant, from serde's list of expected names.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (typed, expected) = rest.split_once("`, expected ")?;
    let candidates: Vec<&str> = expected
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, c)| c)
        .collect();
    let best = crate::suggest::nearest(typed, candidates.iter().copied(), 1);
    let best = best.first()?;
    Some(format!(
        "did you mean `{best}`? (unknown keys are rejected so that no figure is silently ignored)"
    ))
}

fn hint_for(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("check the spelling against the YAML reference (docs/yaml-*.md); unknown keys are rejected so that no figure is silently ignored".into())
    } else if message.starts_with("missing field") {
        Some("add the field; see the YAML reference (docs/yaml-*.md)".into())
    } else if message.contains("decimals") {
        Some("round the amount to 分 (2 decimals), or switch the document's `unit`".into())
    } else if message.contains("is negative") {
        Some("type the amount without a sign: a decrease, a deficit or a difference is derived by budgetdoc".into())
    } else if message.contains("implausibly large") {
        Some("check the figure for a typo or a wrong unit".into())
    } else if message.starts_with("expected an amount") {
        Some("amounts are plain numbers such as 2100000.00, in the document's unit".into())
    } else if message.starts_with("invalid type") {
        Some("compare the value's type with the YAML reference (docs/yaml-*.md; lists use `- `, maps use `key: value`)".into())
    } else if message.contains("did not find expected")
        || message.contains("mapping values")
        || message.contains("cannot start any token")
    {
        Some(
            "a YAML syntax error: check the indentation and that texts containing `: ` are quoted"
                .into(),
        )
    } else {
        None
    }
}
