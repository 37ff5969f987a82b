//! The providers Outpost connects to, their OAuth endpoints and the app's client ids.
//!
//! Every base URL can be replaced from the environment (tests point them at fake providers on
//! 127.0.0.1): `OUTPOST_GOOGLE_OAUTH_URL` replaces the scheme and host of Google's authorise,
//! token, revoke and user-info endpoints (paths kept), `OUTPOST_GOOGLE_API_URL` those of the Drive
//! and Calendar APIs; `OUTPOST_DROPBOX_OAUTH_URL`, `OUTPOST_DROPBOX_API_URL` and
//! `OUTPOST_DROPBOX_CONTENT_URL` likewise.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// A provider Outpost can connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Provider {
    /// Google: Drive folders and Calendar.
    Google,
    /// Dropbox: folders.
    Dropbox,
}

/// Where a provider's OAuth endpoints are.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoints {
    /// Authorisation endpoint (opened in the system browser).
    pub authorize: String,
    /// Token endpoint (code exchange and refresh).
    pub token: String,
    /// Revocation endpoint.
    pub revoke: String,
    /// Who the token belongs to (the account shown in the Connections list).
    pub account: String,
    /// Base of the provider's data APIs (Drive/Calendar or Dropbox).
    pub api: String,
    /// Base of the provider's file-content API (Dropbox downloads; Google: same as `api`).
    pub content: String,
}

fn base(env: &str, default: &str) -> String {
    std::env::var(env)
        .ok()
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

impl Provider {
    /// Parses `google` or `dropbox`.
    pub fn parse(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "google" => Ok(Provider::Google),
            "dropbox" => Ok(Provider::Dropbox),
            other => Err(Error::invalid("provider", format!("unknown provider '{other}'; use google or dropbox"))),
        }
    }

    /// The lower-case name stored in the database.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Dropbox => "dropbox",
        }
    }

    /// The provider's endpoints, with any environment overrides applied.
    pub fn endpoints(self) -> Endpoints {
        match self {
            Provider::Google => {
                let auth = base("OUTPOST_GOOGLE_OAUTH_URL", "https://accounts.google.com");
                let token = base("OUTPOST_GOOGLE_OAUTH_URL", "https://oauth2.googleapis.com");
                let info = base("OUTPOST_GOOGLE_OAUTH_URL", "https://openidconnect.googleapis.com");
                Endpoints {
                    authorize: format!("{auth}/o/oauth2/v2/auth"),
                    token: format!("{token}/token"),
                    revoke: format!("{token}/revoke"),
                    account: format!("{info}/v1/userinfo"),
                    api: base("OUTPOST_GOOGLE_API_URL", "https://www.googleapis.com"),
                    content: base("OUTPOST_GOOGLE_API_URL", "https://www.googleapis.com"),
                }
            }
            Provider::Dropbox => {
                let web = base("OUTPOST_DROPBOX_OAUTH_URL", "https://www.dropbox.com");
                let api = base("OUTPOST_DROPBOX_OAUTH_URL", "https://api.dropboxapi.com");
                Endpoints {
                    authorize: format!("{web}/oauth2/authorize"),
                    token: format!("{api}/oauth2/token"),
                    revoke: format!("{api}/2/auth/token/revoke"),
                    account: format!("{api}/2/users/get_current_account"),
                    api: base("OUTPOST_DROPBOX_API_URL", "https://api.dropboxapi.com"),
                    content: base("OUTPOST_DROPBOX_CONTENT_URL", "https://content.dropboxapi.com"),
                }
            }
        }
    }

    /// Read-only scopes Outpost asks for.
    pub fn scopes(self) -> &'static str {
        match self {
            Provider::Google => {
                "openid email https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/calendar.readonly"
            }
            Provider::Dropbox => "account_info.read files.metadata.read files.content.read",
        }
    }

    /// Extra authorisation parameters that make the provider issue a refresh token.
    pub fn offline_params(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Provider::Google => &[("access_type", "offline"), ("prompt", "consent")],
            Provider::Dropbox => &[("token_access_type", "offline")],
        }
    }

    /// The OAuth client of this app: id (required) and, for Google desktop clients, the
    /// non-confidential client secret, from `OUTPOST_<PROVIDER>_CLIENT_ID` / `_CLIENT_SECRET`.
    pub fn client(self) -> Result<(String, Option<String>)> {
        let prefix = self.name().to_ascii_uppercase();
        let id = std::env::var(format!("OUTPOST_{prefix}_CLIENT_ID")).ok().filter(|v| !v.trim().is_empty());
        let secret = std::env::var(format!("OUTPOST_{prefix}_CLIENT_SECRET")).ok().filter(|v| !v.trim().is_empty());
        match id {
            Some(id) => Ok((id.trim().to_owned(), secret)),
            None => Err(Error::invalid(
                "provider",
                format!(
                    "no OAuth client is configured for {}; set OUTPOST_{prefix}_CLIENT_ID to the app's client id \
                     (registered as a desktop / native app with a loopback redirect)",
                    self.name()
                ),
            )),
        }
    }
}
