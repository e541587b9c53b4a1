//! Editing operations: everything a person can do to the map, as methods on [`Editor`]. Each
//! applies commands to the document (so it can be undone), moves the selection, and notes in the
//! outcome what the view should show. Nothing here knows egui.

use super::{
    Action, CanvasEvent, ChecksEvent, EditGroup, Editor, Effect, Point, Reveal, Selection, Status, TitleEdit, Toward,
    WorkshopEvent, card_label, refusal_text, screen_text,
};
use crate::command::Command;
use crate::io;
use crate::layout;
use crate::model::{Kind, LinkId, LinkKind, Node, NodeId, Placement};

impl Editor {
    /// Applies a command as its own undo step, showing a refusal in the status bar.
    pub fn apply(&mut self, label: &str, command: Command) -> bool {
        self.commit_edit();
        match self.doc.apply(label, command) {
            Ok(()) => {
                self.cursor.selection.retain_existing(self.doc.map());
                // A red message about an earlier failure is no longer true once a change succeeds.
                if self.status.as_ref().is_some_and(|s| s.error) {
                    self.status = None;
                }
                true
            }
            Err(e) => {
                self.warn(refusal_text(&e));
                false
            }
        }
    }

    /// Applies an edit that belongs with the edits before it in the same group (typing in one
    /// field, dragging one slider): together they are one undo step.
    pub fn apply_grouped(&mut self, group: EditGroup, label: &str, command: Command) {
        if self.group.as_ref() != Some(&group) {
            self.commit_edit();
            self.doc.begin(label);
            self.group = Some(group);
        }
        if let Err(e) = self.doc.apply(label, command) {
            self.warn(refusal_text(&e));
        }
    }

    /// Ends the open group of edits: they become one undo step.
    pub fn commit_edit(&mut self) {
        if self.group.take().is_some() {
            self.doc.commit();
        }
    }

    #[must_use]
    pub fn placement(&self, id: &NodeId) -> Placement {
        self.map().placement(id).unwrap_or_default()
    }

    /// Adds a card and starts editing its title.
    fn add_card(&mut self, kind: Kind, place: Placement, link: Option<(NodeId, NodeId, LinkKind)>, new_is_from: bool) {
        let id = self.doc.fresh_node_id(kind);
        let node = Node::new(id.clone(), kind, format!("New {}", kind.label().to_lowercase()));
        let mut commands = vec![Command::AddNode { node: node.clone(), place }];
        if let Some((other, _, lk)) = link {
            let lid = self.doc.fresh_link_id();
            let (from, to) = if new_is_from { (id.clone(), other) } else { (other, id.clone()) };
            commands.push(Command::AddLink(crate::model::Link::new(lid, from, to, lk)));
        }
        if self.apply(&format!("Add {}", kind.label().to_lowercase()), Command::Batch(commands)) {
            self.cursor.selection.set_node(id.clone());
            self.cursor.focus = Some(id.clone());
            self.cursor.editing =
                Some(TitleEdit { id: id.clone(), text: String::new(), started: false, select_all: false });
            self.reveal(&id);
        }
    }

    /// Asks the view to bring a card on screen.
    fn reveal(&mut self, id: &NodeId) {
        self.out.reveal = Some(Reveal::Card(id.clone()));
    }

    pub fn add_child(&mut self) {
        let Some(id) = self.cursor.selection.single_node().cloned() else {
            self.warn("Select one card first: Tab adds a card that contributes to it.");
            return;
        };
        let Some(kind) = self.map().node(&id).map(Node::kind) else { return };
        let place = self.placement(&id);
        let Some((child, lk)) = kind.child() else {
            self.warn("Nothing goes below a partner. Enter adds another partner beside it.");
            return;
        };
        let spot = layout::free_spot_near(self.map(), child, layout::below(place));
        self.add_card(child, spot, Some((id.clone(), id, lk)), true);
    }

    pub fn add_sibling(&mut self) {
        let Some(id) = self.cursor.selection.single_node().cloned() else {
            self.warn("Select one card first: Enter adds a card beside it.");
            return;
        };
        let Some(kind) = self.map().node(&id).map(Node::kind) else { return };
        let place = self.placement(&id);
        let parent = self.map().links_from(&id).next().map(|l| (l.to.clone(), l.kind));
        let spot = layout::free_spot_near(self.map(), kind, (place.x, place.y));
        match parent {
            Some((to, lk)) => self.add_card(kind, spot, Some((to.clone(), to, lk)), true),
            None => self.add_card(kind, spot, None, true),
        }
    }

