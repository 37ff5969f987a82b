//! Outpost sync, the part every client links: the CRDT document model, the typed entity
//! definitions, the wire protocol shared by client and server, and a small sync client.
//!
//! This crate sits at the bottom of the dependency graph (app → core → sync ← server) and never
//! links CRM code, the server or its stores: it only knows opaque document ids, document kinds
//! (short strings) and owner/visibility flags. The sync server, its authorisation rules and its
//! SQLite/PostgreSQL stores are the `outpost-server` crate (`sync/server/`). The pieces:
//!
//! - [`doc`]: one small `yrs` document per replicated record ([`doc::RecordDoc`]), deterministic ids
//!   for natural keys ([`doc::natural_key_doc_id`]) and per-device client ids.
//! - [`entity`]: one typed definition per replicated entity (fields, types, bounds, personal
//!   free text, who may write and erase), shared by the server and the core.
//! - [`protocol`]: versioned serde messages and pure, socket-free protocol functions.
//! - [`client`]: [`client::SyncClient`], speaking the protocol over HTTP and WebSocket.

pub mod client;
pub mod doc;
pub mod entity;
pub mod protocol;

/// Version of the sync wire protocol. A peer speaking another version is refused with a clear error.
///
/// Version 2 added GDPR erasure ([`protocol::PushItem::erase`], [`protocol::DocUpdate::erased`]):
/// a version-1 client would ignore erasures and keep the person's data, so it is refused.
/// Version 3 added history compaction on request ([`protocol::PushItem::compact`], sent for every
/// document a GDPR erasure rewrote): a version-2 server would ignore it and keep older updates
/// holding the erased person's data, so the versions refuse each other.
/// Version 4 added the push `epoch` (the local database's identity) and the stored bytes' digest
/// in every push result (a change is marked pushed only when the server holds exactly those
/// bytes), per-field `invalid` errors and the write-authorisation codes: a version-3 client would
/// mark changes pushed that the server refused as reused sequence numbers, so it is refused.
pub const PROTOCOL_VERSION: u32 = 4;
