//! Every command a person can give the editor: its name, what it does, its keyboard shortcut. The
//! menus, the command palette (Ctrl+K) and the shortcut sheet (F1) are all built from this list.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::Kind;

/// One thing the editor can do, whichever way it was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    NewBlank,
    NewFromSample,
    Open,
    Save,
    SaveAs,
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    Duplicate,
    Delete,
    SelectAll,
    AddCard(Kind),
    AddChild,
    AddSibling,
    EditTitle,
    Connect,
    AlignLeft,
    AlignCentre,
    AlignTop,
    DistributeHorizontally,
    DistributeVertically,
    TogglePin,
    Layout,
    LayoutSelection,
    Export,
    CopyImage,
    CopySvg,
    ZoomIn,
    ZoomOut,
    ZoomFit,
    ZoomActual,
    Find,
    CommandPalette,
    Shortcuts,
    ToggleInspector,
    ToggleMinimap,
    ToggleChecks,
    NextFinding,
    PreviousFinding,
    TogglePathways,
    Portfolio,
    NewFromMazzucato,
    Present,
    QuickCapture,
    ParkingLot,
    Voting,
    Timer,
    Sessions,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

impl Action {
    /// Every action, in the order menus and the palette show them.
    pub const ALL: &'static [Action] = &[
        Action::NewBlank,
        Action::NewFromSample,
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::Undo,
        Action::Redo,
        Action::Cut,
        Action::Copy,
        Action::Paste,
        Action::Duplicate,
        Action::Delete,
        Action::SelectAll,
        Action::AddCard(Kind::Mission),
        Action::AddCard(Kind::SubMission),
        Action::AddCard(Kind::Intervention),
        Action::AddCard(Kind::Partner),
        Action::AddChild,
        Action::AddSibling,
        Action::EditTitle,
        Action::Connect,
        Action::AlignLeft,
        Action::AlignCentre,
        Action::AlignTop,
        Action::DistributeHorizontally,
        Action::DistributeVertically,
        Action::TogglePin,
        Action::Layout,
        Action::LayoutSelection,
        Action::Export,
        Action::CopyImage,
        Action::CopySvg,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomFit,
        Action::ZoomActual,
        Action::Find,
        Action::CommandPalette,
        Action::Shortcuts,
        Action::ToggleInspector,
        Action::ToggleMinimap,
        Action::ToggleChecks,
        Action::NextFinding,
        Action::PreviousFinding,
        Action::TogglePathways,
        Action::Portfolio,
        Action::NewFromMazzucato,
        Action::Present,
        Action::QuickCapture,
        Action::ParkingLot,
        Action::Voting,
        Action::Timer,
        Action::Sessions,
    ];

    /// The name on buttons, menus and in the palette.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Action::NewBlank => "New blank map",
            Action::NewFromSample => "New from the UK missions sample",
            Action::Open => "Open…",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::Undo => "Undo",
            Action::Redo => "Redo",
            Action::Cut => "Cut",
            Action::Copy => "Copy",
            Action::Paste => "Paste",
            Action::Duplicate => "Duplicate",
            Action::Delete => "Delete",
            Action::SelectAll => "Select all",
            Action::AddCard(Kind::Mission) => "Add mission",
            Action::AddCard(Kind::SubMission) => "Add sub-mission",
            Action::AddCard(Kind::Intervention) => "Add intervention",
            Action::AddCard(Kind::Partner) => "Add partner",
            Action::AddChild => "Add card that contributes to this one",
            Action::AddSibling => "Add card beside this one",
            Action::EditTitle => "Edit title",
            Action::Connect => "Link the selected cards",
            Action::AlignLeft => "Align left",
            Action::AlignCentre => "Align centres",
            Action::AlignTop => "Align tops",
            Action::DistributeHorizontally => "Distribute horizontally",
            Action::DistributeVertically => "Distribute vertically",
            Action::TogglePin => "Pin or unpin",
            Action::Layout => "Lay out the map",
            Action::LayoutSelection => "Lay out the selected cards",
            Action::Export => "Export picture…",
            Action::CopyImage => "Copy as image",
            Action::CopySvg => "Copy as SVG",
            Action::ZoomIn => "Zoom in",
            Action::ZoomOut => "Zoom out",
            Action::ZoomFit => "Zoom to fit",
            Action::ZoomActual => "Zoom to 100%",
            Action::Find => "Find…",
            Action::CommandPalette => "Command palette…",
            Action::Shortcuts => "Keyboard shortcuts",
            Action::ToggleInspector => "Show or hide the inspector",
            Action::ToggleMinimap => "Show or hide the minimap",
            Action::ToggleChecks => "Show or hide the checks",
            Action::NextFinding => "Next finding",
            Action::PreviousFinding => "Previous finding",
            Action::TogglePathways => "Light up pathways",
            Action::Portfolio => "Mission portfolio…",
            Action::NewFromMazzucato => "New from Mazzucato's mission map",
            Action::Present => "Present",
            Action::QuickCapture => "Quick capture",
            Action::ParkingLot => "Parking lot",
            Action::Voting => "Dot voting",
            Action::Timer => "Timer",
            Action::Sessions => "Sessions and changes…",
        }
    }

    /// A sentence on what it does, for tooltips.
    #[must_use]
    pub fn tooltip(self) -> &'static str {
        match self {
            Action::NewBlank => "Start a new, empty mission map",
            Action::NewFromSample => "Start from the UK's five missions, to learn or adapt",
            Action::Open => "Open a mission map (.mission.ron)",
            Action::Save => "Save the map to its file",
            Action::SaveAs => "Save the map to a new file",
            Action::Undo => "Take back the last change",
            Action::Redo => "Do again the change you took back",
            Action::Cut => "Copy the selected cards and remove them",
            Action::Copy => "Copy the selected cards (paste them into any Missionboard window)",
            Action::Paste => "Paste cards copied from Missionboard",
            Action::Duplicate => "Copy the selected cards and links beside themselves",
            Action::Delete => "Delete the selected cards or links",
            Action::SelectAll => "Select every card",
            Action::AddCard(_) => "Add a card of this kind in the middle of the view",
            Action::AddChild => {
                "Add a card that contributes to the selected one (a sub-mission under a mission, an intervention under a sub-mission, a partner under an intervention)"
            }
            Action::AddSibling => "Add a card of the same kind that serves the same card",
            Action::EditTitle => "Edit the selected card's title in place",
            Action::Connect => "Link two selected cards; the kind of link follows from the cards",
            Action::AlignLeft => "Line up the left edges of the selected cards",
            Action::AlignCentre => "Line up the centres of the selected cards",
            Action::AlignTop => "Line up the tops of the selected cards",
            Action::DistributeHorizontally => "Space the selected cards evenly from left to right",
            Action::DistributeVertically => "Space the selected cards evenly from top to bottom",
            Action::TogglePin => "Pinned cards stay where they are when the map is laid out",
            Action::Layout => {
                "Arrange every card in bands: missions, sub-missions, interventions, partners; pinned cards stay put"
            }
            Action::LayoutSelection => "Arrange only the selected cards; the rest stay where they are",
            Action::Export => "Save the map as PNG, SVG, PDF, Mermaid or Graphviz DOT, with a preview",
            Action::CopyImage => "Copy the selection (or the whole map) as a picture, to paste into a slide",
            Action::CopySvg => "Copy the selection (or the whole map) as SVG text",
            Action::ZoomIn => "Make the map bigger",
            Action::ZoomOut => "Make the map smaller",
            Action::ZoomFit => "Show the whole map",
            Action::ZoomActual => "Show the map at its real size",
            Action::Find => "Search titles and attributes; Enter jumps to the next hit",
            Action::CommandPalette => "Find any command by name",
            Action::Shortcuts => "List every keyboard shortcut",
            Action::ToggleInspector => "The side panel with every attribute of the selection",
            Action::ToggleMinimap => "The overview of the whole map in the corner",
            Action::ToggleChecks => {
                "Is each mission measurable, time-bound, cross-ministerial, with two routes and outside partners? Does every intervention lead somewhere? Where is a single point of failure?"
            }
            Action::NextFinding => {
                "Show the next finding of the checks: its cards are selected and framed (F7 then moves into its reason box)"
            }
            Action::PreviousFinding => "Show the previous finding of the checks",
            Action::TogglePathways => {
                "Light up every path through the selected cards, to the missions they serve and back to what feeds them; the rest dims"
            }
            Action::Portfolio => {
                "Each mission's interventions, instruments, stages, budget share, departments, partners and spill-overs, with heat maps"
            }
            Action::NewFromMazzucato => {
                "A template: a grand challenge, missions, the sectors they need and the projects that serve them"
            }
            Action::Present => {
                "Full screen, large type: step through each mission, revealing sub-missions, interventions and partners (arrows or a clicker; Esc ends)"
            }
            Action::QuickCapture => {
                "Type ideas as the room calls them out; each line becomes a card under the selected card"
            }
            Action::ParkingLot => "Ideas noted but not yet placed; drag them onto the map when their time comes",
            Action::Voting => "Dot voting: tally votes onto cards with + and -, several named rounds kept in the file",
            Action::Timer => "A countdown for an exercise, shown large in present mode",
            Action::Sessions => "Mark the end of a session, and show what changed since any session",
        }
    }

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
            | Action::Sessions => None,
            Action::ZoomIn => k(CTRL, Key::Equals),
            Action::ZoomOut => k(CTRL, Key::Minus),
            Action::ZoomFit => k(Modifiers::NONE, Key::Home),
            Action::ZoomActual => k(CTRL, Key::Num0),
            Action::Find => k(CTRL, Key::F),
            Action::CommandPalette => k(CTRL, Key::K),
            Action::Shortcuts => k(Modifiers::NONE, Key::F1),
            Action::ToggleInspector => k(CTRL, Key::I),
            Action::ToggleMinimap => k(CTRL, Key::M),
            Action::NextFinding => k(Modifiers::NONE, Key::F8),
            Action::PreviousFinding => k(Modifiers::SHIFT, Key::F8),
            Action::TogglePathways => k(CTRL_SHIFT, Key::H),
            Action::Portfolio => k(CTRL_SHIFT, Key::M),
            Action::Present => k(Modifiers::NONE, Key::F5),
            Action::QuickCapture => k(CTRL_SHIFT, Key::Q),
            Action::Voting => k(CTRL_SHIFT, Key::V),
            Action::Timer => k(CTRL_SHIFT, Key::T),
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
