//! JSON export for checking layouts with other tools:
//! `{"nodes":[{"id","kind","title","x","y","width","height"}],"links":[{"from","to","kind"}]}`,
//! with x and y the card's centre.

use serde::Serialize;

use crate::model::MissionMap;

#[derive(Serialize)]
struct JsonMap<'a> {
    title: &'a str,
    nodes: Vec<JsonNode<'a>>,
    links: Vec<JsonLink<'a>>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pinned: bool,
}

#[derive(Serialize)]
struct JsonLink<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    /// Bend points of a routed link, from the `from` end.
    #[serde(skip_serializing_if = "Option::is_none")]
    points: Option<&'a [[f32; 2]]>,
}

/// The map as pretty-printed JSON, cards and links sorted by id.
#[must_use]
pub fn to_json(map: &MissionMap) -> String {
    let nodes = map
        .sorted_nodes()
        .into_iter()
        .map(|n| {
            let p = map.placement(&n.id).unwrap_or_default();
            let (width, height) = n.card_size();
            JsonNode {
                id: n.id.as_str(),
                kind: n.kind().slug(),
                title: &n.title,
                x: p.x,
                y: p.y,
                width,
                height,
                pinned: p.pinned,
            }
        })
        .collect();
    let links = map
        .sorted_links()
        .into_iter()
        .map(|l| JsonLink {
            id: l.id.as_str(),
            from: l.from.as_str(),
            to: l.to.as_str(),
            kind: l.kind.slug(),
            points: map.route(&l.id),
        })
        .collect();
    let doc = JsonMap { title: &map.meta.title, nodes, links };
    // Serialising plain data to a String cannot fail; keep a readable fallback all the same.
    serde_json::to_string_pretty(&doc).map_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"), |s| format!("{s}\n"))
}
