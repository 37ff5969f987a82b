//! End-to-end sync tests: the real `outpost-server` binary on 127.0.0.1 with a SQLite store in a
//! temporary directory, and real `outpost` CLIs on separate data directories syncing through it.
//! The device token comes from `OUTPOST_SYNC_TOKEN` (the headless/CI override of the keychain).

mod sync {
    pub mod briefs;
    pub mod contact_fields;
    pub mod copilot;
    pub mod erase;
    pub mod erase_fields;
    // Issue 16: one push path for `sync now` and the live loop.
    pub mod live_push;
    pub mod merges;
    // Issue 14: a natural-key record edited before its first push still syncs.
    pub mod natural_key_edits;
    pub mod own_pushes;
    pub mod push_order;
    pub mod random;
    pub mod restore;
    pub mod support;
    pub mod two_devices;
    // Issue 14, client side.
    pub mod sizes;
}
