//! The domain: cards, links, rules and the map that holds them. No egui in here.

pub mod analysis;
pub mod card;
pub mod diff;
pub mod ids;
pub mod link;
pub mod listed;
pub mod map;
pub mod merge;
pub mod money;
pub mod node;
pub mod patch;
pub mod progress;
pub mod search;
pub mod workshop;

pub use ids::{LinkId, NodeId};
pub use link::{Evidence, Link, LinkKind};
pub use listed::ItemId;
pub use map::{Dismissal, LinkRefusal, MapMeta, MissionMap, ModelError, Placement};
pub use node::{
    ActionItem, Budget, BudgetLine, BudgetStatus, BudgetYear, Decision, DecisionKind, Indicator, Instrument, Kind,
    Milestone, Node, NodeKind, Reading, Risk, Sector, Stage, Target, Tier,
};