    pub fn add_at_centre(&mut self, kind: Kind) {
        self.settings.last_kind = kind;
        let c = self.view_centre;
        let spot = layout::free_spot_near(self.map(), kind, (c.x, c.y));
        self.add_card(kind, spot, None, true);
    }

    /// Links two cards; the kind follows from their kinds, and the direction is turned round when
    /// only the other way is allowed.
    pub fn connect(&mut self, from: &NodeId, to: &NodeId) {
        let (Some(fk), Some(tk)) = (self.map().node(from).map(Node::kind), self.map().node(to).map(Node::kind)) else {
            return;
        };
        let (from, to, kind) = match (LinkKind::infer(fk, tk), LinkKind::infer(tk, fk)) {
            (Some(k), _) => (from.clone(), to.clone(), k),
            (None, Some(k)) => (to.clone(), from.clone(), k),
            (None, None) => {
                let msg = format!(
                    "A {} cannot be linked to a {}. Links go: {}.",
                    fk.slug(),
                    tk.slug(),
                    LinkKind::rules_text()
                );
                self.refuse(&msg);
                return;
            }
        };
        let id = self.doc.fresh_link_id();
        let link = crate::model::Link::new(id.clone(), from, to, kind);
        match self.doc.apply("Add link", Command::AddLink(link)) {
            Ok(()) => {
                self.cursor.selection = Selection::default();
                self.cursor.selection.links.insert(id);
                self.say(format!("Linked: {}. Change the kind of link in the inspector.", kind.label()));
            }
            Err(e) => self.refuse(&refusal_text(&e)),
        }
    }

    /// Says no, by the pointer and in the status bar.
    fn refuse(&mut self, msg: &str) {
        let msg = screen_text(msg);
        self.out.refused = Some(msg.clone());
        self.warn(msg);
    }

    pub fn delete_selection(&mut self) {
        let sel = self.cursor.selection.clone();
        if sel.is_empty() {
            return;
        }
        let n = sel.nodes.len() + sel.links.len();
        let label = if sel.nodes.is_empty() { "Delete links" } else { "Delete cards" };
        let cmd = Command::Batch(vec![
            Command::RemoveLinks(sel.links.iter().cloned().collect()),
            Command::RemoveNodes(sel.nodes.iter().cloned().collect()),
        ]);
        if self.apply(label, cmd) {
            self.cursor.selection = Selection::default();
            self.cursor.focus = None;
            self.say(format!("Deleted {n} item(s). Ctrl+Z brings them back."));
        }
    }

    #[must_use]
    pub fn selected_ids(&self) -> Vec<NodeId> {
        self.cursor.selection.nodes.iter().cloned().collect()
    }

    #[must_use]
    pub fn copy_text(&self) -> Option<String> {
        let ids = self.selected_ids();
        (!ids.is_empty()).then(|| io::to_string(&self.map().subset(&ids)))
    }

    /// Pastes RON text copied from any Missionboard window; anything else is ignored with a note.
    pub fn paste_text(&mut self, text: &str, centre_on_view: bool) {
        let pasted = match io::load_str(text) {
            Ok(l) => l.map,
            Err(_) => {
                self.warn("The clipboard holds no Missionboard cards. Copy cards in Missionboard first.");
                return;
            }
        };
        let Some([x0, y0, x1, y1]) = pasted.bounds() else { return };
        let (dx, dy) = if centre_on_view {
            let c = self.view_centre;
            (c.x - f32::midpoint(x0, x1), c.y - f32::midpoint(y0, y1))
        } else {
            (40.0, 40.0)
        };
        let (cmd, ids) = self.doc.paste_command(&pasted, dx, dy);
        if self.apply("Paste", cmd) {
            self.cursor.selection =
                Selection { nodes: ids.iter().cloned().collect(), links: std::collections::BTreeSet::default() };
            self.say(format!("Pasted {} card(s)", ids.len()));
        }
    }

