//! The `budgetdoc` command line: parses the arguments and dispatches to one module per verb
//! (`cli/`); no pipeline logic lives here. Exit codes: 0 success (warnings allowed), 1 a
//! problem in the data, templates or output, 2 a usage error.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// The system allocator, counted, so that a runaway template ends with a message instead of
/// an abort (src/limits.rs).
#[global_allocator]
static ALLOCATOR: budgetdoc::limits::CappedAllocator = budgetdoc::limits::CappedAllocator::new();

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    ALLOCATOR.set_limit_mb(cli.max_memory);
    cli::run(cli)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::cli::Cli::command().debug_assert();
    }
}
