//! The WebSocket session: hello, then push/pull/subscribe; live delivery of new updates.
//!
//! Frame handling is delegated to the pure [`outpost_sync::protocol::session::next_request`]. A
//! subscribed session wakes on every change notification of its organisation (local pushes and,
//! on PostgreSQL, other processes' NOTIFYs), re-authenticates its token (revocation takes effect
//! at once), and sends what it may read since its cursor.
//!
//! Before authentication a connection is cheap to hold and cannot use much: unless its upgrade
//! request carries a valid device token (the HTTP headers of [`outpost_sync::protocol`]), its messages
//! may hold at most [`PRE_AUTH_MESSAGE_BYTES`] (fragments included: the limit is on the whole
//! message), and without a hello within the configured timeout it is closed.
//!
//! A device holds at most [`MAX_SESSIONS_PER_DEVICE`] signed-in WebSockets at once: every
//! subscribed session runs a pull on every change of its organisation, so one device opening
//! thousands would multiply the server's work by thousands. A hello past the cap is refused
//! (`rate_limited`) and the connection closed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

use super::http::{admit_headers, do_pull, do_push, welcome};
use super::AppState;
use crate::authz::Principal;
use outpost_sync::protocol::session::{next_request, SessionState};
use outpost_sync::protocol::{
    encode, ClientMessage, ErrorCode, ErrorMessage, Hello, Pull, ServerMessage, MAX_PULL_LIMIT, MAX_PUSH_BODY_BYTES,
    PRE_AUTH_MESSAGE_BYTES,
};

pub(crate) async fn upgrade(State(state): State<Arc<AppState>>, headers: HeaderMap, ws: WebSocketUpgrade) -> Response {
    // A valid token in the upgrade request lifts the pre-authentication message limit; a wrong
    // one is refused right away.
    let limit = if headers.contains_key("authorization") {
        match admit_headers(&state, &headers).await {
            Ok(_) => MAX_PUSH_BODY_BYTES,
            Err(e) => return e.into_response(),
        }
    } else {
        PRE_AUTH_MESSAGE_BYTES
    };
    ws.max_message_size(limit).max_frame_size(limit).on_upgrade(move |socket| async move {
        if let Err(e) = run(state, socket).await {
            tracing::debug!("websocket closed: {e}");
        }
    })
}

/// The most signed-in WebSockets one device may hold at once (a device needs one; reconnects
/// may briefly overlap).
pub const MAX_SESSIONS_PER_DEVICE: usize = 16;

/// Signed-in WebSockets per device id.
#[derive(Default)]
pub(crate) struct SessionCount(Arc<Mutex<HashMap<String, usize>>>);

/// One counted session; uncounted when dropped (the session ends, or says hello again).
pub(crate) struct SessionSlot {
    counts: Arc<Mutex<HashMap<String, usize>>>,
    device: String,
}

impl SessionCount {
    /// Counts a session of `device`, or refuses it past [`MAX_SESSIONS_PER_DEVICE`].
    fn take(&self, device: &str) -> Result<SessionSlot, ErrorMessage> {
        let mut counts = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let open = counts.entry(device.to_string()).or_insert(0);
        if *open >= MAX_SESSIONS_PER_DEVICE {
            return Err(ErrorMessage::new(
                ErrorCode::RateLimited,
                format!(
                    "this device already holds {MAX_SESSIONS_PER_DEVICE} open sync connections, the most one \
                     device may; close the others (or restart Outpost) and connect again"
                ),
            ));
        }
        *open += 1;
        Ok(SessionSlot { counts: Arc::clone(&self.0), device: device.to_string() })
    }
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(open) = counts.get_mut(&self.device) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                counts.remove(&self.device);
            }
        }
    }
}

struct Session {
    state: SessionState,
    hello: Option<Hello>,
    cursor: Option<u64>,
    slot: Option<SessionSlot>,
    /// Refused past the device's session cap: told, then closed.
    over_cap: bool,
}

async fn send(socket: &mut WebSocket, message: &ServerMessage) -> Result<(), axum::Error> {
    let text = String::from_utf8(encode(message)).unwrap_or_default();
    socket.send(Message::Text(text.into())).await
}

/// Whether an error ends the session (authentication and protocol errors do).
fn fatal(e: &ErrorMessage) -> bool {
    matches!(e.code, ErrorCode::Unauthorized | ErrorCode::ProtocolTooOld | ErrorCode::ProtocolTooNew)
}

