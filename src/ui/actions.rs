//! The keyboard shortcuts of the editor's actions (egui's keys), and the shortcut sheet's gestures.
//! The actions themselves (names, tooltips) live in the egui-free editor core.

use egui::{Key, KeyboardShortcut, Modifiers};

pub use crate::editor::Action;
use crate::model::Kind;

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };
const CTRL_ALT: Modifiers = Modifiers { alt: true, ..Modifiers::COMMAND };

impl Action {
    /// The keyboard shortcut, if it has one. Shortcuts without Ctrl work only when no text field has
    /// the keyboard.
    #[must_use]
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let k = |m: Modifiers, key: Key| Some(KeyboardShortcut::new(m, key));
        match self {
            Action::NewBlank => k(CTRL, Key::N),
            Action::Open => k(CTRL, Key::O),
            Action::Save => k(CTRL, Key::S),
            Action::SaveAs => k(CTRL_SHIFT, Key::S),
            Action::Undo => k(CTRL, Key::Z),
            Action::Redo => k(CTRL_SHIFT, Key::Z),
            Action::Cut => k(CTRL, Key::X),
            Action::Copy => k(CTRL, Key::C),
            Action::Paste => k(CTRL, Key::V),
            Action::Duplicate => k(CTRL, Key::D),
            Action::Delete => k(Modifiers::NONE, Key::Delete),
            Action::SelectAll => k(CTRL, Key::A),
            Action::AddCard(Kind::Mission) => k(CTRL, Key::Num1),
            Action::AddCard(Kind::SubMission) => k(CTRL, Key::Num2),
            Action::AddCard(Kind::Intervention) => k(CTRL, Key::Num3),
            Action::AddCard(Kind::Partner) => k(CTRL, Key::Num4),
            Action::AddChild => k(Modifiers::NONE, Key::Tab),
            Action::AddSibling => k(Modifiers::NONE, Key::Enter),
            Action::EditTitle => k(Modifiers::NONE, Key::F2),
            Action::Connect => k(CTRL, Key::L),

            Action::TogglePin => k(CTRL, Key::P),
            Action::Layout => k(CTRL_SHIFT, Key::L),
            Action::Export => k(CTRL, Key::E),
            Action::CopyImage => k(CTRL_SHIFT, Key::C),
            Action::LayoutSelection
            | Action::CopySvg
            | Action::NewFromSample
            | Action::AlignLeft
            | Action::AlignCentre
            | Action::AlignTop
            | Action::DistributeHorizontally
            | Action::DistributeVertically
            | Action::NewFromMazzucato
            | Action::ToggleChecks
            | Action::ParkingLot
            | Action::Sessions
            | Action::HandOutCopies
            | Action::ShareLive
            | Action::JoinLive
            | Action::MergeCopy
            | Action::CompareWith
            | Action::Progress
            | Action::Money
            | Action::BoardPack
            | Action::ImportGrants
            | Action::ReduceMotion
            | Action::Theme(_)
            | Action::ProjectorPreset
            | Action::ExportWorkbook
            | Action::Room => None,
            Action::ZoomIn => k(CTRL, Key::Equals),
            Action::ZoomOut => k(CTRL, Key::Minus),
            Action::ZoomFit => k(Modifiers::NONE, Key::Home),
            Action::ZoomActual => k(CTRL, Key::Num0),
            Action::TextLarger => k(CTRL_ALT, Key::Equals),
            Action::TextSmaller => k(CTRL_ALT, Key::Minus),
            Action::TextReset => k(CTRL_ALT, Key::Num0),
            Action::Find => k(CTRL, Key::F),
            Action::CommandPalette => k(CTRL, Key::K),
            Action::Shortcuts => k(Modifiers::NONE, Key::F1),
            Action::ToggleInspector => k(CTRL, Key::I),
            Action::ToggleMinimap => k(CTRL, Key::M),
            Action::ToggleSidePanels => k(CTRL_SHIFT, Key::B),
            Action::NextFinding => k(Modifiers::NONE, Key::F8),
            Action::PreviousFinding => k(Modifiers::SHIFT, Key::F8),
            Action::TogglePathways => k(CTRL_SHIFT, Key::H),
            Action::Portfolio => k(CTRL_SHIFT, Key::M),
            Action::Present => k(Modifiers::NONE, Key::F5),
            Action::QuickCapture => k(CTRL_SHIFT, Key::Q),
            Action::Voting => k(CTRL_SHIFT, Key::V),
            Action::Timer => k(CTRL_SHIFT, Key::T),
            Action::TimerStartPause => k(Modifiers::NONE, Key::F9),
        }
    }

    /// Other shortcuts that also do this (Ctrl+Y for redo, Backspace for delete, `F`, `+`, `-` on
    /// the canvas when no card is selected).
    #[must_use]
    pub fn alternatives(self) -> Vec<KeyboardShortcut> {
        let k = KeyboardShortcut::new;
        match self {
            Action::Redo => vec![k(CTRL, Key::Y)],
            Action::Delete => vec![k(Modifiers::NONE, Key::Backspace)],
            Action::ZoomIn => vec![k(CTRL, Key::Plus)],
            _ => Vec::new(),
        }
    }

    /// The shortcut as people read it ("Ctrl+Shift+S").
    #[must_use]
    pub fn shortcut_text(self) -> Option<String> {
        self.shortcut().map(|s| format_shortcut(&s))
    }
}

