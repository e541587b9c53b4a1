//! PNG and PDF from the SVG scene, through one `resvg::usvg::Tree` with egui's Ubuntu font embedded (no
//! system fonts: usvg maps `sans-serif` to Arial and finds nothing on Debian, silently dropping all
//! text).

use std::sync::Arc;

use super::{Options, svg};
use crate::model::MissionMap;

/// The longest side of a PNG, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels in one PNG (32 megapixels, 128 MB while drawing): twice what an A3 page takes
/// at 300 dpi. A bigger picture is for a plotter, and PDF or SVG serve that better.
pub const MAX_PIXELS: u64 = 32 * 1024 * 1024;

/// Titles smaller than this many pixels cannot be read: such a PNG is drawn as a sketch.
pub const SKETCH_BELOW_PX: f32 = 8.0;
/// The most pixels in a sketch (16 megapixels): enough to show the map's shape.
pub const SKETCH_PIXELS: u64 = 16 * 1024 * 1024;

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

/// The scale that fits `(w, h)` map units into `max_side` and `max_pixels`, or `wanted` if it fits.
fn fitted_scale(w: f32, h: f32, wanted: f32, max_side: u32, max_pixels: u64) -> f32 {
    let by_side = max_side as f32 / w.max(h);
    // A little under the limit: each side is rounded up to whole pixels.
    let by_area = ((max_pixels as f64) / f64::from(w * h)).sqrt() as f32 * 0.999;
    wanted.min(by_side).min(by_area)
}

fn pixmap(map: &MissionMap, opts: &Options) -> Result<(resvg::tiny_skia::Pixmap, Option<String>), ExportError> {
    let map = super::arranged(map, opts);
    let (pw, ph) = svg::picture_size(&map, opts);
    let wanted = opts.scale.clamp(0.1, 4.0);
    let fitted = fitted_scale(pw, ph, wanted, MAX_SIDE, MAX_PIXELS);
    // When the size limit shrinks the picture until titles cannot be read, draw the map's shape
    // only, in a smaller image, and say where a readable picture of this map is to be had. (A
    // small scale asked for, a thumbnail, keeps its text.)
    let title_px = crate::model::card::TITLE_SIZE * fitted;
    let sketch = fitted < wanted && title_px < SKETCH_BELOW_PX;
    let scale = if sketch { fitted_scale(pw, ph, wanted, MAX_SIDE, SKETCH_PIXELS) } else { fitted };
    let (w, h) = ((pw * scale).ceil(), (ph * scale).ceil());
    let note = if sketch {
        Some(format!(
            "The map has too many cards for its titles to be read in one picture (they would be {title_px:.1} pixels tall), so it was drawn as a sketch without text at {w} × {h} pixels. For a picture that can be read, export to PDF or SVG (sharp at any size) or to PDF with a page per mission."
        ))
    } else {
        (scale < wanted).then(|| format!(
            "The map is too big for one sharp image at {wanted}×: it was drawn at {scale:.2}× ({w} × {h} pixels). For print, export to PDF or SVG, which stay sharp at any size."
        ))
    };
    let shapes = sketch.then(|| svg::sketch(&map, opts));
    let tree = match &shapes {
        Some(shapes) => tree(&shapes.frame)?,
        None => tree(&svg::to_svg(&map, opts))?,
    };
    let mut pixmap = new_pixmap(tree.size(), scale)?;
    let transform = resvg::tiny_skia::Transform::from_scale(scale, scale);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    if let Some(shapes) = &shapes {
        draw_sketch(&mut pixmap, shapes, transform);
    }
    Ok((pixmap, note))
}

fn new_pixmap(size: resvg::usvg::Size, scale: f32) -> Result<resvg::tiny_skia::Pixmap, ExportError> {
    let (w, h) = ((size.width() * scale).ceil().max(1.0) as u32, (size.height() * scale).ceil().max(1.0) as u32);
    resvg::tiny_skia::Pixmap::new(w, h).ok_or(ExportError::TooBig(w, h))
}

/// A one-pixel opaque line from `a` to `b` (pixels), written straight into the pixels: one step
/// per pixel along the longer axis, points off the picture skipped.
fn hairline(pixmap: &mut resvg::tiny_skia::Pixmap, a: (f32, f32), b: (f32, f32), [r, g, b_]: [u8; 3]) {
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let data = pixmap.data_mut();
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let steps = dx.abs().max(dy.abs()).ceil().clamp(1.0, 1.0e6) as usize;
    let (ix, iy) = (dx / steps as f32, dy / steps as f32);
    for i in 0..=steps {
        let (x, y) = (a.0 + ix * i as f32, a.1 + iy * i as f32);
        if x < 0.0 || y < 0.0 {
            continue;
        }
        let (px, py) = (x as usize, y as usize);
        if px < w && py < h {
            let at = (py * w + px) * 4;
            data[at..at + 4].copy_from_slice(&[r, g, b_, 255]);
        }
    }
}

