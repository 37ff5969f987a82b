//! Other people's services: OAuth connections to provider accounts, the outbound webhook/Slack
//! delivery queue and Google Calendar sync. Tokens live in the OS keychain ([`crate::store::secrets`]).
//! Each declares the port for its HTTP calls ([`connections::OAuthClient`], [`outbound::Webhooks`],
//! [`google_calendar::CalendarEvents`]); the adapters live in the `outpost-integrations` crate.

pub mod connections;
pub mod google_calendar;
pub mod outbound;