/// "Ctrl+Shift+S", with the platform's name for the command key.
#[must_use]
pub fn format_shortcut(s: &KeyboardShortcut) -> String {
    let mut parts = Vec::new();
    if s.modifiers.command || s.modifiers.ctrl {
        parts.push(if cfg!(target_os = "macos") { "Cmd" } else { "Ctrl" });
    }
    if s.modifiers.alt {
        parts.push("Alt");
    }
    if s.modifiers.shift {
        parts.push("Shift");
    }
    let key = match s.logical_key {
        Key::Equals => "=",
        Key::Plus => "+",
        Key::Minus => "-",
        Key::Num0 => "0",
        Key::Num1 => "1",
        Key::Num2 => "2",
        Key::Num3 => "3",
        Key::Num4 => "4",
        other => other.name(),
    };
    parts.push(key);
    parts.join("+")
}

/// Gestures and keys that are not commands of their own, for the shortcut sheet.
pub const GESTURES: &[(&str, &str)] = &[
    ("Drag empty space, middle button, Space+drag or scroll", "Pan the map"),
    ("Ctrl+wheel, pinch, or + and - (no card selected)", "Zoom at the pointer"),
    ("F (no card selected)", "Zoom to fit"),
    ("Double-click empty space", "Add a card there (the kind chosen in the palette)"),
    ("Drag a card's round handle onto another card", "Link them; the kind follows from the two cards"),
    ("Click, Shift+click or Ctrl+click, drag a rubber band", "Select cards"),
    ("Arrow keys (Shift: further)", "Nudge the selected cards"),
    ("Alt+Up / Alt+Down", "Move to the card this one serves / a card that serves it"),
    ("Alt+Left / Alt+Right", "Move to the previous / next card serving the same card"),
    ("Typing with one card selected", "Replace its title; Enter or Esc ends"),
    ("Esc", "End editing, close a dialog, or clear the selection"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen: Vec<(KeyboardShortcut, Action)> = Vec::new();
        for &action in Action::ALL {
            for s in action.shortcut().into_iter().chain(action.alternatives()) {
                if let Some((_, other)) = seen.iter().find(|(t, _)| *t == s) {
                    panic!("{} is used by both {other:?} and {action:?}", format_shortcut(&s));
                }
                seen.push((s, action));
            }
        }
    }

    #[test]
    fn every_action_has_text_and_a_tooltip() {
        for &a in Action::ALL {
            assert!(!a.text().is_empty());
            assert!(!a.tooltip().is_empty());
        }
        assert_eq!(Action::SaveAs.shortcut_text().as_deref(), Some("Ctrl+Shift+S"));
    }
}
