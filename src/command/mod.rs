//! The only way to change a document: commands, applied inside transactions, with undo and redo.
//!
//! History keeps whole-document snapshots, one per transaction (as Graphite does): a drag that moves
//! cards for two seconds, or typing a title, is one undo step. History is bounded by steps and by
//! the size of the map, and is never saved.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::model::listed::{self, How};
use crate::model::{Dismissal, Link, LinkId, MapMeta, MissionMap, ModelError, Node, NodeId, Placement};

/// One change to a map.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Add a card at a place.
    AddNode { node: Node, place: Placement },
    /// Remove cards and every link touching them.
    RemoveNodes(Vec<NodeId>),
    /// Add a link (refused if the rules forbid it).
    AddLink(Link),
    /// Remove links.
    RemoveLinks(Vec<LinkId>),
    /// Replace a card's attributes (same id).
    UpdateNode(Node),
    /// Replace a link's attributes (same id).
    UpdateLink(Link),
    /// Move cards (also pins and unpins them).
    Place(Vec<(NodeId, Placement)>),
    /// Change the map's title, description or organisation.
    SetMeta(MapMeta),
    /// Set link routes (bend points); an empty list clears one.
    SetRoutes(Vec<(LinkId, Vec<[f32; 2]>)>),
    /// Dismiss a finding of the checks with a reason, or (`None`) bring it back.
    Dismiss { key: String, dismissal: Option<Dismissal> },
    /// Replace the workshop state (parked ideas, votes, snapshots).
    SetWorkshop(crate::model::workshop::Workshop),
    /// Replace the board's action list.
    SetActions(Vec<crate::model::ActionItem>),
    /// Put a whole new map in place (a merged copy): one undo step however much it changes.
    ReplaceMap(Box<MissionMap>),
    /// Several changes that succeed or fail together.
    Batch(Vec<Command>),
}

impl Command {
    /// True for a command checked to succeed, so no copy to restore is needed: a move whose every
    /// card exists and every coordinate is finite, or new attributes for a card that keep its kind
    /// and hold only finite numbers (a title being typed).
    fn cannot_fail(&self, map: &MissionMap) -> bool {
        match self {
            Command::Place(moves) => moves.iter().all(|(id, p)| p.is_finite() && map.contains_node(id)),
            Command::UpdateNode(node) => {
                map.node(&node.id).is_some_and(|old| old.kind() == node.kind())
                    && node.numbers().iter().all(|(_, v)| v.is_finite())
            }
            _ => false,
        }
    }

    /// Applies the command. On error the map may be partly changed; [`Document::apply`] restores it.
    pub fn apply(self, map: &mut MissionMap) -> Result<(), ModelError> {
        match self {
            Command::AddNode { mut node, place } => {
                // Items made now get random ids, so two copies adding alike items keep both.
                listed::fill_node(&mut node, How::Fresh);
                map.add_node(node, place)
            }
            Command::RemoveNodes(ids) => {
                for id in ids {
                    map.remove_node(&id)?;
                }
                Ok(())
            }
            Command::AddLink(link) => map.add_link(link),
            Command::RemoveLinks(ids) => {
                for id in ids {
                    map.remove_link(&id)?;
                }
                Ok(())
            }
            Command::UpdateNode(mut node) => {
                listed::fill_node(&mut node, How::Fresh);
                map.replace_node(node).map(|_| ())
            }
            Command::UpdateLink(link) => map.replace_link(link).map(|_| ()),
            Command::Place(moves) => {
                for (id, place) in moves {
                    map.set_placement(&id, place)?;
                }
                Ok(())
            }
            Command::SetMeta(meta) => {
                map.meta = meta;
                Ok(())
            }
            Command::SetRoutes(routes) => {
                for (id, points) in routes {
                    map.set_route(&id, points)?;
                }
                Ok(())
            }
            Command::Dismiss { key, dismissal } => {
                match dismissal {
                    Some(d) => map.dismissals.insert(key, d),
                    None => map.dismissals.remove(&key),
                };
                Ok(())
            }
            Command::SetWorkshop(mut w) => {
                listed::fill(&mut w.votes, "votes", How::Fresh);
                listed::fill(&mut w.parking, "parking", How::Fresh);
                map.workshop = w;
                Ok(())
            }
            Command::SetActions(mut actions) => {
                listed::fill(&mut actions, "actions", How::Fresh);
                map.actions = actions;
                Ok(())
            }
            Command::ReplaceMap(new) => {
                // Ids already handed out stay used, whatever the new map says.
                let serial = map.next_serial();
                *map = *new;
                map.reserve_serial(serial);
                listed::fill_map(map, How::Fresh);
                Ok(())
            }
            Command::Batch(list) => list.into_iter().try_for_each(|c| c.apply(map)),
        }
    }
}

