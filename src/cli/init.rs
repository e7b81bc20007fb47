//! `budgetdoc init`: write a kind's commented starter project that builds as is.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use super::KindArg;

#[derive(Debug, Args)]
pub struct InitCommand {
    /// The directory to create the project in.
    pub dir: PathBuf,
    /// The kind of document (default: the region pack's kind, else final-accounts).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// A region pack: the starter follows that region's edition of the kind.
    #[arg(long, value_enum)]
    pub region: Option<RegionArg>,
}

/// A shipped region pack, as `--region` takes it.
#[derive(Debug, Clone, Copy)]
pub struct RegionArg(pub &'static str);

impl ValueEnum for RegionArg {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: std::sync::OnceLock<Vec<RegionArg>> = std::sync::OnceLock::new();
        VARIANTS.get_or_init(|| {
            budgetdoc::pack::SHIPPED
                .iter()
                .map(|s| RegionArg(s.name))
                .collect()
        })
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = budgetdoc::pack::shipped(None)
            .into_iter()
            .find(|(n, _, _)| *n == self.0)
            .map(|(_, kind, d)| format!("{d} [--kind {kind}]"))
            .unwrap_or_default();
        Some(PossibleValue::new(self.0).help(help))
    }
}

pub fn run(i: InitCommand) -> ExitCode {
    let pack_kind = i.region.and_then(|r| {
        budgetdoc::pack::shipped(None)
            .into_iter()
            .find(|(n, _, _)| *n == r.0)
            .and_then(|(_, kind, _)| budgetdoc::kinds::find(&kind))
    });
    let kind = i
        .kind
        .map(|k| k.0)
        .or(pack_kind)
        .unwrap_or(budgetdoc::kinds::KINDS[0]);
    let written = match i.region {
        Some(r) => budgetdoc::init::init_region(&i.dir, kind, r.0),
        None => budgetdoc::init::init(&i.dir, kind),
    };
    match written {
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
