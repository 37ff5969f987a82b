//! The CRM records a rep works with: companies, contacts, deals and their pipeline, tasks,
//! activities, and the manager's team view. Each mutation validates its input, runs in one
//! transaction and records its audit row and sync record through [`crate::store`].

pub mod activities;
pub mod board;
pub mod companies;
pub mod contacts;
pub mod deals;
pub mod pipeline;
pub mod request_rules;
pub mod tasks;
pub mod team;
