//! The seam between the pipeline and the document kinds. A kind (部门决算, 部门预算, a
//! performance-target publication, …) is one type implementing [`DocumentKind`]: its methods
//! ARE its pipeline — the serde schema it loads, its rules, its figures and its view — plus
//! its templates and starter. [`crate::kinds::KINDS`] lists them; `lib.rs`, `init`, the CLI's
//! `--kind` and the detection of `kind:` in load read that list and nothing else.
//!
//! [`AnyKind`] is the object-safe face of a kind (blanket-implemented), and [`AnyDocument`]
//! the object-safe face of a checked document of any kind.

use std::any::Any;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::catalog::Catalogs;
use crate::check::Date;
use crate::diag::Diagnostics;
use crate::load::{Loaded, SourceFile};

/// What every kind reports about a checked document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub department: String,
    pub year: i32,
    /// The publication date typed in the data, if any.
    pub date: Option<Date>,
    /// What `check` says it checked, e.g. "部门决算, 26 self-evaluations".
    pub summary: String,
}

pub use crate::load::MainInput;

/// A kind of publication: its pipeline as associated types and functions.
pub trait DocumentKind: Send + Sync + 'static {
    /// The value of `kind:` in the YAML, and of `--kind` on the command line.
    const KEY: &'static str;
    /// What the kind is, for help texts: "部门决算 (final accounts)".
    const DESCRIPTION: &'static str;
    /// The directory of per-project attachment files in a project directory, which is also
    /// their key in a single-file project (`evaluations`, `targets`).
    const ATTACHMENTS: &'static str;
    /// The embedded default templates by virtual path (`main.typ` first).
    const TEMPLATES: &'static [(&'static str, &'static str)];
    /// The starter files `init` writes, by relative path.
    const STARTER: &'static [(&'static str, &'static str)];

    type Input: DeserializeOwned
        + serde::Serialize
        + MainInput<Self::Attachment>
        + Clone
        + Send
        + Sync
        + 'static;
    type Attachment: DeserializeOwned + serde::Serialize + Clone + Send + Sync + 'static;
    /// The validated model: only `validate` builds it.
    type Valid: Send + Sync;
    /// Every figure the document prints, computed.
    type Figures: Send + Sync;
    /// `/data.json` as a typed value: what the templates read, every figure a ready string.
    type View: Serialize + Send + Sync;

    /// Runs every rule; the validated model with its warnings, or every problem.
    fn validate(
        loaded: &Loaded<Self::Input, Self::Attachment>,
        catalogs: &Catalogs,
    ) -> Result<(Self::Valid, Diagnostics), Diagnostics>;
    /// Pure arithmetic from the validated model.
    fn figures(valid: &Self::Valid) -> Self::Figures;
    /// Department, year, date and summary.
    fn meta(valid: &Self::Valid, figures: &Self::Figures) -> Meta;
    /// `/data.json`: every printed figure as a ready-formatted string.
    fn view(valid: &Self::Valid, figures: &Self::Figures) -> Self::View;
    /// The templates a document is laid out with: the kind's, or (a document following a
    /// region pack) the pack template.
    fn templates_of(_valid: &Self::Valid) -> &'static [(&'static str, &'static str)] {
        Self::TEMPLATES
    }
    /// The printed tables as workbook sheets (`build --xlsx`), from the view's data.
    fn sheets(_data: &serde_json::Value) -> Vec<crate::workbook::Sheet> {
        Vec::new()
    }
    /// A project from a workbook laid out like this kind's tables (`import`); `None` when
    /// the workbook has none of them.
    fn import(
        _book: &crate::workbook::read::Book,
        _options: &crate::workbook::project::ImportOptions,
    ) -> Option<Result<crate::workbook::project::Imported, Diagnostics>> {
        None
    }
    /// Checks that need the figures, besides the free-text figures every kind gets (R02).
    fn check_figures(
        _main: &SourceFile,
        _valid: &Self::Valid,
        _figures: &Self::Figures,
    ) -> Diagnostics {
        Diagnostics::default()
    }
}

/// A checked document of kind `K`: what was loaded, the validated model and its figures.
pub struct CheckedKind<K: DocumentKind> {
    pub loaded: Loaded<K::Input, K::Attachment>,
    pub valid: K::Valid,
    pub figures: K::Figures,
    /// The view, made once: the free-text check (R02) lists its figures and the render
    /// serialises it. Made when first asked for, so that while derivations are recorded
    /// (`explain`, which checks inside its recording) its figures carry their nodes.
    view: std::sync::OnceLock<K::View>,
}