    pub fn arrange(&mut self, action: Action) {
        let ids = self.selected_ids();
        if ids.len() < 2 {
            self.warn("Select two or more cards to align or distribute them.");
            return;
        }
        let mut places: Vec<(NodeId, Placement)> = ids.iter().map(|id| (id.clone(), self.placement(id))).collect();
        let half_w = |id: &NodeId| self.map().node(id).map_or(100.0, |n| n.card_size().0 / 2.0);
        let half_h = |id: &NodeId| self.map().node(id).map_or(40.0, |n| n.card_size().1 / 2.0);
        match action {
            Action::AlignLeft => {
                let left = places.iter().map(|(id, p)| p.x - half_w(id)).fold(f32::INFINITY, f32::min);
                for (id, p) in &mut places {
                    p.x = left + half_w(id);
                }
            }
            Action::AlignCentre => {
                let cx = places.iter().map(|(_, p)| p.x).sum::<f32>() / places.len() as f32;
                for (_, p) in &mut places {
                    p.x = cx;
                }
            }
            Action::AlignTop => {
                let top = places.iter().map(|(id, p)| p.y - half_h(id)).fold(f32::INFINITY, f32::min);
                for (id, p) in &mut places {
                    p.y = top + half_h(id);
                }
            }
            Action::DistributeHorizontally | Action::DistributeVertically => {
                let horizontal = action == Action::DistributeHorizontally;
                let key = |p: &Placement| if horizontal { p.x } else { p.y };
                places.sort_by(|a, b| key(&a.1).total_cmp(&key(&b.1)));
                let (first, last) = (key(&places[0].1), key(&places[places.len() - 1].1));
                let step = (last - first) / (places.len() - 1) as f32;
                for (i, (_, p)) in places.iter_mut().enumerate() {
                    let v = first + step * i as f32;
                    if horizontal { p.x = v } else { p.y = v }
                }
            }
            _ => return,
        }
        self.apply(action.text(), Command::Place(places));
    }

    pub fn nudge(&mut self, dx: f32, dy: f32) {
        let moves: Vec<(NodeId, Placement)> = self
            .selected_ids()
            .into_iter()
            .map(|id| {
                let p = self.placement(&id);
                (id, Placement { x: p.x + dx, y: p.y + dy, ..p })
            })
            .collect();
        if !moves.is_empty() {
            self.apply_grouped(EditGroup::Nudge, "Nudge", Command::Place(moves));
        }
    }

    /// Moves the keyboard focus along links: up to the card this one serves, down to one that
    /// serves it, sideways among the cards serving the same card.
    pub fn navigate(&mut self, key: Toward, extend: bool) {
        let map = self.doc.map();
        let Some(current) = self.cursor.focus.clone().or_else(|| self.cursor.selection.nodes.iter().next().cloned())
        else {
            // Nothing focused: start at the first mission (or any card).
            let first = map.sorted_nodes().into_iter().min_by_key(|n| layout::band(n.kind())).map(|n| n.id.clone());
            if let Some(id) = first {
                self.focus_card(id, false);
            }
            return;
        };
        let x_of = |id: &NodeId| map.placement(id).map_or(0.0, |p| p.x);
        let next = match key {
            Toward::Up => map.links_from(&current).map(|l| l.to.clone()).min_by(|a, b| x_of(a).total_cmp(&x_of(b))),
            Toward::Down => map.links_to(&current).map(|l| l.from.clone()).min_by(|a, b| x_of(a).total_cmp(&x_of(b))),
            Toward::Left | Toward::Right => {
                let mut siblings: Vec<NodeId> = match map.links_from(&current).next() {
                    Some(parent) => map.links_to(&parent.to).map(|l| l.from.clone()).collect(),
                    None => {
                        let kind = map.node(&current).map(Node::kind);
                        map.nodes().filter(|n| Some(n.kind()) == kind).map(|n| n.id.clone()).collect()
                    }
                };
                siblings.sort_by(|a, b| x_of(a).total_cmp(&x_of(b)).then_with(|| a.cmp(b)));
                siblings.dedup();
                let i = siblings.iter().position(|s| *s == current).unwrap_or(0);
                let j = if key == Toward::Left { i.checked_sub(1) } else { Some(i + 1) };
                j.and_then(|j| siblings.get(j).cloned())
            }
        };
        match next {
            Some(id) => self.focus_card(id, extend),
            None => {
                let msg = match key {
                    Toward::Up => "This card does not serve another card.",
                    Toward::Down => "No card serves this one yet. Tab adds one.",
                    _ => "No more cards this way.",
                };
                self.say(msg);
            }
        }
    }

    #[allow(clippy::needless_pass_by_value, reason = "callers hand over ids they own")]
    pub fn focus_card(&mut self, id: NodeId, extend: bool) {
        if extend {
            self.cursor.selection.nodes.insert(id.clone());
        } else {
            self.cursor.selection.set_node(id.clone());
        }
        self.cursor.focus = Some(id.clone());
        self.reveal(&id);
        if let Some(n) = self.map().node(&id) {
            let text = card_label(n);
            self.say(text);
        }
    }