struct Snapshot {
    map: Arc<MissionMap>,
    revision: u64,
    label: String,
    /// The map right after the step, and how many changes from others had come in by then: when
    /// others have changed the map since, undo takes back only this step (see [`crate::model::patch::take_back`]).
    after: Option<Arc<MissionMap>>,
    remote_at: u64,
}

/// A map with its undo history and the revision last saved.
///
/// The map and every undo step share one `Arc`: a step costs nothing until the map is changed, and
/// then one copy (`Arc::make_mut`); a worker thread reading the map (the checks) holds it for free.
pub struct Document {
    map: Arc<MissionMap>,
    revision: u64,
    next_revision: u64,
    saved_revision: Option<u64>,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    /// The state before the open transaction, and its label.
    open: Option<Snapshot>,
    /// The highest id serial ever handed out, so undo never makes an id free again.
    high_water: u64,
    /// How many changes from others (live sharing) have come in.
    remote_edits: u64,
    /// While the map is shared live: a short mark added to new ids ("i14.k3f"), so two laptops
    /// adding cards at once never pick the same id.
    id_tag: Option<String>,
    /// Why this laptop's own edits are refused for now (a live map whose host made it read-only);
    /// changes from others still come in.
    locked: Option<String>,
}

/// At most this many undo steps are kept.
pub const MAX_UNDO_STEPS: usize = 200;
/// And at most this many cards summed over all snapshots (about 100 steps of a 10,000-card map).
pub const MAX_UNDO_CARDS: usize = 1_000_000;

impl Document {
    /// A document for a map that is already saved (or freshly opened).
    #[must_use]
    pub fn new(map: MissionMap) -> Document {
        let high_water = map.next_serial();
        Document {
            high_water,
            map: Arc::new(map),
            revision: 0,
            next_revision: 1,
            saved_revision: Some(0),
            undo: VecDeque::new(),
            redo: Vec::new(),
            open: None,
            remote_edits: 0,
            id_tag: None,
            locked: None,
        }
    }

    /// A document that has never been saved (a new map or an import): it counts as changed.
    #[must_use]
    pub fn unsaved(map: MissionMap) -> Document {
        let mut d = Document::new(map);
        d.saved_revision = None;
        d
    }

    #[must_use]
    pub fn map(&self) -> &MissionMap {
        &self.map
    }

    /// The map, shared: for a worker thread that reads it while the editor goes on.
    #[must_use]
    pub fn shared_map(&self) -> Arc<MissionMap> {
        Arc::clone(&self.map)
    }

    /// The map to change, copied first if an undo step or a worker shares it.
    fn map_mut(&mut self) -> &mut MissionMap {
        Arc::make_mut(&mut self.map)
    }

    /// Makes sure no id below the high-water mark is handed out again (copies only if needed).
    fn keep_serials(&mut self) {
        if self.map.next_serial() < self.high_water {
            let high = self.high_water;
            self.map_mut().reserve_serial(high);
        }
    }

    /// Whether there are changes since the last save.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    /// Call after a successful save.
    pub fn mark_saved(&mut self) {
        self.saved_revision = Some(self.revision);
    }

    /// A number that changes whenever the map changes (for caches).
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Starts a transaction: the changes until [`Self::commit`] are one undo step.
    pub fn begin(&mut self, label: &str) {
        if self.open.is_none() {
            self.open = Some(Snapshot {
                map: Arc::clone(&self.map),
                revision: self.revision,
                label: label.to_owned(),
                after: None,
                remote_at: self.remote_edits,
            });
        }
    }

    /// Whether a transaction is open.
    #[must_use]
    pub fn in_transaction(&self) -> bool {
        self.open.is_some()
    }

