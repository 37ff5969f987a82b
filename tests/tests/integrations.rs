//! End-to-end tests of the integrations: the real `outpost` binary against real HTTP servers on
//! 127.0.0.1 playing the webhook receiver and the providers, with secrets in a real OS keychain
//! (a private GNOME Keyring over D-Bus plus a keyutils session keyring; see `support`).

mod integrations {
    pub mod calendar;
    pub mod cloud_folders;
    pub mod connections;
    pub mod copilot_keychain;
    pub mod fake_calendar;
    pub mod fake_cloud;
    pub mod fake_oauth;
    pub mod outbound;
    pub mod s3_keychain;
    pub mod support;
    pub mod sync_keychain;
}