impl<K: DocumentKind> CheckedKind<K> {
    /// `/data.json` as a typed value ([`DocumentKind::view`]), made on first use.
    pub fn view(&self) -> &K::View {
        self.view
            .get_or_init(|| K::view(&self.valid, &self.figures))
    }
}

/// A checked document of any kind, as the pipeline and the CLI see it.
pub trait AnyDocument: Send + Sync {
    fn key(&self) -> &'static str;
    fn meta(&self) -> Meta;
    /// `/data.json`.
    fn data(&self) -> serde_json::Value;
    /// Every figure of `/data.json` with where it sits and its derivation's node
    /// (recorded when a [`crate::figures::provenance::Recording`] is active).
    fn printed(&self) -> Vec<crate::render::format::Printed>;
    /// `/data.json` with every figure marked with its id, and the figures
    /// ([`crate::render::format::marked_figures_of`]).
    fn marked(&self) -> (serde_json::Value, Vec<crate::render::format::Printed>);
    fn templates(&self) -> &'static [(&'static str, &'static str)];
    fn attachments(&self) -> &'static str;
    /// The project directory.
    fn root(&self) -> &Path;
    /// The output name stem.
    fn name(&self) -> &str;
    /// The YAML files read, main file first.
    fn files(&self) -> &[SourceFile];
    /// Figure checks of the kind (R05, …).
    fn check_figures(&self) -> Diagnostics;
    /// The printed tables as workbook sheets.
    fn sheets(&self) -> Vec<crate::workbook::Sheet>;
    /// The project's acknowledged exceptions (`accept:`).
    fn acceptance(&self) -> crate::check::accept::Acceptance;
    /// For typed access: `as_any().downcast_ref::<CheckedKind<FinalAccounts>>()`.
    fn as_any(&self) -> &dyn Any;
}

impl<K: DocumentKind> AnyDocument for CheckedKind<K> {
    fn key(&self) -> &'static str {
        K::KEY
    }
    fn meta(&self) -> Meta {
        K::meta(&self.valid, &self.figures)
    }
    fn data(&self) -> serde_json::Value {
        // A view is made of structs, strings, numbers and sequences, which always serialise.
        serde_json::to_value(self.view())
            .unwrap_or_else(|e| serde_json::Value::String(e.to_string()))
    }
    fn printed(&self) -> Vec<crate::render::format::Printed> {
        crate::render::format::figures_of(self.view())
    }
    fn marked(&self) -> (serde_json::Value, Vec<crate::render::format::Printed>) {
        crate::render::format::marked_figures_of(self.view())
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        K::templates_of(&self.valid)
    }
    fn attachments(&self) -> &'static str {
        K::ATTACHMENTS
    }
    fn root(&self) -> &Path {
        &self.loaded.root
    }
    fn name(&self) -> &str {
        &self.loaded.name
    }
    fn files(&self) -> &[SourceFile] {
        &self.loaded.files
    }
    fn check_figures(&self) -> Diagnostics {
        match self.loaded.files.first() {
            Some(main) => K::check_figures(main, &self.valid, &self.figures),
            None => Diagnostics::default(),
        }
    }
    fn sheets(&self) -> Vec<crate::workbook::Sheet> {
        K::sheets(&self.data())
    }
    fn acceptance(&self) -> crate::check::accept::Acceptance {
        // The entries' own problems were reported when the document was validated.
        crate::check::accept::Acceptance::new(&self.loaded, &mut Diagnostics::default())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A checked document of any kind: what was loaded, the validated model and the figures.
pub struct Document(pub(crate) Box<dyn AnyDocument>);

impl Document {
    /// The kind's `kind:` value.
    pub fn kind(&self) -> &'static str {
        self.0.key()
    }

    /// The project directory.
    pub fn root(&self) -> &Path {
        self.0.root()
    }

    /// The output name stem.
    pub fn name(&self) -> &str {
        self.0.name()
    }

    /// Department, year, publication date and what `check` reports it checked.
    pub fn meta(&self) -> Meta {
        self.0.meta()
    }

    /// The document's data (`/data.json`): every printed figure, formatted.
    pub fn data(&self) -> serde_json::Value {
        self.0.data()
    }

    /// Every printed figure, with where it sits in the data and its derivation's node.
    pub fn printed(&self) -> Vec<crate::render::format::Printed> {
        self.0.printed()
    }

    /// The kind's embedded templates by virtual path (`main.typ` first).
    pub fn templates(&self) -> &'static [(&'static str, &'static str)] {
        self.0.templates()
    }

    /// The kind's attachments directory (and inline key).
    pub fn attachments(&self) -> &'static str {
        self.0.attachments()
    }

    /// The YAML files read, main file first.
    pub fn files(&self) -> &[SourceFile] {
        self.0.files()
    }

    /// The checked document as its kind's types, when it is of kind `K`.
    pub fn of<K: DocumentKind>(&self) -> Option<&CheckedKind<K>> {
        self.0.as_any().downcast_ref::<CheckedKind<K>>()
    }

    /// The printed tables as workbook sheets (`build --xlsx`).
    pub fn sheets(&self) -> Vec<crate::workbook::Sheet> {
        self.0.sheets()
    }

    /// The templates and data of the document, ready to compile.
    pub(crate) fn sources(&self) -> Result<crate::render::Sources, Diagnostics> {
        crate::render::sources(self.root(), self.0.templates(), &self.data())
    }

    /// The sources of the marked layout: every figure carries its id into the layout, where
    /// [`crate::render::figure_boxes`] finds it; laid out exactly as [`Document::sources`].
    pub(crate) fn marked_sources(&self) -> Result<crate::render::Sources, Diagnostics> {
        let (data, _) = self.0.marked();
        let mut sources = crate::render::sources(self.root(), self.0.templates(), &data)?;
        crate::render::mark(&mut sources);
        Ok(sources)
    }
}