    pub fn toggle_pin(&mut self) {
        let ids = self.selected_ids();
        if ids.is_empty() {
            return;
        }
        let pin = !ids.iter().all(|id| self.placement(id).pinned);
        let moves = ids.iter().map(|id| (id.clone(), Placement { pinned: pin, ..self.placement(id) })).collect();
        self.apply(if pin { "Pin" } else { "Unpin" }, Command::Place(moves));
    }

    /// Lays out the map (or the selection) as one undoable step, and lets the cards glide there.
    pub fn auto_layout(&mut self, selection_only: bool) {
        let only = if selection_only {
            if self.cursor.selection.nodes.len() < 2 {
                self.warn("Select two or more cards to lay them out.");
                return;
            }
            Some(self.cursor.selection.nodes.iter().cloned().collect())
        } else {
            None
        };
        let base = layout::Options {
            compact: self.settings.layout_compact,
            by_mission: self.settings.layout_by_mission,
            bands: self.settings.layout_bands,
            direction: if self.settings.layout_left_right {
                layout::Direction::LeftRight
            } else {
                layout::Direction::TopDown
            },
            only,
            ..layout::Options::default()
        };
        let mut opts = self.settings.layout_target.options(base);
        // For the screen: the shape of the canvas as it is now (the window less its panels).
        if self.settings.layout_target == layout::Target::Screen
            && let Some(a) = self.view_aspect.filter(|a| a.is_finite() && (0.3..=6.0).contains(a))
        {
            opts.aspect = a;
        }
        let before: std::collections::HashMap<NodeId, (f32, f32)> =
            self.map().nodes_with_placement().map(|(n, p)| (n.id.clone(), (p.x, p.y))).collect();
        let result = layout::layout(self.map(), &opts);
        let moved = result.positions.len();
        let cmd = layout::command(self.map(), &result);
        if self.apply(if selection_only { "Lay out selection" } else { "Lay out" }, cmd) {
            self.out.effects.push(Effect::Glide(before));
            if !selection_only {
                self.out.reveal = Some(Reveal::Fit);
            }
            self.say(format!("Laid out {moved} cards. Ctrl+Z puts them back; pinned cards stayed put."));
        }
    }

    #[must_use]
    pub fn title_command(&self, id: &NodeId, title: &str) -> Command {
        let mut node = self.map().node(id).cloned().unwrap_or_else(|| Node::new(id.clone(), Kind::Intervention, ""));
        title.clone_into(&mut node.title);
        Command::UpdateNode(node)
    }

    pub fn canvas(&mut self, event: CanvasEvent) {
        {
            let e = event;
            match e {
                CanvasEvent::MoveStarted => {
                    self.commit_edit();
                    self.doc.begin("Move cards");
                    self.group = Some(EditGroup::Move);
                }
                CanvasEvent::Moved(moves) => {
                    if let Err(e) = self.doc.apply("Move cards", Command::Place(moves)) {
                        self.warn(refusal_text(&e));
                    }
                }
                CanvasEvent::MoveEnded => self.commit_edit(),
                CanvasEvent::Connect { from, to } => self.connect(&from, &to),
                CanvasEvent::CreateAt { kind, at } => {
                    let spot = layout::free_spot_near(self.map(), kind, (at.x, at.y));
                    self.add_card(kind, spot, None, true);
                }
                CanvasEvent::TitleEdited { id, title } => {
                    let cmd = self.title_command(&id, &title);
                    self.apply_grouped(EditGroup::Title(id.clone()), "Edit title", cmd);
                }
                CanvasEvent::TitleEditEnded => {
                    // A card left without a title gets a readable one.
                    if let Some(id) = self.cursor.focus.clone()
                        && let Some(node) = self.map().node(&id)
                        && node.title.trim().is_empty()
                    {
                        let title = format!("Untitled {}", node.kind().label().to_lowercase());
                        let cmd = self.title_command(&id, &title);
                        self.apply_grouped(EditGroup::Title(id.clone()), "Edit title", cmd);
                    }
                    self.commit_edit();
                }
            }
        }
    }

