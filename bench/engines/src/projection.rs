//! The map as the live layer would mirror it, read from `missionboard export MAP -o map.json`.
//!
//! One root map of cards keyed by card id, each card a nested map holding every field as its own
//! entry (scalars as plain values, not text CRDTs); list fields whose items carry ids (indicators,
//! readings, decisions) as nested maps keyed by item id; one root map of links keyed by link id.

use serde_json::Value;

/// A field's value.
#[derive(Clone, Debug)]
pub enum Val {
    Str(String),
    Num(f64),
    Bool(bool),
    /// A list whose items carry ids: a nested map keyed by item id.
    Items(Vec<Entity>),
}

/// A card, a link or a list item: an id and its fields.
#[derive(Clone, Debug)]
pub struct Entity {
    pub id: String,
    pub fields: Vec<(String, Val)>,
}

/// The whole map.
#[derive(Clone, Debug)]
pub struct Projection {
    pub title: String,
    pub cards: Vec<Entity>,
    pub links: Vec<Entity>,
}

impl Projection {
    /// Reads the JSON export. Card sizes (`width`, `height`) are left out: the app derives them.
    /// Links' stored routes (`points`, bend points Lay out wrote) are kept, as one plain value
    /// per link, only with `routes`.
    pub fn from_json(json: &Value, routes: bool) -> Result<Self, String> {
        let title = json.get("title").and_then(Value::as_str).unwrap_or_default().to_owned();
        let list = |key: &str| -> Result<Vec<Entity>, String> {
            let items = json.get(key).and_then(Value::as_array).ok_or_else(|| {
                format!("the file has no \"{key}\" list; make it with `missionboard export MAP -o map.json`")
            })?;
            let skip: &[&str] = if routes { &["width", "height"] } else { &["width", "height", "points"] };
            items.iter().map(|v| entity(v, skip)).collect()
        };
        Ok(Self { title, cards: list("nodes")?, links: list("links")? })
    }

    /// Number of map entries (scalars and nested maps: the writes a build makes), for the report.
    pub fn entries(&self) -> usize {
        fn count(fields: &[(String, Val)]) -> usize {
            fields
                .iter()
                .map(|(_, v)| match v {
                    Val::Items(items) => 1 + items.iter().map(|e| 1 + count(&e.fields)).sum::<usize>(),
                    _ => 1,
                })
                .sum()
        }
        self.cards.iter().chain(&self.links).map(|e| 1 + count(&e.fields)).sum()
    }

