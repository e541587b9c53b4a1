//! The editor core: what a person can ask of the editor and what it does to the document, with no
//! egui anywhere below this folder (a test in `tests` checks it). The app shell (`crate::app`)
//! turns keys, clicks and panels into these requests and draws the result.
//!
//! - `action`: every named command (menus, palette, shortcut sheet).
//! - `copies`: comparing with another file, merging a copy back, handing out copies.
//! - `derived`: checks, portfolio, pathways and find hits, cached by revision.
//! - `files`: the file session (path, stamp, hold, autosave).
//! - `grants`: importing 360Giving grant data, with its preview, as one undo step.
//! - `present`: present mode's steps and the workshop timer.
//! - `settings`: what is remembered between runs.
//! - `ops`: the editing operations (add, link, delete, paste, arrange, nudge, navigate, lay out,
//!   capture, place parked ideas, dismiss findings), each unit-tested in `tests`.

pub mod action;
pub mod copies;
pub mod derived;
pub mod files;
pub mod grants;
mod money;
mod ops;
pub mod present;
pub mod settings;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};

pub use action::{Action, Menu};
pub use present::{Present, PresentMove, Step, Timer};
pub use settings::{ExportChoices, Settings};

use crate::command::{Command, Document};
use crate::model::analysis::Finding;
use crate::model::workshop::Workshop;
use crate::model::{Kind, LinkId, MissionMap, ModelError, Node, NodeId, Placement};

/// What is selected: cards, links, or neither.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub nodes: BTreeSet<NodeId>,
    pub links: BTreeSet<LinkId>,
}

impl Selection {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.links.is_empty()
    }

    #[must_use]
    pub fn single_node(&self) -> Option<&NodeId> {
        if self.nodes.len() == 1 && self.links.is_empty() { self.nodes.iter().next() } else { None }
    }

    #[must_use]
    pub fn single_link(&self) -> Option<&LinkId> {
        if self.links.len() == 1 && self.nodes.is_empty() { self.links.iter().next() } else { None }
    }

    /// Selects exactly one card.
    pub fn set_node(&mut self, id: NodeId) {
        self.nodes.clear();
        self.links.clear();
        self.nodes.insert(id);
    }

    /// Drops ids that no longer exist in the map.
    pub fn retain_existing(&mut self, map: &MissionMap) {
        self.nodes.retain(|id| map.contains_node(id));
        self.links.retain(|id| map.link(id).is_some());
    }
}

/// The in-place title editor.
#[derive(Clone, Debug)]
pub struct TitleEdit {
    pub id: NodeId,
    pub text: String,
    pub started: bool,
    /// Select the whole text when the editor opens.
    pub select_all: bool,
}

/// What the person is working on: the selection, the card with the keyboard focus, and the title
/// being typed in place. The canvas changes it directly (clicks, bands); everything else through
/// the editor.
#[derive(Clone, Debug, Default)]
pub struct Cursor {
    pub selection: Selection,
    /// The card the keyboard works on (shown with a focus ring).
    pub focus: Option<NodeId>,
    pub editing: Option<TitleEdit>,
}

/// A point on the map (map units, not screen pixels).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// A short message in the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// A hint for an empty map ("Press Ctrl+1 to add a mission"): it goes once the map has a card.
    pub while_empty: bool,
}

/// Edits that belong together as one undo step: a drag, a run of nudges, typing one title, or
/// editing one field of the inspector (told apart by the field's widget id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditGroup {
    Move,
    Nudge,
    Title(NodeId),
    Field { of: FieldOf, widget: u64 },
}

/// What an inspector field belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldOf {
    Map,
    Card(NodeId),
    Link(LinkId),
    /// The shared fields of several cards.
    Cards,
}

/// An edit made in the inspector: the command and the group that joins it with the edits before
/// it into one undo step.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub group: EditGroup,
    pub label: String,
    pub command: Command,
}