    /// Adds ideas as cards under the capture target (the kind Tab would add), each linked to it and
    /// placed in a free spot beside it, all as one undo step.
    pub fn capture(&mut self, ideas: &[String], target: Option<NodeId>) {
        let target = target.filter(|id| self.map().contains_node(id));
        let target_kind = target.as_ref().and_then(|id| self.map().node(id)).map(Node::kind);
        let (kind, link) = match target_kind.map(|k| (k, k.child())) {
            Some((_, Some((child, lk)))) => (child, Some(lk)),
            Some((k, None)) => (k, None),
            None => (self.settings.last_kind, None),
        };
        let origin = target.as_ref().map_or_else(
            || {
                let c = self.view_centre;
                (c.x, c.y)
            },
            |id| {
                let p = self.placement(id);
                if link.is_some() { layout::below(p) } else { (p.x, p.y) }
            },
        );
        self.commit_edit();
        self.doc.begin("Capture ideas");
        let mut added = Vec::new();
        for idea in ideas {
            let id = self.doc.fresh_node_id(kind);
            let node = Node::new(id.clone(), kind, idea.clone());
            let spot = layout::free_spot_near(self.doc.map(), kind, origin);
            let mut commands = vec![Command::AddNode { node, place: spot }];
            if let (Some(t), Some(lk)) = (&target, link) {
                let lid = self.doc.fresh_link_id();
                commands.push(Command::AddLink(crate::model::Link::new(lid, id.clone(), t.clone(), lk)));
            }
            if self.doc.apply("Capture ideas", Command::Batch(commands)).is_ok() {
                added.push(id);
            }
        }
        self.doc.commit();
        let n = added.len();
        let what = kind.label().to_lowercase();
        // New cards are brought into view (the view moves only if they are not in it already).
        if !added.is_empty() {
            self.out.reveal = Some(Reveal::Cards(added.clone()));
        }
        self.say(if n == 1 { format!("Added 1 {what}.") } else { format!("Added {n} {what}s.") });
    }

    /// Puts a parked idea on the map: at a point it was dropped on, or under the selected card.
    fn place_parked(&mut self, index: usize, at: Option<Point>) {
        let Some(idea) = self.map().workshop.parking.get(index).cloned() else { return };
        let mut w = self.map().workshop.clone();
        w.parking.remove(index);
        let target = self.cursor.selection.single_node().cloned();
        let target_kind = target.as_ref().and_then(|id| self.map().node(id)).map(Node::kind);
        let (kind, link) = match (at, target_kind.and_then(Kind::child)) {
            (None, Some((child, lk))) => (child, Some(lk)),
            _ => (idea.kind.unwrap_or(self.settings.last_kind), None),
        };
        let origin = match (at, &target) {
            (Some(p), _) => (p.x, p.y),
            (None, Some(t)) => layout::below(self.placement(t)),
            (None, None) => {
                let c = self.view_centre;
                (c.x, c.y)
            }
        };
        let spot = if at.is_some() {
            Placement::at(origin.0, origin.1)
        } else {
            layout::free_spot_near(self.map(), kind, origin)
        };
        let id = self.doc.fresh_node_id(kind);
        let mut commands = vec![Command::AddNode { node: Node::new(id.clone(), kind, idea.text.clone()), place: spot }];
        if let (Some(t), Some(lk)) = (&target, link) {
            let lid = self.doc.fresh_link_id();
            commands.push(Command::AddLink(crate::model::Link::new(lid, id.clone(), t.clone(), lk)));
        }
        commands.push(Command::SetWorkshop(w));
        if self.apply("Place a parked idea", Command::Batch(commands)) {
            self.cursor.selection.set_node(id.clone());
            self.cursor.focus = Some(id.clone());
            self.out.reveal = Some(Reveal::Card(id));
        }
    }

