//! One laptop in a live map: the Yjs sync and awareness protocol (`y-protocols`, as `yrs::sync`
//! encodes it) over any carrier of binary messages — the room server's WebSocket, a relay's, or a
//! test's channel. Messages in, messages out; the editor's [`Document`] changes only through
//! [`Document::apply_remote`], so undo takes back only this laptop's own edits.

use serde::{Deserialize, Serialize};
use yrs::sync::{Awareness, AwarenessUpdate, Message, MessageReader, SyncMessage};
use yrs::updates::decoder::DecoderV1;
use yrs::updates::encoder::Encode;

use super::replica::{Refusal, Replaced, Replica};
use crate::command::Document;
use crate::model::NodeId;

/// What the host tells a laptop it made read-only (the y-protocol's permission message), when it
/// does so and whenever that laptop tries a change anyway; a permission message without a reason
/// lets it edit again. The session turns it into [`Session::read_only`].
pub const READ_ONLY: &str = "this laptop may look but not change the map (the host made it read-only)";

/// The most people a laptop keeps news of (who is here, on which card): a room of 30 with every
/// breakout laptop several times over.
pub const MAX_PEOPLE: usize = 256;
/// The largest one person's who-is-here entry a laptop keeps (a name, initials, colour, card).
const MAX_PERSON_BYTES: usize = 4096;

/// What a laptop tells the others about its person (Yjs "awareness").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Two or three letters shown on the card they have selected.
    pub initials: String,
    /// Their colour, RGB.
    pub colour: [u8; 3],
    /// The card they have selected or are typing in.
    #[serde(default)]
    pub card: Option<String>,
    #[serde(default)]
    pub typing: bool,
    #[serde(default)]
    pub read_only: bool,
}

impl Person {
    /// A person with initials from their name and a colour from their laptop's number.
    #[must_use]
    pub fn new(name: &str, client: u64) -> Person {
        const COLOURS: [[u8; 3]; 8] = [
            [0, 94, 165],
            [212, 53, 28],
            [0, 112, 60],
            [145, 43, 136],
            [178, 94, 9],
            [40, 161, 151],
            [212, 53, 28],
            [77, 41, 120],
        ];
        let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).take(3).collect();
        #[allow(clippy::cast_possible_truncation)]
        let colour = COLOURS[(client % COLOURS.len() as u64) as usize];
        Person {
            name: name.to_owned(),
            initials: if initials.is_empty() { "?".to_owned() } else { initials.to_uppercase() },
            colour,
            card: None,
            typing: false,
            read_only: false,
        }
    }
}

/// A letter tag from a laptop's number, for ids it makes ("i14.kqfa").
#[must_use]
pub fn tag_of(client: u64) -> String {
    let mut n = client;
    (0..4)
        .map(|_| {
            #[allow(clippy::cast_possible_truncation)]
            let c = char::from(b'a' + (n % 26) as u8);
            n /= 26;
            c
        })
        .collect()
}

/// A laptop in a live map.
pub struct Session {
    replica: Replica,
    awareness: Awareness,
    me: Person,
    /// Others here, by laptop.
    pub people: Vec<(u64, Person)>,
    /// Our edits others' edits of the same field replaced (newest last).
    pub replaced: Vec<Replaced>,
    /// Changes from others this laptop could not take, with why (newest last).
    pub refused: Vec<String>,
    /// Why the server refused us, if it did (read-only, wrong code).
    pub denied: Option<String>,
    /// The host made this laptop read-only: its map takes no edits of its own until the host
    /// lets it edit again.
    pub read_only: bool,
    /// Whether the shared map has arrived (a joining laptop waits for it).
    joined: bool,
    /// When we last told the others who we are.
    said_at: std::time::Instant,
}

/// How often a laptop says again who it is, as Yjs clients do: a Yjs relay forgets a person it
/// has not heard of for 30 s (y-protocols' awareness timeout), and laptops idle for longer dropped
/// off everyone's "Here" list.
pub const RENEW: std::time::Duration = std::time::Duration::from_secs(15);

fn encode(msg: &Message) -> Vec<u8> {
    msg.encode_v1()
}

impl Session {
    /// The host's laptop: shares `doc`'s map.
    #[must_use]
    pub fn host(doc: &mut Document, name: &str, client: u64) -> Session {
        let replica = Replica::host(&doc.shared_map(), client);
        doc.set_id_tag(Some(tag_of(client)));
        Session::new(replica, name, client, true)
    }

