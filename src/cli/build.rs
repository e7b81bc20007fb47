//! `budgetdoc build`: load → validate → derive → render → export, under the command line's
//! deadline.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use budgetdoc::diag::Diagnostics;

use super::{FontArgs, ProjectsArgs, ReportArgs, TimeoutArgs, batch, print};

#[derive(Debug, Args)]
pub struct BuildCommand {
    #[clap(flatten)]
    pub project: ProjectsArgs,
    /// Output PDF of one project [default: <PROJECT>/out/<name>.pdf].
    #[arg(short, long, value_name = "OUT.pdf")]
    pub output: Option<PathBuf>,
    /// Write each project's PDF at DIR/<project path relative to its argument>.pdf.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Build in memory and compare with the PDFs on disk; write nothing; exit 1 when a PDF
    /// is missing or stale.
    #[arg(long)]
    pub verify: bool,
    /// Rebuild every project, even those whose inputs did not change (runs of several
    /// projects skip those).
    #[arg(long)]
    pub force: bool,
    /// Say why each project is rebuilt (which input changed).
    #[arg(long)]
    pub explain: bool,
    /// Also write the exact Typst sources, data and fonts that were compiled to this
    /// directory (`typst compile --ignore-system-fonts --font-path fonts main.typ` reproduces
    /// the document).
    #[arg(long, value_name = "DIR")]
    pub emit_source: Option<PathBuf>,
    /// Also write the document's tables as an xlsx workbook (one sheet per table, as
    /// printed: merged header, codes as text, amounts as numbers).
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: Option<PathBuf>,
    /// With --xlsx: write only the workbook (no typesetting, no PDF).
    #[arg(long, requires = "xlsx")]
    pub no_pdf: bool,
    #[clap(flatten)]
    pub fonts: FontArgs,
    /// Write a tagged (accessible) PDF; several times larger for table-heavy documents.
    #[arg(long)]
    pub tagged: bool,
    /// The PDF creation date (Unix seconds) when the data has no `date:`.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
    #[clap(flatten)]
    pub limits: TimeoutArgs,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(b: BuildCommand) -> ExitCode {
    if batch::is_batch(
        &b.project,
        b.out_dir.is_some() || b.verify || b.force || b.explain,
    ) {
        return run_batch(b);
    }
    b.limits.deadline();
    let project = b.project.paths[0].clone();
    let options = budgetdoc::BuildOptions {
        output: b.output,
        emit_source: b.emit_source,
        font_paths: b.fonts.font_path,
        tagged: b.tagged,
        source_date_epoch: b.source_date_epoch,
        deny_warnings: b.report.deny_warnings,
        deny_accepted: b.report.deny_accepted,
        // The deadline bounds the whole process (`deadline`): cheaper than compiling on a
        // thread of its own, and it covers every stage.
        timeout: None,
        catalogs: b.project.catalogs.files(),
        xlsx: b.xlsx,
        no_pdf: b.no_pdf,
    };
    match budgetdoc::build(&project, &options) {
        Ok(report) => {
            let warnings = report.warnings.sorted();
            print::diagnostics(&warnings, &b.report);
            print::step_summary(
                "build",
                &[result(&project, "built", Some(&report.output), &warnings)],
            );
            if options.no_pdf {
                eprintln!(
                    "wrote {} ({} bytes); {}",
                    report.output.display(),
                    report.bytes,
                    print::summary(&warnings)
                );
                return ExitCode::SUCCESS;
            }
            let book = report
                .workbook
                .as_ref()
                .map(|(p, n)| format!(" and {} ({n} bytes)", p.display()))
                .unwrap_or_default();
            eprintln!(
                "wrote {} ({} pages, {} bytes){book}; {}",
                report.output.display(),
                report.pages,
                report.bytes,
                print::summary(&warnings)
            );
            ExitCode::SUCCESS
        }
        Err(budgetdoc::BuildFailure::Usage(d)) => {
            print::diagnostics(&Diagnostics(vec![d]), &b.report);
            eprintln!("build refused, nothing written");
            ExitCode::from(2)
        }
        Err(budgetdoc::BuildFailure::Problems(diags)) => {
            let diags = diags.sorted();
            print::diagnostics(&diags, &b.report);
            print::step_summary("build", &[result(&project, "failed", None, &diags)]);
            let denied = if diags.has_errors() {
                String::new()
            } else {
                format!(" — {}", print::denied(&b.report))
            };
            eprintln!(
                "build failed, nothing written: {}{denied}",
                print::summary(&diags)
            );
            ExitCode::from(1)
        }
    }
}

/// One project's outcome for the step summary.
fn result(
    project: &std::path::Path,
    status: &str,
    output: Option<&std::path::Path>,
    diags: &Diagnostics,
) -> budgetdoc::report::ProjectResult {
    budgetdoc::report::ProjectResult {
        project: project.display().to_string(),
        status: status.to_string(),
        output: output.map(|o| o.display().to_string()),
        diagnostics: diags.clone(),
    }
}

/// Several projects: found under the paths, sharded, built on `--jobs` threads sharing one
/// font store (projects that lay out alike one after another), reported in input order; one
/// failing project does not stop the others.
fn run_batch(b: BuildCommand) -> ExitCode {
    if let Err(d) = refuse_single_outputs(&b) {
        print::diagnostics(&Diagnostics(vec![d]), &b.report);
        return ExitCode::from(2);
    }
    let all = match batch::discovered(&b.project, &b.report) {
        Ok(t) => t,
        Err(code) => return code,
    };
    // Two projects never share a PDF, even in different shards (whose PDFs a pipeline
    // gathers in one place).
    if let Some(d) = budgetdoc::batch::shared_output(&all, |t| planned(&b, t)) {
        print::diagnostics(&Diagnostics(vec![d]), &b.report);
        return ExitCode::from(2);
    }
    let targets = match batch::shard(&b.project, all, &b.report) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let run = BatchRun::new(&b);
    // Every output is checked before anything is built: never onto or among a project's
    // inputs.
    if let Err(d) = run.admit_outputs(&targets) {
        print::diagnostics(&Diagnostics(vec![d]), &b.report);
        return ExitCode::from(2);
    }
    let verb = if b.verify { "verify" } else { "build" };
    let mut tally = Tally {
        b: &b,
        run: &run,
        reporter: print::Reporter::new(&b.report, verb),
        progress: batch::Progress::new(targets.len()),
        failed: 0,
        skipped: 0,
    };
    budgetdoc::batch::run(
        &targets,
        &budgetdoc::batch::schedule(&targets),
        batch::jobs(&b.project),
        |t| run.build(t),
        |_, t, outcome| tally.report(t, outcome),
    );
    tally.reporter.finish();
    if tally.skipped > 0 {
        eprintln!(
            "{} project(s) up to date, not rebuilt (--force rebuilds them)",
            tally.skipped
        );
    }
    batch::finish(verb, targets.len(), tally.failed)
}

/// The options that name one project's files, refused in a run of several.
fn refuse_single_outputs(b: &BuildCommand) -> Result<(), budgetdoc::diag::Diagnostic> {
    let usage = |message: &str, hint: &str| budgetdoc::diag::Diagnostic::error(message).hint(hint);
    if b.output.is_some() {
        return Err(usage(
            "`-o` names the PDF of one project",
            "use --out-dir DIR for several projects",
        ));
    }
    if b.xlsx.is_some() {
        return Err(usage(
            "`--xlsx` names the workbook of one project",
            "build each project's workbook on its own",
        ));
    }
    if b.emit_source.is_some() {
        return Err(usage(
            "`--emit-source` writes the sources of one project",
            "build that project alone",
        ));
    }
    Ok(())
}

/// The PDF `--out-dir` gives a project, if it is set.
fn output_of(b: &BuildCommand, t: &budgetdoc::batch::Target) -> Option<PathBuf> {
    b.out_dir
        .as_ref()
        .map(|d| budgetdoc::batch::output_in(d, t))
}

/// Where a project's PDF goes: under `--out-dir`, else its default.
fn planned(b: &BuildCommand, t: &budgetdoc::batch::Target) -> Option<PathBuf> {
    output_of(b, t).or_else(|| budgetdoc::planned_output(&t.project))
}

/// What every project of a run shares: the options, the fonts, the setup's key (taken
/// before the fonts are loaded), and the inputs named on the command line.
struct BatchRun<'a> {
    b: &'a BuildCommand,
    options: budgetdoc::BuildOptions,
    fonts: std::sync::Arc<typst_kit::fonts::FontStore>,
    /// `None` with `--verify` or `--force`: nothing is skipped or recorded.
    setup: Option<String>,
    shared_inputs: Vec<PathBuf>,
}

