//! Conflicts a merge could not settle, kept in the merged map (format 3) until someone chooses a
//! side: what is recorded, and settling one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::items::items;
use super::{Conflict, Item, MissionMap, Side, Sides, rebuild, show_value};

/// A conflict a merge left for people to settle, kept in the merged map's file so that accepting
/// the file (`git add`) cannot accept our side without anyone choosing: `missionboard check` fails
/// while one is left, and the editor's Checks panel offers "keep ours" and "take theirs".
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unresolved {
    /// The item: `card i4`, `link l3`, `action 3fa9c2e1b7d4`, `map`…
    pub item: String,
    /// The field (`title`, `kind.Intervention.decisions.#3fa9c2e1b7d4.why`); none for the whole item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For people: `card "Heat pumps" (i4), title`.
    pub what: String,
    /// Each copy's value, as JSON (`null`: deleted, or not set). The map holds ours.
    pub ours: String,
    pub theirs: String,
}

impl Unresolved {
    pub(super) fn from_conflict(c: &Conflict) -> Unresolved {
        let json = |v: Option<&Value>| v.map_or_else(|| "null".to_owned(), Value::to_string);
        Unresolved {
            item: c.item.key_text(),
            field: c.field.clone(),
            what: format!("{}, {}", c.what, c.field_label()),
            ours: json(c.ours.as_ref()),
            theirs: json(c.theirs.as_ref()),
        }
    }

    /// `card "Heat pumps" (i4), title: ours "Heat pumps" / theirs "Heat pump grants"`
    #[must_use]
    pub fn describe(&self) -> String {
        let show = |text: &str| {
            let v: Option<Value> = serde_json::from_str(text).ok();
            match (&v, self.field.is_some()) {
                (Some(Value::Null) | None, false) => "deleted".to_owned(),
                (Some(_), false) => "kept".to_owned(),
                (v, true) => show_value(v.as_ref()),
            }
        };
        format!("{}: ours {} / theirs {}", self.what, show(&self.ours), show(&self.theirs))
    }
}

/// Settles one recorded conflict: `Ours` keeps the map as it is, `Theirs` puts their value in.
/// Either way the record goes. An error says why their value no longer fits the map.
pub fn resolve(map: &MissionMap, which: &Unresolved, side: Side) -> Result<MissionMap, String> {
    let mut out = if side == Side::Ours {
        map.clone()
    } else {
        let item = Item::from_key_text(&which.item).ok_or_else(|| format!("{} is not an item of a map", which.item))?;
        let value: Value = serde_json::from_str(&which.theirs)
            .map_err(|e| format!("their value for {} cannot be read ({e})", which.what))?;
        let mut all = items(map);
        match (&which.field, value) {
            (None, Value::Object(obj)) => {
                all.insert(item, obj.into_iter().collect());
            }
            (None, _) => {
                all.remove(&item);
            }
            (Some(field), value) => {
                let fields = all.entry(item).or_default();
                // A whole list item: its fields replace what is under it.
                fields.retain(|k, _| !(k == field || k.starts_with(&format!("{field}."))));
                match value {
                    Value::Object(obj) if field.rsplit('.').next().is_some_and(|s| s.starts_with('#')) => {
                        fields.extend(obj);
                    }
                    Value::Null => {}
                    v => {
                        fields.insert(field.clone(), v);
                    }
                }
            }
        }
        let o = all.clone();
        let choices = BTreeMap::new();
        let sides = Sides { ours: map, theirs: map, b: &o, o: &o, t: &o, choices: &choices };
        let mut conflicts = Vec::new();
        let (rebuilt, dropped) = rebuild(all, &sides, map.next_serial(), &mut conflicts);
        if let Some(d) = dropped.first() {
            return Err(format!("their version leaves out link {} {}: {}", d.id, d.what, d.why));
        }
        let mut rebuilt = rebuilt;
        rebuilt.unresolved.clone_from(&map.unresolved);
        rebuilt
    };
    out.unresolved.retain(|u| u != which);
    Ok(out)
}
