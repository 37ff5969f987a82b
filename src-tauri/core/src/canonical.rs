//! Canonical forms of what people type — company names and web domains, emails, phone numbers
//! (E.164), personal names split and keyed — shared by import matching, the derived columns every
//! replica computes, and erasure. Pure functions over strings; no database.

pub mod company;
pub mod contact_info;
pub mod names;
pub mod text;
