//! The one integration-test binary: a module per area, each running the real `budgetdoc`
//! binary (or the library) on the examples and on fixture projects.

mod absent;
mod accept;
mod batch;
mod bench_batch;
mod bench_pack;
mod bench_preview;
mod browser;
mod budget;
mod catalog;
mod cli;
mod explain;
mod hostile;
mod keyboard;
mod packs;
mod pipelines;
mod preview;
mod probes;
mod profiles;
mod registry;
mod rules;
mod schema;
mod support;
mod targets;
mod views;
mod workbook;
