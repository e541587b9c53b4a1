//! What the room knows, shared between the web server's handlers and the owner (the editor or
//! `serve`): the join code, who joined (by token), the ideas and dots each person sent, the open
//! voting round and the timer. Pure logic: no network here, so every rule is tested directly.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use crate::model::listed::ItemId;
use crate::model::workshop::ParkedIdea;
use crate::model::{Kind, NodeId};

use super::{Countdown, RoomEvent, Round};

/// The join code's letters: capitals and digits that cannot be mistaken for one another on a
/// projector (no I, L, O, 0, 1, 8): 30 in all.
pub const CODE_ALPHABET: &str = "ABCDEFGHJKMNPQRSTUVWXYZ2345679";
/// A join code's length (30^6 ≈ 729 million codes).
pub const CODE_LEN: usize = 6;
/// Wrong codes from one address within [`WRONG_CODE_WINDOW`] before it has to wait.
pub const WRONG_CODES_ALLOWED: usize = 5;
/// The window for wrong codes, and how long an address then waits.
pub const WRONG_CODE_WINDOW: Duration = Duration::from_mins(1);
/// The longest idea, in characters.
pub const MAX_IDEA_CHARS: usize = 500;
/// The most ideas one person can send in one room.
pub const MAX_IDEAS_PER_PERSON: u32 = 200;
/// The longest name a person can give, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// The longest id a page may give an idea or a dot.
pub const MAX_CLIENT_ID: usize = 100;

/// Why a request was refused: an HTTP status and a sentence for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal { status, message: message.into() }
    }
}

/// A person's number in this room (for the owner: who to remove).
pub type PersonId = u64;

/// Someone who joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    /// The name they gave, if any.
    pub name: Option<String>,
    pub ideas: u32,
}

#[derive(Debug, Clone)]
struct Vote {
    round: ItemId,
    card: NodeId,
    seq: u64,
}

/// The room's state. Every method that changes something sends the owner a [`RoomEvent`].
#[derive(Debug)]
pub struct State {
    pub(crate) code: String,
    pub(crate) locked: bool,
    pub(crate) closed: bool,
    pub(crate) title: String,
    people: HashMap<String, Person>,
    next_person: PersonId,
    removed: u32,
    failures: HashMap<IpAddr, Vec<Instant>>,
    ideas: HashMap<(PersonId, String), (ItemId, u64)>,
    votes: HashMap<(PersonId, String), Vote>,
    pub(crate) round: Option<Round>,
    timer: Option<(Countdown, Instant)>,
    seq: u64,
    events: Sender<RoomEvent>,
}

/// Random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| format!("the operating system gave no random numbers ({e})"))?;
    Ok(buf)
}

/// A new join code: [`CODE_LEN`] letters of [`CODE_ALPHABET`], drawn without bias.
pub fn new_code() -> Result<String, String> {
    let letters: Vec<char> = CODE_ALPHABET.chars().collect();
    let mut code = String::new();
    while code.chars().count() < CODE_LEN {
        for b in random_bytes::<16>()? {
            // 240 = 8 × 30: bytes at or above it are dropped so each letter is equally likely.
            if b < 240 && code.chars().count() < CODE_LEN {
                code.push(letters[usize::from(b) % letters.len()]);
            }
        }
    }
    Ok(code)
}

/// A join code as people type it: capitals, without spaces or dashes.
#[must_use]
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// Checks a join code the facilitator chose (`serve --code`).
/// Compares two secrets in time that does not depend on where they differ.
#[must_use]
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn check_code(code: &str) -> Result<String, String> {
    let code = normalise_code(code);
    if code.chars().count() < CODE_LEN {
        return Err(format!(
            "a join code needs at least {CODE_LEN} characters; \"{code}\" has {}",
            code.chars().count()
        ));
    }
    if let Some(c) = code.chars().find(|c| !CODE_ALPHABET.contains(*c)) {
        return Err(format!(
            "a join code uses only these characters: {CODE_ALPHABET} (\"{c}\" is easily misread on a projector)"
        ));
    }
    Ok(code)
}

