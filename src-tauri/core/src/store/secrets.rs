//! Secrets (webhook URLs, OAuth tokens) in the OS keychain, never in SQLite, logs or the UI.
//!
//! SQLite rows hold only a *reference* (the keychain account name, e.g. `webhook:3f2a…` or
//! `connection:<id>`); the secret itself is written with the `keyring` crate: on Linux the kernel
//! keyutils session keyring backed by the Secret Service (GNOME Keyring, KWallet), on macOS the
//! Keychain, on Windows the Credential Manager. All entries share the service name [`SERVICE`].

use crate::{Error, Result};

/// The keychain service name every Outpost integration secret is filed under.
pub const SERVICE: &str = "outpost-integrations";

fn entry(reference: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, reference).map_err(|e| keychain_error(reference, e))
}

fn keychain_error(reference: &str, e: keyring::Error) -> Error {
    Error::Keychain(format!(
        "cannot use the OS keychain for {reference} ({e}); unlock or install one (on Linux: a Secret Service such \
         as gnome-keyring, with a keyutils session keyring) and try again"
    ))
}

/// Stores `secret` under `reference`, replacing any previous value.
pub fn store(reference: &str, secret: &str) -> Result<()> {
    entry(reference)?.set_password(secret).map_err(|e| keychain_error(reference, e))
}

/// The secret stored under `reference`, or `None` if there is none.
pub fn load(reference: &str) -> Result<Option<String>> {
    match entry(reference)?.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keychain_error(reference, e)),
    }
}

/// The secret stored under `reference`; a missing entry is an error saying what to do.
pub fn require(reference: &str, what_to_do: &str) -> Result<String> {
    load(reference)?
        .ok_or_else(|| Error::Keychain(format!("the OS keychain has no secret for {reference}; {what_to_do}")))
}

/// Deletes the secret under `reference`; deleting a missing entry is not an error.
pub fn delete(reference: &str) -> Result<()> {
    match entry(reference)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error(reference, e)),
    }
}
