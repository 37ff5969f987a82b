//! The versioned wire protocol shared by the sync client and server.
//!
//! Messages are JSON (serde) with a `type` tag; update bytes travel base64-encoded. Every
//! conversation starts with a [`Hello`] carrying [`crate::PROTOCOL_VERSION`]: a peer speaking
//! another version is refused with [`ErrorCode::ProtocolTooOld`] or [`ErrorCode::ProtocolTooNew`],
//! never silently merged.
//!
//! Over HTTP the hello travels in headers ([`HEADER_PROTOCOL`], [`HEADER_CLIENT`] and
//! `Authorization: Bearer <device token>`) and the body is a [`Push`] (`POST /v1/push`) or a
//! [`Pull`] (`POST /v1/pull`, or `GET /v1/pull?since=N&limit=M`). Over the WebSocket (`GET /v1/ws`)
//! every frame is one [`ClientMessage`] / [`ServerMessage`]; the first must be a hello.
//!
//! The protocol logic lives in pure functions over bytes and messages ([`codec`], [`session`]),
//! without sockets, so client, server and tests share it. Doc-level sync with a stock Yjs peer
//! uses the Yjs encoding instead: see [`crate::doc::yjs_sync_step1`].

pub mod codec;
pub mod session;
mod types;

pub use codec::{check_version, decode, encode, hello_from_headers, validate_push};
pub use types::*;

/// HTTP header carrying the client's protocol version.
pub const HEADER_PROTOCOL: &str = "outpost-protocol";
/// HTTP header carrying the client's software version (for logs and support).
pub const HEADER_CLIENT: &str = "outpost-client";
/// Most items accepted in one push batch.
pub const MAX_PUSH_ITEMS: usize = 1000;
/// Largest single update accepted (bytes, before base64).
pub const MAX_UPDATE_BYTES: usize = 4 * 1024 * 1024;
/// Room for one push item's JSON around its base64 update (keys, document id, kind, visibility,
/// flags) and the batch's envelope.
pub const PUSH_FRAMING_BYTES: usize = 64 * 1024;
/// Largest push request body (HTTP) or push message (WebSocket) a server must accept and a client
/// may send: one update of [`MAX_UPDATE_BYTES`], base64-encoded, plus [`PUSH_FRAMING_BYTES`].
/// Clients batch their pushes by bytes under it, so a batch of many updates never exceeds it.
pub const MAX_PUSH_BODY_BYTES: usize = MAX_UPDATE_BYTES.div_ceil(3) * 4 + PUSH_FRAMING_BYTES;
/// Most updates returned by one pull (and the default limit).
pub const MAX_PULL_LIMIT: u32 = 1000;

/// Document kinds whose documents go only to their owner's devices, never anyone else's
/// (managers and admins included): copilot memories and conversations.
pub const OWNER_ONLY_KINDS: &[&str] = &["copilot_memory", "copilot_conversation"];

/// Whether documents of `kind` are delivered only to their owner's devices.
pub fn is_owner_only_kind(kind: &str) -> bool {
    OWNER_ONLY_KINDS.contains(&kind)
}
