//! Helpers for the library's unit tests: the shipped examples and a PDF to compare.

use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;

/// The path of the shipped example project `name`.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// `doc` as PDF bytes, with a fixed ID and no date, for byte-for-byte comparisons.
pub fn pdf(doc: &PagedDocument) -> Vec<u8> {
    let options = crate::export::ExportOptions {
        ident: "test".into(),
        timestamp: None,
        tagged: false,
    };
    crate::export::pdf(doc, &options).unwrap()
}
