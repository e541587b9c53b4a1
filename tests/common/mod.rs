//! Helpers shared by the UI test files.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::MissionboardApp;

/// The editor at 1280×720, light theme, with `map` open and its first frames run.
#[allow(dead_code, reason = "not every test file opens its own map")]
pub fn window(map: missionboard::model::MissionMap) -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, missionboard::app::Settings::default()));
    h.run_steps(3);
    h
}

/// Drags with the primary button from one screen point to another, in small moves, as a hand would.
#[allow(dead_code, reason = "not every test file drags")]
pub fn drag(h: &mut Harness<'_, MissionboardApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=8 {
        h.hover_at(from + (to - from) * (i as f32 / 8.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(2);
}

/// Runs a command from the command palette (Ctrl+K), as typed.
#[allow(dead_code, reason = "not every test file runs commands")]
pub fn palette(h: &mut Harness<'_, MissionboardApp>, command: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    h.get_by_label("Command").type_text(command);
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
}

/// A breakout round's conflict, as the UI tests stage it: a board (a mission, a sub-mission under
/// it) saved in `dir`, opened in `h` and handed out from the command palette; the copy of `group`
/// ("Group 1") retitles the sub-mission and adds an intervention under it, while the open map
/// retitles the same card. Returns the copy's path, the sub-mission and the copy's intervention.
#[allow(dead_code, reason = "only the merge tests stage a conflict")]
pub fn conflicting_copy(
    h: &mut Harness<'_, MissionboardApp>,
    dir: &std::path::Path,
    group: &str,
) -> (std::path::PathBuf, missionboard::model::NodeId, missionboard::model::NodeId) {
    use missionboard::command::Command;
    use missionboard::editor::{Edit, EditGroup, Intent};
    use missionboard::model::{Kind, LinkKind, MissionMap, Placement};
    let path = dir.join("board.mission.ron");
    let mut map = MissionMap::new("Board");
    let m = map.create_node(Kind::Mission, "Clean power by 2030", Placement::at(0.0, 0.0)).unwrap();
    let s = map.create_node(Kind::SubMission, "Grid connections", Placement::at(0.0, 200.0)).unwrap();
    map.connect(&s, &m, LinkKind::ContributesTo).unwrap();
    missionboard::io::save_path(&map, &path).unwrap();
    h.state_mut().open_path(&path);
    h.run_steps(3);
    palette(h, "hand out");
    h.get_by_label("Hand out").click();
    h.run_steps(2);
    let copy = dir.join("board copies").join(format!("board ({group}).mission.ron"));
    assert!(copy.exists(), "the copies are beside the map");
    // The group retitles the sub-mission and adds an intervention under it.
    let mut theirs = missionboard::io::load_path(&copy).unwrap().map;
    theirs.update_node(&s, |n| "Grid connections in 6 months".clone_into(&mut n.title)).unwrap();
    let i = theirs.create_node(Kind::Intervention, "Connections reform", Placement::at(0.0, 400.0)).unwrap();
    theirs.connect(&i, &s, LinkKind::ContributesTo).unwrap();
    missionboard::io::save_path(&theirs, &copy).unwrap();
    // Meanwhile the room retitles the same card.
    let mut node = h.state().map().node(&s).unwrap().clone();
    "Grid connections by 2027".clone_into(&mut node.title);
    h.state_mut().queue(Intent::Edit(Box::new(Edit {
        group: EditGroup::Title(s.clone()),
        label: "Edit title".to_owned(),
        command: Command::UpdateNode(node),
    })));
    h.run_steps(3);
    (copy, s, i)
}

/// The text the last frame painted, with its size in points (labels drawn twice count once).
#[allow(dead_code, reason = "only the picture tests read what was painted")]
pub fn painted_text(h: &Harness<'_, MissionboardApp>) -> Vec<(String, f32, egui::Rect)> {
    painted(h).into_iter().map(|(text, size, rect, _)| (text, size, rect)).collect()
}

/// As [`painted_text`], with the area each text takes on the screen: the plate it is drawn on
/// (a rectangle painted just before it that holds it whole), else the text's own box.
#[allow(dead_code, reason = "only the picture tests read what was painted")]
pub fn painted_labels(h: &Harness<'_, MissionboardApp>) -> Vec<(String, f32, egui::Rect)> {
    painted(h).into_iter().map(|(text, size, rect, plate)| (text, size, plate.unwrap_or(rect))).collect()
}

type Painted = (String, f32, egui::Rect, Option<egui::Rect>);

fn painted(h: &Harness<'_, MissionboardApp>) -> Vec<Painted> {
    fn walk(shape: &egui::Shape, last_rect: &mut Option<egui::Rect>, out: &mut Vec<Painted>) {
        match shape {
            egui::Shape::Text(t) => {
                let size = t.galley.job.sections.iter().map(|s| s.format.font_id.size).fold(0.0, f32::max);
                let rect = t.visual_bounding_rect();
                let plate = last_rect.take().filter(|p| p.contains_rect(rect));
                out.push((t.galley.text().to_owned(), size, rect, plate));
            }
            egui::Shape::Rect(r) => *last_rect = Some(r.rect),
            egui::Shape::Vec(v) => v.iter().for_each(|s| walk(s, last_rect, out)),
            _ => *last_rect = None,
        }
    }
    let mut out = Vec::new();
    let mut last_rect = None;
    for c in &h.output().shapes {
        walk(&c.shape, &mut last_rect, &mut out);
    }
    out.dedup_by(|a, b| a.0 == b.0);
    out
}
