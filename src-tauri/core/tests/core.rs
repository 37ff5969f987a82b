//! Integration tests of the core against real SQLite files in temporary directories.
//! Each module says what it covers.

mod core {
    pub mod agent;
    pub mod api;
    pub mod audit_log;
    pub mod briefs;
    pub mod calendar;
    pub mod calendar_real_world;
    pub mod erase;
    pub mod meetings;
    pub mod migrations;
    pub mod module_graph;
    pub mod scores;
    pub mod support;
    pub mod team;
    pub mod upgrades;
}
