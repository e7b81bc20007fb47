//! render: what a rebuild may tell the templates about the previous build's layout, so that
//! Typst needs fewer layout passes. It changes no output: a wrong or missing hint costs a
//! pass, never a different page.
//!
//! Typst lays a document out until its introspection settles. Its first pass knows no
//! headings yet, so the 目录 is empty there and takes one page; when the real 目录 takes
//! two (the 部门决算 example), every later page moves by one in the second pass, and a third
//! pass is needed. A preview or watch session knows how many pages the 目录 took last time;
//! the templates reserve that many in the first pass (`contents-page` in
//! `templates/common/style.typ`), and two passes suffice.

use typst::foundations::NativeElement;
use typst::introspection::Introspector;
use typst::model::{HeadingElem, OutlineElem};
use typst_layout::PagedDocument;

/// Layout facts of a previous build of the same project.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutHint {
    /// How many pages the 目录 took.
    pub contents_pages: Option<usize>,
}

impl LayoutHint {
    /// The hint a laid-out document gives its next build: the pages from the 目录's first
    /// to the first page after it that holds a heading.
    pub fn of(doc: &PagedDocument) -> Self {
        let introspector = doc.introspector();
        let page_of = |elem: &typst::foundations::Content| {
            elem.location()
                .and_then(|loc| introspector.page(loc))
                .map(|p| p.get())
        };
        let outline = introspector.query(&OutlineElem::ELEM.select());
        let Some(first) = outline.first().and_then(page_of) else {
            return Self::default();
        };
        let next = introspector
            .query(&HeadingElem::ELEM.select())
            .iter()
            .filter_map(page_of)
            .filter(|&p| p > first)
            .min();
        Self {
            contents_pages: next.map(|n| n - first),
        }
    }

    /// Adds the hint to `/data.json` (as `layout_hint`), when there is one: a build without a
    /// previous one gives the templates nothing, and they lay out as they always did.
    pub fn insert_into(&self, data: &mut serde_json::Value) {
        if let (Some(pages), Some(map)) = (self.contents_pages, data.as_object_mut()) {
            map.insert(
                "layout_hint".into(),
                serde_json::json!({ "contents_pages": pages }),
            );
        }
    }
}
