//! The room's web server: the page and the API on axum, every request checked first (the Host and
//! Origin headers, the room still open), every body read with a limit.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::{broadcast, watch};

use super::state::{Refusal, State as RoomState};

/// The page, served from the binary.
pub const PAGE: &str = include_str!("page.html");
/// The largest request body, in bytes.
pub const MAX_BODY: usize = 8 * 1024;
/// How long a request waits for its idea or dot to be saved (rooms that confirm only once saved).
const SAVE_WAIT: Duration = Duration::from_secs(10);

/// What the live stream tells pages.
#[derive(Clone, Debug)]
pub(crate) enum Push {
    /// The round, the timer or the room changed: fetch the state again.
    Changed,
    /// The room closed.
    Closed,
    /// This person was removed.
    Removed(u64),
}

/// What every handler shares.
pub(crate) struct Shared {
    pub state: Mutex<RoomState>,
    pub push: broadcast::Sender<Push>,
    /// The last event the owner has saved (see `RoomOptions::confirm_when_saved`).
    pub saved: watch::Receiver<u64>,
    pub confirm_when_saved: bool,
    /// The address the server listens on (its IP may be 0.0.0.0: every address of the laptop).
    pub bound: SocketAddr,
    /// Pages connected to the live stream now.
    pub connected: AtomicUsize,
    /// The live map, when the room shares one (see `room::live`).
    pub live: Option<Arc<super::live::Hub>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, RoomState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn refuse(r: &Refusal) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(serde_json::json!({"error": r.message}))).into_response()
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refuse(&self)
    }
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    (status, axum::Json(value)).into_response()
}

/// The Host header names this server: an IP address (the bound one, or any when bound to every
/// address) or `localhost`, with the bound port. A name (`evil.example:8150`) is refused: that is
/// how a web page elsewhere would reach the room through DNS rebinding.
pub(crate) fn host_ok(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else { return false };
        (ip, after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host, None),
        }
    };
    let port_ok = match port {
        Some(p) => p.parse::<u16>().ok() == Some(bound.port()),
        None => bound.port() == 80,
    };
    if !port_ok {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return bound.ip().is_loopback() || bound.ip().is_unspecified();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => bound.ip().is_unspecified() || ip == bound.ip(),
        Err(_) => false,
    }
}

/// Runs before every request: the Host and Origin checks, and the room still open.
async fn guard(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return refuse(&Refusal::new(400, "The request did not say which address it was for."));
    };
    if !host_ok(host, s.bound) {
        return refuse(&Refusal::new(403, "This is not the room's address. Open the address shown on the screen."));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let same =
            origin.to_str().ok().and_then(|o| o.strip_prefix("http://")).is_some_and(|o| o.eq_ignore_ascii_case(host));
        if !same {
            return refuse(&Refusal::new(403, "Requests from other web pages are not accepted."));
        }
    }
    if req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return refuse(&Refusal::new(413, "That is too much to send at once (8 KB at most)."));
    }
    if s.lock().closed {
        return closed();
    }
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}

fn closed_refusal() -> Refusal {
    Refusal::new(410, "The room has closed. Thank you for taking part.")
}

fn closed() -> Response {
    refuse(&closed_refusal())
}

/// Reads a body of at most [`MAX_BODY`] bytes (a longer one, or one that never ends, gets 413).
async fn read_body(body: Body) -> Result<Bytes, Refusal> {
    axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| Refusal::new(413, "That is too much to send at once (8 KB at most)."))
}

/// Reads a JSON body of at most [`MAX_BODY`] bytes.
async fn parse<T: for<'de> Deserialize<'de>>(body: Body) -> Result<T, Refusal> {
    let bytes = read_body(body).await?;
    serde_json::from_slice(&bytes).map_err(|_| Refusal::new(400, "The request was not understood."))
}

fn token(headers: &HeaderMap) -> Result<String, Refusal> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .ok_or_else(|| Refusal::new(401, "Join the room first."))
}

/// Waits until the owner has saved event `seq`, when the room confirms only what is saved.
async fn saved(s: &Shared, seq: u64) -> Result<(), Refusal> {
    if !s.confirm_when_saved {
        return Ok(());
    }
    let mut rx = s.saved.clone();
    let wait = rx.wait_for(|done| *done >= seq);
    match tokio::time::timeout(SAVE_WAIT, wait).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(_)) => Err(closed_refusal()),
        Err(_) => Err(Refusal::new(503, "The laptop has not saved it yet. Try again in a moment.")),
    }
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        ],
        PAGE,
    )
        .into_response()
}

#[derive(Deserialize)]
struct Join {
    code: String,
    #[serde(default)]
    name: Option<String>,
}

async fn join(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Body,
) -> Result<Response, Refusal> {
    let j: Join = parse(body).await?;
    let mut st = s.lock();
    let token = st.join(peer.ip(), &j.code, j.name.as_deref(), Instant::now())?;
    Ok(json(StatusCode::OK, &serde_json::json!({"token": token, "room": st.title})))
}

