//! A laid-out document as the preview shows it: its pages, each keyed by the hash of its
//! content, and the document's outline (its headings with their pages). A page is rendered
//! (SVG, or PNG) when the browser first asks for it, and a page whose hash did not change
//! since the last build keeps its render: a one-value edit renders the changed page the
//! reader is looking at, not the whole document.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use typst::foundations::{NativeElement, StyleChain};
use typst::introspection::Introspector;
use typst::model::HeadingElem;
use typst_layout::PagedDocument;

/// One page as served: its content hash (hex) and size in points; its SVG, its text (the
/// page image's alternative text) and its PNG are rendered when first asked for, and kept
/// for as long as the page's content is unchanged.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub hash: String,
    pub width: f64,
    pub height: f64,
    renders: Renders,
}

/// A page and what has been rendered of it so far.
#[derive(Debug, Clone)]
struct Renders {
    page: Arc<typst_layout::Page>,
    svg: Arc<OnceLock<Arc<str>>>,
    text: Arc<OnceLock<Arc<str>>>,
    png: Arc<OnceLock<Arc<[u8]>>>,
}

/// Pixels per point of a PNG page: sharp on a high-density screen at fit width.
const PNG_PIXELS_PER_PT: f64 = 2.0;

impl RenderedPage {
    /// The page as SVG.
    pub fn svg(&self) -> Arc<str> {
        let r = &self.renders;
        Arc::clone(
            r.svg.get_or_init(|| {
                Arc::from(typst_svg::svg(&r.page, &typst_svg::SvgOptions::default()))
            }),
        )
    }

    /// The page's text, one text run per line.
    pub fn text(&self) -> Arc<str> {
        let r = &self.renders;
        Arc::clone(
            r.text
                .get_or_init(|| Arc::from(crate::render::page_text(&r.page))),
        )
    }

    /// The page as PNG.
    pub fn png(&self) -> Arc<[u8]> {
        let r = &self.renders;
        Arc::clone(r.png.get_or_init(|| {
            let options = typst_render::RenderOptions {
                pixel_per_pt: typst::utils::Scalar::new(PNG_PIXELS_PER_PT),
                ..typst_render::RenderOptions::default()
            };
            let pixmap = typst_render::render(&r.page, &options);
            Arc::from(pixmap.encode_png().unwrap_or_default())
        }))
    }
}

/// What has been rendered of the last build's pages, by page hash.
#[derive(Default)]
pub struct PageCache {
    by_hash: HashMap<u128, Renders>,
}

impl PageCache {
    /// Every page of `doc` with its hash; a page whose content is unchanged keeps what was
    /// rendered of it. The hashing is shared among the machine's cores; nothing is rendered
    /// until the browser asks for it.
    pub fn render(&mut self, doc: &PagedDocument) -> Vec<RenderedPage> {
        let pages = doc.pages();
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 8);
        let chunk = pages.len().div_ceil(threads).max(1);
        let hashes: Vec<u128> = std::thread::scope(|scope| {
            let workers: Vec<_> = pages
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || part.iter().map(typst::utils::hash128).collect::<Vec<_>>())
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        let mut next = HashMap::with_capacity(pages.len());
        let rendered = pages
            .iter()
            .zip(hashes)
            .map(|(page, hash)| {
                let renders = self.by_hash.get(&hash).cloned().unwrap_or_else(|| Renders {
                    page: Arc::new(page.clone()),
                    svg: Arc::default(),
                    text: Arc::default(),
                    png: Arc::default(),
                });
                next.insert(hash, renders.clone());
                let size = page.frame.size();
                RenderedPage {
                    hash: format!("{hash:032x}"),
                    width: size.x.to_pt(),
                    height: size.y.to_pt(),
                    renders,
                }
            })
            .collect();
        self.by_hash = next;
        rendered
    }
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