/// A direction along the links, for moving the keyboard focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toward {
    /// To the card this one serves.
    Up,
    /// To a card that serves this one.
    Down,
    /// To the previous card serving the same card.
    Left,
    /// To the next card serving the same card.
    Right,
}

/// What the view should show after a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Reveal {
    /// Bring this card on screen (pan only if it is off screen).
    Card(NodeId),
    /// Bring these cards on screen: the view stays when they are all in it, pans when they fit,
    /// and frames them (no closer than real size) when they do not.
    Cards(Vec<NodeId>),
    /// Show the whole map.
    Fit,
}

/// What the shell must do that the core cannot (it has no window, clipboard or clock).
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Cards were laid out: let them glide from where they were.
    Glide(HashMap<NodeId, (f32, f32)>),
    /// Give the keyboard back to the canvas.
    FocusCanvas,
    /// Compare the map with session snapshot `n` (or stop comparing).
    Compare(Option<usize>),
}

/// What came of the requests since the shell last looked: what to show, and what to do.
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct Outcome {
    pub reveal: Option<Reveal>,
    /// A refusal to show by the pointer (it is in the status bar too).
    pub refused: Option<String>,
    pub effects: Vec<Effect>,
}

/// What a workshop panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkshopEvent {
    /// Add these ideas as cards under `target` (or at the centre of the view).
    Capture {
        ideas: Vec<String>,
        target: Option<NodeId>,
    },
    /// Note these ideas in the parking lot.
    Park(Vec<String>),
    /// Place parked idea `n` on the map (at a map point, or beside the selection).
    Place {
        index: usize,
        at: Option<Point>,
    },
    Unpark(usize),
    /// Replace the workshop state (new round, snapshot…), as one undo step with this label.
    Set(Workshop, String),
    /// One vote more (`up`) or one fewer for a card in round `round`; a vote over the round's
    /// budget is refused with the reason.
    Vote {
        round: usize,
        card: NodeId,
        up: bool,
    },
    /// Select these cards and show them.
    Show(Vec<NodeId>),
    /// Compare the map with snapshot `n` (or stop comparing).
    Compare(Option<usize>),
}

/// What the panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum ChecksEvent {
    /// Select and frame the finding's cards and links.
    Show(Finding),
    Dismiss {
        key: String,
        reason: String,
    },
    Restore {
        key: String,
    },
    /// Settle a merge conflict recorded in the map (a `merge-conflict` finding): keep ours, or take theirs.
    Settle {
        key: String,
        side: crate::model::merge::Side,
    },
}

/// What the canvas asks the app to do to the document.
#[derive(Clone, Debug, PartialEq)]
pub enum CanvasEvent {
    /// A drag of cards began (open a transaction).
    MoveStarted,
    /// Cards are now here (inside the transaction).
    Moved(Vec<(NodeId, Placement)>),
    /// The drag ended (commit).
    MoveEnded,
    /// Link `from` to `to`; the kind follows from the two cards.
    Connect { from: NodeId, to: NodeId },
    /// Add a card of `kind` centred on a map point.
    CreateAt { kind: Kind, at: Point },
    /// The in-place title editor changed the title.
    TitleEdited { id: NodeId, title: String },
    /// The in-place title editor closed.
    TitleEditEnded,
}

/// The accessible name of a card: "Mission: Kickstart economic growth".
#[must_use]
pub fn card_label(node: &Node) -> String {
    format!("{}: {}", node.kind().label(), node.title)
}

/// What a link says, for screen readers: "Intervention: A contributes to Sub-mission: B".
#[must_use]
pub fn link_label(map: &MissionMap, link: &crate::model::Link) -> String {
    let end = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), card_label);
    format!("{} {} {}", end(&link.from), link.kind.label(), end(&link.to))
}