    /// Ends the transaction; records an undo step if anything changed.
    pub fn commit(&mut self) {
        if let Some(before) = self.open.take()
            && before.revision != self.revision
        {
            self.push_undo(before);
            self.redo.clear();
        }
    }

    /// Ends the transaction and puts the map back as it was when it began.
    pub fn cancel(&mut self) {
        if let Some(before) = self.open.take() {
            self.map = before.map;
            self.revision = before.revision;
        }
    }

    fn push_undo(&mut self, mut snap: Snapshot) {
        snap.after = Some(Arc::clone(&self.map));
        snap.remote_at = self.remote_edits;
        self.undo.push_back(snap);
        let per = self.map.node_count().max(1);
        let limit = MAX_UNDO_STEPS.min((MAX_UNDO_CARDS / per).max(10));
        while self.undo.len() > limit {
            self.undo.pop_front();
        }
    }

    /// Applies a command as part of the open transaction, or as a step of its own. A command that
    /// fails leaves the map exactly as it was.
    pub fn apply(&mut self, label: &str, command: Command) -> Result<(), ModelError> {
        if let Some(why) = &self.locked {
            return Err(ModelError::Invalid(why.clone()));
        }
        let own = self.open.is_none();
        // Moves and retitles inside a transaction (a drag, typing) are checked first: no copy to restore.
        let backup = if own || !command.cannot_fail(&self.map) { Some(Arc::clone(&self.map)) } else { None };
        match command.apply(self.map_mut()) {
            Ok(()) => {
                self.high_water = self.high_water.max(self.map.next_serial());
                let before_rev = self.revision;
                self.revision = self.next_revision;
                self.next_revision += 1;
                if own && let Some(backup) = backup {
                    self.push_undo(Snapshot {
                        map: backup,
                        revision: before_rev,
                        label: label.to_owned(),
                        after: None,
                        remote_at: 0,
                    });
                    self.redo.clear();
                }
                Ok(())
            }
            Err(e) => {
                if let Some(backup) = backup {
                    self.map = backup;
                }
                Err(e)
            }
        }
    }

    /// Refuses (with `why`) or allows again this laptop's own edits, undo and redo included
    /// (a live map whose host made this laptop read-only). Changes from others still come in.
    pub fn set_locked(&mut self, why: Option<String>) {
        self.locked = why;
    }

    /// Why this laptop's own edits are refused for now, if they are.
    #[must_use]
    pub fn locked(&self) -> Option<&str> {
        self.locked.as_deref()
    }

    /// Undoes the last step; returns its label. When others have changed the map since the step
    /// (live sharing), only the step is taken back and their changes stay.
    pub fn undo(&mut self) -> Option<String> {
        if self.locked.is_some() {
            return None;
        }
        self.commit();
        let snap = self.undo.pop_back()?;
        let label = snap.label.clone();
        let current = self.step_back(snap);
        self.redo.push(current);
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        if self.locked.is_some() {
            return None;
        }
        self.commit();
        let snap = self.redo.pop()?;
        let label = snap.label.clone();
        let current = self.step_back(snap);
        self.push_undo(current);
        Some(label)
    }

    /// Puts the map back as `snap` had it (or, when others changed the map since, takes back only
    /// the change from `snap` to the map after it); returns the step that does the opposite.
    fn step_back(&mut self, snap: Snapshot) -> Snapshot {
        let rebase = snap.remote_at != self.remote_edits;
        let target = match (&snap.after, rebase) {
            (Some(after), true) => Arc::new(crate::model::patch::take_back(&snap.map, after, &self.map)),
            _ => snap.map,
        };
        let current = Snapshot {
            map: std::mem::replace(&mut self.map, target),
            revision: self.revision,
            label: snap.label,
            after: None,
            remote_at: self.remote_edits,
        };
        if rebase {
            self.revision = self.next_revision;
            self.next_revision += 1;
        } else {
            self.revision = snap.revision;
        }
        self.keep_serials();
        current
    }

