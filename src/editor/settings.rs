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
    /// Auto-layout reads left to right instead of top down.
    pub layout_left_right: bool,
    /// The last choices in the Export dialog.
    pub export: ExportChoices,
    /// The checks panel is open.
    pub show_checks: bool,
    /// Selecting a card lights up its pathways and dims the rest.
    pub pathways: bool,
    /// The size of everything on screen (menus, panels, cards), 1.0 to 2.5; separate from the
    /// map's zoom.
    pub ui_scale: f32,
    /// No gliding or other animation.
    pub reduced_motion: bool,
}

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
    pub dark: bool,
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
            dark: false,
            title_block: true,
            legend: true,
            page: Page::Natural,
            layout_for_page: true,
            per_mission: false,
        }
    }
}

impl ExportChoices {
    /// The export options for these choices and the current selection.
    #[must_use]
    pub fn options(&self, selection: &Selection) -> crate::export::Options {
        use crate::export::Scope;
        crate::export::Options {
            scope: if self.selection_only && !selection.nodes.is_empty() {
                Scope::Cards(selection.nodes.iter().cloned().collect())
            } else {
                Scope::All
            },
            scale: self.scale,
            transparent: self.transparent,
            dark: self.dark,
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
            layout_left_right: false,
            export: ExportChoices::default(),
            show_checks: false,
            pathways: false,
            ui_scale: 1.0,
            reduced_motion: false,
        }
    }
}
