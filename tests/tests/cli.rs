//! End-to-end tests of the `outpost` CLI: the real binary on temporary data directories.
//! Each module says what it covers.

mod cli {
    pub mod bad_input;
    pub mod briefs;
    pub mod contract;
    pub mod control_characters;
    pub mod copilot;
    pub mod data_dir;
    pub mod import;
    pub mod import_classes;
    pub mod import_corpus;
    pub mod import_crash;
    pub mod meetings;
    pub mod refused_flags;
    pub mod rejected_commands;
    pub mod terminal_output;
}
