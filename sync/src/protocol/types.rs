//! The message types of the wire protocol.

use serde::{Deserialize, Serialize};

use crate::doc::DocId;

/// First message of every conversation: who is speaking and which protocol version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The sender's [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The client software's version, for logs and support.
    pub client_version: String,
    /// The device token shown once by `outpost-server device-token`.
    pub device_token: String,
}

/// A user's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees their own records plus the records the organisation shares.
    Rep,
    /// Sees all the team's (organisation's) records except other people's owner-only kinds.
    Manager,
    /// Like a manager, and administers the organisation. Never sees others' owner-only kinds.
    Admin,
}

impl Role {
    /// The role's name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Parses `rep`, `manager` or `admin`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "rep" => Some(Role::Rep),
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Who may see a document besides its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Shared with the organisation when the organisation shares records (the default setting);
    /// otherwise owner, managers and admins only.
    #[default]
    Org,
    /// The owner, managers and admins only.
    Private,
}

impl Visibility {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Org => "org",
            Visibility::Private => "private",
        }
    }

    /// Parses a stored name (unknown values are treated as the stricter `private`).
    pub fn parse(s: &str) -> Visibility {
        if s == "org" {
            Visibility::Org
        } else {
            Visibility::Private
        }
    }
}

/// One local change to ship: a yrs update of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushItem {
    /// The document.
    pub doc_id: DocId,
    /// The document kind (short lowercase name such as `contact`); fixed at first push.
    pub kind: String,
    /// Visibility; fixed at first push (later values are ignored).
    #[serde(default)]
    pub visibility: Visibility,
    /// The yrs v1 update.
    #[serde(with = "super::codec::base64_bytes")]
    pub update: Vec<u8>,
    /// The device's own increasing sequence number for this change within its `epoch`: a retried
    /// batch (same device, epoch, client_seq AND the same bytes) is answered
    /// [`PushOutcome::Duplicate`]; the same number with other bytes is refused with
    /// [`ErrorCode::SequenceReused`] (the local database was restored or copied: start a new epoch).
    pub client_seq: u64,
    /// The identity of the local database that wrote this change: a random number drawn when the
    /// database is created and drawn again whenever it is restored or copied (or the server
    /// answers [`ErrorCode::SequenceReused`]). Sequence numbers are only compared within an epoch.
    pub epoch: u64,
    /// GDPR erase instead of an update (`update` must then be empty): the server deletes every
    /// stored update and snapshot of the document, keeps a content-free tombstone, delivers an
    /// [`DocUpdate::erased`] marker to every device and refuses later updates of the document
    /// with [`ErrorCode::Erased`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erase: bool,
    /// After storing this update, replace the document's whole stored history with ONE
    /// garbage-collected snapshot of all its updates (deleted content dropped), and scrub the
    /// store's files: older updates holding overwritten values (e.g. an erased person's e-mail in
    /// a meeting's attendee list) are then gone from the server. Sent for every document a GDPR
    /// erasure rewrote.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compact: bool,
}

/// A batch of local changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Push {
    /// The changes, at most [`super::MAX_PUSH_ITEMS`].
    pub items: Vec<PushItem>,
}

/// What happened to one pushed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Stored under the organisation sequence number `seq`.
    Stored {
        /// Organisation sequence number.
        seq: u64,
    },
    /// Already stored by an earlier push with the same client_seq (a retry).
    Duplicate {
        /// Organisation sequence number of the earlier push.
        seq: u64,
    },
    /// Refused; the other items of the batch are unaffected.
    Rejected {
        /// Why.
        error: ErrorMessage,
    },
}

/// The result of one pushed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// The item's client_seq.
    pub client_seq: u64,
    /// SHA-256 (hex) of the exact bytes the server holds for this item ([`PushOutcome::Stored`]
    /// and [`PushOutcome::Duplicate`] only): a client marks its change pushed only when this is
    /// the digest of the bytes it sent ([`update_digest`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// What happened.
    pub outcome: PushOutcome,
}

/// The answer to a [`Push`]: one result per item, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushAck {
    /// Results in the order of the pushed items.
    pub results: Vec<PushResult>,
}

/// Asks for the updates after cursor `since` (0 = from the beginning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pull {
    /// The `next_cursor` of the previous pull, or 0.
    pub since: u64,
    /// Most updates to return (capped at [`super::MAX_PULL_LIMIT`]).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One stored update of one document, as delivered to a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocUpdate {
    /// Organisation sequence number.
    pub seq: u64,
    /// The document.
    pub doc_id: DocId,
    /// The document kind.
    pub kind: String,
    /// The owner's e-mail address.
    pub owner: String,
    /// The document's visibility.
    pub visibility: Visibility,
    /// The yrs v1 update (possibly a compacted snapshot of many updates); empty for an erasure.
    #[serde(with = "super::codec::base64_bytes")]
    pub update: Vec<u8>,
    /// The document was erased (GDPR): delete it and everything derived from it, keep only a
    /// tombstone of its id, and never accept updates of it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erased: bool,
}

