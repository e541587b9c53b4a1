//! The same projection and the same edits on each engine.

use crate::projection::{Entity, Projection, Val};

pub type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn err(what: &str, e: impl std::fmt::Debug) -> Box<dyn std::error::Error> {
    format!("{what}: {e:?}").into()
}

/// What the bench asks of an engine.
pub trait Engine {
    const NAME: &'static str;
    type Doc;
    /// A document holding the whole map, written by peer `peer` in one transaction.
    fn build(p: &Projection, peer: u64) -> Res<Self::Doc>;
    /// The whole state as a new peer receives it.
    fn encode_full(doc: &mut Self::Doc) -> Res<Vec<u8>>;
    /// An empty document for peer `peer` that applies `bytes`.
    fn join(bytes: &[u8], peer: u64) -> Res<Self::Doc>;
    /// Reads every card and link out (as the app must, to build its own map); returns the card count.
    fn read_all(doc: &mut Self::Doc) -> Res<usize>;
    /// Retitles one card; returns the encoded update of that edit alone.
    fn retitle(doc: &mut Self::Doc, card: &str, title: &str) -> Res<Vec<u8>>;
    /// Adds a card and its links in one transaction; returns the encoded update.
    fn add_card(doc: &mut Self::Doc, card: &Entity, links: &[Entity]) -> Res<Vec<u8>>;
    /// Sets fields of one card in its own transaction, as one drag does (x and y, or the flat
    /// layout's position); the update is not kept.
    fn set_fields(doc: &mut Self::Doc, card: &str, fields: &[(String, Val)]) -> Res<()>;
    /// Applies a remote update.
    fn apply(doc: &mut Self::Doc, update: &[u8]) -> Res<()>;
    /// From now on the doc tells the app what each applied update changed (events or patches),
    /// as the live layer needs in order to turn remote changes into commands.
    fn observe(doc: &mut Self::Doc) -> Res<()>;
    /// Applies a remote update and returns how many changes the app was told of.
    fn apply_observed(doc: &mut Self::Doc, update: &[u8]) -> Res<usize>;
    /// A card's title, to check an edit arrived.
    fn title(doc: &mut Self::Doc, card: &str) -> Res<Option<String>>;
    /// Other encodings worth knowing, as (what, bytes).
    fn other_sizes(_doc: &mut Self::Doc) -> Res<Vec<(String, usize)>> {
        Ok(Vec::new())
    }
}

// ---------------------------------------------------------------- yrs (Yjs)

