//! Integration tests of memories and the copilot against real SQLite files, with a scripted
//! OpenAI-compatible / Anthropic HTTP server on 127.0.0.1 as the other end of the real clients
//! (this crate's `Net`, handed to `copilot::ask` as the app does).
//! Each module says what it covers.

mod copilot {
    pub mod actions;
    pub mod anthropic_stream;
    pub mod confirm_gate;
    pub mod memories;
    pub mod offline;
    pub mod providers;
    pub mod script_server;
    pub mod secrets;
    pub mod support;
}
