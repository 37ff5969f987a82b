//! Outpost's team sync server as a library: the axum server ([`server`]), who may read and write
//! what ([`authz`]), and the [`store::Store`] trait with its SQLite and PostgreSQL backends and
//! their migrations (`migrations/{sqlite,postgres}/`). The `outpost-server` binary (`main.rs`) is a
//! thin command line over it; `sync-bench` measures it.
//!
//! It depends on `outpost-sync` (document model, entity definitions, protocol) and never the other
//! way round: a client links `outpost-sync` only, never axum or the PostgreSQL driver.

pub mod authz;
pub mod server;
pub mod store;
#[cfg(feature = "test-support")]
pub mod test_support;