pub mod y {
    use super::{Engine, Entity, Projection, Res, Val, err};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    use yrs::DeepObservable;
    use yrs::types::{Event, ToJson};
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, Map, MapPrelim, MapRef, Out, ReadTxn, StateVector, Transact, TransactionMut, Update, WriteTxn};

    pub struct Yrs;

    pub struct YDoc {
        doc: Doc,
        cards: MapRef,
        links: MapRef,
        changes: Arc<AtomicUsize>,
    }

    fn roots(doc: Doc) -> YDoc {
        let cards = doc.get_or_insert_map("cards");
        let links = doc.get_or_insert_map("links");
        YDoc { doc, cards, links, changes: Arc::default() }
    }

    fn put(txn: &mut TransactionMut<'_>, map: &MapRef, fields: &[(String, Val)]) {
        for (k, v) in fields {
            match v {
                Val::Str(s) => {
                    map.insert(txn, k.as_str(), s.as_str());
                }
                Val::Num(n) => {
                    map.insert(txn, k.as_str(), *n);
                }
                Val::Bool(b) => {
                    map.insert(txn, k.as_str(), *b);
                }
                Val::Items(items) => {
                    let list: MapRef = map.insert(txn, k.as_str(), MapPrelim::default());
                    for item in items {
                        put_entity(txn, &list, item);
                    }
                }
            }
        }
    }

    fn put_entity(txn: &mut TransactionMut<'_>, parent: &MapRef, e: &Entity) {
        let m: MapRef = parent.insert(txn, e.id.as_str(), MapPrelim::default());
        put(txn, &m, &e.fields);
    }

    impl Engine for Yrs {
        const NAME: &'static str = "yrs";
        type Doc = YDoc;

        fn build(p: &Projection, peer: u64) -> Res<YDoc> {
            let d = roots(Doc::with_client_id(peer));
            {
                let mut txn = d.doc.transact_mut();
                let meta = txn.get_or_insert_map("meta");
                meta.insert(&mut txn, "title", p.title.as_str());
                for c in &p.cards {
                    put_entity(&mut txn, &d.cards, c);
                }
                for l in &p.links {
                    put_entity(&mut txn, &d.links, l);
                }
            }
            Ok(d)
        }

        fn encode_full(d: &mut YDoc) -> Res<Vec<u8>> {
            Ok(d.doc.transact().encode_state_as_update_v1(&StateVector::default()))
        }

        fn join(bytes: &[u8], peer: u64) -> Res<YDoc> {
            let mut d = roots(Doc::with_client_id(peer));
            Self::apply(&mut d, bytes)?;
            Ok(d)
        }

        fn read_all(d: &mut YDoc) -> Res<usize> {
            let txn = d.doc.transact();
            let cards = d.cards.to_json(&txn);
            let links = d.links.to_json(&txn);
            std::hint::black_box(&links);
            match cards {
                yrs::Any::Map(m) => Ok(m.len()),
                other => Err(err("cards is not a map", other)),
            }
        }

        fn retitle(d: &mut YDoc, card: &str, title: &str) -> Res<Vec<u8>> {
            let mut txn = d.doc.transact_mut();
            let Some(Out::YMap(c)) = d.cards.get(&txn, card) else {
                return Err(err("no such card", card));
            };
            c.insert(&mut txn, "title", title);
            Ok(txn.encode_update_v1())
        }

        fn add_card(d: &mut YDoc, card: &Entity, links: &[Entity]) -> Res<Vec<u8>> {
            let mut txn = d.doc.transact_mut();
            put_entity(&mut txn, &d.cards, card);
            for l in links {
                put_entity(&mut txn, &d.links, l);
            }
            Ok(txn.encode_update_v1())
        }

        fn set_fields(d: &mut YDoc, card: &str, fields: &[(String, Val)]) -> Res<()> {
            let mut txn = d.doc.transact_mut();
            let Some(Out::YMap(c)) = d.cards.get(&txn, card) else {
                return Err(err("no such card", card));
            };
            put(&mut txn, &c, fields);
            Ok(())
        }

        fn apply(d: &mut YDoc, update: &[u8]) -> Res<()> {
            let u = Update::decode_v1(update).map_err(|e| err("update does not decode", e))?;
            d.doc.transact_mut().apply_update(u).map_err(|e| err("update does not apply", e))
        }

        fn observe(d: &mut YDoc) -> Res<()> {
            for root in [&d.cards, &d.links] {
                let changes = Arc::clone(&d.changes);
                root.observe_deep("bench", move |txn, events| {
                    for e in events.iter() {
                        if let Event::Map(m) = e {
                            std::hint::black_box(m.path());
                            changes.fetch_add(m.keys(txn).len(), Relaxed);
                        }
                    }
                });
            }
            Ok(())
        }

        fn apply_observed(d: &mut YDoc, update: &[u8]) -> Res<usize> {
            Self::apply(d, update)?;
            Ok(d.changes.swap(0, Relaxed))
        }

        fn title(d: &mut YDoc, card: &str) -> Res<Option<String>> {
            let txn = d.doc.transact();
            let Some(Out::YMap(c)) = d.cards.get(&txn, card) else { return Ok(None) };
            Ok(match c.get(&txn, "title") {
                Some(Out::Any(yrs::Any::String(s))) => Some(s.to_string()),
                _ => None,
            })
        }

        fn other_sizes(d: &mut YDoc) -> Res<Vec<(String, usize)>> {
            let v2 = d.doc.transact().encode_state_as_update_v2(&StateVector::default());
            Ok(vec![("full state, update format v2".into(), v2.len())])
        }
    }
}

// ---------------------------------------------------------------- automerge

