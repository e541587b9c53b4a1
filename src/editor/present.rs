//! Present mode and the workshop timer: logic only (no drawing). The steps of a presentation, what
//! each reveals, its caption, where the presenter is, and the countdown for an exercise.

use crate::model::{Kind, MissionMap, NodeId};

/// A countdown for an exercise. Times are egui's clock (seconds), so tests can drive it.
#[derive(Clone, Debug, PartialEq)]
pub struct Timer {
    /// The length set for the exercise.
    pub length: f64,
    /// Seconds left when last paused or reset.
    left_at_pause: f64,
    /// When it was started, if running.
    started: Option<f64>,
    /// When it reached zero (for the gentle cue at the end).
    pub ended_at: Option<f64>,
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new(10.0 * 60.0)
    }
}

impl Timer {
    #[must_use]
    pub fn new(length: f64) -> Timer {
        Timer { length, left_at_pause: length, started: None, ended_at: None }
    }

    #[must_use]
    pub fn left(&self, now: f64) -> f64 {
        match self.started {
            Some(t) => (self.left_at_pause - (now - t)).max(0.0),
            None => self.left_at_pause,
        }
    }

    #[must_use]
    pub fn running(&self) -> bool {
        self.started.is_some()
    }

    pub fn start(&mut self, now: f64) {
        if self.started.is_none() && self.left_at_pause > 0.0 {
            self.started = Some(now);
            self.ended_at = None;
        }
    }

    pub fn pause(&mut self, now: f64) {
        self.left_at_pause = self.left(now);
        self.started = None;
    }

    pub fn toggle(&mut self, now: f64) {
        if self.running() { self.pause(now) } else { self.start(now) }
    }

    pub fn add_minute(&mut self, now: f64) {
        self.left_at_pause = self.left(now) + 60.0;
        if self.started.is_some() {
            self.started = Some(now);
        }
        self.ended_at = None;
    }

    pub fn reset(&mut self) {
        self.left_at_pause = self.length;
        self.started = None;
        self.ended_at = None;
    }

    pub fn set_length(&mut self, seconds: f64) {
        self.length = seconds.max(0.0);
        self.reset();
    }

    /// Call every frame: notes the moment the countdown reaches zero.
    pub fn tick(&mut self, now: f64) {
        if self.running() && self.left(now) <= 0.0 {
            self.left_at_pause = 0.0;
            self.started = None;
            self.ended_at = Some(now);
        }
    }

    /// "09:59"
    #[must_use]
    pub fn text(&self, now: f64) -> String {
        let left = self.left(now).ceil() as u64;
        format!("{:02}:{:02}", left / 60, left % 60)
    }

    /// True for the first 10 seconds after the end: the display pulses gently.
    #[must_use]
    pub fn just_ended(&self, now: f64) -> bool {
        self.ended_at.is_some_and(|t| now - t < 10.0)
    }
}

/// One step of a presentation.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// The whole map.
    Overview,
    /// A mission, revealed down to a depth: 0 the mission, 1 + sub-missions, 2 + interventions,
    /// 3 + partners.
    Mission { id: NodeId, depth: u8 },
}

/// What each depth adds.
pub const DEPTH_NAMES: [&str; 4] = ["the mission", "its sub-missions", "the interventions", "the partners"];

/// The steps for a map: the overview, then each mission (left to right) in four reveals.
#[must_use]
pub fn steps(map: &MissionMap) -> Vec<Step> {
    let mut missions: Vec<(&NodeId, f32)> =
        map.nodes_with_placement().filter(|(n, _)| n.kind() == Kind::Mission).map(|(n, p)| (&n.id, p.x)).collect();
    missions.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let mut out = vec![Step::Overview];
    for (id, _) in missions {
        for depth in 0..4 {
            out.push(Step::Mission { id: id.clone(), depth });
        }
    }
    out
}

/// The cards shown (not dimmed) at a step; `None` shows everything.
#[must_use]
pub fn revealed(map: &MissionMap, portfolio: &crate::model::analysis::Portfolio, step: &Step) -> Option<Vec<NodeId>> {
    let Step::Mission { id, depth } = step else { return None };
    let mut cards = vec![id.clone()];
    if let Some(f) = portfolio.missions.iter().find(|f| &f.mission == id) {
        if *depth >= 1 {
            cards.extend(f.sub_missions.iter().cloned());
        }
        if *depth >= 2 {
            cards.extend(f.interventions.iter().cloned());
        }
        if *depth >= 3 {
            cards.extend(f.sectors.iter().flat_map(|m| m.cards.iter().cloned()));
        }
    }
    cards.retain(|c| map.contains_node(c));
    Some(cards)
}

/// The caption of a step: "Make Britain a clean energy superpower — the interventions (3 of 4)".
#[must_use]
pub fn caption(map: &MissionMap, step: &Step) -> String {
    match step {
        Step::Overview => map.meta.title.clone(),
        Step::Mission { id, depth } => {
            let title = map.node(id).map_or("", |n| n.title.as_str());
            format!("{title} \u{2014} {} ({} of 4)", DEPTH_NAMES[usize::from(*depth).min(3)], depth + 1)
        }
    }
}

