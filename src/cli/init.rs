//! `budgetdoc init`: write a kind's commented starter project that builds as is.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::KindArg;

#[derive(Debug, Args)]
pub struct InitCommand {
    /// The directory to create the project in.
    pub dir: PathBuf,
    /// The kind of document.
    #[arg(long, value_enum, default_value = "final-accounts")]
    pub kind: KindArg,
}

pub fn run(i: InitCommand) -> ExitCode {
    match budgetdoc::init::init(&i.dir, i.kind.0) {
        Ok(files) => {
            for f in files {
                eprintln!("created {f}");
            }
            eprintln!("build it with: budgetdoc build {}", i.dir.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::from(1)
        }
    }
}
