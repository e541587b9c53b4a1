//! What is kept between runs (recent files, panel choices, the export dialog's choices). Never the
//! map: that lives only in its own file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Selection;
use crate::export::{Format, Page};
use crate::model::Kind;

/// What is kept between runs (in eframe's storage): recent files and panel choices. Never the map.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub recent: Vec<PathBuf>,
    pub show_inspector: bool,
    pub show_minimap: bool,
    pub last_kind: Kind,
    /// The shape auto-layout fills (the screen, a page, or one wide row per band).
    pub layout_target: crate::layout::Target,
    /// Auto-layout trades band purity for density.
    pub layout_compact: bool,
    /// Auto-layout keeps each mission's cards together.
    pub layout_by_mission: bool,
    /// Auto-layout keeps one band per kind on large maps too.
    pub layout_bands: bool,
    /// Auto-layout reads left to right instead of top down.
    pub layout_left_right: bool,
    /// The last choices in the Export dialog.
    pub export: ExportChoices,
    /// Both side panels are hidden for now (their own choices, `show_inspector` and `show_checks`,
    /// come back when they are shown again).
    pub hide_side_panels: bool,
    /// The checks panel is open.
    pub show_checks: bool,
    /// Selecting a card lights up its pathways and dims the rest.
    pub pathways: bool,
    /// The size of everything on screen (menus, panels, cards), 1.0 to 2.5; separate from the
    /// map's zoom.
    pub ui_scale: f32,
    /// No gliding or other animation.
    pub reduced_motion: bool,
    /// How the editor and the map look (light, dark, high contrast, projector).
    pub theme: crate::style::Theme,
    /// The theme and text size to go back to when the projector preset is switched off.
    pub before_projector: Option<(crate::style::Theme, f32)>,
    /// The live map last joined (its address) and the name given there, offered again by Join a
    /// live map. Never the code: a room's code is for one workshop.
    pub live_address: String,
    pub live_name: String,
}

/// The text size the projector preset brings (at least), as a share of normal.
pub const PROJECTOR_UI_SCALE: f32 = 1.5;

/// The largest text size, as a share of normal.
pub const MAX_UI_SCALE: f32 = 2.5;

/// What the Export dialog remembers between uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportChoices {
    pub format: Format,
    /// Only the selected cards.
    pub selection_only: bool,
    pub scale: f32,
    pub transparent: bool,
    /// The exported picture's theme; `None` draws it as the editor shows it.
    pub theme: Option<crate::style::Theme>,
    pub title_block: bool,
    pub legend: bool,
    /// Paper for PDF.
    pub page: Page,
    /// On paper, lay the map out afresh for the page.
    pub layout_for_page: bool,
    /// PDF on paper: a page per mission after the overview.
    pub per_mission: bool,
}

impl Default for ExportChoices {
    fn default() -> Self {
        ExportChoices {
            format: Format::Png,
            selection_only: false,
            scale: 2.0,
            transparent: false,
            // Exports are for print and slides: light unless chosen otherwise.
            theme: Some(crate::style::Theme::Light),
            title_block: true,
            legend: true,
            page: Page::Natural,
            layout_for_page: true,
            per_mission: false,
        }
    }
}

impl ExportChoices {
    /// The export options for these choices, the current selection and the editor's theme.
    #[must_use]
    pub fn options(&self, selection: &Selection, editor: crate::style::Theme) -> crate::export::Options {
        use crate::export::Scope;
        crate::export::Options {
            scope: if self.selection_only && !selection.nodes.is_empty() {
                Scope::Cards(selection.nodes.iter().cloned().collect())
            } else {
                Scope::All
            },
            scale: self.scale,
            transparent: self.transparent,
            theme: self.theme.unwrap_or(editor),
            title_block: self.title_block,
            legend: self.legend,
            page: if self.format.has_page() { self.page } else { Page::Natural },
            layout_for_page: self.layout_for_page,
            per_mission: self.per_mission && self.format == Format::Pdf,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            show_inspector: true,
            show_minimap: true,
            last_kind: Kind::Intervention,
            layout_target: crate::layout::Target::Screen,
            layout_compact: false,
            layout_by_mission: false,
            layout_bands: false,
            layout_left_right: false,
            export: ExportChoices::default(),
            hide_side_panels: false,
            show_checks: false,
            pathways: false,
            ui_scale: 1.0,
            reduced_motion: false,
            theme: crate::style::Theme::Light,
            before_projector: None,
            live_address: String::new(),
            live_name: String::new(),
        }
    }
}

impl Settings {
    /// Switches the projector preset on (high contrast with bold lines, text at least
    /// [`PROJECTOR_UI_SCALE`]) or, when it is on, back to the theme and text size from before.
    /// Returns what to tell the person.
    pub fn toggle_projector(&mut self) -> String {
        use crate::style::Theme;
        if self.theme == Theme::Projector {
            let (theme, scale) = self.before_projector.take().unwrap_or((Theme::Light, 1.0));
            self.theme = if theme == Theme::Projector { Theme::Light } else { theme };
            self.ui_scale = scale.clamp(1.0, MAX_UI_SCALE);
            format!("Projector preset off: {} theme, text at {:.0}%", self.theme.label(), self.ui_scale * 100.0)
        } else {
            self.before_projector = Some((self.theme, self.ui_scale));
            self.theme = Theme::Projector;
            self.ui_scale = self.ui_scale.max(PROJECTOR_UI_SCALE);
            format!(
                "Projector preset: high contrast, bold lines, text at {:.0}%. Choose it again to go back",
                self.ui_scale * 100.0
            )
        }
    }
}