/// A card's links in words, for its accessible description: what it leads to first ("contributes
/// to Sub-mission: B"), then what leads to it ("Intervention: A enables this"), each in id order.
#[must_use]
pub fn card_links_text(map: &MissionMap, id: &NodeId) -> String {
    let end = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), card_label);
    let (out, into) = map.links_of_sorted(id);
    let mut parts: Vec<String> = out.iter().map(|l| format!("{} {}", l.kind.label(), end(&l.to))).collect();
    parts.extend(into.iter().map(|l| format!("{} {} this", end(&l.from), l.kind.label())));
    if parts.is_empty() { "No links".to_owned() } else { capitalise(&parts.join("; ")) }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Everything a person can ask of the editor, from wherever it came: keys, menus, the toolbar and
/// the palette (`Do`), the canvas, the inspector, the checks panel, the workshop panels, the
/// portfolio. The shell gathers one list of these each frame and hands each to [`Editor::handle`].
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    Do(Action),
    Canvas(CanvasEvent),
    Edit(Box<Edit>),
    Checks(ChecksEvent),
    Workshop(WorkshopEvent),
    /// Select and frame these cards (the portfolio's counts).
    Show(Vec<NodeId>),
    /// Select this link (the inspector's list of a card's links).
    ShowLink(LinkId),
    /// Paste text copied from a Missionboard window, centred on the view.
    Paste(String),
    /// Move the keyboard focus along the links (Shift: extend the selection).
    Navigate {
        toward: Toward,
        extend: bool,
    },
    /// Move the selected cards by this much (map units); a run of nudges is one undo step.
    Nudge {
        dx: f32,
        dy: f32,
    },
    /// Typing onto a selected card replaces its title, as in a spreadsheet.
    TypeOnto {
        id: NodeId,
        text: String,
    },
    /// Text typed after "add a card" before the new card's title editor had the keyboard (in the
    /// same frame, or while the next frame was being drawn): it goes into that title. `end`: Enter,
    /// Tab or Esc came after it, and the title is done.
    TypeIntoTitle {
        text: String,
        end: bool,
    },
}

/// The editor without its window: the document with its history, what is selected and focused,
/// the title being typed, the open group of edits, the remembered choices, and the status line.
pub struct Editor {
    pub doc: Document,
    pub cursor: Cursor,
    group: Option<EditGroup>,
    pub settings: Settings,
    pub status: Option<Status>,
    /// The map point in the middle of the view (where new cards and pastes go).
    pub view_centre: Point,
    /// Width over height of the canvas on screen: "Lay out" for the screen fills it.
    pub view_aspect: Option<f32>,
    out: Outcome,
}

impl Editor {
    #[must_use]
    pub fn new(map: MissionMap, settings: Settings) -> Editor {
        Editor {
            doc: Document::new(map),
            cursor: Cursor::default(),
            group: None,
            settings,
            status: None,
            view_centre: Point::default(),
            view_aspect: None,
            out: Outcome::default(),
        }
    }

    /// The map being edited.
    #[must_use]
    pub fn map(&self) -> &MissionMap {
        self.doc.map()
    }

    /// What the requests since the last call asked of the view.
    pub fn take_outcome(&mut self) -> Outcome {
        std::mem::take(&mut self.out)
    }

    /// Cards are being dragged (checks wait: moving changes no finding).
    #[must_use]
    pub fn dragging(&self) -> bool {
        self.group == Some(EditGroup::Move)
    }

    /// An inspector field's edits are open (they end when the field lets go of the keyboard).
    #[must_use]
    pub fn editing_field(&self) -> bool {
        matches!(self.group, Some(EditGroup::Field { .. }))
    }

    /// Forgets the selection, focus and open edits (after the document was replaced).
    pub fn reset_cursor(&mut self) {
        self.cursor = Cursor::default();
        self.group = None;
    }

