//! The one-line path box of the file dialogs (Save as, Open, Export, Merge a copy): it has the
//! keyboard as soon as its dialog opens, with the proposed file name selected, so typing a new name
//! replaces it while the folder stays; Enter presses the dialog's default button.

use egui::text::{CCursor, CCursorRange};
use egui::{Response, TextEdit, Ui};

/// Where the file name starts and ends in `path` (characters): after the last `/` or `\`, up to
/// the extension (`.mission.ron` counts as one).
#[must_use]
pub fn name_range(path: &str) -> (usize, usize) {
    let chars: Vec<char> = path.chars().collect();
    let start = chars.iter().rposition(|c| *c == '/' || *c == '\\').map_or(0, |i| i + 1);
    let name: String = chars[start..].iter().collect();
    let stem_len = if let Some(stem) = name.strip_suffix(".mission.ron") {
        stem.chars().count()
    } else {
        name.rfind('.').filter(|i| *i > 0).map_or(name.chars().count(), |i| name[..i].chars().count())
    };
    (start, start + stem_len)
}

/// The path box, labelled by `label`. Returns its response and whether Enter was pressed in it.
pub fn show(ui: &mut Ui, text: &mut String, width: f32, label: egui::Id) -> (Response, bool) {
    let mut out = TextEdit::singleline(text).desired_width(width).show(ui);
    let id = out.response.id;
    let seen = id.with("path field opened");
    // The first frame the box is shown (each time its dialog opens), it takes the keyboard, unless
    // the person is already elsewhere in the dialog (the map behind it may have it: it gives it up).
    let first = ui.data(|d| d.get_temp::<Opened>(seen).is_none());
    ui.data_mut(|d| d.insert_temp(seen, Opened));
    let layer = ui.layer_id();
    let elsewhere_in_dialog = ui
        .memory(egui::Memory::focused)
        .is_some_and(|f| ui.ctx().read_response(f).is_some_and(|r| r.layer_id == layer));
    if first && !elsewhere_in_dialog {
        out.response.request_focus();
        let (a, b) = name_range(text);
        out.state.cursor.set_char_range(Some(CCursorRange::two(CCursor::new(a), CCursor::new(b))));
        out.state.store(ui.ctx(), id);
    }
    let entered = out.response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let response: Response = (*out.response).clone();
    (response.labelled_by(label), entered)
}

/// Forgets that the box was shown, so it takes the keyboard again the next time its dialog opens.
pub fn reset(ctx: &egui::Context) {
    ctx.data_mut(egui::util::IdTypeMap::remove_by_type::<Opened>);
}

/// Marks a path box as shown since its dialog opened.
#[derive(Clone, Copy, Debug)]
struct Opened;

#[cfg(test)]
mod tests {
    use super::name_range;

    #[test]
    fn the_name_without_folder_or_extension_is_selected() {
        assert_eq!(name_range("/home/a/board.mission.ron"), (8, 13));
        assert_eq!(name_range("C:\\maps\\plan.svg"), (8, 12));
        assert_eq!(name_range("plan"), (0, 4));
        assert_eq!(name_range("/tmp/"), (5, 5));
        assert_eq!(name_range("/tmp/.hidden"), (5, 12));
    }
}