pub mod am {
    use super::{Engine, Entity, Projection, Res, Val, err};
    use automerge::transaction::Transactable;
    use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};

    pub struct Automerge;

    pub struct AmDoc {
        doc: AutoCommit,
        cards: ObjId,
        links: ObjId,
    }

    fn actor(peer: u64) -> ActorId {
        ActorId::from(peer.to_be_bytes().as_slice())
    }

    fn put(doc: &mut AutoCommit, map: &ObjId, fields: &[(String, Val)]) -> Res<()> {
        for (k, v) in fields {
            match v {
                Val::Str(s) => doc.put(map, k.as_str(), s.as_str())?,
                Val::Num(n) => doc.put(map, k.as_str(), *n)?,
                Val::Bool(b) => doc.put(map, k.as_str(), *b)?,
                Val::Items(items) => {
                    let list = doc.put_object(map, k.as_str(), ObjType::Map)?;
                    for item in items {
                        put_entity(doc, &list, item)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn put_entity(doc: &mut AutoCommit, parent: &ObjId, e: &Entity) -> Res<()> {
        let m = doc.put_object(parent, e.id.as_str(), ObjType::Map)?;
        put(doc, &m, &e.fields)
    }

    fn child(doc: &AutoCommit, parent: &ObjId, key: &str) -> Res<Option<ObjId>> {
        Ok(match doc.get(parent, key)? {
            Some((Value::Object(_), id)) => Some(id),
            _ => None,
        })
    }

    impl Engine for Automerge {
        const NAME: &'static str = "automerge";
        type Doc = AmDoc;

        fn build(p: &Projection, peer: u64) -> Res<AmDoc> {
            let mut doc = AutoCommit::new().with_actor(actor(peer));
            let meta = doc.put_object(ROOT, "meta", ObjType::Map)?;
            doc.put(&meta, "title", p.title.as_str())?;
            let cards = doc.put_object(ROOT, "cards", ObjType::Map)?;
            let links = doc.put_object(ROOT, "links", ObjType::Map)?;
            for c in &p.cards {
                put_entity(&mut doc, &cards, c)?;
            }
            for l in &p.links {
                put_entity(&mut doc, &links, l)?;
            }
            doc.commit();
            Ok(AmDoc { doc, cards, links })
        }

        fn encode_full(d: &mut AmDoc) -> Res<Vec<u8>> {
            // What the sync protocol sends a peer that has nothing (automerge `sync.rs`: whole doc).
            Ok(d.doc.save())
        }

        fn join(bytes: &[u8], peer: u64) -> Res<AmDoc> {
            let doc = AutoCommit::load(bytes)?.with_actor(actor(peer));
            let cards = child(&doc, &ROOT, "cards")?.ok_or("no cards map")?;
            let links = child(&doc, &ROOT, "links")?.ok_or("no links map")?;
            Ok(AmDoc { doc, cards, links })
        }

        fn read_all(d: &mut AmDoc) -> Res<usize> {
            let cards = d.doc.hydrate(&d.cards, None)?;
            let links = d.doc.hydrate(&d.links, None)?;
            std::hint::black_box((&cards, &links));
            Ok(d.doc.length(&d.cards))
        }

        fn retitle(d: &mut AmDoc, card: &str, title: &str) -> Res<Vec<u8>> {
            let heads = d.doc.get_heads();
            let c = child(&d.doc, &d.cards, card)?.ok_or_else(|| err("no such card", card))?;
            d.doc.put(&c, "title", title)?;
            d.doc.commit();
            Ok(d.doc.save_after(&heads))
        }

        fn add_card(d: &mut AmDoc, card: &Entity, links: &[Entity]) -> Res<Vec<u8>> {
            let heads = d.doc.get_heads();
            put_entity(&mut d.doc, &d.cards, card)?;
            for l in links {
                put_entity(&mut d.doc, &d.links, l)?;
            }
            d.doc.commit();
            Ok(d.doc.save_after(&heads))
        }

        fn set_fields(d: &mut AmDoc, card: &str, fields: &[(String, Val)]) -> Res<()> {
            let c = child(&d.doc, &d.cards, card)?.ok_or_else(|| err("no such card", card))?;
            put(&mut d.doc, &c, fields)?;
            d.doc.commit();
            Ok(())
        }

        fn apply(d: &mut AmDoc, update: &[u8]) -> Res<()> {
            d.doc.load_incremental(update)?;
            Ok(())
        }

        fn observe(d: &mut AmDoc) -> Res<()> {
            d.doc.update_diff_cursor();
            Ok(())
        }

        fn apply_observed(d: &mut AmDoc, update: &[u8]) -> Res<usize> {
            d.doc.load_incremental(update)?;
            Ok(d.doc.diff_incremental().len())
        }

        fn title(d: &mut AmDoc, card: &str) -> Res<Option<String>> {
            let Some(c) = child(&d.doc, &d.cards, card)? else { return Ok(None) };
            Ok(match d.doc.get(&c, "title")? {
                Some((Value::Scalar(s), _)) => s.as_str().map(str::to_owned),
                _ => None,
            })
        }

        fn other_sizes(d: &mut AmDoc) -> Res<Vec<(String, usize)>> {
            Ok(vec![("full state, save_nocompress".into(), d.doc.save_nocompress().len())])
        }
    }
}

// ---------------------------------------------------------------- loro

pub mod lo {
    use super::{Engine, Entity, Projection, Res, Val, err};
    use loro::{Container, ExportMode, LoroDoc, LoroMap, LoroValue, Subscription, ValueOrContainer};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    pub struct Loro;

    pub struct LDoc {
        doc: LoroDoc,
        cards: LoroMap,
        links: LoroMap,
        changes: Arc<AtomicUsize>,
        subscription: Option<Subscription>,
    }

    fn roots(doc: LoroDoc) -> LDoc {
        let cards = doc.get_map("cards");
        let links = doc.get_map("links");
        LDoc { doc, cards, links, changes: Arc::default(), subscription: None }
    }

    fn put(map: &LoroMap, fields: &[(String, Val)]) -> Res<()> {
        for (k, v) in fields {
            match v {
                Val::Str(s) => map.insert(k, s.as_str())?,
                Val::Num(n) => map.insert(k, *n)?,
                Val::Bool(b) => map.insert(k, *b)?,
                Val::Items(items) => {
                    let list = map.insert_container(k, LoroMap::new())?;
                    for item in items {
                        put_entity(&list, item)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn put_entity(parent: &LoroMap, e: &Entity) -> Res<()> {
        let m = parent.insert_container(&e.id, LoroMap::new())?;
        put(&m, &e.fields)
    }

    fn card_map(d: &LDoc, card: &str) -> Option<LoroMap> {
        match d.cards.get(card) {
            Some(ValueOrContainer::Container(Container::Map(m))) => Some(m),
            _ => None,
        }
    }

    impl Engine for Loro {
        const NAME: &'static str = "loro";
        type Doc = LDoc;

        fn build(p: &Projection, peer: u64) -> Res<LDoc> {
            let doc = LoroDoc::new();
            doc.set_peer_id(peer)?;
            let d = roots(doc);
            d.doc.get_map("meta").insert("title", p.title.as_str())?;
            for c in &p.cards {
                put_entity(&d.cards, c)?;
            }
            for l in &p.links {
                put_entity(&d.links, l)?;
            }
            d.doc.commit();
            Ok(d)
        }

        fn encode_full(d: &mut LDoc) -> Res<Vec<u8>> {
            Ok(d.doc.export(ExportMode::Snapshot)?)
        }

        fn join(bytes: &[u8], peer: u64) -> Res<LDoc> {
            let doc = LoroDoc::new();
            doc.set_peer_id(peer)?;
            doc.import(bytes)?;
            Ok(roots(doc))
        }

        fn read_all(d: &mut LDoc) -> Res<usize> {
            let cards = d.cards.get_deep_value();
            let links = d.links.get_deep_value();
            std::hint::black_box(&links);
            match cards {
                LoroValue::Map(m) => Ok(m.len()),
                other => Err(err("cards is not a map", other)),
            }
        }

        fn retitle(d: &mut LDoc, card: &str, title: &str) -> Res<Vec<u8>> {
            let vv = d.doc.oplog_vv();
            let c = card_map(d, card).ok_or_else(|| err("no such card", card))?;
            c.insert("title", title)?;
            d.doc.commit();
            Ok(d.doc.export(ExportMode::updates(&vv))?)
        }

        fn add_card(d: &mut LDoc, card: &Entity, links: &[Entity]) -> Res<Vec<u8>> {
            let vv = d.doc.oplog_vv();
            put_entity(&d.cards, card)?;
            for l in links {
                put_entity(&d.links, l)?;
            }
            d.doc.commit();
            Ok(d.doc.export(ExportMode::updates(&vv))?)
        }

        fn set_fields(d: &mut LDoc, card: &str, fields: &[(String, Val)]) -> Res<()> {
            let c = card_map(d, card).ok_or_else(|| err("no such card", card))?;
            put(&c, fields)?;
            d.doc.commit();
            Ok(())
        }

        fn apply(d: &mut LDoc, update: &[u8]) -> Res<()> {
            d.doc.import(update)?;
            Ok(())
        }

        fn observe(d: &mut LDoc) -> Res<()> {
            let changes = Arc::clone(&d.changes);
            d.subscription = Some(d.doc.subscribe_root(Arc::new(move |e| {
                for c in &e.events {
                    std::hint::black_box(c.path);
                    let n = c.diff.as_map().map_or(1, |m| m.updated.len());
                    changes.fetch_add(n, Relaxed);
                }
            })));
            Ok(())
        }

        fn apply_observed(d: &mut LDoc, update: &[u8]) -> Res<usize> {
            d.doc.import(update)?;
            Ok(d.changes.swap(0, Relaxed))
        }

        fn title(d: &mut LDoc, card: &str) -> Res<Option<String>> {
            let Some(c) = card_map(d, card) else { return Ok(None) };
            Ok(match c.get("title") {
                Some(ValueOrContainer::Value(LoroValue::String(s))) => Some(s.to_string()),
                _ => None,
            })
        }

        fn other_sizes(d: &mut LDoc) -> Res<Vec<(String, usize)>> {
            let updates = d.doc.export(ExportMode::all_updates())?;
            Ok(vec![("full state, as updates (not snapshot)".into(), updates.len())])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Projection {
        let json = serde_json::json!({
            "title": "Small",
            "nodes": [
                {"id": "m1", "kind": "mission", "title": "Net zero", "x": 1.0, "y": 2.0},
                {"id": "s1", "kind": "sub-mission", "title": "Clean power", "x": 3.0, "y": 4.0, "pinned": true,
                 "indicators": [{"id": "ind1", "name": "Share", "readings": [{"id": "r1", "value": 3.0}]}]}
            ],
            "links": [{"id": "l1", "from": "s1", "to": "m1", "kind": "contributes-to"}]
        });
        Projection::from_json(&json, false).unwrap()
    }

    fn link(id: &str, from: &str, to: &str) -> Entity {
        Entity {
            id: id.into(),
            fields: vec![("from".into(), Val::Str(from.into())), ("to".into(), Val::Str(to.into()))],
        }
    }

    /// Build, join, read out, a remote retitle and a remote card with 2 links, with and without
    /// change events: what the bench times must also be what arrives.
    fn round_trip<E: Engine>() {
        let p = small();
        let mut a = E::build(&p, 1).unwrap();
        let full = E::encode_full(&mut a).unwrap();
        let mut b = E::join(&full, 2).unwrap();
        assert_eq!(E::read_all(&mut b).unwrap(), 2, "{}", E::NAME);
        assert_eq!(E::title(&mut b, "s1").unwrap().as_deref(), Some("Clean power"), "{}", E::NAME);
        assert_eq!(E::title(&mut b, "nope").unwrap(), None, "{}", E::NAME);

        let update = E::retitle(&mut a, "m1", "Net zero by 2050").unwrap();
        E::apply(&mut b, &update).unwrap();
        assert_eq!(E::title(&mut b, "m1").unwrap().as_deref(), Some("Net zero by 2050"), "{}", E::NAME);

        E::observe(&mut b).unwrap();
        let card = Entity { id: "i9".into(), fields: vec![("title".into(), Val::Str("New".into()))] };
        let update = E::add_card(&mut a, &card, &[link("l8", "i9", "s1"), link("l9", "i9", "m1")]).unwrap();
        assert!(E::apply_observed(&mut b, &update).unwrap() > 0, "{}: no change reported", E::NAME);
        assert_eq!(E::title(&mut b, "i9").unwrap().as_deref(), Some("New"), "{}", E::NAME);
        assert_eq!(E::read_all(&mut b).unwrap(), 3, "{}", E::NAME);

        E::set_fields(&mut a, "m1", &[("x".into(), Val::Num(7.0)), ("y".into(), Val::Num(8.0))]).unwrap();
        assert!(E::retitle(&mut a, "nope", "x").is_err(), "{}", E::NAME);
        let garbage = E::apply(&mut b, b"not an update");
        assert!(garbage.is_err() || E::NAME == "automerge", "{}: garbage was applied", E::NAME);
        assert_eq!(E::read_all(&mut b).unwrap(), 3, "{}: garbage changed the doc", E::NAME);
    }

    /// A trap for whoever takes automerge: on a doc that holds something, `load_incremental`
    /// accepts bytes that are not a change and applies nothing, without an error, so "refuse an update that does not decode" needs
    /// `Change::from_bytes` first.
    #[test]
    fn automerge_load_incremental_takes_garbage_silently() {
        use automerge::transaction::Transactable;
        let mut doc = automerge::AutoCommit::new();
        doc.put(automerge::ROOT, "title", "Small").unwrap();
        doc.commit();
        assert_eq!(doc.load_incremental(b"not an update").unwrap(), 0);
        assert!(automerge::Change::from_bytes(b"not an update".to_vec()).is_err());
    }

    #[test]
    fn yrs_round_trip() {
        round_trip::<y::Yrs>();
    }

    #[test]
    fn automerge_round_trip() {
        round_trip::<am::Automerge>();
    }

    #[test]
    fn loro_round_trip() {
        round_trip::<lo::Loro>();
    }
}