    /// Runs the editing actions; returns `false` for actions that are the shell's (files, view,
    /// windows, clipboard).
    pub fn perform(&mut self, action: Action) -> bool {
        match action {
            Action::Undo => {
                self.group = None;
                self.cursor.editing = None;
                match (self.doc.undo(), self.doc.locked()) {
                    (Some(label), _) => self.say(format!("Undid: {label}")),
                    (None, Some(why)) => self.say(format!("Not undone: {why}.")),
                    (None, None) => self.say("Nothing to undo"),
                }
                self.cursor.selection.retain_existing(self.doc.map());
            }
            Action::Redo => {
                self.commit_edit();
                match (self.doc.redo(), self.doc.locked()) {
                    (Some(label), _) => self.say(format!("Redid: {label}")),
                    (None, Some(why)) => self.say(format!("Not redone: {why}.")),
                    (None, None) => self.say("Nothing to redo"),
                }
                self.cursor.selection.retain_existing(self.doc.map());
            }
            Action::Duplicate => {
                if let Some(text) = self.copy_text() {
                    self.paste_text(&text, false);
                }
            }
            Action::Delete => self.delete_selection(),
            Action::SelectAll => {
                self.cursor.selection =
                    Selection { nodes: self.map().nodes().map(|n| n.id.clone()).collect(), links: BTreeSet::new() };
                self.say(format!("Selected all {} cards", self.cursor.selection.nodes.len()));
            }
            Action::AddCard(kind) => self.add_at_centre(kind),
            Action::AddChild => self.add_child(),
            Action::AddSibling => self.add_sibling(),
            Action::EditTitle => {
                if let Some(id) = self.cursor.selection.single_node().cloned() {
                    let text = self.map().node(&id).map(|n| n.title.clone()).unwrap_or_default();
                    self.cursor.editing = Some(TitleEdit { id, text, started: false, select_all: true });
                }
            }
            Action::Connect => {
                let ids = self.selected_ids();
                if ids.len() == 2 {
                    self.connect(&ids[0], &ids[1]);
                } else {
                    self.warn("Select exactly two cards to link them (Shift+click, or Shift+Alt+arrow keys).");
                }
            }
            Action::AlignLeft
            | Action::AlignCentre
            | Action::AlignTop
            | Action::DistributeHorizontally
            | Action::DistributeVertically => self.arrange(action),
            Action::TogglePin => self.toggle_pin(),
            Action::Layout | Action::LayoutSelection => self.auto_layout(action == Action::LayoutSelection),
            // Asking for one panel while both are hidden shows it (not hides it unseen).
            Action::ToggleInspector if self.settings.hide_side_panels => {
                self.settings.hide_side_panels = false;
                self.settings.show_inspector = true;
            }
            Action::ToggleInspector => self.settings.show_inspector = !self.settings.show_inspector,
            Action::ToggleMinimap => self.settings.show_minimap = !self.settings.show_minimap,
            Action::ToggleSidePanels => self.settings.hide_side_panels = !self.settings.hide_side_panels,
            Action::ToggleChecks if self.settings.hide_side_panels => {
                self.settings.hide_side_panels = false;
                self.settings.show_checks = true;
            }
            Action::ToggleChecks => self.settings.show_checks = !self.settings.show_checks,
            Action::TextLarger | Action::TextSmaller | Action::TextReset => {
                let now = self.settings.ui_scale;
                let next = match action {
                    Action::TextLarger => now + 0.25,
                    Action::TextSmaller => now - 0.25,
                    _ => 1.0,
                };
                self.settings.ui_scale = (next * 4.0).round().clamp(4.0, settings::MAX_UI_SCALE * 4.0) / 4.0;
                self.say(format!("Text size {:.0}%", self.settings.ui_scale * 100.0));
            }
            Action::Theme(theme) => {
                self.settings.theme = theme;
                self.settings.before_projector = None;
                self.say(format!("{} theme", theme.label()));
            }
            Action::ProjectorPreset => {
                let said = self.settings.toggle_projector();
                self.say(said);
            }
            Action::ReduceMotion => {
                self.settings.reduced_motion = !self.settings.reduced_motion;
                self.say(if self.settings.reduced_motion {
                    "Motion reduced: cards jump to their places, nothing glides"
                } else {
                    "Motion back on: cards glide to their places after a layout"
                });
            }
            Action::TogglePathways => {
                self.settings.pathways = !self.settings.pathways;
                if self.settings.pathways && self.cursor.selection.nodes.is_empty() {
                    self.say("Pathways on: select a card to light up every path through it.");
                }
            }
            _ => return false,
        }
        true
    }

