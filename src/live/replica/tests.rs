//! The shared document's layout, routes, hostile entries, kinds and words, without a network.

use super::*;

mod routes {
    use super::*;

    #[test]
    fn a_route_goes_through_the_engine_exactly_and_a_garbled_one_is_dropped() {
        let points = vec![[0.1_f32, -2.5], [1234.567, 8.0e5], [f32::MIN_POSITIVE, 3.0]];
        let out = Out::Any(yrs::Any::Buffer(route_bytes(&points)));
        assert_eq!(route_points(&out), Some(points));
        let short = Out::Any(yrs::Any::Buffer(Arc::from(&[0u8; 12][..])));
        assert_eq!(route_points(&short), None, "half a point");
        let nan = Out::Any(yrs::Any::Buffer(route_bytes(&[[f32::NAN, 1.0]])));
        assert_eq!(route_points(&nan), None, "not a place");
        let far = Out::Any(yrs::Any::Buffer(route_bytes(&[[1.0, 1.0e30]])));
        assert_eq!(route_points(&far), None, "beyond any map");
        let text = Out::Any(yrs::Any::String(Arc::from("[[1,2]]")));
        assert_eq!(route_points(&text), None);
    }
}

mod layout_tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::NodeId;

    fn entries(r: &Replica, which: &MapRef) -> u32 {
        which.len(&r.doc.transact())
    }

    fn taken(r: &mut Replica, update: &[u8]) -> MissionMap {
        r.receive(update, &MissionMap::new("")).map_or_else(|e| panic!("refused: {e}"), |_| ());
        r.whole_map()
    }

    #[test]
    fn a_shared_map_keeps_many_items_to_an_entry_and_an_edit_writes_one_field() {
        let map = Arc::new(crate::sample::generate::map(1_000, 7));
        let mut host = Replica::host(&map, 1);
        let items = host.item_count();
        let bases = entries(&host, &host.bases);
        assert!(items > 2_500, "every card and link is there: {items}");
        assert!(bases * 100 < items, "{bases} entries for {items} items: the engine keeps each entry's bookkeeping");
        assert_eq!(entries(&host, &host.fields), 0, "nothing has changed since it was shared");

        let id = map.sorted_nodes()[3].id.clone();
        let mut edited = (*map).clone();
        let _ = edited.update_node(&id, |n| n.title = "Retitled".into());
        let update = host.local(&Arc::new(edited));
        assert!(update.is_some());
        assert_eq!(entries(&host, &host.fields), 1, "one field changed, one entry");
        assert_eq!(host.whole_map().node(&id).map(|n| n.title.as_str()), Some("Retitled"));
    }

    #[test]
    fn two_laptops_seeding_one_room_at_once_end_with_the_same_map() {
        let mut a = crate::sample::generate::map(60, 3);
        let mut b = a.clone();
        let id = a.sorted_nodes()[0].id.clone();
        for (m, t) in [(&mut a, "from a"), (&mut b, "from b")] {
            let _ = m.update_node(&id, |n| n.title = t.into());
        }
        let mut ra = Replica::joiner(10);
        let mut rb = Replica::joiner(20);
        let ua = ra.seed(&Arc::new(a)).unwrap_or_default();
        let ub = rb.seed(&Arc::new(b)).unwrap_or_default();
        let ma = taken(&mut ra, &ub);
        let mb = taken(&mut rb, &ua);
        assert_eq!(crate::io::format::to_string(&ma), crate::io::format::to_string(&mb));
        assert!(ma.node(&id).is_some_and(|n| n.title == "from a" || n.title == "from b"));
    }

    #[test]
    fn a_map_shared_by_an_older_version_is_refused_with_a_reason() {
        let old = Doc::with_client_id(5);
        let items = old.get_or_insert_map("items");
        let update = {
            let mut txn = old.transact_mut();
            items.insert(&mut txn, "card i1", yrs::MapPrelim::from([("title".to_owned(), "\"A\"".to_owned())]));
            txn.encode_update_v1()
        };
        let mut r = Replica::joiner(6);
        let refusal = r.receive(&update, &MissionMap::new("")).err();
        assert!(
            refusal.as_ref().is_some_and(|e| e.to_string().contains("same version")),
            "refused as another version: {refusal:?}"
        );
    }

    #[test]
    fn an_item_larger_than_any_real_card_is_left_out_alike_everywhere() {
        let mut one = MissionMap::new("one");
        let id = NodeId::new("p1").map_err(|e| e.to_string());
        let Ok(id) = id else { panic!("an id") };
        let node = crate::model::Node::new(id.clone(), crate::model::Kind::Partner, "Fine");
        assert!(one.add_node(node, crate::model::Placement::at(0.0, 0.0)).is_ok());
        let item = Item::Card(id.clone());
        let taken_with_notes = |notes: &str| {
            let mut fields = item_fields(&one, &item).unwrap_or_default();
            fields.insert("notes".to_owned(), Value::from(notes));
            let peer = Doc::with_client_id(9);
            let bases = peer.get_or_insert_map("bases");
            let text = serde_json::to_string(&BTreeMap::from([(item.key_text(), fields)])).unwrap_or_default();
            let update = {
                let mut txn = peer.transact_mut();
                bases.insert(&mut txn, "9.0.0", text);
                txn.encode_update_v1()
            };
            let mut r = Replica::joiner(3);
            assert!(r.receive(&update, &MissionMap::new("")).is_ok());
            r.whole_map().node(&id).map(|n| n.notes.len())
        };
        assert_eq!(taken_with_notes("a real note"), Some(11));
        assert_eq!(taken_with_notes(&"x".repeat(MAX_ITEM_TEXT)), None, "more than any real card: left out");

        // A changed field as large: left out too, the card as it was.
        let mut r = Replica::host(&Arc::new(one.clone()), 1);
        let peer = Doc::with_client_id(9);
        let fields = peer.get_or_insert_map("fields");
        let update = {
            let mut txn = peer.transact_mut();
            fields.insert(
                &mut txn,
                field_key(&item.key_text(), "title"),
                json(&Value::from("y".repeat(MAX_ITEM_TEXT))),
            );
            txn.encode_update_v1()
        };
        assert!(r.receive(&update, &one).is_ok());
        assert_eq!(r.whole_map().node(&id).map(|n| n.title.clone()), Some("Fine".to_owned()));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever a peer puts in the engine's own entries (well-formed Yjs, any text), the map
        /// read from it never panics and holds only what passes the map's rules.
        #[test]
        fn any_entries_from_a_peer_read_without_panic(
            base_key in ".{0,12}",
            base_text in prop_oneof![".{0,80}", Just("{\"card i1\":{\"title\":\"\\\"x\\\"\"}}".to_owned()), Just("{\"card i1\":5,\"link l1\":{}}".to_owned())],
            field_keys in proptest::collection::vec(prop_oneof![".{0,16}", "[0-9]{1,3}:card i1[a-z~]{0,8}"], 0..6),
            value in prop_oneof![".{0,20}".prop_map(yrs::Any::from), Just(yrs::Any::Null), Just(yrs::Any::from(3.5))],
        ) {
            let peer = Doc::with_client_id(9);
            let (bases, fields) = (peer.get_or_insert_map("bases"), peer.get_or_insert_map("fields"));
            let update = {
                let mut txn = peer.transact_mut();
                bases.insert(&mut txn, base_key, base_text);
                for k in field_keys {
                    fields.insert(&mut txn, k, value.clone());
                }
                txn.encode_update_v1()
            };
            let mut r = Replica::joiner(3);
            let _ = r.receive(&update, &MissionMap::new(""));
            let map = r.whole_map();
            prop_assert!(map.node_count() <= 1);
            let i1 = NodeId::new("i1").map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(map.node_count() == 0 || map.contains_node(&i1));
        }
    }
}

