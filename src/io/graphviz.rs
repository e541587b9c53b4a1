//! Graphviz DOT and Mermaid flowchart exports, for reports written in Markdown and for laying the
//! same graph out with `dot`. Every title is escaped, so quotes, brackets, line breaks and
//! non-ASCII text always give valid syntax.

use std::fmt::Write as _;

use crate::model::{Kind, LinkKind, MissionMap};

/// A DOT string literal: backslashes and quotes escaped, line breaks as `\n`.
#[must_use]
pub fn dot_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The map as a Graphviz DOT digraph: missions at the top (rank sink, rankdir BT as the edges point
/// upwards), partners at the bottom, fixed-size boxes the size of the cards.
#[must_use]
pub fn to_dot(map: &MissionMap) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph {} {{", dot_quote(&map.meta.title));
    let _ = writeln!(s, "  graph [rankdir=BT, charset=\"UTF-8\", nodesep=0.28, ranksep=0.5];");
    let _ = writeln!(
        s,
        "  node [shape=box, style=\"rounded,filled\", fixedsize=true, fontname=\"Helvetica\", fontsize=11];"
    );
    for n in map.sorted_nodes() {
        let (w, h) = n.card_size();
        let fill = match n.kind() {
            Kind::Mission => "#F1EAF8",
            Kind::SubMission => "#E6F1FA",
            Kind::Intervention => "#E5F4EF",
            Kind::Partner => "#FBEFE3",
        };
        let _ = writeln!(
            s,
            "  {} [label={}, width={:.3}, height={:.3}, fillcolor=\"{fill}\", kind={}];",
            dot_quote(n.id.as_str()),
            dot_quote(&n.title),
            w / 72.0,
            h / 72.0,
            dot_quote(n.kind().slug()),
        );
    }
    for (kind, rank) in [(Kind::Mission, "sink"), (Kind::Partner, "source")] {
        let ids: Vec<String> =
            map.sorted_nodes().iter().filter(|n| n.kind() == kind).map(|n| dot_quote(n.id.as_str())).collect();
        if !ids.is_empty() {
            let _ = writeln!(s, "  {{ rank={rank}; {}; }}", ids.join("; "));
        }
    }
    for l in map.sorted_links() {
        let style = match l.kind {
            LinkKind::ContributesTo | LinkKind::Delivers => "solid",
            LinkKind::Enables | LinkKind::Supports => "dashed",
            LinkKind::Funds => "dotted",
        };
        let mut attrs = format!("kind={}, style={style}", dot_quote(l.kind.slug()));
        if !l.label.is_empty() {
            let _ = write!(attrs, ", label={}", dot_quote(&l.label));
        }
        let _ = writeln!(s, "  {} -> {} [{attrs}];", dot_quote(l.from.as_str()), dot_quote(l.to.as_str()));
    }
    s.push_str("}\n");
    s
}

/// Text inside a Mermaid `"…"` label: quotes, angle brackets, `#` and line breaks as entities.
#[must_use]
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            '`' => out.push_str("#96;"),
            // `%%` starts a comment in Mermaid; one `%` written as a code keeps any pair apart.
            '%' => out.push_str("#37;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The map as a Mermaid flowchart (`.mmd`), for Markdown reports. Ids are replaced by safe ones
/// (`n0`, `n1`, …) since card ids may hold any text.
#[must_use]
pub fn to_mermaid(map: &MissionMap) -> String {
    let mut s = String::from("flowchart BT\n");
    let nodes = map.sorted_nodes();
    let index: std::collections::HashMap<&str, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    for (i, n) in nodes.iter().enumerate() {
        let t = mermaid_text(&n.title);
        let shape = match n.kind() {
            Kind::Mission => format!("{{{{\"{t}\"}}}}"),
            Kind::SubMission => format!("(\"{t}\")"),
            Kind::Intervention => format!("[\"{t}\"]"),
            Kind::Partner => format!("([\"{t}\"])"),
        };
        let _ = writeln!(s, "    n{i}{shape}");
    }
    for l in map.sorted_links() {
        let (Some(a), Some(b)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) else { continue };
        let arrow = match l.kind {
            LinkKind::ContributesTo => "-->",
            LinkKind::Enables | LinkKind::Supports => "-.->",
            LinkKind::Delivers | LinkKind::Funds => "==>",
        };
        let label = if l.label.is_empty() { l.kind.label().to_owned() } else { l.label.clone() };
        let _ = writeln!(s, "    n{a} {arrow}|\"{}\"| n{b}", mermaid_text(&label));
    }
    for (kind, class, fill, stroke) in [
        (Kind::Mission, "mission", "#F1EAF8", "#5B2C83"),
        (Kind::SubMission, "submission", "#E6F1FA", "#1565C0"),
        (Kind::Intervention, "intervention", "#E5F4EF", "#006B50"),
        (Kind::Partner, "partner", "#FBEFE3", "#A34A00"),
    ] {
        let ids: Vec<String> =
            nodes.iter().enumerate().filter(|(_, n)| n.kind() == kind).map(|(i, _)| format!("n{i}")).collect();
        let _ = writeln!(s, "    classDef {class} fill:{fill},stroke:{stroke},color:#1A1A1A");
        if !ids.is_empty() {
            let _ = writeln!(s, "    class {} {class}", ids.join(","));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, NodeId, Placement};

    fn hostile() -> MissionMap {
        let mut m = MissionMap::new("Title with \"quotes\" and \\ backslash");
        let title = "<script>alert(1)</script> \"quoted\" [brackets] {braces} #hash\nsecond line \\N ünïcødé 中文";
        m.add_node(Node::new(NodeId::new("m\"1").unwrap(), Kind::Mission, title), Placement::default()).unwrap();
        m.add_node(Node::new(NodeId::new("s 1").unwrap(), Kind::SubMission, "ok"), Placement::default()).unwrap();
        m.connect(&NodeId::new("s 1").unwrap(), &NodeId::new("m\"1").unwrap(), LinkKind::ContributesTo).unwrap();
        // Mermaid's own syntax in a title: an arrow, a link label, a keyword, a comment.
        let arrows = "Grid --> homes -.-> jobs ==> |growth| end %% note";
        m.add_node(Node::new(NodeId::new("i 1").unwrap(), Kind::Intervention, arrows), Placement::default()).unwrap();
        m.connect(&NodeId::new("i 1").unwrap(), &NodeId::new("s 1").unwrap(), LinkKind::ContributesTo).unwrap();
        m
    }

    #[test]
    fn dot_escapes_every_title() {
        let dot = to_dot(&hostile());
        assert!(dot.contains(r#"label="<script>alert(1)</script> \"quoted\" [brackets] {braces} #hash\nsecond line \\N ünïcødé 中文""#), "{dot}");
        assert!(dot.contains(r#""m\"1""#));
        // Every line outside strings is balanced: quotes come in pairs once escapes are removed.
        for line in dot.lines() {
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
        }
    }

    #[test]
    fn mermaid_escapes_every_title() {
        let mmd = to_mermaid(&hostile());
        assert!(mmd.starts_with("flowchart BT\n"));
        assert!(
            mmd.contains(
                "#lt;script#gt;alert(1)#lt;/script#gt; #quot;quoted#quot; [brackets] {braces} #35;hash<br/>second line"
            ),
            "{mmd}"
        );
        // A line break in a title must not break the diagram's line: every line after the header is
        // a node, a link or a class line, and each node's line holds its whole title.
        for line in mmd.lines().skip(1) {
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
            assert!(
                line.starts_with("    n") || line.starts_with("    classDef") || line.starts_with("    class "),
                "a stray line: {line:?}"
            );
        }
        assert!(!mmd.lines().any(|l| l.trim_start().starts_with("second line")), "the title's second line broke out");
        // An arrow in a title is text: the diagram has exactly one arrow per link.
        assert_eq!(mmd.matches("-->").count(), 2, "{mmd}");
        for arrow in ["-.->", "==>", "%%"] {
            assert!(!mmd.contains(arrow), "{arrow} in a title must not reach the diagram: {mmd}");
        }
        assert_eq!(mmd.matches(" -->|\"contributes to\"| n").count(), 2, "{mmd}");
    }
}