    /// A laptop joining: its map is replaced by the shared map when it arrives.
    #[must_use]
    pub fn join(doc: &mut Document, name: &str, client: u64) -> Session {
        doc.set_id_tag(Some(tag_of(client)));
        Session::new(Replica::joiner(client), name, client, false)
    }

    fn new(replica: Replica, name: &str, client: u64, joined: bool) -> Session {
        let mut awareness = Awareness::new(replica.doc().clone());
        let me = Person::new(name, client);
        let _ = awareness.set_local_state(&me);
        Session {
            replica,
            awareness,
            me,
            people: Vec::new(),
            replaced: Vec::new(),
            refused: Vec::new(),
            denied: None,
            read_only: false,
            joined,
            said_at: std::time::Instant::now(),
        }
    }

    /// Whether the shared map is here.
    #[must_use]
    pub fn joined(&self) -> bool {
        self.joined
    }

    /// This laptop's number in the sync engine.
    #[must_use]
    pub fn client(&self) -> u64 {
        self.replica.doc().client_id().get()
    }

    /// A handle on this laptop's copy of the shared document (the same copy, not a new one): the
    /// host lends it to its room, which reads it.
    #[must_use]
    pub fn engine_doc(&self) -> yrs::Doc {
        self.replica.doc().clone()
    }

    /// The replica (tests and benchmarks).
    #[must_use]
    pub fn replica(&mut self) -> &mut Replica {
        &mut self.replica
    }

    /// The messages that open a connection: what we have, and who we are.
    #[must_use]
    pub fn greeting(&self) -> Vec<Vec<u8>> {
        let mut out = vec![encode(&Message::Sync(SyncMessage::SyncStep1(self.replica.state_vector())))];
        if let Some(u) = self.own_state() {
            out.push(u);
        }
        out
    }

    /// Who we are, as a message: our own entry only (a relay counts whoever a connection speaks
    /// for as its people, and says they left when it closes).
    fn own_state(&self) -> Option<Vec<u8>> {
        let me = self.awareness.client_id();
        self.awareness.update_with_clients([me]).ok().map(|u| encode(&Message::Awareness(u)))
    }

    /// Our edits since the last call, as a message for the others.
    pub fn local(&mut self, doc: &Document) -> Option<Vec<u8>> {
        if !self.joined {
            return None;
        }
        self.replica.local(&doc.shared_map()).map(|u| encode(&Message::Sync(SyncMessage::Update(u))))
    }

    /// Says which card we have selected (and whether we are typing in it).
    pub fn set_focus(&mut self, card: Option<&NodeId>, typing: bool) -> Option<Vec<u8>> {
        let card = card.map(ToString::to_string);
        if self.me.card == card && self.me.typing == typing {
            return None;
        }
        self.me.card = card;
        self.me.typing = typing;
        let _ = self.awareness.set_local_state(&self.me);
        self.said_at = std::time::Instant::now();
        self.own_state()
    }

    /// Who we are, said again when [`RENEW`] has passed since we last said it (a newer clock, the
    /// same person), so a relay keeps us on its list while we sit idle.
    pub fn renew(&mut self) -> Option<Vec<u8>> {
        if self.said_at.elapsed() < RENEW {
            return None;
        }
        let _ = self.awareness.set_local_state(&self.me);
        self.said_at = std::time::Instant::now();
        self.own_state()
    }

