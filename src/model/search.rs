//! Finding cards by what is written on them.

use super::node::{Node, NodeKind};

/// Every piece of text on a card that find searches: title, description, notes, tags and the
/// kind's own attributes.
#[must_use]
pub fn searchable_text(node: &Node) -> Vec<&str> {
    let mut v: Vec<&str> = vec![&node.title, &node.description, &node.notes];
    v.extend(node.tags.iter().map(String::as_str));
    match &node.kind {
        NodeKind::Mission { statement, target, lead_department } => {
            v.extend([statement.as_str(), target.metric.as_str(), target.unit.as_str(), lead_department.as_str()]);
        }
        NodeKind::SubMission { outcome, indicators } => {
            v.push(outcome);
            for i in indicators {
                v.extend([i.name.as_str(), i.unit.as_str(), i.source.as_str()]);
            }
        }
        NodeKind::Intervention { instrument, lead_department, stage, risk_note, budget, .. } => {
            v.extend([lead_department.as_str(), risk_note.as_str()]);
            v.extend(instrument.map(super::node::Instrument::label));
            v.extend(stage.map(super::node::Stage::label));
            if let Some(b) = budget {
                v.push(&b.period);
            }
        }
        NodeKind::Partner { sector, tier, role } => {
            v.push(role);
            v.extend(sector.map(super::node::Sector::label));
            v.extend(tier.map(super::node::Tier::label));
        }
    }
    v
}

/// Whether every word of `query` appears somewhere on the card (any case).
#[must_use]
pub fn matches(node: &Node, query: &str) -> bool {
    let texts: Vec<String> = searchable_text(node).into_iter().map(str::to_lowercase).collect();
    query.split_whitespace().map(str::to_lowercase).all(|word| texts.iter().any(|t| t.contains(&word)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, NodeId};

    #[test]
    fn searches_titles_and_attributes() {
        let mut n = Node::new(NodeId::new("i1").unwrap(), Kind::Intervention, "Offshore wind");
        if let NodeKind::Intervention { lead_department, .. } = &mut n.kind {
            "DESNZ".clone_into(lead_department);
        }
        assert!(matches(&n, "wind"));
        assert!(matches(&n, "desnz WIND"));
        assert!(!matches(&n, "solar"));
    }
}