/// The answer to a [`Pull`], and the payload of live updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Updates this device may see, in sequence order.
    pub updates: Vec<DocUpdate>,
    /// Cursor to pass as `since` next time (may advance past updates hidden from this device).
    pub next_cursor: u64,
    /// Whether more updates are waiting: pull again right away.
    pub more: bool,
}

/// Asks the server to push new updates after `since` over the WebSocket as they arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscribe {
    /// Cursor to start from (updates after it are sent first).
    pub since: u64,
}

/// Sent by the server after a successful hello.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    /// The server's protocol version.
    pub protocol_version: u32,
    /// The server software's version.
    pub server_version: String,
    /// The authenticated device's id.
    pub device_id: String,
    /// The device owner's e-mail address.
    pub email: String,
    /// The device owner's organisation.
    pub org: String,
    /// The device owner's role.
    pub role: Role,
}

/// Machine-readable error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The client speaks an older protocol than the server: update the app.
    ProtocolTooOld,
    /// The client speaks a newer protocol than the server: update the server.
    ProtocolTooNew,
    /// Missing, unknown or revoked device token.
    Unauthorized,
    /// Authenticated, but not allowed to see or change this document.
    Forbidden,
    /// Malformed or out-of-order message.
    BadRequest,
    /// The document already exists with another kind.
    KindMismatch,
    /// Too many requests from this device.
    RateLimited,
    /// The document was erased (GDPR); its updates are refused for good. Erase it locally.
    Erased,
    /// The server failed; retry later.
    Internal,
    /// This (device, epoch, client_seq) was already used for OTHER bytes: the local database was
    /// restored or copied. Draw a new epoch and push the change again; nothing was stored.
    SequenceReused,
    /// A value of the update breaks the kind's definition (see [`ErrorMessage::field`]), or the
    /// write is malformed for this kind; nothing was stored.
    Invalid,
    /// The message or update is larger than the protocol allows.
    TooLarge,
    /// The user's quota (documents, bytes per day) is used up; nothing was stored.
    QuotaExceeded,
    /// The document does not exist (e.g. an erasure of an id the server never stored).
    NotFound,
}

impl ErrorCode {
    /// The HTTP status that carries this error.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::ProtocolTooOld | ErrorCode::ProtocolTooNew => 426,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::BadRequest => 400,
            ErrorCode::KindMismatch => 409,
            ErrorCode::RateLimited => 429,
            ErrorCode::Erased => 410,
            ErrorCode::Internal => 500,
            ErrorCode::SequenceReused => 409,
            ErrorCode::Invalid => 422,
            ErrorCode::TooLarge => 413,
            ErrorCode::QuotaExceeded => 507,
            ErrorCode::NotFound => 404,
        }
    }
}

/// An error as sent on the wire: a code and a message saying what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} ({code:?})")]
pub struct ErrorMessage {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// Human-readable explanation with the action to take.
    pub message: String,
    /// The field of the document the error is about ([`ErrorCode::Invalid`]), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorMessage {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorMessage { code, message: message.into(), field: None }
    }

    /// An [`ErrorCode::Invalid`] error about `field`.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorMessage { code: ErrorCode::Invalid, message: message.into(), field: Some(field.into()) }
    }
}

/// SHA-256 (hex) of update bytes, as reported in [`PushResult::digest`].
pub fn update_digest(bytes: &[u8]) -> String {
    hex_digest(&update_digest_bytes(bytes))
}

/// The same SHA-256, raw (a device keeps the digests of its own pushes as bytes).
pub fn update_digest_bytes(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

/// A raw digest written as [`PushResult::digest`] carries it (lower-case hex).
pub fn hex_digest(digest: &[u8; 32]) -> String {
    hex::encode(digest)
}

/// Messages a client sends (WebSocket frames).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Must come first.
    Hello(Hello),
    /// Local changes.
    Push(Push),
    /// Fetch updates after a cursor.
    Pull(Pull),
    /// Receive new updates live.
    Subscribe(Subscribe),
}

/// Messages the server sends (WebSocket frames).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Answer to a hello.
    Welcome(Welcome),
    /// Answer to a push.
    PushAck(PushAck),
    /// Answer to a pull.
    PullResponse(PullResponse),
    /// New updates for a subscribed device.
    Update(PullResponse),
    /// Something went wrong; see the code.
    Error(ErrorMessage),
}
