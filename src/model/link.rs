//! Links: the typed arrows between cards, and the rules for which cards each kind may join.

use serde::{Deserialize, Serialize};

use super::ids::{LinkId, NodeId};
use super::node::{Kind, normalise_word};

/// What an arrow means.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub enum LinkKind {
    /// Intervention → sub-mission → mission, or intervention → mission.
    ContributesTo,
    /// Intervention → intervention: one makes the other possible.
    Enables,
    /// Partner → intervention: the partner delivers it.
    Delivers,
    /// Partner → intervention: the partner pays for it.
    Funds,
    /// Partner → mission or sub-mission.
    Supports,
}

impl LinkKind {
    pub const ALL: [LinkKind; 5] =
        [LinkKind::ContributesTo, LinkKind::Enables, LinkKind::Delivers, LinkKind::Funds, LinkKind::Supports];

    /// The name people read.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::ContributesTo => "contributes to",
            LinkKind::Enables => "enables",
            LinkKind::Delivers => "delivers",
            LinkKind::Funds => "funds",
            LinkKind::Supports => "supports",
        }
    }

    /// The name used in CSV files.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            LinkKind::ContributesTo => "contributes-to",
            LinkKind::Enables => "enables",
            LinkKind::Delivers => "delivers",
            LinkKind::Funds => "funds",
            LinkKind::Supports => "supports",
        }
    }

    /// Reads a link kind in any case, with common synonyms.
    #[must_use]
    pub fn parse(text: &str) -> Option<LinkKind> {
        Some(match normalise_word(text).as_str() {
            "contributesto" | "contributes" | "contributeto" | "contribution" | "leadsto" | "causes" => {
                LinkKind::ContributesTo
            }
            "enables" | "enable" | "enabler" | "prerequisite" | "precondition" => LinkKind::Enables,
            "delivers" | "deliver" | "delivery" | "delivering" => LinkKind::Delivers,
            "funds" | "fund" | "funding" | "finances" | "pays" => LinkKind::Funds,
            "supports" | "support" | "supporting" => LinkKind::Supports,
            _ => return None,
        })
    }

    /// The (from, to) kinds this link may join.
    #[must_use]
    pub fn endpoints(self) -> &'static [(Kind, Kind)] {
        match self {
            LinkKind::ContributesTo => &[
                (Kind::Intervention, Kind::SubMission),
                (Kind::SubMission, Kind::Mission),
                (Kind::Intervention, Kind::Mission),
            ],
            LinkKind::Enables => &[(Kind::Intervention, Kind::Intervention)],
            LinkKind::Delivers | LinkKind::Funds => &[(Kind::Partner, Kind::Intervention)],
            LinkKind::Supports => &[(Kind::Partner, Kind::Mission), (Kind::Partner, Kind::SubMission)],
        }
    }

    /// Whether this kind of link may go from a card of kind `from` to one of kind `to`.
    #[must_use]
    pub fn allows(self, from: Kind, to: Kind) -> bool {
        self.endpoints().contains(&(from, to))
    }

    /// The link kind that follows from the two cards' kinds, if any (partner → intervention =
    /// delivers; the editor lets people switch it to funds).
    #[must_use]
    pub fn infer(from: Kind, to: Kind) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.allows(from, to))
    }

    /// Every kind of link allowed from `from` to `to`.
    #[must_use]
    pub fn allowed_between(from: Kind, to: Kind) -> Vec<LinkKind> {
        LinkKind::ALL.into_iter().filter(|k| k.allows(from, to)).collect()
    }

    /// "intervention → sub-mission, sub-mission → mission or intervention → mission"
    #[must_use]
    pub fn endpoints_text(self) -> String {
        let parts: Vec<String> = self.endpoints().iter().map(|(a, b)| format!("{} → {}", a.slug(), b.slug())).collect();
        join_or(&parts)
    }

    /// One line per link kind: what each may join. Used in refusals.
    #[must_use]
    pub fn rules_text() -> String {
        LinkKind::ALL.iter().map(|k| format!("{}: {}", k.slug(), k.endpoints_text())).collect::<Vec<_>>().join("; ")
    }
}

fn join_or(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// How good the evidence behind a link is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, Serialize, Deserialize)]
pub enum Evidence {
    #[default]
    None,
    Anecdotal,
    Moderate,
    Strong,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [Evidence::None, Evidence::Anecdotal, Evidence::Moderate, Evidence::Strong];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Evidence::None => "none",
            Evidence::Anecdotal => "anecdotal",
            Evidence::Moderate => "moderate",
            Evidence::Strong => "strong",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Evidence> {
        Some(match normalise_word(text).as_str() {
            "" | "none" | "no" | "noevidence" | "unknown" => Evidence::None,
            "anecdotal" | "weak" | "low" => Evidence::Anecdotal,
            "moderate" | "medium" | "some" => Evidence::Moderate,
            "strong" | "high" | "robust" => Evidence::Strong,
            _ => return None,
        })
    }

    #[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
    fn is_none(&self) -> bool {
        *self == Evidence::None
    }
}

/// An arrow between two cards.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: LinkId,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: LinkKind,
    /// A short label drawn on the arrow.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Why the one leads to the other ("because …").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
    /// What must hold for the link to work.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub assumptions: String,
    #[serde(default, skip_serializing_if = "Evidence::is_none")]
    pub evidence: Evidence,
    /// How sure the board is that the link holds, 0–100 %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<u8>,
    /// Share of the source's budget that goes this way (relative to its other links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

impl Link {
    /// A link with no rationale, assumptions or evidence yet.
    #[must_use]
    pub fn new(id: LinkId, from: NodeId, to: NodeId, kind: LinkKind) -> Link {
        Link {
            id,
            from,
            to,
            kind,
            label: String::new(),
            rationale: String::new(),
            assumptions: String::new(),
            evidence: Evidence::None,
            confidence: None,
            weight: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_the_domain() {
        use Kind::{Intervention as I, Mission as M, Partner as P, SubMission as S};
        assert_eq!(LinkKind::infer(I, S), Some(LinkKind::ContributesTo));
        assert_eq!(LinkKind::infer(S, M), Some(LinkKind::ContributesTo));
        assert_eq!(LinkKind::infer(I, M), Some(LinkKind::ContributesTo));
        assert_eq!(LinkKind::infer(I, I), Some(LinkKind::Enables));
        assert_eq!(LinkKind::infer(P, I), Some(LinkKind::Delivers));
        assert_eq!(LinkKind::allowed_between(P, I), vec![LinkKind::Delivers, LinkKind::Funds]);
        assert_eq!(LinkKind::infer(P, M), Some(LinkKind::Supports));
        assert_eq!(LinkKind::infer(M, I), None);
        assert_eq!(LinkKind::infer(S, I), None);
        assert_eq!(LinkKind::infer(M, M), None);
    }

    #[test]
    fn rules_text_lists_every_kind() {
        let text = LinkKind::rules_text();
        for k in LinkKind::ALL {
            assert!(text.contains(k.slug()), "{text}");
        }
        assert_eq!(
            LinkKind::ContributesTo.endpoints_text(),
            "intervention → sub-mission, sub-mission → mission or intervention → mission"
        );
    }

    #[test]
    fn link_kinds_parse() {
        assert_eq!(LinkKind::parse("Contributes To"), Some(LinkKind::ContributesTo));
        assert_eq!(LinkKind::parse("contributes_to"), Some(LinkKind::ContributesTo));
        assert_eq!(LinkKind::parse("FUNDS"), Some(LinkKind::Funds));
        assert_eq!(LinkKind::parse("hates"), None);
    }
}