    /// Puts changes made by others (live sharing) into the map: not an undo step of this person,
    /// and never taken back by their undo. Each card and link is set on its own; those that would
    /// break the map's rules are left as they are and returned with the reason.
    pub fn apply_remote(&mut self, patch: &crate::model::patch::Patch) -> Vec<(crate::model::merge::Item, ModelError)> {
        if patch.is_empty() {
            return Vec::new();
        }
        let refused = crate::model::patch::apply(self.map_mut(), patch);
        self.high_water = self.high_water.max(self.map.next_serial());
        self.remote_edits += 1;
        self.revision = self.next_revision;
        self.next_revision += 1;
        refused
    }

    /// Marks new ids with `tag` ("i14.k3f") while the map is shared live; `None` stops.
    pub fn set_id_tag(&mut self, tag: Option<String>) {
        self.id_tag = tag;
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty() || self.open.as_ref().is_some_and(|o| o.revision != self.revision)
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The label of the step Undo would take back.
    #[must_use]
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|s| s.label.as_str())
    }

    /// The label of the step Redo would do again.
    #[must_use]
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// A card id never used in this document, even by cards that were undone.
    pub fn fresh_node_id(&mut self, kind: crate::model::Kind) -> NodeId {
        self.keep_serials();
        loop {
            let id = self.map_mut().fresh_node_id(kind);
            self.high_water = self.map.next_serial();
            match &self.id_tag {
                None => return id,
                Some(tag) => {
                    if let Ok(tagged) = NodeId::new(format!("{id}.{tag}"))
                        && !self.map.contains_node(&tagged)
                    {
                        return tagged;
                    }
                }
            }
        }
    }

    /// A link id never used in this document.
    pub fn fresh_link_id(&mut self) -> LinkId {
        self.keep_serials();
        loop {
            let id = self.map_mut().fresh_link_id();
            self.high_water = self.map.next_serial();
            match &self.id_tag {
                None => return id,
                Some(tag) => {
                    if let Ok(tagged) = LinkId::new(format!("{id}.{tag}"))
                        && self.map.link(&tagged).is_none()
                    {
                        return tagged;
                    }
                }
            }
        }
    }

    /// The commands that paste `pasted` (cards and links from the clipboard) into this document,
    /// with new ids and every card moved by `(dx, dy)`. Returns the command and the new card ids.
    pub fn paste_command(&mut self, pasted: &MissionMap, dx: f32, dy: f32) -> (Command, Vec<NodeId>) {
        let mut remap = std::collections::HashMap::new();
        let mut commands = Vec::new();
        let mut new_ids = Vec::new();
        for n in pasted.sorted_nodes() {
            let id = self.fresh_node_id(n.kind());
            remap.insert(n.id.clone(), id.clone());
            let mut node = n.clone();
            node.id = id.clone();
            let p = pasted.placement(&n.id).unwrap_or_default();
            commands.push(Command::AddNode { node, place: Placement { x: p.x + dx, y: p.y + dy, pinned: false } });
            new_ids.push(id);
        }
        for l in pasted.sorted_links() {
            if let (Some(from), Some(to)) = (remap.get(&l.from), remap.get(&l.to)) {
                let mut link = l.clone();
                link.id = self.fresh_link_id();
                link.from = from.clone();
                link.to = to.clone();
                commands.push(Command::AddLink(link));
            }
        }
        (Command::Batch(commands), new_ids)
    }

    /// Records the map's details as written to its file (the modified time) without making an
    /// undo step or a new revision: saving is not an edit, so it must not be undone, clear what can
    /// be redone, or mark the map changed.
    pub fn set_saved_meta(&mut self, meta: MapMeta) {
        self.map_mut().meta = meta;
    }

    /// Replaces the whole map (open, new); clears history.
    ///
    /// The revision goes on counting rather than starting again: caches keyed by revision (the
    /// scene on the canvas, the checks) must never take the new map for the old one.
    pub fn replace(&mut self, map: MissionMap, saved: bool) {
        let revision = self.next_revision;
        let tag = self.id_tag.take();
        let locked = self.locked.take();
        *self = if saved { Document::new(map) } else { Document::unsaved(map) };
        self.id_tag = tag;
        self.locked = locked;
        self.revision = revision;
        self.next_revision = revision + 1;
        if saved {
            self.saved_revision = Some(revision);
        }
    }
}

#[cfg(test)]
mod tests;
