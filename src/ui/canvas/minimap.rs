//! The minimap: the whole map in the corner, the view as a frame on it, click or drag to move.

use egui::{Id, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, WidgetInfo, vec2};

use super::super::scene::Scene;
use super::super::theme::{self, Palette};
use super::CanvasState;

/// Where the minimap sits on a canvas: the bottom right corner, never more than about a quarter of
/// the canvas, so large text (a small canvas) keeps the map in view.
#[must_use]
pub fn minimap_rect(canvas: Rect) -> Rect {
    let size = vec2(220.0, 150.0).min(canvas.size() * 0.28);
    Rect::from_min_size(canvas.max - size - vec2(12.0, 12.0), size)
}

pub(super) fn minimap(ui: &mut egui::Ui, scene: &Scene, state: &mut CanvasState, canvas: Rect, p: &Palette) {
    let Some(bounds) = scene.bounds else { return };
    let area = minimap_rect(canvas);
    state.minimap_rect = Some(area);
    let inner = area.shrink(6.0);
    let scale = (inner.width() / bounds.width().max(1.0)).min(inner.height() / bounds.height().max(1.0));
    let offset = inner.center() - bounds.center().to_vec2() * scale;
    let to_mini = |p: Pos2| offset + p.to_vec2() * scale;
    let painter = ui.painter_at(area);
    painter.rect(
        area,
        6.0,
        theme::c(p.background).gamma_multiply(0.93),
        Stroke::new(1.0, theme::c(p.muted)),
        StrokeKind::Inside,
    );
    // The colours are in the mesh: a new theme draws it afresh.
    let theme_index = crate::style::Theme::ALL.iter().position(|&t| t == p.theme).unwrap_or(0) as u64;
    let key = scene.revision.unwrap_or(u64::MAX >> 3).wrapping_mul(8) + theme_index;
    if state.minimap_cache.as_ref().is_none_or(|(k, r, _)| *k != key || *r != area) {
        let mut mesh = egui::Mesh::default();
        for c in &scene.cards {
            mesh.add_colored_rect(
                Rect::from_min_max(to_mini(c.rect.min), to_mini(c.rect.max)).expand(0.5),
                theme::kind_colour(p, c.kind),
            );
        }
        state.minimap_cache = Some((key, area, std::sync::Arc::new(mesh)));
    }
    if let Some((_, _, mesh)) = &state.minimap_cache {
        painter.add(Shape::Mesh(mesh.clone()));
    }
    let origin = canvas.min;
    let seen = Rect::from_min_max(state.view.to_map(origin, canvas.min), state.view.to_map(origin, canvas.max));
    let seen_mini = Rect::from_min_max(to_mini(seen.min), to_mini(seen.max)).intersect(area);
    painter.rect_stroke(seen_mini, 0.0, Stroke::new(2.0, theme::c(p.highlight)), StrokeKind::Inside);
    let r = ui.interact(area, Id::unique("minimap"), Sense::click_and_drag());
    r.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, "Minimap: click or drag to move the view"));
    if (r.clicked() || r.dragged())
        && let Some(p) = r.interact_pointer_pos()
    {
        let target = ((p - offset) / scale).to_pos2();
        state.view.centre_on(target, canvas.size());
    }
}