    /// Takes one message from the others (it may hold several y-protocol messages); returns the
    /// replies to send. Changes to the map go into `doc` as changes by others.
    pub fn handle(&mut self, bytes: &[u8], doc: &mut Document) -> Vec<Vec<u8>> {
        let mut replies = Vec::new();
        let mut decoder = DecoderV1::from(bytes);
        let messages: Vec<Result<Message, _>> =
            std::panic::catch_unwind(move || MessageReader::new(&mut decoder).collect()).unwrap_or_default();
        for msg in messages {
            match msg {
                Ok(Message::Sync(SyncMessage::SyncStep1(sv))) => {
                    replies.push(encode(&Message::Sync(SyncMessage::SyncStep2(self.replica.missing_for(&sv)))));
                }
                Ok(Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u))) => {
                    if let Some(reply) = self.take_update(&u, doc) {
                        replies.push(reply);
                    }
                }
                Ok(Message::Auth(reason)) => {
                    self.read_only = reason.as_deref() == Some(READ_ONLY);
                    self.denied = reason;
                }
                Ok(Message::Awareness(update)) => self.take_awareness(update),
                Ok(Message::AwarenessQuery) => {
                    if let Ok(u) = self.awareness.update() {
                        replies.push(encode(&Message::Awareness(u)));
                    }
                }
                Ok(Message::Custom(..)) => {}
                Err(e) => self
                    .note_refused(format!("A message from another laptop could not be read ({e}); it was left out.")),
            }
        }
        replies
    }

    fn note_refused(&mut self, what: String) {
        // What is refused again (a change waiting for a card that never comes is tried with every
        // update) is listed once, at the end.
        self.refused.retain(|r| *r != what);
        self.refused.push(what);
        if self.refused.len() > 200 {
            self.refused.remove(0);
        }
    }

    fn take_update(&mut self, update: &[u8], doc: &mut Document) -> Option<Vec<u8>> {
        let first = !self.joined;
        let blank;
        let base = if first {
            blank = self.replica.blank_map();
            &blank
        } else {
            doc.map()
        };
        let (patch, replaced) = match self.replica.receive(update, base) {
            Ok(r) => r,
            Err(e @ (Refusal::TooBig(_) | Refusal::Garbled(_) | Refusal::Unapplied(_))) => {
                self.note_refused(format!("A change from another laptop was refused: {e}."));
                return None;
            }
        };
        if first && self.replica.item_count() == 0 && doc.map().node_count() > 0 {
            // An empty shared map (a relay's new room): ours becomes the shared map.
            self.joined = true;
            let map = doc.shared_map();
            return self.replica.seed(&map).map(|u| encode(&Message::Sync(SyncMessage::Update(u))));
        }
        if first {
            let mut map = self.replica.blank_map();
            let refused = crate::model::patch::apply(&mut map, &patch);
            doc.replace(map, false);
            self.replica.adopt(&doc.shared_map());
            self.joined = true;
            for (item, e) in refused {
                self.note_refused(format!("{} was left out: {e}.", item.key_text()));
            }
            return None;
        }
        let refused = doc.apply_remote(&patch);
        for (item, e) in &refused {
            self.note_refused(format!("A change to {} from another laptop was not taken: {e}.", item.key_text()));
        }
        let map = doc.shared_map();
        let (update, gone) = self.replica.settle(&map, &patch, &refused);
        self.replaced.extend(replaced.into_iter().chain(gone));
        if self.replaced.len() > 200 {
            let extra = self.replaced.len() - 200;
            self.replaced.drain(..extra);
        }
        update.map(|u| encode(&Message::Sync(SyncMessage::Update(u))))
    }

    fn take_awareness(&mut self, mut update: AwarenessUpdate) {
        // Whatever a relay passes on (a plain y-websocket relay does not check who-is-here news):
        // no person's entry over 4 KB, and no more than a room's worth of people kept, so a flood
        // of made-up people cannot grow this laptop's memory.
        let before = update.clients.len();
        update.clients.retain(|_, e| e.json.len() <= MAX_PERSON_BYTES);
        let known = self.awareness.iter().count();
        let mut room = MAX_PEOPLE.saturating_sub(known);
        let states: std::collections::HashSet<u64> = self.awareness.iter().map(|(id, _)| id.get()).collect();
        update.clients.retain(|id, _| {
            if states.contains(&id.get()) {
                return true;
            }
            let take = room > 0;
            room = room.saturating_sub(1);
            take
        });
        if update.clients.len() < before {
            self.note_refused(format!(
                "Who-is-here news about {} people was left out (over {MAX_PEOPLE} people, or over 4 KB each).",
                before - update.clients.len()
            ));
        }
        if self.awareness.apply_update(update).is_err() {
            return;
        }
        let me = self.client();
        let mut people: Vec<(u64, Person)> = self
            .awareness
            .iter()
            .map(|(id, state)| (id.get(), state))
            .filter(|(id, _)| *id != me)
            .filter_map(|(id, state)| Some((id, serde_json::from_str::<Person>(state.data.as_deref()?).ok()?)))
            .collect();
        people.sort_by_key(|(id, _)| *id);
        self.people = people;
    }

    /// Says goodbye: the message that tells the others we left.
    pub fn goodbye(&mut self) -> Option<Vec<u8>> {
        self.awareness.clean_local_state();
        self.own_state()
    }

    /// The y-protocol messages in one carrier message, or `None` when it does not decode.
    #[must_use]
    pub fn decode(bytes: &[u8]) -> Option<Vec<Message>> {
        let mut decoder = DecoderV1::from(bytes);
        std::panic::catch_unwind(move || MessageReader::new(&mut decoder).collect::<Result<Vec<_>, _>>().ok())
            .ok()
            .flatten()
    }
}

#[cfg(test)]
mod tests;