/// One project's result: why it was rebuilt (`None` when it was not), and what came of it
/// (`Ok(None)` up to date; `Err` a verdict of `--verify`).
type Outcome = (
    Option<String>,
    Result<
        Option<Result<budgetdoc::BuildReport, budgetdoc::BuildFailure>>,
        Result<budgetdoc::Verdict, Diagnostics>,
    >,
);

impl<'a> BatchRun<'a> {
    fn new(b: &'a BuildCommand) -> Self {
        let options = budgetdoc::BuildOptions {
            font_paths: b.fonts.font_path.clone(),
            tagged: b.tagged,
            source_date_epoch: b.source_date_epoch,
            deny_warnings: b.report.deny_warnings,
            deny_accepted: b.report.deny_accepted,
            timeout: b.limits.limit(),
            catalogs: b.project.catalogs.files(),
            ..budgetdoc::BuildOptions::default()
        };
        let setup = (!b.verify && !b.force).then(|| budgetdoc::freshness::setup(&options));
        let fonts = budgetdoc::session::Session::new(&options).fonts();
        let shared_inputs = options
            .font_paths
            .iter()
            .chain(&options.catalogs)
            .cloned()
            .collect();
        Self {
            b,
            options,
            fonts,
            setup,
            shared_inputs,
        }
    }

    fn output_of(&self, t: &budgetdoc::batch::Target) -> Option<PathBuf> {
        output_of(self.b, t)
    }