/// A presentation under way: its steps, where we are, and what shows on the laptop screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Present {
    pub steps: Vec<Step>,
    pub step: usize,
    /// Presenter notes and the next step, in a second window for the laptop screen.
    pub presenter_view: bool,
    /// The notes strip at the foot of the main window.
    pub notes: bool,
}

/// A move through the presentation (keys, a clicker, the presenter window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresentMove {
    Next,
    Back,
    First,
    Last,
    ToggleNotes,
    TogglePresenterView,
    ClosePresenterView,
}

impl Present {
    /// A presentation of `map`, at its first step (the overview).
    #[must_use]
    pub fn of(map: &MissionMap) -> Present {
        Present { steps: steps(map), step: 0, presenter_view: false, notes: false }
    }

    /// The step shown now.
    #[must_use]
    pub fn current(&self) -> &Step {
        &self.steps[self.step.min(self.steps.len() - 1)]
    }

    /// Moves; returns whether the step changed.
    pub fn go(&mut self, m: PresentMove) -> bool {
        let before = self.step;
        let last = self.steps.len() - 1;
        match m {
            PresentMove::Next => self.step = (self.step + 1).min(last),
            PresentMove::Back => self.step = self.step.saturating_sub(1),
            PresentMove::First => self.step = 0,
            PresentMove::Last => self.step = last,
            PresentMove::ToggleNotes => self.notes = !self.notes,
            PresentMove::TogglePresenterView => self.presenter_view = !self.presenter_view,
            PresentMove::ClosePresenterView => self.presenter_view = false,
        }
        self.step != before
    }

    /// The notes for the current step: the mission's notes, or the map's description.
    #[must_use]
    pub fn notes_text(&self, map: &MissionMap) -> String {
        match self.current() {
            Step::Mission { id, .. } => map.node(id).map(|n| n.notes.clone()).unwrap_or_default(),
            Step::Overview => map.meta.description.clone(),
        }
    }

    /// The caption of the next step, or "the end".
    #[must_use]
    pub fn next_caption(&self, map: &MissionMap) -> String {
        self.steps.get(self.step + 1).map_or_else(|| "the end".to_owned(), |s| caption(map, s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timer_counts_down_pauses_and_ends() {
        let mut t = Timer::new(120.0);
        assert_eq!(t.text(0.0), "02:00");
        t.start(10.0);
        assert_eq!(t.text(40.0), "01:30");
        t.pause(40.0);
        assert_eq!(t.text(100.0), "01:30", "paused time does not count");
        t.add_minute(100.0);
        assert_eq!(t.text(100.0), "02:30");
        t.start(100.0);
        t.tick(249.0);
        assert!(!t.just_ended(249.0));
        t.tick(251.0);
        assert_eq!(t.text(251.0), "00:00");
        assert!(t.just_ended(255.0));
        assert!(!t.just_ended(262.0));
        assert!(!t.running());
        t.reset();
        assert_eq!(t.text(300.0), "02:00");
    }

    #[test]
    fn a_presentation_steps_through_each_mission_in_four_reveals() {
        let map = crate::sample::uk_missions();
        let missions = map.nodes().filter(|n| n.kind() == Kind::Mission).count();
        let mut p = Present::of(&map);
        assert_eq!(p.steps.len(), 1 + 4 * missions);
        assert_eq!(p.current(), &Step::Overview);
        assert_eq!(caption(&map, p.current()), map.meta.title);
        assert!(!p.go(PresentMove::Back), "no step before the first");
        assert!(p.go(PresentMove::Next));
        assert!(matches!(p.current(), Step::Mission { depth: 0, .. }));
        assert!(caption(&map, p.current()).ends_with("the mission (1 of 4)"), "{}", caption(&map, p.current()));
        assert!(p.go(PresentMove::Last));
        assert!(!p.go(PresentMove::Next), "no step after the last");
        assert_eq!(p.next_caption(&map), "the end");
        assert!(p.go(PresentMove::First));
        assert!(!p.go(PresentMove::ToggleNotes));
        assert!(p.notes);
        let portfolio = crate::model::analysis::portfolio(&map);
        assert_eq!(revealed(&map, &portfolio, &Step::Overview), None, "the overview shows every card");
        let Step::Mission { id, .. } = &p.steps[1] else { panic!("a mission step") };
        let shown: Vec<usize> = (0..4)
            .map(|depth| revealed(&map, &portfolio, &Step::Mission { id: id.clone(), depth }).map_or(0, |c| c.len()))
            .collect();
        assert_eq!(shown[0], 1, "first the mission alone");
        assert!(shown.windows(2).all(|w| w[0] <= w[1]) && shown[3] > shown[0], "each reveal adds: {shown:?}");
    }
}
