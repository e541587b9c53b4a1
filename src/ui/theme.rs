//! egui colours for the shared look in [`crate::style`], in the theme the person chose, and egui's
//! own look (panels, menus, widgets) to match it.

use egui::{Color32, Context, Id, Stroke};

use crate::model::progress::Status;
use crate::model::{Kind, LinkKind};
pub use crate::style::{Dash, HEADER_HEIGHT, HEADER_SIZE, Palette, TITLE_SIZE, Theme, corner as kind_corner};

/// An sRGB colour as egui's.
#[must_use]
pub fn c([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

fn theme_id() -> Id {
    Id::unique("missionboard-theme")
}

/// The theme in use (the app applies the remembered one at the start of every frame; light until then).
#[must_use]
pub fn current(ctx: &Context) -> Theme {
    ctx.data(|d| d.get_temp(theme_id())).unwrap_or_default()
}

/// The colours of the theme in use.
#[must_use]
pub fn palette(ctx: &Context) -> &'static Palette {
    current(ctx).palette()
}

/// Makes `theme` the one in use: the canvas and panels read it, and egui's own look follows
/// (dark panels for the dark theme; black text and firmer outlines for high contrast and the
/// projector). Does nothing when it already is.
pub fn apply(ctx: &Context, theme: Theme) {
    let applied: Option<Theme> = ctx.data(|d| d.get_temp(theme_id()));
    if applied == Some(theme) {
        return;
    }
    ctx.data_mut(|d| d.insert_temp(theme_id(), theme));
    let p = theme.palette();
    if p.dark {
        ctx.set_visuals_of(egui::Theme::Dark, egui::Visuals::dark());
        ctx.set_theme(egui::ThemePreference::Dark);
    } else {
        let visuals = match theme {
            Theme::HighContrast | Theme::Projector => high_contrast_visuals(p),
            Theme::Light | Theme::Dark => egui::Visuals::light(),
        };
        ctx.set_visuals_of(egui::Theme::Light, visuals);
        ctx.set_theme(egui::ThemePreference::Light);
    }
}

/// egui's light look made firmer: black text (weak text dark grey, never pale), black widget
/// outlines, a deep selection colour and no see-through fills.
fn high_contrast_visuals(p: &Palette) -> egui::Visuals {
    let mut v = egui::Visuals::light();
    let ink = c(p.text);
    v.override_text_color = Some(ink);
    v.weak_text_color = Some(c(p.muted));
    v.hyperlink_color = c(p.kind(Kind::SubMission));
    v.panel_fill = Color32::WHITE;
    v.window_fill = Color32::WHITE;
    v.window_stroke = Stroke::new(2.0, ink);
    v.extreme_bg_color = Color32::WHITE;
    v.faint_bg_color = Color32::from_gray(0xEE);
    v.selection.bg_fill = c(p.kind(Kind::SubMission));
    v.selection.stroke = Stroke::new(2.0, Color32::WHITE);
    let outline = Stroke::new(1.5, ink);
    for w in [&mut v.widgets.inactive, &mut v.widgets.hovered, &mut v.widgets.active, &mut v.widgets.open] {
        w.bg_stroke = outline;
        w.fg_stroke = Stroke::new(w.fg_stroke.width.max(1.5), ink);
    }
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.0, Color32::from_gray(0x55));
    v.widgets.noninteractive.fg_stroke = Stroke::new(1.0, ink);
    v.widgets.hovered.bg_stroke = Stroke::new(2.5, ink);
    v.widgets.inactive.weak_bg_fill = Color32::from_gray(0xF0);
    v.widgets.inactive.bg_fill = Color32::from_gray(0xF0);
    v
}

#[must_use]
pub fn kind_colour(p: &Palette, kind: Kind) -> Color32 {
    c(p.kind(kind))
}

#[must_use]
pub fn kind_fill(p: &Palette, kind: Kind) -> Color32 {
    c(p.fill(kind))
}

/// The colour of a progress status (always drawn beside its name, never alone).
#[must_use]
pub fn status_colour(p: &Palette, s: Status) -> Color32 {
    c(p.status(s))
}

/// How a link kind is drawn on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkStyle {
    pub colour: Color32,
    pub width: f32,
    pub dash: Dash,
}

#[must_use]
pub fn link_style(p: &Palette, kind: LinkKind) -> LinkStyle {
    let (rgb, width, dash) = p.link(kind);
    LinkStyle { colour: c(rgb), width, dash }
}

/// Red for a message that something went wrong, legible on this theme's panels.
#[must_use]
pub fn error_colour(ctx: &Context) -> Color32 {
    status_colour(palette(ctx), Status::OffTrack)
}