/// The result of load → validate → derive.
pub struct Checked {
    pub document: Document,
    /// Warnings found on the way (errors make `check` fail instead).
    pub warnings: Diagnostics,
    /// The catalog files read (named on the command line and by the project).
    pub catalog_files: Vec<std::path::PathBuf>,
}

/// The object-safe face of a kind, for the registry.
pub trait AnyKind: Send + Sync {
    fn key(&self) -> &'static str;
    fn description(&self) -> &'static str;
    fn starter(&self) -> &'static [(&'static str, &'static str)];
    fn templates(&self) -> &'static [(&'static str, &'static str)];
    /// The attachments' directory (and inline key).
    fn attachments(&self) -> &'static str;
    /// A project from a workbook of this kind's tables; `None` when it has none.
    fn import(
        &self,
        book: &crate::workbook::read::Book,
        options: &crate::workbook::project::ImportOptions,
    ) -> Option<Result<crate::workbook::project::Imported, Diagnostics>>;
    /// Loads the attachments, validates and derives: the kind's whole check.
    fn check(
        &self,
        main: crate::load::MainFile,
        catalog_files: &[std::path::PathBuf],
    ) -> Result<Checked, Diagnostics>;
}

impl<K: DocumentKind> AnyKind for K {
    fn key(&self) -> &'static str {
        K::KEY
    }
    fn description(&self) -> &'static str {
        K::DESCRIPTION
    }
    fn starter(&self) -> &'static [(&'static str, &'static str)] {
        K::STARTER
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        K::TEMPLATES
    }
    fn attachments(&self) -> &'static str {
        K::ATTACHMENTS
    }
    fn import(
        &self,
        book: &crate::workbook::read::Book,
        options: &crate::workbook::project::ImportOptions,
    ) -> Option<Result<crate::workbook::project::Imported, Diagnostics>> {
        K::import(book, options)
    }
    fn check(
        &self,
        main: crate::load::MainFile,
        catalog_files: &[std::path::PathBuf],
    ) -> Result<Checked, Diagnostics> {
        let loaded: Loaded<K::Input, K::Attachment> = crate::load::load_kind(main, K::ATTACHMENTS)?;
        // Region files are named together: YAML ones are packs, the others catalogs.
        let (packs, named): (Vec<std::path::PathBuf>, Vec<std::path::PathBuf>) = catalog_files
            .iter()
            .cloned()
            .partition(|p| crate::catalog::is_pack_file(p));
        let (mut catalogs, mut warnings) = match loaded.main.catalog() {
            Some((year, entries, file)) => {
                crate::catalog::for_document(&loaded, year, entries, file, &named)?
            }
            None => (Catalogs::default(), Diagnostics::default()),
        };
        catalogs.pack = packs.first().cloned();
        let catalog_files = catalogs
            .files
            .iter()
            .map(|f| f.path.clone())
            .chain(catalogs.pack.clone())
            .collect();
        let (valid, w) = K::validate(&loaded, &catalogs)?;
        warnings.extend(w);
        let figures = K::figures(&valid);
        let checked: CheckedKind<K> = CheckedKind {
            loaded,
            valid,
            figures,
            view: std::sync::OnceLock::new(),
        };
        Ok(Checked {
            document: Document(Box::new(checked)),
            warnings,
            catalog_files,
        })
    }
}