mod kind_tests {
    use super::*;
    use crate::model::{Kind, Node, NodeId, NodeKind, Placement};

    /// Two laptops change one card's kind at once with no host between them (a relay): both end
    /// with the same card, and a laptop joining afterwards gets it.
    #[test]
    fn two_kinds_given_at_once_end_as_one_everywhere() {
        let Ok(id) = NodeId::new("s1") else { panic!("an id") };
        let mut map = MissionMap::new("m");
        assert!(map.add_node(Node::new(id.clone(), Kind::SubMission, "Kind test"), Placement::at(0.0, 0.0)).is_ok());
        let map = Arc::new(map);
        let mut a = Replica::host(&map, 1);
        let mut b = Replica::joiner(2);
        let all = a.missing_for(&StateVector::default());
        assert!(b.receive(&all, &MissionMap::new("")).is_ok());
        b.adopt(&map);
        let as_kind = |kind: Kind| {
            let mut m = (*map).clone();
            let _ = m.update_node(&id, |n| n.kind = NodeKind::empty(kind));
            Arc::new(m)
        };
        let (ma, mb) = (as_kind(Kind::Intervention), as_kind(Kind::Partner));
        let ua = a.local(&ma).unwrap_or_default();
        let ub = b.local(&mb).unwrap_or_default();
        let (pa, _) = a.receive(&ub, &ma).map_err(|e| e.to_string()).unwrap_or_default();
        let (pb, _) = b.receive(&ua, &mb).map_err(|e| e.to_string()).unwrap_or_default();
        let (mut ma, mut mb) = ((*ma).clone(), (*mb).clone());
        assert!(patch::apply(&mut ma, &pa).is_empty(), "a card on laptop a");
        assert!(patch::apply(&mut mb, &pb).is_empty(), "a card on laptop b");
        let kind = |m: &MissionMap| m.node(&id).map(Node::kind);
        assert_eq!(kind(&ma), kind(&mb));
        assert!(kind(&ma).is_some());
        let mut c = Replica::joiner(3);
        let all = a.missing_for(&StateVector::default());
        assert!(c.receive(&all, &MissionMap::new("")).is_ok());
        assert_eq!(kind(&c.whole_map()), kind(&ma), "a laptop joining later gets the card");
    }
}