fn clean_name(name: Option<&str>) -> Option<String> {
    let name: String = name?.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    (!name.is_empty()).then(|| name.chars().take(MAX_NAME_CHARS).collect())
}

fn check_client_id(id: &str, what: &str) -> Result<(), Refusal> {
    if id.is_empty() || id.chars().count() > MAX_CLIENT_ID || id.chars().any(char::is_control) {
        return Err(Refusal::new(400, format!("The {what} needs an id of 1 to {MAX_CLIENT_ID} characters.")));
    }
    Ok(())
}

/// The kinds a page may name, as it names them.
#[must_use]
pub fn parse_kind(kind: &str) -> Option<Kind> {
    match kind {
        "mission" => Some(Kind::Mission),
        "sub-mission" => Some(Kind::SubMission),
        "intervention" => Some(Kind::Intervention),
        "partner" => Some(Kind::Partner),
        _ => None,
    }
}

impl State {
    pub(crate) fn new(code: String, title: String, events: Sender<RoomEvent>) -> State {
        State {
            code,
            locked: false,
            closed: false,
            title,
            people: HashMap::new(),
            next_person: 1,
            removed: 0,
            failures: HashMap::new(),
            ideas: HashMap::new(),
            votes: HashMap::new(),
            round: None,
            timer: None,
            seq: 0,
            events,
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn send(&self, event: RoomEvent) {
        // The owner may have stopped listening (closing): nothing is lost that it still wanted.
        let _ = self.events.send(event);
    }

    /// Everyone in the room now.
    pub(crate) fn people(&self) -> Vec<Person> {
        let mut v: Vec<Person> = self.people.values().cloned().collect();
        v.sort_by_key(|p| p.id);
        v
    }

    /// `POST /api/join`: a token for a person who knows the code.
    pub(crate) fn join(
        &mut self,
        from: IpAddr,
        code: &str,
        name: Option<&str>,
        now: Instant,
    ) -> Result<String, Refusal> {
        let recent = self.failures.entry(from).or_default();
        recent.retain(|t| now.duration_since(*t) < WRONG_CODE_WINDOW);
        if recent.len() >= WRONG_CODES_ALLOWED {
            return Err(Refusal::new(429, "Too many wrong codes from this device. Wait a minute, then try again."));
        }
        if normalise_code(code) != self.code {
            recent.push(now);
            return Err(Refusal::new(403, "That is not the room's code. Check the code on the screen."));
        }
        if self.locked {
            return Err(Refusal::new(403, "The facilitator has closed the room to new people."));
        }
        let token: String = random_bytes::<16>()
            .map_err(|e| Refusal::new(500, format!("The room could not let you in: {e}.")))?
            .iter()
            .fold(String::new(), |mut t, b| {
                let _ = write!(t, "{b:02x}");
                t
            });
        let id = self.next_person;
        self.next_person += 1;
        let name = clean_name(name);
        self.people.insert(token.clone(), Person { id, name: name.clone(), ideas: 0 });
        self.send(RoomEvent::Joined { person: id, name });
        Ok(token)
    }

    /// The person a token belongs to.
    pub(crate) fn person(&self, token: &str) -> Result<&Person, Refusal> {
        self.people.get(token).ok_or_else(|| {
            Refusal::new(
                401,
                "You are not in this room (it may have been opened again, or you were removed). Join again.",
            )
        })
    }

    /// `POST /api/ideas`: `Ok((created, ideas so far, seq to be saved))`.
    pub(crate) fn add_idea(
        &mut self,
        token: &str,
        client_id: &str,
        text: &str,
        kind: Option<&str>,
        now: chrono::NaiveDateTime,
    ) -> Result<(bool, u32, u64), Refusal> {
        let person = self.person(token)?.clone();
        check_client_id(client_id, "idea")?;
        if let Some((_, seq)) = self.ideas.get(&(person.id, client_id.to_owned())) {
            return Ok((false, person.ideas, *seq));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(Refusal::new(422, "Write the idea first."));
        }
        let n = text.chars().count();
        if n > MAX_IDEA_CHARS {
            return Err(Refusal::new(
                422,
                format!(
                    "An idea can be at most {MAX_IDEA_CHARS} characters; this one has {n}. Shorten it, or split it in two."
                ),
            ));
        }
        let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Some(parse_kind(k).ok_or_else(|| {
                Refusal::new(400, "The kind of card must be mission, sub-mission, intervention or partner.")
            })?),
        };
        if person.ideas >= MAX_IDEAS_PER_PERSON {
            return Err(Refusal::new(
                429,
                format!("You have sent {MAX_IDEAS_PER_PERSON} ideas, the most one person can send in this room."),
            ));
        }
        let seq = self.next_seq();
        let id = ItemId::fresh();
        self.ideas.insert((person.id, client_id.to_owned()), (id.clone(), seq));
        let ideas = person.ideas + 1;
        if let Some(p) = self.people.get_mut(token) {
            p.ideas = ideas;
        }
        self.send(RoomEvent::Idea {
            seq,
            person: person.id,
            idea: ParkedIdea {
                id,
                text: text.to_owned(),
                kind,
                date: Some(now.date()),
                from: person.name.clone(),
                sent: Some(now),
            },
        });
        Ok((true, ideas, seq))
    }

    /// The dots a person has in the open round.
    fn dots_used(&self, person: PersonId, round: &ItemId) -> u32 {
        let n = self.votes.iter().filter(|((p, _), v)| *p == person && &v.round == round).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// `POST /api/votes`: `Ok((created, dots left, seq to be saved))`.
    pub(crate) fn vote(
        &mut self,
        token: &str,
        vote_id: &str,
        round: &str,
        card: &str,
    ) -> Result<(bool, u32, u64), Refusal> {
        let person = self.person(token)?.id;
        check_client_id(vote_id, "dot")?;
        let Some(open) = self.round.clone() else {
            return Err(Refusal::new(409, "No voting round is open."));
        };
        if let Some(v) = self.votes.get(&(person, vote_id.to_owned())) {
            let seq = v.seq;
            return Ok((false, open.votes_each.saturating_sub(self.dots_used(person, &open.id)), seq));
        }
        if open.id.as_str() != round {
            return Err(Refusal::new(409, "That voting round has closed."));
        }
        let Some((card, _)) = open.cards.iter().find(|(id, _)| id.as_str() == card) else {
            return Err(Refusal::new(404, "That card is not in this voting round."));
        };
        let used = self.dots_used(person, &open.id);
        if used >= open.votes_each {
            return Err(Refusal::new(
                409,
                format!("You have used all your {} dots. Take one back to vote for another card.", open.votes_each),
            ));
        }
        let seq = self.next_seq();
        self.votes.insert((person, vote_id.to_owned()), Vote { round: open.id.clone(), card: card.clone(), seq });
        self.send(RoomEvent::Vote { seq, person, round: open.id.clone(), card: card.clone(), cast: true });
        Ok((true, open.votes_each.saturating_sub(used + 1), seq))
    }

    /// `DELETE /api/votes/ID`: `Ok((dots left, seq to be saved))`.
    pub(crate) fn take_back(&mut self, token: &str, vote_id: &str) -> Result<(u32, u64), Refusal> {
        let person = self.person(token)?.id;
        let key = (person, vote_id.to_owned());
        let Some(v) = self.votes.get(&key).cloned() else {
            return Err(Refusal::new(404, "There is no such dot of yours (it may have been taken back already)."));
        };
        let Some(open) = self.round.clone().filter(|r| r.id == v.round) else {
            return Err(Refusal::new(409, "That voting round has closed: its dots stay as they are."));
        };
        self.votes.remove(&key);
        let seq = self.next_seq();
        self.send(RoomEvent::Vote { seq, person, round: v.round, card: v.card, cast: false });
        Ok((open.votes_each.saturating_sub(self.dots_used(person, &open.id)), seq))
    }

    /// `GET /api/state` for one person.
    pub(crate) fn view(&self, token: &str, now: Instant) -> Result<serde_json::Value, Refusal> {
        let person = self.person(token)?;
        let round = self.round.as_ref().map(|r| {
            let mine: Vec<serde_json::Value> = self
                .votes
                .iter()
                .filter(|((p, _), v)| *p == person.id && v.round == r.id)
                .map(|((_, id), v)| serde_json::json!({"id": id, "card": v.card.as_str()}))
                .collect();
            serde_json::json!({
                "id": r.id.as_str(),
                "name": r.name,
                "votes_each": r.votes_each,
                "dots_left": r.votes_each.saturating_sub(self.dots_used(person.id, &r.id)),
                "cards": r.cards.iter().map(|(id, title)| serde_json::json!({"id": id.as_str(), "title": title})).collect::<Vec<_>>(),
                "my_votes": mine,
            })
        });
        let timer = self.timer.as_ref().map(|(c, at)| {
            let left = if c.running { c.left.saturating_sub(now.duration_since(*at)) } else { c.left };
            serde_json::json!({"label": c.label, "seconds_left": left.as_secs(), "running": c.running})
        });
        Ok(serde_json::json!({
            "room": self.title,
            "name": person.name,
            "ideas": person.ideas,
            "round": round,
            "timer": timer,
        }))
    }

    pub(crate) fn set_round(&mut self, round: Option<Round>) {
        self.round = round;
    }

    pub(crate) fn set_timer(&mut self, timer: Option<Countdown>, now: Instant) {
        self.timer = timer.map(|t| (t, now));
    }

    /// Removes a person: their token dies. True when they were in the room.
    pub(crate) fn remove(&mut self, person: PersonId) -> bool {
        let before = self.people.len();
        self.people.retain(|_, p| p.id != person);
        let gone = self.people.len() < before;
        if gone {
            self.removed += 1;
        }
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> (State, std::sync::mpsc::Receiver<RoomEvent>) {
        let (tx, rx) = std::sync::mpsc::channel();
        (State::new("ABCDEF".to_owned(), "Test".to_owned(), tx), rx)
    }

    fn now() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap().and_hms_opt(10, 0, 0).unwrap()
    }

    #[test]
    fn codes_are_long_enough_and_from_the_alphabet() {
        assert_eq!(CODE_ALPHABET.chars().count(), 30);
        for _ in 0..50 {
            let c = new_code().unwrap();
            assert_eq!(c.chars().count(), CODE_LEN);
            assert!(c.chars().all(|ch| CODE_ALPHABET.contains(ch)), "{c}");
        }
        assert_ne!(new_code().unwrap(), new_code().unwrap());
        assert_eq!(check_code("abc-def").unwrap(), "ABCDEF");
        assert!(check_code("ABCDE").is_err());
        assert!(check_code("ABCDE0").is_err(), "0 is not in the alphabet");
    }

    #[test]
    fn five_wrong_codes_make_an_address_wait() {
        let (mut s, _rx) = state();
        let ip: IpAddr = "192.168.1.7".parse().unwrap();
        let other: IpAddr = "192.168.1.8".parse().unwrap();
        let t = Instant::now();
        for _ in 0..5 {
            assert_eq!(s.join(ip, "XXXXXX", None, t).unwrap_err().status, 403);
        }
        assert_eq!(s.join(ip, "ABCDEF", None, t).unwrap_err().status, 429, "even the right code waits");
        assert!(s.join(other, "ABCDEF", None, t).is_ok(), "another address is not held up");
        assert!(s.join(ip, "abcdef", None, t + WRONG_CODE_WINDOW).is_ok(), "after a minute it may try again");
    }

    #[test]
    fn ideas_are_idempotent_bounded_and_reported() {
        let (mut s, rx) = state();
        let t = s.join("127.0.0.1".parse().unwrap(), "ABCDEF", Some("  Ana\u{7} "), Instant::now()).unwrap();
        assert!(matches!(rx.try_recv(), Ok(RoomEvent::Joined { name: Some(n), .. }) if n == "Ana"));
        assert!(s.add_idea(&t, "a1", " Heat pumps ", Some("intervention"), now()).unwrap().0);
        assert_eq!(s.add_idea(&t, "a1", "Heat pumps", None, now()).unwrap(), (false, 1, 1));
        let Ok(RoomEvent::Idea { idea, .. }) = rx.try_recv() else { panic!("an idea event") };
        assert_eq!(
            (idea.text.as_str(), idea.kind, idea.from.as_deref()),
            ("Heat pumps", Some(Kind::Intervention), Some("Ana"))
        );
        assert!(rx.try_recv().is_err(), "the retry sent nothing");
        assert_eq!(s.add_idea(&t, "a2", &"x".repeat(501), None, now()).unwrap_err().status, 422);
        assert!(s.add_idea(&t, "a2", &"é".repeat(500), None, now()).is_ok(), "500 characters, not bytes");
        assert_eq!(s.add_idea(&t, "a3", "x", Some("goal"), now()).unwrap_err().status, 400);
        assert_eq!(s.add_idea("nope", "a3", "x", None, now()).unwrap_err().status, 401);
        for i in 3..=200 {
            s.add_idea(&t, &format!("b{i}"), "x", None, now()).unwrap();
        }
        assert_eq!(s.add_idea(&t, "c", "x", None, now()).unwrap_err().status, 429);
    }

    #[test]
    fn dots_are_limited_and_can_be_taken_back_while_the_round_is_open() {
        let (mut s, _rx) = state();
        let t = s.join("127.0.0.1".parse().unwrap(), "ABCDEF", None, Instant::now()).unwrap();
        let id = ItemId::fresh();
        let a = NodeId::new("i1").unwrap();
        s.set_round(Some(Round {
            id: id.clone(),
            name: "R".to_owned(),
            votes_each: 2,
            cards: vec![(a, "A".to_owned())],
        }));
        let r = id.as_str();
        assert_eq!(s.vote(&t, "v1", r, "i1").unwrap().1, 1);
        assert!(!s.vote(&t, "v1", r, "i1").unwrap().0, "a retry adds nothing");
        assert_eq!(s.vote(&t, "v2", r, "i1").unwrap().1, 0);
        assert_eq!(s.vote(&t, "v3", r, "i1").unwrap_err().status, 409, "no third dot");
        assert_eq!(s.vote(&t, "v3", r, "i9").unwrap_err().status, 404);
        assert_eq!(s.take_back(&t, "v1").unwrap().0, 1);
        assert_eq!(s.take_back(&t, "v1").unwrap_err().status, 404);
        s.set_round(None);
        assert_eq!(s.take_back(&t, "v2").unwrap_err().status, 409);
        assert_eq!(s.vote(&t, "v4", r, "i1").unwrap_err().status, 409);
    }

    #[test]
    fn a_removed_person_is_out_and_a_locked_room_lets_no_one_in() {
        let (mut s, _rx) = state();
        let ip = "127.0.0.1".parse().unwrap();
        let t = s.join(ip, "ABCDEF", None, Instant::now()).unwrap();
        let p = s.person(&t).unwrap().id;
        assert!(s.remove(p));
        assert_eq!(s.add_idea(&t, "a", "x", None, now()).unwrap_err().status, 401);
        s.locked = true;
        assert_eq!(s.join(ip, "ABCDEF", None, Instant::now()).unwrap_err().status, 403);
    }
}
