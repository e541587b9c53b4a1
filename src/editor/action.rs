//! Every command a person can give the editor, with its name and what it does. The menus, the
//! command palette (Ctrl+K) and the shortcut sheet (F1) are all built from this list; the keyboard
//! shortcuts are added in `ui::actions` (they are egui's keys).

use crate::model::Kind;

/// The menus of the menu bar (Arrange is the second half of Edit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Menu {
    File,
    Edit,
    Arrange,
    Layout,
    Add,
    View,
    Workshop,
    Analyse,
    Help,
}

impl Menu {
    /// The menu's title in the menu bar (Arrange has none: it is part of Edit).
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit | Menu::Arrange => "Edit",
            Menu::Layout => "Layout",
            Menu::Add => "Add",
            Menu::View => "View",
            Menu::Workshop => "Workshop",
            Menu::Analyse => "Analyse",
            Menu::Help => "Help",
        }
    }
}

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
    /// Hide or show both side panels (the inspector and the checks) at once, for a wider map.
    ToggleSidePanels,
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
    /// Start the timer, or pause it (from anywhere, during the session).
    TimerStartPause,
    /// Open the room: phones send ideas and dots over the room's own network.
    Room,
    Sessions,
    /// Share this map live: laptops with the room's code edit it at once.
    ShareLive,
    /// Join a map another laptop shares live.
    JoinLive,
    HandOutCopies,
    MergeCopy,
    CompareWith,
    Progress,
    /// The Money panel: each mission's money by year and status, unfunded sub-missions, what-if.
    Money,
    BoardPack,
    /// Import 360Giving grant data as budget lines, after a preview.
    ImportGrants,
    TextLarger,
    TextSmaller,
    TextReset,
    ReduceMotion,
    ExportWorkbook,
    /// Light, dark or high contrast, for the editor and the map.
    Theme(crate::style::Theme),
    /// The projector preset on or off: high contrast, bold lines, larger text.
    ProjectorPreset,
}