async fn run(state: Arc<AppState>, mut socket: WebSocket) -> Result<(), axum::Error> {
    let mut changes = state.changes.subscribe();
    let mut shutdown = state.shutdown.clone();
    let mut session =
        Session { state: SessionState::AwaitingHello, hello: None, cursor: None, slot: None, over_cap: false };
    let hello_deadline = tokio::time::Instant::now() + state.hello_timeout;
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(hello_deadline), if session.hello.is_none() => {
                let e = ErrorMessage::new(
                    ErrorCode::BadRequest,
                    format!("no hello within {:?}; send a hello right after connecting", state.hello_timeout),
                );
                let _ = send(&mut socket, &ServerMessage::Error(e)).await;
                let _ = socket.send(Message::Close(None)).await;
                return Ok(());
            }
            frame = socket.recv() => {
                let bytes = match frame {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                    Some(Ok(Message::Text(t))) => t.as_bytes().to_vec(),
                    Some(Ok(Message::Binary(b))) => b.to_vec(),
                    Some(Ok(_)) => continue,
                };
                match handle_frame(&state, &mut session, &bytes).await {
                    Ok(replies) => {
                        for reply in replies {
                            send(&mut socket, &reply).await?;
                        }
                        if session.cursor.is_some() {
                            deliver(&state, &mut session, &mut socket).await?;
                        }
                    }
                    Err(e) => {
                        send(&mut socket, &ServerMessage::Error(e.clone())).await?;
                        if fatal(&e) || session.over_cap {
                            let _ = socket.send(Message::Close(None)).await;
                            return Ok(());
                        }
                    }
                }
            }
            change = changes.recv(), if session.cursor.is_some() => {
                // Re-authenticate on every wake-up: a revoked device is told and disconnected
                // on the next change even if it concerns another organisation.
                let relevant = match (&change, &session.hello) {
                    (Err(RecvError::Closed), _) => return Ok(()),
                    (_, None) => false,
                    (Err(RecvError::Lagged(_)), Some(_)) | (Ok(0), Some(_)) => true,
                    (Ok(org), Some(_)) => org_of(&state, &session).await.is_none_or(|mine| mine == *org),
                };
                if relevant {
                    deliver(&state, &mut session, &mut socket).await?;
                }
            }
            _ = async { shutdown.wait_for(|s| *s).await.map(|_| ()) } => {
                let _ = socket.send(Message::Close(None)).await;
                return Ok(());
            }
        }
    }
}

async fn org_of(state: &AppState, session: &Session) -> Option<i64> {
    let hello = session.hello.as_ref()?;
    state.authenticate(hello).await.ok().map(|p| p.org_id)
}

/// Sends everything after the session's cursor that the device may read (re-authenticating first).
async fn deliver(state: &AppState, session: &mut Session, socket: &mut WebSocket) -> Result<(), axum::Error> {
    let (Some(hello), Some(mut cursor)) = (session.hello.clone(), session.cursor) else { return Ok(()) };
    let who = match state.authenticate(&hello).await {
        Ok(who) => who,
        Err(e) => {
            send(socket, &ServerMessage::Error(e)).await?;
            let _ = socket.send(Message::Close(None)).await;
            return Err(axum::Error::new("device token no longer valid"));
        }
    };
    loop {
        let page = match do_pull(state, &who, Pull { since: cursor, limit: Some(MAX_PULL_LIMIT) }).await {
            Ok(page) => page,
            Err(e) => return send(socket, &ServerMessage::Error(e)).await,
        };
        cursor = page.next_cursor;
        session.cursor = Some(cursor);
        let more = page.more;
        if !page.updates.is_empty() {
            send(socket, &ServerMessage::Update(page)).await?;
        }
        if !more {
            return Ok(());
        }
    }
}

async fn authed(state: &AppState, session: &Session) -> Result<Principal, ErrorMessage> {
    let hello = session
        .hello
        .as_ref()
        .ok_or_else(|| ErrorMessage::new(ErrorCode::BadRequest, "send a hello before anything else"))?;
    state.admit(hello).await
}

async fn handle_frame(
    state: &AppState,
    session: &mut Session,
    bytes: &[u8],
) -> Result<Vec<ServerMessage>, ErrorMessage> {
    match next_request(&session.state, bytes)? {
        ClientMessage::Hello(hello) => {
            let who = state.admit(&hello).await?;
            // A second hello on the same connection gives its slot back first.
            session.slot = None;
            match state.sessions.take(&who.device_id) {
                Ok(slot) => session.slot = Some(slot),
                Err(e) => {
                    // Refused: the connection is signed out again and closed.
                    (session.hello, session.cursor, session.state) = (None, None, SessionState::AwaitingHello);
                    session.over_cap = true;
                    return Err(e);
                }
            }
            session.state = SessionState::Ready { device_token: hello.device_token.clone() };
            session.hello = Some(hello);
            Ok(vec![ServerMessage::Welcome(welcome(&who))])
        }
        ClientMessage::Push(push) => {
            let who = authed(state, session).await?;
            Ok(vec![ServerMessage::PushAck(do_push(state, &who, &push).await?)])
        }
        ClientMessage::Pull(pull) => {
            let who = authed(state, session).await?;
            Ok(vec![ServerMessage::PullResponse(do_pull(state, &who, pull).await?)])
        }
        ClientMessage::Subscribe(sub) => {
            authed(state, session).await?;
            session.cursor = Some(sub.since);
            Ok(Vec::new())
        }
    }
}
