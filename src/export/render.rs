//! PNG and PDF from the SVG scene, through one `resvg::usvg::Tree` with egui's Ubuntu font embedded (no
//! system fonts: usvg maps `sans-serif` to Arial and finds nothing on Debian, silently dropping all
//! text).

use std::sync::Arc;

use super::{Options, svg};
use crate::model::MissionMap;

/// The longest side of a PNG, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels in one PNG (64 megapixels, 256 MB while drawing).
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// The margin round a drawing fitted onto paper, in points.
pub const PAGE_MARGIN: f32 = 24.0;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the picture could not be built ({0}); please report this, with the map, as a bug")]
    Svg(String),
    #[error("there is not enough memory for a {0} × {1} pixel image; export to PDF or SVG instead")]
    TooBig(u32, u32),
    #[error("the PDF could not be written ({0}); export to SVG or PNG instead")]
    Pdf(String),
}

fn options() -> resvg::usvg::Options<'static> {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    db.set_sans_serif_family("Ubuntu");
    resvg::usvg::Options { font_family: "Ubuntu".to_owned(), fontdb: Arc::new(db), ..resvg::usvg::Options::default() }
}

/// Parses SVG text into a tree, with the embedded font.
pub fn tree(svg_text: &str) -> Result<resvg::usvg::Tree, ExportError> {
    resvg::usvg::Tree::from_str(svg_text, &options()).map_err(|e| ExportError::Svg(e.to_string()))
}

/// The picture as straight (not premultiplied) RGBA pixels: width, height, pixels, note.
pub fn to_rgba(map: &MissionMap, opts: &Options) -> Result<(u32, u32, Vec<u8>, Option<String>), ExportError> {
    let (pixmap, note) = pixmap(map, opts)?;
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    Ok((pixmap.width(), pixmap.height(), rgba, note))
}

/// A PNG of the map, and a note when it had to be made smaller than asked.
pub fn to_png(map: &MissionMap, opts: &Options) -> Result<(Vec<u8>, Option<String>), ExportError> {
    let (pixmap, note) = pixmap(map, opts)?;
    let png = pixmap.encode_png().map_err(|e| ExportError::Svg(e.to_string()))?;
    Ok((png, note))
}

fn pixmap(map: &MissionMap, opts: &Options) -> Result<(resvg::tiny_skia::Pixmap, Option<String>), ExportError> {
    let tree = tree(&svg::to_svg(&super::arranged(map, opts), opts))?;
    let size = tree.size();
    let mut scale = opts.scale.clamp(0.1, 4.0);
    let mut note = None;
    let longest = size.width().max(size.height()) * scale;
    let area = f64::from(size.width() * scale) * f64::from(size.height() * scale);
    if longest > MAX_SIDE as f32 || area > MAX_PIXELS as f64 {
        let by_side = MAX_SIDE as f32 / (size.width().max(size.height()));
        let by_area = ((MAX_PIXELS as f64) / f64::from(size.width() * size.height())).sqrt() as f32;
        scale = by_side.min(by_area);
        note = Some(format!(
            "The map is too big for one sharp image at {}×: it was drawn at {:.2}× ({} × {} pixels). For print, export to PDF or SVG, which stay sharp at any size.",
            opts.scale,
            scale,
            (size.width() * scale).round(),
            (size.height() * scale).round()
        ));
    }
    let (w, h) = ((size.width() * scale).ceil().max(1.0) as u32, (size.height() * scale).ceil().max(1.0) as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or(ExportError::TooBig(w, h))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    Ok((pixmap, note))
}

/// A PDF of the map: one page of the drawing's own size, or fitted onto A4 or A3. Text stays text.
pub fn to_pdf(map: &MissionMap, opts: &Options) -> Result<Vec<u8>, ExportError> {
    let map = super::arranged(map, opts);
    let mut svg_text = svg::to_svg(&map, opts);
    if let Some((pw, ph)) = opts.page.size() {
        // Fit the drawing onto the page with a margin, keeping its proportions.
        let inner = tree(&svg_text)?;
        let (w, h) = (inner.size().width(), inner.size().height());
        let margin = PAGE_MARGIN;
        let scale = ((pw - 2.0 * margin) / w).min((ph - 2.0 * margin) / h);
        let (dx, dy) = ((pw - w * scale) / 2.0, (ph - h * scale) / 2.0);
        let body = svg_text.split_once('\n').map_or(svg_text.as_str(), |(_, rest)| rest);
        let body = body.trim_end().trim_end_matches("</svg>");
        svg_text = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{pw}" height="{ph}" viewBox="0 0 {pw} {ph}" font-family="{}"><g transform="translate({dx:.2} {dy:.2}) scale({scale:.5})">{body}</g></svg>"#,
            svg::FONT_FAMILY
        );
    }
    let tree = tree(&svg_text)?;
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions::default())
        .map_err(|e| ExportError::Pdf(e.to_string()))
}
