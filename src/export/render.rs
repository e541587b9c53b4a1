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
/// out for the page and headed with the mission's title.
fn to_pdf_pages(map: &MissionMap, opts: &Options) -> Result<Vec<u8>, ExportError> {
    use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
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
        let mut part = map.subset(&ids);
        part.meta.title = format!("{} \u{2014} {}", m.title, map.meta.title);
        trees.push(page_tree(&part, &Options { scope: super::Scope::All, per_mission: false, ..opts.clone() })?);
    }
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let page_tree_id = alloc.bump();
    let info = alloc.bump();
    let mut pdf = Pdf::new();
    let mut pages = Vec::with_capacity(trees.len());
    let mut chunks = Vec::with_capacity(trees.len());
    for t in &trees {
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
    pdf.document_info(info).title(TextStr(&map.meta.title));
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
