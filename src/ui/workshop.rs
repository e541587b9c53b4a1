//! Workshop mode: the countdown timer, present mode's steps, and the panels for quick capture, the
//! parking lot, dot voting and session snapshots. Each panel returns what it wants done; the app
//! applies it as commands.

use egui::{Color32, RichText, Ui};

pub use crate::editor::WorkshopEvent;
use crate::editor::present::Timer;
use crate::model::diff::MapDiff;
use crate::model::workshop::Workshop;
use crate::model::{Kind, MissionMap, NodeId};

/// The panels' own state.
#[derive(Clone, Debug, Default)]
pub struct WorkshopState {
    pub capture_open: bool,
    pub capture_text: String,
    /// Where captured ideas go.
    pub capture_target: Option<NodeId>,
    pub focus_capture: bool,
    pub parking_open: bool,
    pub voting_open: bool,
    pub round: usize,
    pub new_round: String,
    pub votes_each: u32,
    pub participants: u32,
    pub sessions_open: bool,
    pub session_name: String,
    /// The snapshot being compared with, the document revision it was compared at, and what
    /// changed since.
    pub comparing: Option<(usize, u64, MapDiff)>,
    pub timer: Timer,
    pub timer_open: bool,
}

/// Payload when a parked idea is dragged onto the map.
#[derive(Clone, Copy, Debug)]
pub struct ParkedDrag(pub usize);

/// The quick-capture box: one idea per line; each Enter adds the lines typed so far.
pub fn capture(ui: &mut Ui, state: &mut WorkshopState, map: &MissionMap) -> Vec<WorkshopEvent> {
    let mut events = Vec::new();
    let target = state.capture_target.as_ref().and_then(|id| map.node(id));
    let what = match target.map(crate::model::Node::kind) {
        Some(Kind::Mission) => "sub-missions under",
        Some(Kind::SubMission) => "interventions under",
        Some(Kind::Intervention) => "partners delivering",
        Some(Kind::Partner) => "partners beside",
        None => "cards in the middle of the view",
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Quick capture").strong());
        match target {
            Some(t) => ui.label(format!("Ideas become {what} \u{201c}{}\u{201d}", t.title)),
            None => ui.label(format!("Ideas become {what} (select a card first to put them under it)")),
        };
    });
    ui.horizontal(|ui| {
        let l = ui.label("Ideas:");
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut state.capture_text)
                    .desired_rows(1)
                    .desired_width(ui.available_width() - 230.0)
                    .hint_text("type an idea and press Enter; paste several lines at once"),
            )
            .labelled_by(l.id);
        if state.focus_capture {
            r.request_focus();
            state.focus_capture = false;
        }
        // Every complete line (ended by Enter) becomes a card; the unfinished one stays.
        if state.capture_text.contains('\n') {
            let text = std::mem::take(&mut state.capture_text);
            let (done, rest) = text.rsplit_once('\n').unwrap_or(("", &text));
            rest.clone_into(&mut state.capture_text);
            let ideas: Vec<String> = done.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            if !ideas.is_empty() {
                events.push(WorkshopEvent::Capture { ideas, target: state.capture_target.clone() });
            }
        }
        if ui.button("Park").on_hover_text("Put what is typed in the parking lot instead").clicked() {
            let ideas: Vec<String> =
                state.capture_text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            state.capture_text.clear();
            if !ideas.is_empty() {
                events.push(WorkshopEvent::Park(ideas));
            }
        }
        if ui.button("Close").clicked() {
            state.capture_open = false;
        }
    });
    events
}

/// The parking lot: ideas kept for later, placed with a button, Enter, or by dragging onto the map.
pub fn parking(ui: &mut Ui, workshop: &Workshop) -> Vec<WorkshopEvent> {
    let mut events = Vec::new();
    if workshop.parking.is_empty() {
        ui.label("No ideas parked. Quick capture (Ctrl+Shift+Q) has a Park button.");
    }
    for (i, idea) in workshop.parking.iter().enumerate() {
        ui.horizontal(|ui| {
            let id = egui::Id::unique(("parked", i));
            ui.dnd_drag_source(id, ParkedDrag(i), |ui| {
                ui.label(RichText::new(idea.text.clone()).strong());
                // Who sent it from the room ("anonymous" when no name was given).
                if let Some(who) = idea.sender() {
                    ui.label(RichText::new(format!("from {who}")).italics());
                }
            })
            .response
            .on_hover_text("Drag onto the map to place it there");
            let place = ui.button("Place").on_hover_text("Add it to the map beside the selected card");
            let label = format!("Place: {}", idea.text);
            place.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if place.clicked() {
                events.push(WorkshopEvent::Place { index: i, at: None });
            }
            let remove = ui.button("Remove");
            let label = format!("Remove: {}", idea.text);
            remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if remove.clicked() {
                events.push(WorkshopEvent::Unpark(i));
            }
        });
    }
    events
}

