//! Exports that look like the canvas: SVG is the scene (real `<text>`, escaped, with a title and
//! description per card for screen readers); PNG is rendered from it with resvg and PDF with
//! svg2pdf, both from one `usvg::Tree` with egui's own font embedded, so every machine gives the same
//! picture.

pub mod format;
pub mod pack;
pub mod render;
pub mod report;
pub mod svg;

pub use format::Format;

use std::collections::{BTreeSet, VecDeque};

use crate::model::{MissionMap, NodeId};

/// Which cards go into the picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scope {
    #[default]
    All,
    /// These cards and the links among them.
    Cards(Vec<NodeId>),
    /// One mission and everything that serves it (every card with a path of links to it).
    Mission(NodeId),
}

/// Paper for PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Page {
    /// The drawing's own size.
    #[default]
    Natural,
    A4Portrait,
    A4Landscape,
    A3Portrait,
    A3Landscape,
}

impl Page {
    /// The layout target with this page's shape.
    #[must_use]
    pub fn target(self) -> Option<crate::layout::Target> {
        use crate::layout::Target;
        match self {
            Page::Natural => None,
            Page::A4Portrait => Some(Target::A4Portrait),
            Page::A4Landscape => Some(Target::A4Landscape),
            Page::A3Portrait => Some(Target::A3Portrait),
            Page::A3Landscape => Some(Target::A3Landscape),
        }
    }

    /// Width and height in points, if it is a paper size.
    #[must_use]
    pub fn size(self) -> Option<(f32, f32)> {
        match self {
            Page::Natural => None,
            Page::A4Portrait => Some((595.0, 842.0)),
            Page::A4Landscape => Some((842.0, 595.0)),
            Page::A3Portrait => Some((842.0, 1191.0)),
            Page::A3Landscape => Some((1191.0, 842.0)),
        }
    }
}

/// Export options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub scope: Scope,
    /// Pixels per map unit for PNG (1 to 4).
    pub scale: f32,
    pub transparent: bool,
    /// The look: light for print (the default), dark for dark slide templates, high contrast, or
    /// the projector's bolder lines.
    pub theme: crate::style::Theme,
    /// The map's title, organisation and date at the top.
    pub title_block: bool,
    /// A key to the kinds of card and link at the bottom.
    pub legend: bool,
    pub page: Page,
    /// On paper, lay the map out afresh for the page's shape (so titles stay readable) instead of
    /// shrinking the drawing as it is on the canvas. The map itself is not changed.
    pub layout_for_page: bool,
    /// PDF on paper: the overview, then a page for each mission and what serves it.
    pub per_mission: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            scope: Scope::All,
            scale: 2.0,
            transparent: false,
            theme: crate::style::Theme::Light,
            title_block: true,
            legend: true,
            page: Page::Natural,
            layout_for_page: true,
            per_mission: false,
        }
    }
}

/// The cards a scope takes in, sorted by id.
#[must_use]
pub fn cards_in_scope(map: &MissionMap, scope: &Scope) -> BTreeSet<NodeId> {
    match scope {
        Scope::All => map.nodes().map(|n| n.id.clone()).collect(),
        Scope::Cards(ids) => ids.iter().filter(|id| map.contains_node(id)).cloned().collect(),
        Scope::Mission(id) => {
            let mut seen = BTreeSet::new();
            if !map.contains_node(id) {
                return seen;
            }
            let mut queue = VecDeque::from([id.clone()]);
            seen.insert(id.clone());
            while let Some(n) = queue.pop_front() {
                for l in map.links_to(&n) {
                    if seen.insert(l.from.clone()) {
                        queue.push_back(l.from.clone());
                    }
                }
            }
            seen
        }
    }
}

/// The map as it goes onto the page: laid out afresh for the page's shape when the options ask
/// for it and the drawing would otherwise be shrunk, else the map as drawn. Only the cards in
/// scope are laid out.
#[must_use]
pub fn arranged<'a>(map: &'a MissionMap, opts: &Options) -> std::borrow::Cow<'a, MissionMap> {
    use std::borrow::Cow;
    let Some(target) = opts.page.target().filter(|_| opts.layout_for_page) else { return Cow::Borrowed(map) };
    let ids: Vec<NodeId> = cards_in_scope(map, &opts.scope).into_iter().collect();
    let mut part = if matches!(opts.scope, Scope::All) { map.clone() } else { map.subset(&ids) };
    // Pins hold cards where the user put them on the canvas; on paper the page's shape wins.
    for id in &ids {
        if let Some(mut p) = part.placement(id).filter(|p| p.pinned) {
            p.pinned = false;
            let _ = part.set_placement(id, p);
        }
    }
    // The page's shape less the title block and legend: try the page's aspect and a wider and a
    // narrower one, and keep the layout that prints largest (one try for very big maps).
    let want = target.aspect().unwrap_or(1.5);
    let tries: &[f32] = if part.node_count() > 2000 { &[1.0] } else { &[1.0, 1.2, 0.85] };
    let mut best: Option<(f32, MissionMap)> = None;
    for &k in tries {
        let mut candidate = part.clone();
        let layout = crate::layout::Options {
            wrap: true,
            aspect: want * k,
            // Paper affords tighter gaps than a canvas one drags cards on (and prints larger).
            node_gap: 30.0,
            layer_gap: 70.0,
            ..crate::layout::Options::default()
        };
        // A layout names only this map's cards; should it fail all the same, print the map as drawn.
        if crate::layout::apply(&mut candidate, &layout).is_err() {
            continue;
        }
        let scale = page_scale(&candidate, opts);
        if best.as_ref().is_none_or(|(s, _)| scale > *s) {
            best = Some((scale, candidate));
        }
    }
    if let Some((_, laid)) = best {
        part = laid;
    }
    Cow::Owned(part)
}

/// Page points per map unit when the map is fitted onto the page of `opts` (1 for no paper).
fn page_scale(map: &MissionMap, opts: &Options) -> f32 {
    let Some((pw, ph)) = opts.page.size() else { return 1.0 };
    let (w, h) = svg::picture_size(map, opts);
    ((pw - 2.0 * render::PAGE_MARGIN) / w).min((ph - 2.0 * render::PAGE_MARGIN) / h)
}
