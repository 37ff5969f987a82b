//! Outpost sync: the CRDT document model and the wire protocol shared by client and server.
//!
//! This crate sits at the bottom of the dependency graph (app → core → sync) and never links CRM
//! code. Today it holds the protocol version every replica and server must agree on; the `yrs`
//! document model, wire messages and `outpost-server` arrive with the sync issue.

/// Version of the sync wire protocol. A peer speaking another version is refused with a clear error.
pub const PROTOCOL_VERSION: u32 = 1;
