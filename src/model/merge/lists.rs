//! Lists merged item by item: a list item deleted on one side and edited on the other is a
//! conflict on that item, and a list's order is ours with theirs' new items where they put them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::items::{self, describe_field, describe_item};
use super::{Conflict, ConflictKey, Fields, Item, Side};

/// The fields under a list item's prefix (`kind.Intervention.decisions.#d1`).
fn under(f: &Fields, prefix: &str) -> Fields {
    f.range(prefix.to_owned()..)
        .take_while(|(k, _)| k.starts_with(prefix))
        .filter(|(k, _)| k.len() == prefix.len() || k[prefix.len()..].starts_with('.'))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The list items named in fields' paths (`….decisions.#d1`), outermost first.
fn list_items<'a>(fields: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for k in fields {
        for (i, _) in k.match_indices(".#") {
            let end = k[i + 1..].find('.').map_or(k.len(), |j| i + 1 + j);
            found.insert(k[..end].to_owned());
        }
    }
    let mut list: Vec<String> = found.into_iter().collect();
    list.sort_by_key(|p| (p.matches(".#").count(), p.clone()));
    list
}

/// A list's order after a merge: ours, then each item only theirs has after the item it follows
/// in theirs (or before the one it precedes); only items still in the list.
pub(super) fn merge_order(ours: &[String], theirs: &[String], kept: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = ours.iter().filter(|k| kept.contains(*k)).cloned().collect();
    for (i, k) in theirs.iter().enumerate() {
        if out.contains(k) || !kept.contains(k) {
            continue;
        }
        // After the item it follows in theirs, else before the one it precedes, else last.
        let after = theirs[..i].iter().rev().find_map(|p| out.iter().position(|o| o == p)).map(|a| a + 1);
        let before = || theirs[i + 1..].iter().find_map(|n| out.iter().position(|o| o == n));
        let mut at = after.or_else(before).unwrap_or(out.len());
        // Ours' own new items there come first.
        if after.is_some() {
            while at < out.len() && !theirs.contains(&out[at]) {
                at += 1;
            }
        }
        out.insert(at, k.clone());
    }
    for k in kept {
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

fn order_of(f: &Fields, key: &str) -> Vec<String> {
    f.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Merges the fields of an item both copies kept: field by field, and the items of its lists item
/// by item (one deleted on one side and edited on the other is a conflict on that list item).
pub(super) fn merge_fields(
    item: &Item,
    b: &Fields,
    o: &Fields,
    t: &Fields,
    choices: &BTreeMap<ConflictKey, Side>,
    conflicts: &mut Vec<Conflict>,
) -> Fields {
    let what = describe_item(item, Some(o));
    let mut conflict = |field: &str, bv: Option<Value>, ov: Option<Value>, tv: Option<Value>| {
        let key = (item.clone(), Some(field.to_owned()));
        let chosen = choices.get(&key).copied().unwrap_or_default();
        conflicts.push(Conflict {
            item: item.clone(),
            field: Some(field.to_owned()),
            what: what.clone(),
            label: describe_field(field, &[o, t, b]),
            base: bv,
            ours: ov,
            theirs: tv,
            chosen,
        });
        chosen
    };
    // List items deleted on one side and edited on the other.
    let mut forced: Vec<(String, Fields)> = Vec::new();
    for p in list_items(b.keys().chain(o.keys()).chain(t.keys())) {
        if forced.iter().any(|(q, _)| p.starts_with(q.as_str()) && p[q.len()..].starts_with('.')) {
            continue;
        }
        let (fb, fo, ft) = (under(b, &p), under(o, &p), under(t, &p));
        let whole = |f: &Fields| (!f.is_empty()).then(|| Value::Object(f.clone().into_iter().collect()));
        let side = match (fb.is_empty(), fo.is_empty(), ft.is_empty()) {
            (false, false, true) if fo != fb => Some((fo.clone(), Fields::new())),
            (false, true, false) if ft != fb => Some((Fields::new(), ft.clone())),
            _ => None,
        };
        if let Some((ours, theirs)) = side {
            let chosen = conflict(&p, whole(&fb), whole(&ours), whole(&theirs));
            forced.push((p, if chosen == Side::Ours { ours } else { theirs }));
        }
    }
    let is_forced = |k: &str| forced.iter().any(|(q, _)| k.starts_with(q.as_str()) && k[q.len()..].starts_with('.'));
    let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    let mut out = Fields::new();
    let mut orders = Vec::new();
    for k in keys {
        if k.ends_with(items::ORDER) {
            orders.push(k.clone());
            continue;
        }
        if is_forced(k) {
            continue;
        }
        let (bv, ov, tv) = (b.get(k), o.get(k), t.get(k));
        let v = if ov == tv || tv == bv {
            ov
        } else if ov == bv {
            tv
        } else if conflict(k, bv.cloned(), ov.cloned(), tv.cloned()) == Side::Ours {
            ov
        } else {
            tv
        };
        if let Some(v) = v {
            out.insert(k.clone(), v.clone());
        }
    }
    for (_, fields) in forced {
        out.extend(fields);
    }
    // Each list's order: ours, with theirs' new items where they put them.
    for key in orders {
        let list = &key[..key.len() - items::ORDER.len()];
        let kept: BTreeSet<String> = out
            .keys()
            .filter_map(|k| k.strip_prefix(list)?.strip_prefix('#'))
            .map(|rest| rest.split('.').next().unwrap_or(rest).to_owned())
            .collect();
        if !kept.is_empty() {
            let order = merge_order(&order_of(o, &key), &order_of(t, &key), &kept);
            out.insert(key, Value::Array(order.into_iter().map(Value::String).collect()));
        }
    }
    out
}