    pub fn workshop_event(&mut self, event: WorkshopEvent) {
        match event {
            WorkshopEvent::Capture { ideas, target } => self.capture(&ideas, target),
            WorkshopEvent::Park(ideas) => {
                let mut w = self.map().workshop.clone();
                let date = Some(chrono::Local::now().date_naive());
                let n = ideas.len();
                w.parking
                    .extend(ideas.into_iter().map(|text| crate::model::workshop::ParkedIdea::typed(text, None, date)));
                self.apply("Park ideas", Command::SetWorkshop(w));
                let ideas = if n == 1 { "1 idea".to_owned() } else { format!("{n} ideas") };
                self.say(format!("{ideas} parked (Workshop > Parking lot)."));
            }
            WorkshopEvent::Place { index, at } => self.place_parked(index, at),
            WorkshopEvent::Unpark(index) => {
                let mut w = self.map().workshop.clone();
                if index < w.parking.len() {
                    w.parking.remove(index);
                    self.apply("Remove a parked idea", Command::SetWorkshop(w));
                }
            }
            WorkshopEvent::Set(w, label) => {
                self.apply(&label, Command::SetWorkshop(w));
            }
            WorkshopEvent::Vote { round, card, up } => {
                let mut w = self.map().workshop.clone();
                let round = round.min(w.votes.len().saturating_sub(1));
                let Some(r) = w.votes.get_mut(round) else { return };
                let title = self.map().node(&card).map_or_else(|| card.to_string(), |n| n.title.clone());
                if up {
                    if let Err(why) = r.add_vote(&card) {
                        self.refuse(&why);
                        return;
                    }
                } else if !r.take_back(&card) {
                    self.refuse(&format!("\u{201c}{title}\u{201d} has no votes to take back."));
                    return;
                }
                let left = r.left().map(|l| format!(", {l} left")).unwrap_or_default();
                let said = format!(
                    "\u{201c}{title}\u{201d}: {} ({} cast{left}).",
                    crate::model::workshop::votes_text(r.tally.get(&card).copied().unwrap_or(0)),
                    r.cast()
                );
                self.apply(if up { "Vote" } else { "Take back a vote" }, Command::SetWorkshop(w));
                self.say(said);
            }
            WorkshopEvent::Show(cards) => self.show_cards(&cards, &[]),
            WorkshopEvent::Compare(which) => self.out.effects.push(Effect::Compare(which)),
        }
    }

    pub fn checks_event(&mut self, event: ChecksEvent) {
        match event {
            ChecksEvent::Show(f) => {
                self.show_cards(&f.cards, &f.links);
                self.say(format!("{} {}", f.message, f.fix));
            }
            ChecksEvent::Dismiss { key, reason } => {
                let date = Some(chrono::Local::now().date_naive());
                let dismissal = crate::model::Dismissal { reason, date };
                self.apply("Dismiss a finding", Command::Dismiss { key, dismissal: Some(dismissal) });
                self.out.effects.push(Effect::FocusCanvas);
                self.say("Dismissed. It is saved with the map; tick \"Show dismissed\" to bring it back.");
            }
            ChecksEvent::Restore { key } => {
                self.apply("Bring back a finding", Command::Dismiss { key, dismissal: None });
            }
            ChecksEvent::Settle { key, side } => self.settle_conflict(&key, side),
        }
    }

    /// Settles the merge conflict a `merge-conflict:N` finding names, as one undo step.
    pub fn settle_conflict(&mut self, key: &str, side: crate::model::merge::Side) {
        use crate::model::merge::{self, Side};
        let n = key.strip_prefix("merge-conflict:").and_then(|n| n.parse::<usize>().ok());
        let Some(which) = n.and_then(|n| self.map().unresolved.get(n)).cloned() else {
            self.say("That conflict is already settled.");
            return;
        };
        match merge::resolve(self.map(), &which, side) {
            Ok(map) => {
                let (label, said) = match side {
                    Side::Ours => ("Keep ours", "Kept ours"),
                    Side::Theirs => ("Take theirs", "Took theirs"),
                };
                if self.apply(label, Command::ReplaceMap(Box::new(map))) {
                    let left = self.map().unresolved.len();
                    self.say(format!(
                        "{said} for {}. {left} merge conflict(s) left. Ctrl+Z takes it back.",
                        which.what
                    ));
                }
            }
            Err(e) => self.say(format!("Could not take theirs: {e}. Keep ours, or change the map by hand.")),
        }
    }

    /// Selects cards (and links) and asks the view to frame them.
    pub fn show_cards(&mut self, cards: &[NodeId], links: &[LinkId]) {
        self.commit_edit();
        self.cursor.selection.nodes = cards.iter().filter(|id| self.map().contains_node(id)).cloned().collect();
        self.cursor.selection.links = links.iter().filter(|id| self.map().link(id).is_some()).cloned().collect();
        self.cursor.focus = cards.first().cloned();
        self.out.reveal = Some(Reveal::Cards(cards.to_vec()));
    }

    /// Drops a status message that is no longer true (a hint for an empty map once it has a card).
    pub fn refresh_status(&mut self) {
        if self.status.as_ref().is_some_and(|s| s.while_empty) && !self.map().is_empty() {
            self.status = None;
        }
    }

    /// A message for the status bar.
    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: screen_text(&text.into()), error: false, while_empty: false });
    }

    /// A warning for the status bar.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status { text: screen_text(&text.into()), error: true, while_empty: false });
    }
}
