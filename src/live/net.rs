//! The wire to the others: a WebSocket to the room's server or a relay (`y-websocket`), on its
//! own thread and runtime. It only carries messages; [`super::Session`] makes sense of them on the
//! editor's thread. When the connection drops it tries again (every few seconds) until closed,
//! and says so; after each reconnect the session greets again, so both sides catch up.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio_tungstenite::tungstenite::Message as Ws;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use super::MAX_UPDATE;

/// What the wire tells the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Wire {
    /// Connected (again): greet.
    Connected,
    /// A message from the others.
    Message(Vec<u8>),
    /// The connection dropped or could not be made; trying again.
    Lost(String),
    /// The server refused us for good (wrong code, room closed, no such live map).
    Refused(String),
}

/// A connection to a live map. Dropping it closes it.
pub struct Link {
    out: UnboundedSender<Vec<u8>>,
    events: Receiver<Wire>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Something to call when a message arrives (to wake the window).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

impl Link {
    /// Connects to `url` (`ws://…`) and keeps connected until dropped.
    ///
    /// # Errors
    /// When the thread cannot start.
    pub fn open(url: &str, wake: Waker) -> Result<Link, String> {
        let (out, mut out_rx) = unbounded_channel::<Vec<u8>>();
        let (events_tx, events) = std::sync::mpsc::channel();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("the connection could not start: {e}"))?;
        let url = url.to_owned();
        let thread = std::thread::Builder::new()
            .name("live".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let say = |w: Wire, tx: &Sender<Wire>| {
                        let _ = tx.send(w);
                        wake();
                    };
                    let mut wait = Duration::from_millis(300);
                    loop {
                        let config = WebSocketConfig::default().max_message_size(Some(MAX_UPDATE + 1024));
                        let connect = tokio_tungstenite::connect_async_with_config(url.as_str(), Some(config), true);
                        let ws = tokio::select! {
                            _ = &mut stopped => return,
                            r = tokio::time::timeout(Duration::from_secs(10), connect) => r,
                        };
                        let mut ws = match ws {
                            Ok(Ok((ws, _))) => ws,
                            Ok(Err(tokio_tungstenite::tungstenite::Error::Http(resp))) => {
                                let body = resp
                                    .body()
                                    .as_ref()
                                    .map(|b| String::from_utf8_lossy(b).into_owned())
                                    .unwrap_or_default();
                                let why = serde_json::from_str::<serde_json::Value>(&body)
                                    .ok()
                                    .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
                                    .unwrap_or_else(|| format!("the server answered {}", resp.status()));
                                say(Wire::Refused(why), &events_tx);
                                return;
                            }
                            Ok(Err(e)) => {
                                say(Wire::Lost(plain(&e.to_string())), &events_tx);
                                tokio::select! {
                                    _ = &mut stopped => return,
                                    () = tokio::time::sleep(wait) => {}
                                }
                                wait = (wait * 2).min(Duration::from_secs(5));
                                continue;
                            }
                            Err(_) => {
                                say(Wire::Lost("no answer within 10 seconds".to_owned()), &events_tx);
                                continue;
                            }
                        };
                        wait = Duration::from_millis(300);
                        say(Wire::Connected, &events_tx);
                        loop {
                            tokio::select! {
                                _ = &mut stopped => {
                                    let _ = ws.close(None).await;
                                    return;
                                }
                                m = out_rx.recv() => {
                                    let Some(m) = m else { return };
                                    if ws.send(Ws::Binary(m.into())).await.is_err() {
                                        break;
                                    }
                                }
                                m = ws.next() => match m {
                                    Some(Ok(Ws::Binary(b))) => say(Wire::Message(b.to_vec()), &events_tx),
                                    Some(Ok(Ws::Close(_)) | Err(_)) | None => break,
                                    Some(Ok(_)) => {}
                                },
                            }
                        }
                        say(Wire::Lost("the connection dropped".to_owned()), &events_tx);
                    }
                });
            })
            .map_err(|e| format!("the connection could not start: {e}"))?;
        Ok(Link { out, events, stop: Some(stop), thread: Some(thread) })
    }

    /// Sends a message to the others. While disconnected it is dropped: after reconnecting, the
    /// sync protocol's greeting sends whatever the others lack.
    pub fn send(&self, message: Vec<u8>) {
        let _ = self.out.send(message);
    }

    /// What has arrived since the last call (never waits).
    #[must_use]
    pub fn poll(&self) -> Vec<Wire> {
        let mut out = Vec::new();
        loop {
            match self.events.try_recv() {
                Ok(w) => out.push(w),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return out,
            }
        }
    }

    /// Waits up to `timeout` for something to arrive, then takes all that is there.
    #[must_use]
    pub fn wait(&self, timeout: Duration) -> Vec<Wire> {
        match self.events.recv_timeout(timeout) {
            Ok(first) => std::iter::once(first).chain(self.poll()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A network error in words a person can act on.
fn plain(e: &str) -> String {
    if e.contains("refused") {
        "nothing answers at that address (is the map still shared? is the address right?)".to_owned()
    } else if e.contains("unreachable") || e.contains("No route") {
        "that address cannot be reached from this laptop's network".to_owned()
    } else {
        e.to_owned()
    }
}