mod words_tests {
    use super::*;
    use crate::model::{Indicator, Kind, Node, NodeId, NodeKind, Placement};

    #[test]
    fn an_overruled_edit_names_the_list_item_and_the_kind_in_words() {
        let mut map = MissionMap::new("m");
        let Ok(id) = NodeId::new("s1") else { panic!("an id") };
        let mut node = Node::new(id.clone(), Kind::SubMission, "Faster care");
        if let NodeKind::SubMission { indicators, .. } = &mut node.kind {
            indicators.push(Indicator {
                id: crate::model::ItemId::fresh(),
                name: "Waiting list".into(),
                ..Indicator::default()
            });
        }
        assert!(map.add_node(node, Placement::at(0.0, 0.0)).is_ok());
        let item = Item::Card(id);
        let fields = item_fields(&map, &item).unwrap_or_default();
        let Some(name) = fields.keys().find(|k| k.contains(".#") && k.rsplit('.').next() == Some("name")).cloned()
        else {
            panic!("an indicator's name field: {fields:?}")
        };
        let target = name.replace(".name", ".target");
        let said = |field: &str, ours: Value, theirs: Option<Value>, map: &MissionMap| {
            Replaced { item: item.clone(), field: field.to_owned(), ours, theirs, title: None, list_item: None }
                .describe(map)
        };
        let s = said(&target, Value::from(5), Some(Value::from(7)), &map);
        assert!(s.contains("indicator \u{201c}Waiting list\u{201d}: target"), "{s}");
        assert!(!s.contains('#'), "{s}");
        // Removed meanwhile: named by what we had, or said to be gone.
        let gone = MissionMap::new("m");
        let s = said(&name, Value::from("Waiting list"), None, &gone);
        assert!(s.contains("indicator \u{201c}Waiting list\u{201d}"), "{s}");
        let s = said(&target, Value::from(5), None, &gone);
        assert!(s.contains("an indicator since removed"), "{s}");
        // Named as we had them when the edit was overruled, whatever happened since.
        let kept = Replaced {
            item: item.clone(),
            field: target.clone(),
            ours: Value::from(5),
            theirs: None,
            title: Some("Faster care".to_owned()),
            list_item: Some("Waiting list".to_owned()),
        };
        let s = kept.describe(&gone);
        assert!(
            s.starts_with(
                "\u{201c}Faster care\u{201d} (since deleted), indicator \u{201c}Waiting list\u{201d}: target"
            ),
            "{s}"
        );
        let s = said("kind.SubMission", serde_json::json!({}), None, &map);
        assert!(s.contains("kind: yours was SubMission"), "{s}");
    }
}