    /// Adds what a working map carries and a generated one does not: a description on every card,
    /// two indicators with three readings each on every sub-mission, a decision on every
    /// intervention. Used with `--enrich`.
    pub fn enrich(&mut self) {
        for card in &mut self.cards {
            let kind = card
                .fields
                .iter()
                .find_map(|(k, v)| match (k.as_str(), v) {
                    ("kind", Val::Str(s)) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            card.fields.push((
                "description".into(),
                Val::Str(format!("What {} changes, for whom, and how we will know it worked.", card.id)),
            ));
            if kind == "sub-mission" {
                let indicators = (1..=2)
                    .map(|i| Entity {
                        id: format!("ind{i}"),
                        fields: vec![
                            ("name".into(), Val::Str(format!("Indicator {i} of {}", card.id))),
                            ("unit".into(), Val::Str("%".into())),
                            ("target".into(), Val::Num(95.0)),
                            ("deadline".into(), Val::Str("2030-12-31".into())),
                            (
                                "readings".into(),
                                Val::Items(
                                    (1..=3)
                                        .map(|r| Entity {
                                            id: format!("r{r}"),
                                            fields: vec![
                                                ("date".into(), Val::Str(format!("202{}-03-31", 4 + r))),
                                                ("value".into(), Val::Num(f64::from(40 + 10 * r))),
                                            ],
                                        })
                                        .collect(),
                                ),
                            ),
                        ],
                    })
                    .collect();
                card.fields.push(("indicators".into(), Val::Items(indicators)));
            }
            if kind == "intervention" {
                let decision = Entity {
                    id: "d1".into(),
                    fields: vec![
                        ("date".into(), Val::Str("2026-11-28".into())),
                        ("text".into(), Val::Str("Approved for a second year of funding.".into())),
                    ],
                };
                card.fields.push(("decisions".into(), Val::Items(vec![decision])));
            }
        }
    }
}

impl Projection {
    /// The layout the live layer shipped with (`src/live/replica.rs`): each card or link one map
    /// from field path to the value as JSON text — `title`, `position` (x and y together),
    /// `indicators.#ind1.readings.#r1.value` — with no maps nested below it. Used with `--flat`.
    pub fn flatten(&mut self) {
        fn text(v: &Val) -> String {
            match v {
                Val::Str(s) => Value::String(s.clone()).to_string(),
                Val::Num(n) => serde_json::Number::from_f64(*n).map_or_else(|| "null".into(), |n| n.to_string()),
                Val::Bool(b) => b.to_string(),
                Val::Items(_) => String::new(),
            }
        }
        fn flat(prefix: &str, fields: &[(String, Val)], out: &mut Vec<(String, Val)>) {
            for (k, v) in fields {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                match v {
                    Val::Items(items) => {
                        for item in items {
                            flat(&format!("{key}.#{}", item.id), &item.fields, out);
                        }
                    }
                    other => out.push((key, Val::Str(text(other)))),
                }
            }
        }
        for e in self.cards.iter_mut().chain(self.links.iter_mut()) {
            let num = |k: &str| {
                e.fields.iter().find_map(|(key, v)| match v {
                    Val::Num(n) if key == k => Some(*n),
                    _ => None,
                })
            };
            let position = num("x").zip(num("y"));
            let rest: Vec<(String, Val)> = e.fields.iter().filter(|(k, _)| k != "x" && k != "y").cloned().collect();
            let mut out = Vec::new();
            flat("", &rest, &mut out);
            if let Some((x, y)) = position {
                out.push(("position".into(), Val::Str(format!("[{x},{y}]"))));
            }
            e.fields = out;
        }
    }
}

fn entity(v: &Value, skip: &[&str]) -> Result<Entity, String> {
    let obj = v.as_object().ok_or("a card, link or list item is not a JSON object")?;
    let id = obj.get("id").and_then(Value::as_str).ok_or("a card, link or list item has no \"id\"")?.to_owned();
    let mut fields = Vec::new();
    for (k, v) in obj {
        if k == "id" || skip.contains(&k.as_str()) {
            continue;
        }
        let val = match v {
            Value::Null => continue,
            Value::String(s) => Val::Str(s.clone()),
            Value::Number(n) => Val::Num(n.as_f64().unwrap_or_default()),
            Value::Bool(b) => Val::Bool(*b),
            Value::Array(items) if items.iter().all(|i| i.get("id").is_some()) && !items.is_empty() => {
                Val::Items(items.iter().map(|i| entity(i, &[])).collect::<Result<_, _>>()?)
            }
            // Anything else (a link's bend points) is kept whole, as one plain value.
            other => Val::Str(other.to_string()),
        };
        fields.push((k.clone(), val));
    }
    Ok(Entity { id, fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        serde_json::json!({
            "title": "Small",
            "nodes": [
                {"id": "m1", "kind": "mission", "title": "Net zero", "x": 1.5, "y": 2.0,
                 "width": 180.0, "height": 60.0, "pinned": true,
                 "indicators": [{"id": "ind1", "name": "Share", "readings": [{"id": "r1", "value": 3.0}]}]},
                {"id": "s1", "kind": "sub-mission", "title": "Clean power", "x": 0.0, "y": 0.0}
            ],
            "links": [{"id": "l1", "from": "s1", "to": "m1", "kind": "contributes-to",
                       "points": [[1.0, 2.0], [3.0, 4.0]]}]
        })
    }

    fn field<'a>(e: &'a Entity, key: &str) -> Option<&'a Val> {
        e.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    #[test]
    fn cards_become_fields_and_id_lists_become_nested_items() {
        let p = Projection::from_json(&sample(), false).unwrap();
        assert_eq!(p.title, "Small");
        assert_eq!((p.cards.len(), p.links.len()), (2, 1));
        let m1 = &p.cards[0];
        assert!(matches!(field(m1, "title"), Some(Val::Str(t)) if t == "Net zero"));
        assert!(matches!(field(m1, "x"), Some(Val::Num(x)) if *x == 1.5));
        assert!(matches!(field(m1, "pinned"), Some(Val::Bool(true))));
        assert!(field(m1, "width").is_none() && field(m1, "height").is_none() && field(m1, "id").is_none());
        let Some(Val::Items(indicators)) = field(m1, "indicators") else { panic!("indicators are not items") };
        assert_eq!(indicators[0].id, "ind1");
        let Some(Val::Items(readings)) = field(&indicators[0], "readings") else { panic!("readings are not items") };
        assert_eq!(readings[0].id, "r1");
        // m1: 6 fields + indicator (name + readings (r1: value)); s1: 4 fields; l1: 3 fields.
        assert_eq!(p.entries(), (1 + 5 + 1 + 1 + 1 + 1 + 1 + 1) + (1 + 4) + (1 + 3));
    }

    #[test]
    fn routes_travel_only_when_asked() {
        let without = Projection::from_json(&sample(), false).unwrap();
        assert!(field(&without.links[0], "points").is_none());
        let with = Projection::from_json(&sample(), true).unwrap();
        assert!(matches!(field(&with.links[0], "points"), Some(Val::Str(s)) if s == "[[1.0,2.0],[3.0,4.0]]"));
    }

    #[test]
    fn enrich_adds_descriptions_indicators_and_decisions() {
        let mut p = Projection::from_json(&sample(), false).unwrap();
        let before = p.entries();
        p.enrich();
        assert!(field(&p.cards[0], "description").is_some());
        assert!(matches!(field(&p.cards[1], "indicators"), Some(Val::Items(i)) if i.len() == 2));
        assert!(p.entries() > before);
    }

    #[test]
    fn flatten_gives_one_level_of_json_text_with_item_paths() {
        let mut p = Projection::from_json(&sample(), false).unwrap();
        p.flatten();
        let m1 = &p.cards[0];
        assert!(m1.fields.iter().all(|(_, v)| matches!(v, Val::Str(_))));
        assert!(matches!(field(m1, "title"), Some(Val::Str(t)) if t == "\"Net zero\""));
        assert!(matches!(field(m1, "position"), Some(Val::Str(t)) if t == "[1.5,2]"));
        assert!(field(m1, "x").is_none());
        assert!(matches!(field(m1, "indicators.#ind1.readings.#r1.value"), Some(Val::Str(t)) if t == "3.0"));
        assert!(matches!(field(m1, "pinned"), Some(Val::Str(t)) if t == "true"));
    }

    #[test]
    fn a_file_that_is_not_an_export_is_refused_with_what_to_do() {
        let e = Projection::from_json(&serde_json::json!({"cards": []}), false).unwrap_err();
        assert!(e.contains("\"nodes\"") && e.contains("missionboard export"), "{e}");
        let e = Projection::from_json(&serde_json::json!({"nodes": [{"title": "x"}], "links": []}), false).unwrap_err();
        assert!(e.contains("no \"id\""), "{e}");
    }
}
