//! The device token lives in the OS keychain (via the `keyring` crate), never in SQLite.
//!
//! On Linux the keychain is the kernel keyutils session keyring backed by the Secret Service
//! (GNOME Keyring, KWallet); macOS and Windows use their native stores. For headless and CI use,
//! the environment variable [`TOKEN_ENV`] overrides the keychain entirely (nothing is stored).

use std::path::Path;

use crate::{Error, Result};

/// Environment variable that supplies the device token instead of the keychain (headless/CI use).
pub const TOKEN_ENV: &str = "OUTPOST_SYNC_TOKEN";
const SERVICE: &str = "outpost-sync";

fn entry(data_dir: &Path) -> Result<keyring::Entry> {
    let user = format!("device-token:{}", data_dir.display());
    keyring::Entry::new(SERVICE, &user).map_err(keychain_error)
}

fn keychain_error(e: keyring::Error) -> Error {
    Error::Sync(format!(
        "the OS keychain is not available ({e}); unlock or install one (on Linux: a Secret Service such as \
         gnome-keyring), or for headless/CI use set {TOKEN_ENV} to the device token"
    ))
}

/// The token from [`TOKEN_ENV`], if set.
fn from_env() -> Option<String> {
    std::env::var(TOKEN_ENV).ok().filter(|t| !t.trim().is_empty())
}

/// Stores the device token of the data directory `data_dir`. With [`TOKEN_ENV`] set, nothing is
/// stored (the variable is the token). Returns where the token is kept.
pub fn store(data_dir: &Path, token: &str) -> Result<&'static str> {
    if from_env().is_some() {
        return Ok("environment");
    }
    entry(data_dir)?.set_password(token).map_err(keychain_error)?;
    Ok("keychain")
}

/// The device token of `data_dir`: [`TOKEN_ENV`] if set, else the keychain entry.
pub fn load(data_dir: &Path) -> Result<String> {
    if let Some(token) = from_env() {
        return Ok(token);
    }
    match entry(data_dir)?.get_password() {
        Ok(token) => Ok(token),
        Err(keyring::Error::NoEntry) => Err(Error::Sync(format!(
            "no device token is stored for this data directory; run `outpost sync connect --server URL --token -` \
             (or set {TOKEN_ENV})"
        ))),
        Err(e) => Err(keychain_error(e)),
    }
}

/// Deletes the device token of `data_dir` from the keychain (nothing to do when it is absent or
/// supplied by [`TOKEN_ENV`]).
pub fn forget(data_dir: &Path) -> Result<()> {
    if from_env().is_some() {
        return Ok(());
    }
    match entry(data_dir)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error(e)),
    }
}