#[derive(Deserialize)]
struct NewIdea {
    id: String,
    text: String,
    #[serde(default)]
    kind: Option<String>,
}

/// Now, to the second.
fn now() -> chrono::NaiveDateTime {
    let t = chrono::Local::now().naive_local();
    chrono::Timelike::with_nanosecond(&t, 0).unwrap_or(t)
}

async fn ideas(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, Refusal> {
    let token = token(&headers)?;
    let idea: NewIdea = parse(body).await?;
    let (created, count, seq) = s.lock().add_idea(&token, &idea.id, &idea.text, idea.kind.as_deref(), now())?;
    saved(&s, seq).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(json(status, &serde_json::json!({"id": idea.id, "ideas": count})))
}

async fn state(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Result<Response, Refusal> {
    let token = token(&headers)?;
    let view = s.lock().view(&token, Instant::now())?;
    Ok(json(StatusCode::OK, &view))
}

#[derive(Deserialize)]
struct NewVote {
    id: String,
    round: String,
    card: String,
}

async fn vote(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, Refusal> {
    let token = token(&headers)?;
    let v: NewVote = parse(body).await?;
    let (created, left, seq) = s.lock().vote(&token, &v.id, &v.round, &v.card)?;
    saved(&s, seq).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(json(status, &serde_json::json!({"id": v.id, "dots_left": left})))
}

async fn unvote(State(s): State<Arc<Shared>>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, Refusal> {
    let token = token(&headers)?;
    let (left, seq) = s.lock().take_back(&token, &id)?;
    saved(&s, seq).await?;
    Ok(json(StatusCode::OK, &serde_json::json!({"id": id, "dots_left": left})))
}

#[derive(Deserialize)]
struct Listen {
    token: String,
}

/// Counts a page on the live stream while it is connected.
struct Connected(Arc<Shared>);

impl Drop for Connected {
    fn drop(&mut self) {
        self.0.connected.fetch_sub(1, Ordering::Relaxed);
    }
}

/// `GET /api/events?token=…`: the live stream (Server-Sent Events; a browser's `EventSource`
/// cannot send an Authorization header, so the token comes in the query).
async fn events(State(s): State<Arc<Shared>>, Query(q): Query<Listen>) -> Response {
    let person = match s.lock().person(&q.token) {
        Ok(p) => p.id,
        Err(r) => return refuse(&r),
    };
    let rx = s.push.subscribe();
    s.connected.fetch_add(1, Ordering::Relaxed);
    let guard = Connected(Arc::clone(&s));
    let first = Some(Event::default().event("state").data("changed"));
    let stream =
        futures_util::stream::unfold((rx, guard, first, false), move |(mut rx, guard, first, done)| async move {
            if done {
                return None;
            }
            if let Some(e) = first {
                return Some((Ok::<Event, Infallible>(e), (rx, guard, None, false)));
            }
            loop {
                match rx.recv().await {
                    Ok(Push::Changed) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some((Ok(Event::default().event("state").data("changed")), (rx, guard, None, false)));
                    }
                    Ok(Push::Closed) | Err(broadcast::error::RecvError::Closed) => {
                        return Some((Ok(Event::default().event("closed").data("closed")), (rx, guard, None, true)));
                    }
                    Ok(Push::Removed(p)) if p == person => {
                        return Some((Ok(Event::default().event("removed").data("removed")), (rx, guard, None, true)));
                    }
                    Ok(Push::Removed(_)) => {}
                }
            }
        });
    sse(stream)
}

fn sse(stream: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

async fn not_found() -> Response {
    refuse(&Refusal::new(404, "There is nothing here."))
}

async fn wrong_method() -> Response {
    refuse(&Refusal::new(405, "That is not something this address does."))
}

/// The whole server: the page, the API, and nothing else.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/join", post(join))
        .route("/api/ideas", post(ideas))
        .route("/api/state", get(state))
        .route("/api/votes", post(vote))
        .route("/api/votes/{id}", delete(unvote))
        .route("/api/events", get(events))
        .route("/live", get(super::live::upgrade))
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_must_name_this_server_by_address() {
        let any: SocketAddr = "0.0.0.0:8150".parse().unwrap();
        let one: SocketAddr = "192.168.1.20:8150".parse().unwrap();
        let lo: SocketAddr = "127.0.0.1:8150".parse().unwrap();
        assert!(host_ok("192.168.1.20:8150", any));
        assert!(host_ok("192.168.1.20:8150", one));
        assert!(host_ok("localhost:8150", lo));
        assert!(host_ok("[::1]:8150", any));
        assert!(!host_ok("192.168.1.21:8150", one));
        assert!(!host_ok("192.168.1.20:8151", one));
        assert!(!host_ok("192.168.1.20", one));
        assert!(!host_ok("evil.example:8150", any), "a name is how DNS rebinding gets in");
        assert!(!host_ok("localhost:8150", one));
    }
}
