//! The app's icon (`assets/icon.svg`: a mission's star over the cards that serve it), drawn for the
//! window at start. The same SVG is installed for the desktop menu and map files (see `pkg/`).

/// The window icon's size in pixels. X11 carries it in one request (`_NET_WM_ICON`): at 256 pixels
/// that request is 262,152 bytes, over the 262,140 an X server takes without BIG-REQUESTS, and the
/// window was left with an empty icon; at 128 it is a quarter of that. Menus and files use the SVG.
pub const WINDOW_SIZE: u32 = 128;

/// The icon's SVG.
pub const SVG: &str = include_str!("../../assets/icon.svg");

/// The icon as a square RGBA image `size` pixels wide, or `None` if it cannot be drawn.
#[must_use]
pub fn rgba(size: u32) -> Option<egui::IconData> {
    let tree = crate::export::render::tree(SVG).ok()?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size)?;
    let scale = size as f32 / tree.size().width();
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // tiny-skia keeps premultiplied alpha; the window system wants it straight.
    let rgba = pixmap.pixels().iter().flat_map(|p| {
        let c = p.demultiply();
        [c.red(), c.green(), c.blue(), c.alpha()]
    });
    Some(egui::IconData { rgba: rgba.collect(), width: size, height: size })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_draws_with_its_colours() {
        let size = super::WINDOW_SIZE as usize;
        assert_eq!(super::rgba(super::WINDOW_SIZE).map(|i| i.rgba.len()), Some(size * size * 4), "the window's size");
        // The window manager gets width, height and a word per pixel in one X11 request, which must
        // stay under 256 KiB.
        assert!((2 + size * size) * 4 < 262_140, "the window icon fits one X11 request");
        let icon = super::rgba(64).unwrap();
        assert_eq!(icon.rgba.len(), 64 * 64 * 4);
        // The middle of the left edge is the purple of a mission.
        let px = |x: usize, y: usize| &icon.rgba[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
        assert_eq!(px(4, 32), &[0x5A, 0x2A, 0x82, 0xFF]);
        assert_eq!(px(0, 0)[3], 0, "the rounded corner is see-through");
    }
}