/// Dot voting: rounds, the tally for the selected card, and the ranking.
pub fn voting(
    ui: &mut Ui,
    state: &mut WorkshopState,
    map: &MissionMap,
    selected: Option<&NodeId>,
    today: Option<chrono::NaiveDate>,
) -> Vec<WorkshopEvent> {
    let mut events = Vec::new();
    let workshop = &map.workshop;
    if state.votes_each == 0 {
        state.votes_each = 3;
    }
    state.round = state.round.min(workshop.votes.len().saturating_sub(1));
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("New round:");
        let name = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_round)
                    .hint_text("e.g. Which interventions first?")
                    .desired_width(200.0),
            )
            .labelled_by(l.id);
        // Enter in the round's name starts it: no mouse needed.
        let entered = name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add(egui::DragValue::new(&mut state.votes_each).range(1..=20).suffix(" votes each"));
        ui.add(egui::DragValue::new(&mut state.participants).range(0..=500).suffix(" people"));
        if ui.button("Start round").clicked() || entered {
            let mut w = workshop.clone();
            let name = if state.new_round.trim().is_empty() {
                format!("Round {}", w.votes.len() + 1)
            } else {
                state.new_round.trim().to_owned()
            };
            w.votes.push(crate::model::workshop::VoteRound {
                id: crate::model::ItemId::default(),
                name: name.clone(),
                date: today,
                votes_each: state.votes_each,
                participants: state.participants,
                tally: std::collections::BTreeMap::new(),
            });
            state.round = w.votes.len() - 1;
            state.new_round.clear();
            events.push(WorkshopEvent::Set(w, format!("Start voting round \u{201c}{name}\u{201d}")));
        }
    });
    if workshop.votes.is_empty() {
        ui.label("No voting round yet. Name one and press Start round.");
        return events;
    }
    // The round started this frame is not in `workshop` yet: show the last one there is.
    let shown = state.round.min(workshop.votes.len() - 1);
    egui::ComboBox::from_label("Round").selected_text(&workshop.votes[shown].name).show_ui(ui, |ui| {
        for (i, r) in workshop.votes.iter().enumerate() {
            let date = r.date.map(|d| d.format(" (%e %b %Y)").to_string()).unwrap_or_default();
            ui.selectable_value(&mut state.round, i, format!("{}{date}", r.name));
        }
    });
    let round = &workshop.votes[shown];
    // "Left" never hides votes over the budget: they are said in words, in the warning colour.
    match (round.over(), round.budget()) {
        (Some(over), Some(budget)) => {
            ui.label(
                RichText::new(format!(
                    "{} each; {} cast \u{2014} {over} more than the {budget} this round has.",
                    votes_text(round.votes_each),
                    round.cast()
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        _ => {
            let left = round.left().map(|l| format!(", {l} left")).unwrap_or_default();
            ui.label(format!("{} each; {} cast{left}.", votes_text(round.votes_each), round.cast()));
        }
    }
    match selected.and_then(|id| map.node(id)) {
        Some(card) => {
            let n = round.tally.get(&card.id).copied().unwrap_or(0);
            ui.horizontal(|ui| {
                ui.label(format!("\u{201c}{}\u{201d}: {}", card.title, votes_text(n)));
                if ui.button("+1 vote").on_hover_text("Or press + with the card selected").clicked() {
                    events.push(vote(shown, &card.id, 1));
                }
                if ui.add_enabled(n > 0, egui::Button::new("-1 vote")).on_hover_text("Or press -").clicked() {
                    events.push(vote(shown, &card.id, -1));
                }
            });
        }
        None => {
            ui.label("Select a card, then press + (or the button) for each vote it gets.");
        }
    }
    ui.separator();
    ui.label(RichText::new("Ranking").strong());
    egui::Grid::new("ranking").striped(true).show(ui, |ui| {
        for (place, (id, n)) in round.ranking().into_iter().filter(|(id, _)| map.contains_node(id)).enumerate() {
            let title = map.node(&id).map_or(String::new(), |c| c.title.clone());
            ui.label(format!("{}.", place + 1));
            if ui.add(egui::Button::new(&title).frame(false)).clicked() {
                events.push(WorkshopEvent::Show(vec![id.clone()]));
            }
            ui.label(votes_text(n));
            ui.end_row();
        }
    });
    events
}

pub use crate::model::workshop::votes_text;

/// One more (or one fewer) vote for a card in a round: the editor checks the round's budget.
#[must_use]
pub fn vote(round: usize, card: &NodeId, delta: i32) -> WorkshopEvent {
    WorkshopEvent::Vote { round, card: card.clone(), up: delta > 0 }
}

/// Session snapshots: mark the end of a session, and show what changed since one.
pub fn sessions(
    ui: &mut Ui,
    state: &mut WorkshopState,
    map: &MissionMap,
    today: Option<chrono::NaiveDate>,
) -> Vec<WorkshopEvent> {
    let mut events = Vec::new();
    let workshop = &map.workshop;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Session name:");
        let hint = format!("Session {}", workshop.snapshots.len() + 1);
        ui.add(egui::TextEdit::singleline(&mut state.session_name).hint_text(hint.clone()).desired_width(220.0))
            .labelled_by(l.id);
        if ui.button("Mark the end of this session").clicked() {
            let name = if state.session_name.trim().is_empty() { hint } else { state.session_name.trim().to_owned() };
            let mut w = workshop.clone();
            w.snapshots.push(crate::model::workshop::snapshot(map, &name, today));
            state.session_name.clear();
            events.push(WorkshopEvent::Set(w, format!("Mark the end of \u{201c}{name}\u{201d}")));
        }
    });
    if workshop.snapshots.is_empty() {
        ui.label("No session marked yet.");
        return events;
    }
    ui.label(RichText::new("Show what changed since").strong());
    for (i, s) in workshop.snapshots.iter().enumerate().rev() {
        let date = s.date.map(|d| d.format(", %e %b %Y").to_string()).unwrap_or_default();
        let on = state.comparing.as_ref().is_some_and(|(n, ..)| *n == i);
        if ui.selectable_label(on, format!("{}{date}", s.name)).clicked() {
            events.push(WorkshopEvent::Compare(if on { None } else { Some(i) }));
        }
    }
    if let Some((_, _, d)) = &state.comparing {
        ui.separator();
        if d.is_empty() {
            ui.label("Nothing has changed since.");
        }
        let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
        let mut list = |ui: &mut Ui, heading: &str, colour: Color32, cards: &[NodeId]| {
            if cards.is_empty() {
                return;
            }
            ui.label(RichText::new(format!("{heading} ({})", cards.len())).color(colour).strong());
            for id in cards {
                if ui.add(egui::Button::new(title(id)).frame(false)).clicked() {
                    events.push(WorkshopEvent::Show(vec![id.clone()]));
                }
            }
        };
        list(ui, "Cards added", ADDED, &d.added);
        list(ui, "Cards edited", EDITED, &d.edited);
        if !d.removed.is_empty() {
            ui.label(RichText::new(format!("Cards removed ({})", d.removed.len())).strong());
            for (_, t) in &d.removed {
                ui.label(format!("\u{2013} {t}"));
            }
        }
        let links = [
            ("Links added", d.links_added.len()),
            ("links edited", d.links_edited.len()),
            ("links removed", d.links_removed.len()),
        ];
        ui.label(links.iter().map(|(w, n)| format!("{w}: {n}")).collect::<Vec<_>>().join(", "));
    }
    events
}

/// Outline colours for cards added and edited since a snapshot (with the list naming them, never
/// colour alone).
pub const ADDED: Color32 = Color32::from_rgb(0, 140, 70);
pub const EDITED: Color32 = Color32::from_rgb(220, 140, 0);

/// The colour of a timer that has just ended: a gentle pulse between two reds, not an alarm.
#[must_use]
pub fn pulse(now: f64) -> Color32 {
    let a = f64::midpoint((now * 2.0).sin(), 1.0) as f32;
    Color32::from_rgb(200, 60, 40).lerp_to_gamma(Color32::from_rgb(120, 30, 20), a)
}

/// The timer's controls and its large display.
pub fn timer(ui: &mut Ui, state: &mut WorkshopState, now: f64) {
    let t = &mut state.timer;
    let big = RichText::new(t.text(now)).size(56.0).monospace();
    let colour = if t.just_ended(now) {
        pulse(now)
    } else if t.left(now) < 60.0 && t.running() {
        Color32::from_rgb(180, 90, 0)
    } else {
        ui.visuals().strong_text_color()
    };
    let r = ui.label(big.color(colour));
    let spoken =
        if t.just_ended(now) { format!("Time is up ({})", t.text(now)) } else { format!("Timer {}", t.text(now)) };
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Timer, true, &spoken));
    if t.just_ended(now) {
        ui.label(RichText::new("Time is up").strong().color(colour));
    }
    ui.horizontal_wrapped(|ui| {
        let label = if t.running() { "Pause" } else { "Start" };
        if ui.button(label).on_hover_text("Or press T in present mode").clicked() {
            t.toggle(now);
        }
        if ui.button("+1 minute").clicked() {
            t.add_minute(now);
        }
        if ui.button("Reset").clicked() {
            t.reset();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Length:");
        for minutes in [3.0, 5.0, 10.0, 15.0, 20.0, 30.0] {
            if ui.selectable_label((t.length - minutes * 60.0).abs() < 0.5, format!("{minutes:.0} min")).clicked() {
                t.set_length(minutes * 60.0);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_vote_is_not_one_votes() {
        assert_eq!(super::votes_text(1), "1 vote");
        assert_eq!(super::votes_text(0), "0 votes");
        assert_eq!(super::votes_text(3), "3 votes");
    }
}
