//! A laid-out document as the preview shows it: one SVG per page, each keyed by the hash of
//! the page's content, and the document's outline (its headings with their pages). A page
//! whose hash did not change since the last build reuses its SVG: a one-value edit renders
//! one page again, not the whole document.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use typst::foundations::{NativeElement, StyleChain};
use typst::introspection::Introspector;
use typst::model::HeadingElem;
use typst_layout::PagedDocument;

/// One page as served: its content hash (hex), its size in points, its SVG and its text
/// (the page image's alternative text).
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub hash: String,
    pub width: f64,
    pub height: f64,
    pub svg: Arc<str>,
    pub text: Arc<str>,
}

/// The SVGs and texts of the last build, by page hash.
#[derive(Default)]
pub struct PageCache {
    by_hash: HashMap<u128, (Arc<str>, Arc<str>)>,
}

impl PageCache {
    /// Every page of `doc`, rendering only those whose content is new; the hashing and the
    /// rendering are shared among the machine's cores.
    pub fn render(&mut self, doc: &PagedDocument) -> Vec<RenderedPage> {
        let pages = doc.pages();
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8);
        let chunk = pages.len().div_ceil(threads).max(1);
        let cache = &self.by_hash;
        let rendered: Vec<(u128, RenderedPage)> = std::thread::scope(|scope| {
            let workers: Vec<_> = pages
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|p| render_one(cache, p))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        self.by_hash = rendered
            .iter()
            .map(|(h, p)| (*h, (Arc::clone(&p.svg), Arc::clone(&p.text))))
            .collect();
        rendered.into_iter().map(|(_, p)| p).collect()
    }
}

/// One page: its hash, and its SVG and text from the cache or rendered now.
fn render_one(
    cache: &HashMap<u128, (Arc<str>, Arc<str>)>,
    page: &typst_layout::Page,
) -> (u128, RenderedPage) {
    let hash = typst::utils::hash128(page);
    let (svg, text) = match cache.get(&hash) {
        Some(done) => done.clone(),
        None => (
            Arc::from(typst_svg::svg(page, &typst_svg::SvgOptions::default())),
            Arc::from(crate::render::page_text(page)),
        ),
    };
    let size = page.frame.size();
    (
        hash,
        RenderedPage {
            hash: format!("{hash:032x}"),
            width: size.x.to_pt(),
            height: size.y.to_pt(),
            svg,
            text,
        },
    )
}

/// One heading of the document with the page it is on (from 1), for the page list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OutlineEntry {
    pub title: String,
    pub level: usize,
    pub page: usize,
}

/// The headings that the PDF's bookmarks show (the 目录's entries and the parts), in order.
pub fn outline(doc: &PagedDocument) -> Vec<OutlineEntry> {
    let introspector = doc.introspector();
    introspector
        .query(&HeadingElem::ELEM.select())
        .iter()
        .filter_map(|elem| {
            let heading = elem.to_packed::<HeadingElem>()?;
            let bookmarked = heading
                .bookmarked
                .get(StyleChain::default())
                .unwrap_or_else(|| heading.outlined.get(StyleChain::default()));
            if !bookmarked {
                return None;
            }
            let page = introspector.page(elem.location()?)?;
            Some(OutlineEntry {
                title: heading.body.plain_text().to_string(),
                level: heading.resolve_level(StyleChain::default()).get(),
                page: page.get(),
            })
        })
        .collect()
}
