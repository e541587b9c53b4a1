//! Comfort on a civil servant's laptop: the theme, the text size (a UI scale separate from the
//! map's zoom) and reduced motion, applied to egui from the remembered settings.

use super::MissionboardApp;

impl MissionboardApp {
    /// The text size and motion the person chose, applied to egui (only when they change).
    pub(super) fn apply_comfort(&mut self, ctx: &egui::Context) {
        let scale = self.ed.settings.ui_scale.clamp(1.0, crate::editor::settings::MAX_UI_SCALE);
        if (ctx.zoom_factor() - scale).abs() > 1e-3 {
            ctx.set_zoom_factor(scale);
        }
        crate::ui::theme::apply(ctx, self.ed.settings.theme);
        let animation = if self.ed.settings.reduced_motion { 0.0 } else { 1.0 / 12.0 };
        if (ctx.global_style().animation_time - animation).abs() > 1e-4 {
            ctx.all_styles_mut(|s| s.animation_time = animation);
        }
    }

    /// The text size now, as a share of normal (tests).
    #[must_use]
    pub fn ui_scale(&self) -> f32 {
        self.ed.settings.ui_scale
    }
}

impl MissionboardApp {
    /// The theme now (tests).
    #[must_use]
    pub fn theme(&self) -> crate::style::Theme {
        self.ed.settings.theme
    }
}
