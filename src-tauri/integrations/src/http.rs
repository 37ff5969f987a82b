//! The HTTP client the provider adapters share: 30 s timeout and Outpost's user agent.

use outpost_core::{Error, Result};

/// A client for provider API calls.
pub(crate) fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("Outpost/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Remote(format!("cannot start the HTTP client: {e}")))
}
