//! Live sharing: several laptops editing one map at once, on the Yjs sync engine (`yrs`).
//!
//! The editor's own map stays the truth; the engine is how changes travel (see [`replica`]).
//! [`session::Session`] speaks the standard Yjs sync and awareness protocol (`y-protocols`), so the
//! host's room server, a department's `y-websocket` relay and any Yjs peer carry it unchanged.
//! See docs/live.md.

pub mod net;
pub mod peer;
pub mod replica;
pub mod session;

pub use peer::{Connection, Event, Peer, new_client_id};
pub use replica::{MAX_UPDATE, Refusal, Replaced, Replica};
pub use session::{Person, Session};
