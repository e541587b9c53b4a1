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

    /// Number of scalar entries (the count of map writes a build makes), for the report.
    pub fn entries(&self) -> usize {
        fn count(fields: &[(String, Val)]) -> usize {
            fields
                .iter()
                .map(|(_, v)| match v {
                    Val::Items(items) => items.iter().map(|e| 1 + count(&e.fields)).sum(),
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
