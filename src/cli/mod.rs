//! The command line: clap's types (one `*Command` per verb, shared `*Args` groups) and the
//! dispatch to one module per verb. Binary only; no pipeline logic lives here.

pub mod batch;
pub mod build;
pub mod check;
pub mod explain;
pub mod import;
pub mod init;
pub mod preview;
pub mod print;
pub mod rules;
pub mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Typesets a department's 部门决算, 部门预算 and project performance targets from YAML into
/// the official PDF layouts.
#[derive(Debug, Parser)]
#[command(name = "budgetdoc", version = VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour in the human report: on a terminal unless NO_COLOR is set (auto), always, or
    /// never.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Stop with an error (exit 1, nothing written) when the process holds more memory than
    /// this many MB; 0 for no limit.
    #[arg(
        long,
        global = true,
        value_name = "MB",
        env = "BUDGETDOC_MAX_MEMORY",
        default_value_t = budgetdoc::limits::DEFAULT_MAX_MEMORY_MB
    )]
    pub max_memory: usize,
}

/// The version line: the crate's version and the commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("BUDGETDOC_COMMIT"),
    ")"
);

/// When the human report is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The run's colour choice, set once from the command line.
pub static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// The shells `completions` writes for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the shell completion script for SHELL on stdout (e.g. `budgetdoc completions
    /// bash > /etc/bash_completion.d/budgetdoc`).
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff) on stdout (`budgetdoc manpage > budgetdoc.1`).
    Manpage,
    /// Print the JSON Schema (draft 2020-12) of budgetdoc.yaml of every kind, or of an
    /// attachment file, for editors' completion and checking.
    Schema {
        /// The attachment file's schema instead: `evaluation` (evaluations/*.yaml) or
        /// `target` (targets/*.yaml).
        #[arg(long, value_parser = ["evaluation", "target"])]
        file: Option<String>,
    },
    /// Load, validate, derive, render and export the PDF.
    Build(build::BuildCommand),
    /// Load, validate and derive; print every problem; write nothing.
    Check(check::CheckCommand),
    /// Where a printed figure comes from: every place it is printed and its derivation down
    /// to the typed facts (file:line:col); or the one figure printed at a point of a page.
    #[command(
        override_usage = "budgetdoc explain [OPTIONS] <PROJECT> <QUERY>\n       budgetdoc explain [OPTIONS] <PROJECT> --at <PAGE:X:Y>"
    )]
    Explain(explain::ExplainCommand),
    /// Write a commented starter project that builds as is.
    Init(init::InitCommand),
    /// Read a workbook of the official tables into a new project whose facts name their
    /// cells (texts are left as marked placeholders).
    Import(import::ImportCommand),
    /// List the rule catalog: ID, severity, how it is enforced, statement.
    Rules,
    /// Serve a live preview in the browser that follows every edit (until Ctrl-C).
    Preview(preview::PreviewCommand),
    /// Rebuild the PDF after every edit (until Ctrl-C).
    Watch(watch::WatchCommand),
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    /// A source snippet with a caret under the value (coloured on a terminal), on stderr.
    Human,
    /// `file:line:col: error[F15]: message`, one line each, on stdout.
    Short,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`) on stdout, at most 10
    /// errors and 10 warnings per run (the rest as log lines, counted in a notice).
    Github,
    /// A GitLab Code Quality report (JSON) on stdout.
    Gitlab,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Treat warnings as errors (exit 1; `build` writes nothing).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Treat accepted exceptions (`accept:`) as errors, for pipelines that allow none.
    #[arg(long)]
    pub deny_accepted: bool,
}

impl ReportArgs {
    /// Diagnostics as a person reads them, for the verbs without `--format`.
    pub fn human() -> Self {
        Self {
            format: OutputFormat::Human,
            deny_warnings: false,
            deny_accepted: false,
        }
    }
}

/// One project (the verbs that follow a project: `preview`, `watch`).
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The project: a directory holding budgetdoc.yaml, or one YAML file [default: the
    /// current directory].
    #[arg(default_value = ".")]
    pub project: PathBuf,
    #[clap(flatten)]
    pub catalogs: CatalogArgs,
}

/// Several projects (`build`, `check`).
#[derive(Debug, Args)]
pub struct ProjectsArgs {
    /// Projects: directories holding budgetdoc.yaml, YAML files, or directories that are
    /// searched for projects (in sorted order) [default: the current directory].
    #[arg(num_args = 1.., value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[clap(flatten)]
    pub catalogs: CatalogArgs,
    /// Build this many projects at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Only the projects of shard K of N (a stable split by project path, for CI matrices).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// Font directories named on the command line or in the environment.
#[derive(Debug, Args)]
pub struct FontArgs {
    /// Additional directories with fonts (e.g. licensed 仿宋_GB2312); name them in the
    /// project's `fonts:` section.
    #[arg(
        long,
        value_name = "DIR",
        env = "BUDGETDOC_FONT_PATHS",
        value_delimiter = ':',
        value_parser = any_path
    )]
    pub font_path: Vec<PathBuf>,
}

/// A path as given, the empty one included: an empty entry of a `:`-separated variable is
/// reported by the verb, naming the variable ([`font_dirs_exist`], [`catalogs_named`]),
/// rather than by clap, which names only the option.
fn any_path(value: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(value))
}

/// The catalog files' environment variable.
const CATALOG_VAR: &str = "BUDGETDOC_CATALOG";

/// No catalog named is empty, or the usage error (exit 2) naming where it was named.
pub fn catalogs_named(catalogs: &CatalogArgs) -> Result<(), budgetdoc::diag::Diagnostic> {
    if !catalogs.catalogs.iter().any(|c| c.as_os_str().is_empty()) {
        return Ok(());
    }
    Err(budgetdoc::diag::Diagnostic::error(format!(
        "an empty catalog file{}: an empty entry names no file",
        named_in(CATALOG_VAR, &catalogs.catalogs, "--catalog")
    ))
    .hint(format!(
        "remove the empty entry (a leading, trailing or doubled `:`) from {CATALOG_VAR}"
    )))
}

/// Where `paths` were named: the environment variable `var` (with its value) when they are
/// its entries, else the option `flag`.
fn named_in(var: &str, paths: &[PathBuf], flag: &str) -> String {
    let from_env = std::env::var_os(var).filter(|v| {
        std::env::split_paths(v)
            .collect::<Vec<_>>()
            .iter()
            .eq(paths.iter())
    });
    match from_env {
        Some(value) => format!(" (named in {var}=`{}`)", value.to_string_lossy()),
        None => format!(" (named by {flag})"),
    }
}

/// The font directories' environment variable.
const FONT_PATHS_VAR: &str = "BUDGETDOC_FONT_PATHS";

/// Every font directory named exists, or the usage error (exit 2) that names the directory
/// and where it was named: `--font-path` or `BUDGETDOC_FONT_PATHS` with its value (an empty
/// entry, `fonts:`, names no directory).
pub fn font_dirs_exist(fonts: &FontArgs) -> Result<(), budgetdoc::diag::Diagnostic> {
    let Some(dir) = fonts.font_path.iter().find(|d| !d.is_dir()) else {
        return Ok(());
    };
    let named = named_in(FONT_PATHS_VAR, &fonts.font_path, "--font-path");
    let d = if dir.as_os_str().is_empty() {
        budgetdoc::diag::Diagnostic::error(format!(
            "an empty font directory{named}: an empty entry names no directory"
        ))
        .hint(format!(
            "remove the empty entry (a leading, trailing or doubled `:`) from {FONT_PATHS_VAR}, or give an existing directory"
        ))
    } else {
        budgetdoc::diag::Diagnostic::error(format!(
            "font directory `{}` does not exist{named}",
            dir.display()
        ))
        .hint(format!(
            "give an existing directory to --font-path (or {FONT_PATHS_VAR}, `:`-separated)"
        ))
    };
    Err(d)
}

/// The deadline of the verbs that compile.
#[derive(Debug, Args)]
pub struct TimeoutArgs {
    /// Stop with an error when a build takes longer than this (each build, for the verbs
    /// that build again and again); 0 for no limit.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "BUDGETDOC_TIMEOUT",
        default_value_t = DEFAULT_TIMEOUT_SECONDS
    )]
    pub timeout: u64,
}

/// Far above any document's build time (the examples take 0.1–0.5 s), short enough that a
/// template that loops for ever does not hold a CI job.
const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

impl TimeoutArgs {
    /// The limit of one build, `None` for none.
    pub fn limit(&self) -> Option<std::time::Duration> {
        (self.timeout > 0).then(|| std::time::Duration::from_secs(self.timeout))
    }

    /// Ends the process with an error when it runs longer than the limit (verbs that build
    /// once). A PDF is only renamed into place complete, so nothing half-written is left.
    pub fn deadline(&self) {
        let seconds = self.timeout;
        if seconds == 0 {
            return;
        }
        let watchdog = std::thread::Builder::new()
            .name("deadline".into())
            .spawn(move || {
                std::thread::sleep(std::time::Duration::from_secs(seconds));
                eprintln!(
                    "budgetdoc: error: the build did not finish within {seconds} s; nothing was written\n  = hint: a template override may loop for ever; fix it, or raise the limit with --timeout SECONDS (env BUDGETDOC_TIMEOUT)"
                );
                std::process::exit(1);
            });
        // Without a watchdog thread the build simply runs unbounded.
        drop(watchdog);
    }
}

/// Catalog files named on the command line or in the environment.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// A catalog of 科目 names (CSV, TSV or xlsx with code and name columns), e.g. a
    /// region's, exported from its finance software; repeatable, the first naming a code wins.
    #[arg(
        long = "catalog",
        value_name = "FILE",
        env = "BUDGETDOC_CATALOG",
        value_delimiter = ':',
        value_parser = any_path
    )]
    pub catalogs: Vec<PathBuf>,
    /// A region pack file (YAML): the region's own edition of a kind, which every project of
    /// that kind in the run follows (a project's `pack_file:` may extend it).
    #[arg(long = "pack", value_name = "FILE", env = "BUDGETDOC_PACK", value_parser = any_path)]
    pub pack: Option<PathBuf>,
}

impl CatalogArgs {
    /// The region files named: the catalogs, then the pack.
    pub fn files(&self) -> Vec<PathBuf> {
        self.catalogs.iter().chain(&self.pack).cloned().collect()
    }
}

/// A document kind of the registry, as `--kind` takes it.
#[derive(Clone, Copy)]
pub struct KindArg(pub &'static dyn budgetdoc::kind::AnyKind);

impl std::fmt::Debug for KindArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.key())
    }
}

impl ValueEnum for KindArg {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: std::sync::OnceLock<Vec<KindArg>> = std::sync::OnceLock::new();
        VARIANTS.get_or_init(|| {
            budgetdoc::kinds::KINDS
                .iter()
                .map(|k| KindArg(*k))
                .collect()
        })
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.key()).help(self.0.description()))
    }
}

impl Command {
    /// The font directories and catalog files the verb takes.
    fn named_paths(&self) -> (Option<&FontArgs>, Option<&CatalogArgs>) {
        match self {
            Command::Build(b) => (Some(&b.fonts), Some(&b.project.catalogs)),
            Command::Check(c) => (None, Some(&c.project.catalogs)),
            Command::Explain(e) => (Some(&e.fonts), Some(&e.project.catalogs)),
            Command::Import(i) => (None, Some(&i.catalogs)),
            Command::Preview(p) => (Some(&p.fonts), Some(&p.project.catalogs)),
            Command::Watch(w) => (Some(&w.fonts), Some(&w.project.catalogs)),
            Command::Init(_)
            | Command::Rules
            | Command::Completions { .. }
            | Command::Manpage
            | Command::Schema { .. } => (None, None),
        }
    }
}

/// Runs the parsed command line. Font directories and catalog files named on the command
/// line or in the environment are checked first, for every verb (a usage error, exit 2).
pub fn run(cli: Cli) -> ExitCode {
    let _ = COLOR.set(cli.color);
    let (fonts, catalogs) = cli.command.named_paths();
    let named = fonts
        .map_or(Ok(()), font_dirs_exist)
        .and(catalogs.map_or(Ok(()), catalogs_named));
    if let Err(d) = named {
        print::diagnostics(&budgetdoc::diag::Diagnostics(vec![d]), &ReportArgs::human());
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build(b) => build::run(b),
        Command::Check(c) => check::run(c),
        Command::Explain(e) => explain::run(e),
        Command::Init(i) => init::run(i),
        Command::Import(i) => import::run(i),
        Command::Preview(p) => preview::run(p),
        Command::Watch(w) => watch::run(w),
        Command::Rules => rules::run(),
        Command::Completions { shell } => completions(shell),
        Command::Manpage => manpage(),
        Command::Schema { file } => schema(file.as_deref()),
    }
}

/// `budgetdoc schema [--file evaluation|target]`: the JSON Schema on stdout.
fn schema(file: Option<&str>) -> ExitCode {
    let value = match file {
        None => budgetdoc::schema::main_file(),
        Some(f) => match budgetdoc::schema::attachment(f) {
            Some(v) => v,
            None => return ExitCode::from(2),
        },
    };
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    ExitCode::SUCCESS
}

/// `budgetdoc completions SHELL`: the completion script, generated from the command line's
/// own definition.
fn completions(shell: Shell) -> ExitCode {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let mut cmd = Cli::command();
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, &mut cmd, "budgetdoc", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// `budgetdoc manpage`: the manual page, generated from the command line's own definition.
fn manpage() -> ExitCode {
    use clap::CommandFactory;
    let man = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    match man.render(&mut out) {
        Ok(()) => {
            use std::io::Write;
            let _ = std::io::stdout().lock().write_all(&out);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("budgetdoc: error: cannot render the manual page: {e}");
            ExitCode::from(1)
        }
    }
}
