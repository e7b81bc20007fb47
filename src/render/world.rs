//! render: the Typst `World` that budgetdoc compiles in — templates and `/data.json` served
//! from memory, fonts embedded in the binary (plus any `--font-path` directory), and a fixed
//! date so identical input gives identical output. No network, no system fonts, no clock.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

/// The fonts shipped in `fonts/` and compiled into the binary, by file name.
pub const EMBEDDED_FONT_FILES: [(&str, &[u8]); 3] = [
    (
        "NotoSerifSC-Regular.otf",
        include_bytes!("../../fonts/NotoSerifSC-Regular.otf"),
    ),
    (
        "NotoSansSC-Regular.otf",
        include_bytes!("../../fonts/NotoSansSC-Regular.otf"),
    ),
    (
        "LXGWWenKai-Regular.ttf",
        include_bytes!("../../fonts/LXGWWenKai-Regular.ttf"),
    ),
];

/// The standard library, built once per process.
fn library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// Builds the font store: the embedded fonts first, then every font under `font_paths`.
pub fn fonts(font_paths: &[&Path]) -> Arc<FontStore> {
    let mut store = FontStore::new();
    for (_, data) in EMBEDDED_FONT_FILES {
        for font in Font::iter(Bytes::new(data)) {
            let info = font.info().clone();
            store.push((font, info));
        }
    }
    for dir in font_paths {
        store.extend(typst_kit::fonts::scan(dir));
    }
    Arc::new(store)
}

/// The font store for these font directories: the shared embedded store when there are
/// none, else a store of its own.
pub fn font_store(font_paths: &[PathBuf]) -> Arc<FontStore> {
    if font_paths.is_empty() {
        embedded_fonts()
    } else {
        let paths: Vec<&Path> = font_paths.iter().map(PathBuf::as_path).collect();
        fonts(&paths)
    }
}

/// The embedded fonts alone, shared by every compile in this process.
pub fn embedded_fonts() -> Arc<FontStore> {
    static STORE: OnceLock<Arc<FontStore>> = OnceLock::new();
    STORE.get_or_init(|| fonts(&[])).clone()
}

/// An in-memory project: virtual paths (`/main.typ`, `/data.json`) to bytes.
pub struct BudgetWorld {
    fonts: Arc<FontStore>,
    files: HashMap<FileId, Bytes>,
    sources: HashMap<FileId, Source>,
    main: FileId,
    today: Datetime,
}

/// The template at `id` with the text `bytes`, parsed: the parse of the last compile in the
/// process when the text is the same (a preview's rebuild, the next project of a batch), so
/// that an edit of the data parses no template again. One entry per template path.
fn parsed(id: FileId, bytes: &[u8], path: &str) -> Result<Source, String> {
    static LAST: OnceLock<Mutex<HashMap<FileId, Source>>> = OnceLock::new();
    let last = LAST.get_or_init(Mutex::default);
    let known = last
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
        .cloned();
    if let Some(source) = known.filter(|s| s.text().as_bytes() == bytes) {
        return Ok(source);
    }
    let text =
        String::from_utf8(bytes.to_vec()).map_err(|_| format!("template `{path}` is not UTF-8"))?;
    let source = Source::new(id, text);
    last.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, source.clone());
    Ok(source)
}

/// The id of a project file at a virtual path such as `main.typ`.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl BudgetWorld {
    /// `files` maps virtual paths (without leading slash) to contents; `main` must be one of
    /// them. `today` is what `datetime.today()` answers.
    pub fn new(
        fonts: Arc<FontStore>,
        files: &BTreeMap<String, Vec<u8>>,
        main: &str,
        today: Datetime,
    ) -> Result<Self, String> {
        let mut by_id = HashMap::new();
        let mut sources = HashMap::new();
        for (path, bytes) in files {
            let id = file_id(path).ok_or_else(|| format!("invalid virtual path `{path}`"))?;
            if path.ends_with(".typ") {
                sources.insert(id, parsed(id, bytes, path)?);
            }
            by_id.insert(id, Bytes::new(bytes.clone()));
        }
        let main = file_id(main).ok_or("invalid main path")?;
        if !sources.contains_key(&main) {
            return Err(format!("the main template `{main:?}` is missing"));
        }
        Ok(Self {
            fonts,
            files: by_id,
            sources,
            main,
            today,
        })
    }

    /// The path a file id stands for, for diagnostics.
    pub fn path_of(&self, id: FileId) -> String {
        id.vpath().get_without_slash().to_string()
    }
}

impl World for BudgetWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id.root() != &VirtualRoot::Project {
            return Err(FileError::AccessDenied);
        }
        self.sources
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id.root() != &VirtualRoot::Project {
            return Err(FileError::AccessDenied);
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
