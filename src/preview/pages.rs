//! A laid-out document as the preview shows it: its pages, each keyed by the hash of its
//! content, and the document's outline (its headings with their pages). A page is rendered
//! (SVG, or PNG) when the browser first asks for it, and a page whose hash did not change
//! since the last build keeps its render: a one-value edit renders the changed page the
//! reader is looking at, not the whole document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

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
    figures: Arc<OnceLock<Arc<str>>>,
    /// The PNG at each scale asked for (in quarter pixels per point).
    png: Arc<Mutex<Vec<(u8, PngSlot)>>>,
}

type PngSlot = Arc<OnceLock<Arc<[u8]>>>;

/// Pixels per point of a PNG page when the browser does not say how large it shows the
/// page: sharp on a high-density screen at fit width.
pub const DEFAULT_SCALE: Scale = Scale(8);

/// A PNG page's pixels per point, in quarters (4 = 1 px/pt), from 0.5 to 4 px/pt: the
/// viewer asks for the pixels it displays, so no time goes into pixels it scales away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale(u8);

impl Default for Scale {
    fn default() -> Self {
        DEFAULT_SCALE
    }
}

impl Scale {
    /// From the viewer's `s=` (pixels per point, e.g. `1.5`), rounded to a quarter and
    /// clamped; `None` when it is not a number.
    pub fn parse(s: &str) -> Option<Scale> {
        use rust_decimal::prelude::ToPrimitive;
        let d: rust_decimal::Decimal = s.trim().parse().ok()?;
        let quarters = crate::money::round_half_up(d * rust_decimal::Decimal::from(4), 0);
        let q = quarters.to_i64()?.clamp(2, 16);
        Some(Scale(u8::try_from(q).ok()?))
    }

    fn pixels_per_pt(self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        (rust_decimal::Decimal::from(self.0) / rust_decimal::Decimal::from(4))
            .to_f64()
            .unwrap_or(2.0)
    }
}

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

    /// The page's printed number, lines and figure boxes (the preview lays out the marked
    /// document), for `explain`'s places and the click's lookup.
    pub fn page_text(&self) -> crate::explain::PageText {
        crate::explain::PageText::of(&self.renders.page)
    }

    /// The figures printed on the page with their boxes in points, as JSON: what the viewer
    /// makes clickable (a click sends its point back, looked up as `explain --at` does).
    pub fn figures(&self) -> Arc<str> {
        let r = &self.renders;
        Arc::clone(r.figures.get_or_init(|| {
            let boxes = crate::render::figure_boxes(&r.page);
            Arc::from(serde_json::to_string(&boxes).unwrap_or_else(|_| "[]".into()))
        }))
    }

    /// Whether the PNG at `scale` has been rendered (or is being rendered).
    pub fn png_started(&self, scale: Scale) -> bool {
        self.slot(scale).get().is_some()
    }

    /// The cell that holds the PNG at `scale` (rendered once, by whoever asks first).
    fn slot(&self, scale: Scale) -> PngSlot {
        let mut slots = self.renders.png.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, slot)) = slots.iter().find(|(s, _)| *s == scale.0) {
            return Arc::clone(slot);
        }
        let slot = PngSlot::default();
        slots.push((scale.0, Arc::clone(&slot)));
        slot
    }

    /// The page as PNG at `scale` pixels per point.
    pub fn png(&self, scale: Scale) -> Arc<[u8]> {
        let slot = self.slot(scale);
        Arc::clone(slot.get_or_init(|| {
            let options = typst_render::RenderOptions {
                pixel_per_pt: typst::utils::Scalar::new(scale.pixels_per_pt()),
                ..typst_render::RenderOptions::default()
            };
            let pixmap = typst_render::render(&self.renders.page, &options);
            let png = encode_opaque_png(pixmap.data(), pixmap.width(), pixmap.height())
                .or_else(|| pixmap.encode_png().ok())
                .unwrap_or_default();
            Arc::from(png)
        }))
    }
}

/// A rendered page as PNG, fast: a page image is viewed once and replaced at the next edit,
/// so speed matters more than size. An opaque page (every page with its default white fill)
/// is written without its alpha channel, and as grey when it has no colour (the usual
/// black-on-white page: a quarter of the bytes to compress), with the fast `fdeflate`
/// setting. `data` is premultiplied RGBA, which equals straight RGBA where every pixel is
/// opaque; `None` for a page with transparent pixels (the caller then uses tiny-skia's own
/// RGBA encoder).
fn encode_opaque_png(data: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    if !data.chunks_exact(4).all(|p| p[3] == 255) {
        return None;
    }
    let grey = data.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]);
    let (colour, pixels): (png::ColorType, Vec<u8>) = if grey {
        (
            png::ColorType::Grayscale,
            data.chunks_exact(4).map(|p| p[0]).collect(),
        )
    } else {
        (
            png::ColorType::Rgb,
            data.chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
        )
    };
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&pixels));
    written.ok().map(|()| out)
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
                    figures: Arc::default(),
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

#[cfg(test)]
mod tests {
    #[test]
    fn scales_are_quarters_of_a_pixel_per_point_within_bounds() {
        assert_eq!(Scale::parse("1.5"), Some(Scale(6)));
        assert_eq!(Scale::parse("1.37"), Some(Scale(5)));
        assert_eq!(Scale::parse("0.1"), Some(Scale(2)));
        assert_eq!(Scale::parse("100"), Some(Scale(16)));
        assert_eq!(Scale::parse("1e400"), None);
        assert_eq!(Scale::parse("x"), None);
        assert_eq!(Scale(6).pixels_per_pt(), 1.5);
    }

    use super::*;

    /// Decodes a PNG: its colour type and its pixels as stored.
    fn decode(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        pixels.truncate(info.buffer_size());
        (info.color_type, pixels)
    }

    #[test]
    fn an_opaque_page_is_encoded_grey_or_rgb_and_a_transparent_one_is_left_to_tiny_skia() {
        let grey = [
            255, 255, 255, 255, 0, 0, 0, 255, 128, 128, 128, 255, 7, 7, 7, 255,
        ];
        let png = encode_opaque_png(&grey, 2, 2).unwrap();
        assert_eq!(
            decode(&png),
            (png::ColorType::Grayscale, vec![255, 0, 128, 7])
        );

        let colour = [
            255, 255, 255, 255, 200, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 255,
        ];
        let png = encode_opaque_png(&colour, 2, 2).unwrap();
        assert_eq!(
            decode(&png),
            (
                png::ColorType::Rgb,
                vec![255, 255, 255, 200, 0, 0, 0, 0, 0, 1, 2, 3]
            )
        );

        let transparent = [255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 255];
        assert_eq!(encode_opaque_png(&transparent, 2, 2), None);
    }
}