    /// Handles one request. Gives back the action when it is the shell's to do (files, the view,
    /// windows, the clipboard, present mode).
    pub fn handle(&mut self, intent: Intent) -> Option<Action> {
        match intent {
            Intent::Do(action) => return (!self.perform(action)).then_some(action),
            Intent::Canvas(e) => self.canvas(e),
            Intent::Edit(e) => self.edit(*e),
            Intent::Checks(e) => self.checks_event(e),
            Intent::Workshop(e) => self.workshop_event(e),
            Intent::Show(cards) => {
                let n = cards.len();
                self.show_cards(&cards, &[]);
                self.say(format!("{n} cards selected."));
            }
            Intent::ShowLink(id) => {
                if let Some(link) = self.doc.map().link(&id) {
                    let said = format!("Link selected: {}", link_label(self.doc.map(), link));
                    self.cursor.selection = Selection::default();
                    self.cursor.selection.links.insert(id);
                    self.say(said);
                }
            }
            Intent::Paste(text) => self.paste_text(&text, true),
            Intent::Navigate { toward, extend } => self.navigate(toward, extend),
            Intent::Nudge { dx, dy } => self.nudge(dx, dy),
            Intent::TypeOnto { id, text } => {
                self.cursor.editing =
                    Some(TitleEdit { id: id.clone(), text: text.clone(), started: false, select_all: false });
                let command = self.title_command(&id, &text);
                self.apply_grouped(EditGroup::Title(id), "Edit title", command);
            }
            Intent::TypeIntoTitle { text, end } => self.type_into_title(&text, end),
        }
        None
    }

    /// Adds typed text to the title being typed (a card just added), whose editor has not had the
    /// keyboard yet; the editor then opens with the cursor after it.
    fn type_into_title(&mut self, text: &str, end: bool) {
        let Some(edit) = &mut self.cursor.editing else { return };
        if !text.is_empty() {
            if edit.select_all {
                edit.text.clear();
                edit.select_all = false;
            }
            edit.text.push_str(text);
            edit.started = false;
            let (id, title) = (edit.id.clone(), edit.text.clone());
            let command = self.title_command(&id, &title);
            self.apply_grouped(EditGroup::Title(id), "Edit title", command);
        }
        if end {
            self.cursor.editing = None;
            self.canvas(CanvasEvent::TitleEditEnded);
        }
    }

    /// An edit from the inspector.
    pub fn edit(&mut self, edit: Edit) {
        self.apply_grouped(edit.group, &edit.label, edit.command);
    }
}

/// The map-space bounds `[x0, y0, x1, y1]` around these cards (those that exist), if any.
#[must_use]
pub fn cards_bounds(map: &MissionMap, cards: &[NodeId]) -> Option<[f32; 4]> {
    cards
        .iter()
        .filter_map(|id| {
            let (p, n) = (map.placement(id)?, map.node(id)?);
            let (w, h) = n.card_size();
            Some([p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0])
        })
        .reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])])
}

/// A refusal in plain words, starting with a capital letter.
#[must_use]
pub fn refusal_text(e: &ModelError) -> String {
    let s = e.to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("Not done: {}{}", f.to_uppercase(), c.as_str()),
        None => s,
    }
}

/// Text for the screen: the UI font has no arrow glyphs, so arrows become "->".
#[must_use]
pub fn screen_text(s: &str) -> String {
    s.replace('→', "->").replace('←', "<-")
}