    fn planned(&self, t: &budgetdoc::batch::Target) -> Option<PathBuf> {
        planned(self.b, t)
    }

    /// Checks every project's output against its inputs before anything is built (usage
    /// errors).
    fn admit_outputs(
        &self,
        targets: &[budgetdoc::batch::Target],
    ) -> Result<(), budgetdoc::diag::Diagnostic> {
        for t in targets {
            if let Some(o) = self.output_of(t) {
                let options = &self.options;
                budgetdoc::output::Guard::new(&t.project, &options.font_paths, &options.catalogs)
                    .admit(&o)?;
            }
        }
        Ok(())
    }

    /// Verifies, skips or builds one project (on a worker thread), and records what a build
    /// read beside its PDF.
    fn build(&self, t: &budgetdoc::batch::Target) -> Outcome {
        let opts = budgetdoc::BuildOptions {
            output: self.output_of(t),
            ..self.options.clone()
        };
        if self.b.verify {
            let verdict =
                budgetdoc::verify_with_fonts(&t.project, &opts, std::sync::Arc::clone(&self.fonts));
            budgetdoc::session::trim_caches();
            return (None, Err(verdict));
        }
        let main = budgetdoc::batch::main_file(t);
        let why = match (&self.setup, self.planned(t)) {
            (Some(setup), Some(pdf)) => match budgetdoc::freshness::check(&pdf, setup, &main) {
                budgetdoc::freshness::Freshness::UpToDate => return (None, Ok(None)),
                budgetdoc::freshness::Freshness::Stale(why) => Some(why),
            },
            _ => Some("--force".to_string()),
        };
        let built = budgetdoc::build_with_fonts(
            &t.project,
            &opts,
            Some(std::sync::Arc::clone(&self.fonts)),
        );
        budgetdoc::session::trim_caches();
        if let (Some(setup), Ok(report)) = (&self.setup, &built) {
            let inputs: Vec<_> = report
                .read
                .iter()
                .filter(|(p, _)| !self.shared_inputs.contains(p))
                .cloned()
                .collect();
            // A record that cannot be written only means a rebuild next time.
            let _ =
                budgetdoc::freshness::record(&report.output, setup, &main, &report.digest, &inputs);
        }
        (why, Ok(Some(built)))
    }
}

/// The run's report: one line per project in input order, the counts, the CI reports.
struct Tally<'a> {
    b: &'a BuildCommand,
    run: &'a BatchRun<'a>,
    reporter: print::Reporter<'a>,
    progress: batch::Progress,
    failed: usize,
    skipped: usize,
}

impl Tally<'_> {
    fn report(&mut self, t: &budgetdoc::batch::Target, (why, result): Outcome) {
        self.progress.clear();
        let name = t.project.display();
        if let (true, Some(why)) = (self.b.explain, &why) {
            eprintln!("rebuild {name}: {why}");
        }
        match result {
            Ok(None) => {
                self.skipped += 1;
                let planned = self.run.planned(t);
                self.reporter.project(
                    &t.project,
                    "up to date",
                    planned.as_deref(),
                    Diagnostics::default(),
                );
                if self.b.explain {
                    eprintln!("up to date {name}");
                }
            }
            Ok(Some(Ok(report))) => {
                let warnings = report.warnings.sorted();
                self.reporter
                    .project(&t.project, "built", Some(&report.output), warnings.clone());
                eprintln!(
                    "ok {name}: wrote {} ({} pages); {}",
                    report.output.display(),
                    report.pages,
                    print::summary(&warnings)
                );
            }
            Ok(Some(Err(budgetdoc::BuildFailure::Usage(d)))) => {
                self.failed += 1;
                self.reporter
                    .project(&t.project, "failed", None, Diagnostics(vec![d]));
                eprintln!("FAILED {name}: refused, nothing written");
            }
            Ok(Some(Err(budgetdoc::BuildFailure::Problems(d)))) | Err(Err(d)) => {
                self.failed += 1;
                let d = d.sorted();
                self.reporter.project(&t.project, "failed", None, d.clone());
                eprintln!("FAILED {name}: {}", print::summary(&d));
            }
            Err(Ok(verdict)) => self.verdict(t, verdict),
        }
        self.progress.tick(&t.project);
    }

    /// One line of `--verify`.
    fn verdict(&mut self, t: &budgetdoc::batch::Target, verdict: budgetdoc::Verdict) {
        let name = t.project.display();
        let none = Diagnostics::default;
        match verdict {
            budgetdoc::Verdict::UpToDate(p) => {
                self.reporter
                    .project(&t.project, "up to date", Some(&p), none());
                eprintln!("ok {name}: {} is up to date", p.display())
            }
            budgetdoc::Verdict::Missing(p) => {
                self.failed += 1;
                self.reporter
                    .project(&t.project, "missing", Some(&p), none());
                eprintln!("MISSING {name}: {} does not exist", p.display());
            }
            budgetdoc::Verdict::Stale(p) => {
                self.failed += 1;
                self.reporter.project(&t.project, "stale", Some(&p), none());
                eprintln!(
                    "STALE {name}: {} differs from a build of the data",
                    p.display()
                );
            }
        }
    }
}
