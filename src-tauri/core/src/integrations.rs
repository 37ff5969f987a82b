//! Other people's services: OAuth connections to provider accounts, the outbound webhook/Slack
//! delivery queue and Google Calendar sync. Tokens live in the OS keychain ([`crate::store::secrets`]).

pub mod connections;
pub mod google_calendar;
pub mod outbound;
