//! The editor core: what a person can ask of the editor and what it does to the document, with no
//! egui anywhere below this folder (a test in `tests` checks it). The app shell (`crate::app`)
//! turns keys, clicks and panels into these requests and draws the result.
//!
//! - `action`: every named command (menus, palette, shortcut sheet).
//! - `files`: the file session (path, stamp, hold, autosave).
//! - `present`: present mode's steps and the workshop timer.
//! - `settings`: what is remembered between runs.

pub mod action;
pub mod files;
pub mod present;
pub mod settings;

use std::collections::BTreeSet;

pub use action::Action;
pub use present::{Present, PresentMove, Step, Timer};
pub use settings::{ExportChoices, Settings};

use crate::model::{LinkId, MissionMap, NodeId};

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