/// Draws a sketch's links (hairlines) and cards (outline, fill, header band) straight onto the
/// pixels, without anti-aliasing: at this size a card is a few pixels and a smoothed edge shows
/// nothing more, while it costs a pass through the blending pipeline for every pixel of every line.
fn draw_sketch(pixmap: &mut resvg::tiny_skia::Pixmap, shapes: &svg::Sketch, transform: resvg::tiny_skia::Transform) {
    use resvg::tiny_skia::{Paint, Rect};
    let paint = |[r, g, b]: [u8; 3]| {
        let mut p = Paint::default();
        p.set_color_rgba8(r, g, b, 255);
        p.anti_alias = false;
        p
    };
    let (sx, sy) = (transform.sx, transform.sy);
    for (colour, pts) in &shapes.links {
        for pair in pts.windows(2) {
            hairline(pixmap, (pair[0].0 * sx, pair[0].1 * sy), (pair[1].0 * sx, pair[1].1 * sy), *colour);
        }
    }
    for &([x, y, w, h], outline, fill, border) in &shapes.cards {
        let inner = border.min(w / 4.0).min(h / 4.0);
        let rects = [
            (Rect::from_xywh(x, y, w, h), outline),
            (Rect::from_xywh(x + inner, y + inner, w - 2.0 * inner, h - 2.0 * inner), fill),
            (Rect::from_xywh(x, y, w, crate::style::HEADER_HEIGHT.min(h)), outline),
        ];
        for (rect, colour) in rects {
            if let Some(rect) = rect {
                pixmap.fill_rect(rect, &paint(colour), transform, None);
            }
        }
    }
}

/// A PDF of the map: one page of the drawing's own size, or fitted onto A4 or A3; on paper with
/// `per_mission`, the overview first and then a page for each mission and what serves it. Text
/// stays text.
pub fn to_pdf(map: &MissionMap, opts: &Options) -> Result<Vec<u8>, ExportError> {
    if opts.per_mission && opts.page.size().is_some() {
        return to_pdf_pages(map, opts);
    }
    let tree = page_tree(map, opts)?;
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions::default())
        .map_err(|e| ExportError::Pdf(e.to_string()))
}

/// One page's picture: the map arranged for the paper and fitted onto it with a margin, keeping
/// its proportions (or the drawing's own size without paper).
fn page_tree(map: &MissionMap, opts: &Options) -> Result<resvg::usvg::Tree, ExportError> {
    let map = super::arranged(map, opts);
    let mut svg_text = svg::to_svg(&map, opts);
    if let Some((pw, ph)) = opts.page.size() {
        let (w, h) = svg::picture_size(&map, opts);
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
    tree(&svg_text)
}

/// The overview, then one page per mission (in id order) with the cards that serve it, each laid
/// out for the page and headed with the mission's title; none for a mission the overview already
/// shows alone (every card serves it).
fn to_pdf_pages(map: &MissionMap, opts: &Options) -> Result<Vec<u8>, ExportError> {
    let Some((pw, ph)) = opts.page.size() else { return to_pdf(map, &Options { per_mission: false, ..opts.clone() }) };
    let mut trees = vec![page_tree(map, opts)?];
    let in_scope = super::cards_in_scope(map, &opts.scope);
    let mut missions: Vec<&crate::model::Node> =
        map.nodes().filter(|n| n.kind() == crate::model::Kind::Mission && in_scope.contains(&n.id)).collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));
    for m in missions {
        let ids: Vec<crate::model::NodeId> = super::cards_in_scope(map, &super::Scope::Mission(m.id.clone()))
            .into_iter()
            .filter(|id| in_scope.contains(id))
            .collect();
        // A mission served by every card in view (a map of one mission) would repeat the
        // overview as its own page: the overview is its page.
        if ids.len() == in_scope.len() {
            continue;
        }
        let mut part = map.subset(&ids);
        part.meta.title = format!("{} \u{2014} {}", m.title, map.meta.title);
        trees.push(page_tree(&part, &Options { scope: super::Scope::All, per_mission: false, ..opts.clone() })?);
    }
    pdf_of_pages(&trees, (pw, ph), &map.meta.title)
}

/// One PDF with each picture on a page of its own (`pw` × `ph` points), titled `title`. Text stays
/// text, with the font embedded.
pub(super) fn pdf_of_pages(
    trees: &[resvg::usvg::Tree],
    (pw, ph): (f32, f32),
    title: &str,
) -> Result<Vec<u8>, ExportError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let page_tree_id = alloc.bump();
    let info = alloc.bump();
    let mut pdf = Pdf::new();
    let mut pages = Vec::with_capacity(trees.len());
    let mut chunks = Vec::with_capacity(trees.len());
    for t in trees {
        let (chunk, svg_id) =
            svg2pdf::to_chunk(t, svg2pdf::ConversionOptions::default()).map_err(|e| ExportError::Pdf(e.to_string()))?;
        let mut renumbered = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *renumbered.entry(old).or_insert_with(|| alloc.bump()));
        let Some(&svg_id) = renumbered.get(&svg_id) else {
            return Err(ExportError::Pdf("a page's picture went missing".to_owned()));
        };
        pages.push((alloc.bump(), alloc.bump(), svg_id));
        chunks.push(chunk);
    }
    pdf.catalog(catalog).pages(page_tree_id);
    pdf.pages(page_tree_id).kids(pages.iter().map(|p| p.0)).count(pages.len() as i32);
    pdf.document_info(info).title(TextStr(title));
    let picture = Name(b"P1");
    for ((page_id, content_id, svg_id), chunk) in pages.into_iter().zip(&chunks) {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, pw, ph));
        page.parent(page_tree_id);
        page.contents(content_id);
        page.resources().x_objects().pair(picture, svg_id);
        page.finish();
        // The picture is one point square: stretch it over the page.
        let mut content = Content::new();
        content.transform([pw, 0.0, 0.0, ph, 0.0, 0.0]).x_object(picture);
        pdf.stream(content_id, &content.finish());
        pdf.extend(chunk);
    }
    Ok(pdf.finish())
}