impl Action {
    /// Every action, in the order menus and the palette show them.
    pub const ALL: &'static [Action] = &[
        Action::NewBlank,
        Action::NewFromMazzucato,
        Action::NewFromSample,
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::ShareLive,
        Action::JoinLive,
        Action::HandOutCopies,
        Action::MergeCopy,
        Action::CompareWith,
        Action::BoardPack,
        Action::ImportGrants,
        Action::ExportWorkbook,
        Action::Export,
        Action::Undo,
        Action::Redo,
        Action::Cut,
        Action::Copy,
        Action::Paste,
        Action::Duplicate,
        Action::CopyImage,
        Action::CopySvg,
        Action::Delete,
        Action::SelectAll,
        Action::Connect,
        Action::TogglePin,
        Action::EditTitle,
        Action::AlignLeft,
        Action::AlignCentre,
        Action::AlignTop,
        Action::DistributeHorizontally,
        Action::DistributeVertically,
        Action::Layout,
        Action::LayoutSelection,
        Action::AddCard(Kind::Mission),
        Action::AddCard(Kind::SubMission),
        Action::AddCard(Kind::Intervention),
        Action::AddCard(Kind::Partner),
        Action::AddChild,
        Action::AddSibling,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomFit,
        Action::ZoomActual,
        Action::Find,
        Action::ToggleInspector,
        Action::ToggleMinimap,
        Action::ToggleSidePanels,
        Action::TextLarger,
        Action::TextSmaller,
        Action::TextReset,
        Action::ReduceMotion,
        Action::Theme(crate::style::Theme::Light),
        Action::Theme(crate::style::Theme::Dark),
        Action::Theme(crate::style::Theme::HighContrast),
        Action::ProjectorPreset,
        Action::Present,
        Action::QuickCapture,
        Action::ParkingLot,
        Action::Voting,
        Action::Timer,
        Action::TimerStartPause,
        Action::Room,
        Action::Sessions,
        Action::ToggleChecks,
        Action::NextFinding,
        Action::PreviousFinding,
        Action::TogglePathways,
        Action::Portfolio,
        Action::Progress,
        Action::Money,
        Action::Shortcuts,
        Action::CommandPalette,
    ];

    /// The menu an action is listed in (in the order of [`Action::ALL`]); `None` for actions
    /// reached only by key and the palette.
    #[must_use]
    pub fn menu(self) -> Option<Menu> {
        Some(match self {
            Action::NewBlank
            | Action::NewFromMazzucato
            | Action::NewFromSample
            | Action::Open
            | Action::Save
            | Action::SaveAs
            | Action::ShareLive
            | Action::JoinLive
            | Action::HandOutCopies
            | Action::MergeCopy
            | Action::CompareWith
            | Action::BoardPack
            | Action::ImportGrants
            | Action::ExportWorkbook
            | Action::Export => Menu::File,
            Action::Undo
            | Action::Redo
            | Action::Cut
            | Action::Copy
            | Action::Paste
            | Action::Duplicate
            | Action::CopyImage
            | Action::CopySvg
            | Action::Delete
            | Action::SelectAll
            | Action::Connect
            | Action::TogglePin => Menu::Edit,
            Action::AlignLeft
            | Action::AlignCentre
            | Action::AlignTop
            | Action::DistributeHorizontally
            | Action::DistributeVertically => Menu::Arrange,
            Action::Layout | Action::LayoutSelection => Menu::Layout,
            Action::AddCard(_) | Action::AddChild | Action::AddSibling => Menu::Add,
            Action::ZoomIn
            | Action::ZoomOut
            | Action::ZoomFit
            | Action::ZoomActual
            | Action::Find
            | Action::ToggleInspector
            | Action::ToggleMinimap
            | Action::ToggleSidePanels
            | Action::TextLarger
            | Action::TextSmaller
            | Action::TextReset
            | Action::ReduceMotion
            | Action::Theme(_)
            | Action::ProjectorPreset => Menu::View,
            Action::Present
            | Action::QuickCapture
            | Action::ParkingLot
            | Action::Voting
            | Action::Timer
            | Action::TimerStartPause
            | Action::Room
            | Action::Sessions => Menu::Workshop,
            Action::ToggleChecks | Action::TogglePathways | Action::Portfolio | Action::Progress | Action::Money => {
                Menu::Analyse
            }
            Action::Shortcuts | Action::CommandPalette => Menu::Help,
            Action::EditTitle | Action::NextFinding | Action::PreviousFinding => return None,
        })
    }

    /// Whether a setting the action switches is on now (`None` for actions that are not switches);
    /// menus show it as a tick and screen readers as "selected".
    #[must_use]
    pub fn is_on(self, s: &super::settings::Settings) -> Option<bool> {
        use crate::style::Theme;
        Some(match self {
            Action::ToggleInspector => s.show_inspector,
            Action::ToggleMinimap => s.show_minimap,
            Action::ToggleSidePanels => !s.hide_side_panels,
            Action::ToggleChecks => s.show_checks,
            Action::TogglePathways => s.pathways,
            Action::ReduceMotion => s.reduced_motion,
            Action::Theme(t) => s.theme == t,
            Action::ProjectorPreset => s.theme == Theme::Projector,
            _ => return None,
        })
    }

    /// The actions of one menu, in order.
    pub fn in_menu(menu: Menu) -> impl Iterator<Item = Action> {
        Action::ALL.iter().copied().filter(move |a| a.menu() == Some(menu))
    }

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
            Action::ToggleSidePanels => "Show or hide the side panels",
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
            Action::TimerStartPause => "Start or pause the timer",
            Action::Room => "Open the room (phones)\u{2026}",
            Action::Sessions => "Sessions and changes…",
            Action::ShareLive => "Share live\u{2026}",
            Action::JoinLive => "Join a live map\u{2026}",
            Action::HandOutCopies => "Hand out copies…",
            Action::MergeCopy => "Merge a copy…",
            Action::CompareWith => "Compare with…",
            Action::Progress => "Progress…",
            Action::Money => "Money…",
            Action::BoardPack => "Board pack…",
            Action::ImportGrants => "Import 360Giving grants…",
            Action::ExportWorkbook => "Export to Excel workbook…",
            Action::TextLarger => "Larger text",
            Action::TextSmaller => "Smaller text",
            Action::TextReset => "Text at 100%",
            Action::ReduceMotion => "Reduce motion (no gliding)",
            Action::Theme(crate::style::Theme::Light) => "Light theme",
            Action::Theme(crate::style::Theme::Dark) => "Dark theme",
            Action::Theme(crate::style::Theme::HighContrast) => "High contrast theme",
            Action::Theme(crate::style::Theme::Projector) | Action::ProjectorPreset => {
                "Projector preset (high contrast, bold lines, larger text)"
            }
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
            Action::ToggleSidePanels => {
                "The inspector and the checks beside the map, both at once: hidden, the map has the whole width"
            }
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
            Action::TimerStartPause => "Start the countdown, or pause it, without opening the Timer window",
            Action::Room => {
                "Let everyone in the room send ideas and dot votes from their phones, over this laptop's network (no cloud)"
            }
            Action::Sessions => "Mark the end of a session, and show what changed since any session",
            Action::ShareLive => {
                "Let breakout laptops edit this map at once, over this laptop's network (no cloud): they join with the room's address and code"
            }
            Action::JoinLive => {
                "Edit a map another laptop shares live: type its address and code (or a relay's address)"
            }
            Action::HandOutCopies => {
                "Write a copy of the map for each breakout group or department; each remembers this version, so merging it back needs no questions"
            }
            Action::MergeCopy => {
                "Bring the changes made in a copy into this map, card by card and field by field; where both changed the same thing you choose. One undo step"
            }
            Action::CompareWith => "Outline and list what differs between this map and another file",
            Action::TextLarger => {
                "Make the menus, panels and cards bigger, in steps of 25% up to 250% (the map's own zoom stays)"
            }
            Action::TextSmaller => "Make the menus, panels and cards smaller, down to 100%",
            Action::TextReset => "Set the text size back to 100%",
            Action::ReduceMotion => {
                "Cards jump to their new places after a layout instead of gliding, and nothing animates"
            }
            Action::Theme(crate::style::Theme::Light) => "Dark text on light cards, as printed",
            Action::Theme(crate::style::Theme::Dark) => "Light text on a dark background, for dim rooms",
            Action::Theme(crate::style::Theme::HighContrast) => {
                "Black on white with deep colours and firmer outlines (text at 7:1 or more)"
            }
            Action::Theme(crate::style::Theme::Projector) | Action::ProjectorPreset => {
                "For the back of the room: high contrast, thicker lines and outlines, and everything (menus, panels, card labels) at 150% or more. Choose again to go back"
            }
            Action::ExportWorkbook => {
                "The cards and links as an .xlsx workbook (sheets nodes and links, as the CSV files); Open reads one back"
            }
            Action::BoardPack => {
                "An A4 PDF for the board's meeting: cover and contents, the map with open actions, and a page per mission with its indicators, risks, changes since the last session and decisions"
            }
            Action::ImportGrants => {
                "Add real grant data (a 360Giving file: .csv, .xlsx or .json) as budget lines: each programme matched to an intervention, each recipient to a partner card, shown before anything is added. One undo step"
            }
            Action::Money => {
                "Each mission's money by year and status, per currency, the sub-missions nobody funds, and what moving money would change"
            }
            Action::Progress => {
                "Is each mission on track? Every indicator's last reading against its trajectory, sortable; a click shows the card"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once_and_menus_keep_its_order() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(*a), "{a:?} is listed twice");
        }
        assert_eq!(seen.len(), 74, "a new action must be added to Action::ALL");
        let file: Vec<Action> = Action::in_menu(Menu::File).collect();
        assert_eq!(file.first(), Some(&Action::NewBlank));
        assert_eq!(file.last(), Some(&Action::Export));
        assert_eq!(Action::in_menu(Menu::Workshop).count(), 8);
        assert_eq!(Action::NextFinding.menu(), None, "reached by F8 and the palette");
    }
}
