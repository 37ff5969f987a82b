//! Which LLM the copilot talks to: kind (`openai` for any OpenAI-compatible chat-completions API —
//! hosted, Ollama, LM Studio — or `anthropic` for the Messages API), base URL, model and timeouts,
//! in the setting `copilot.provider`. The API key is kept in the OS keychain (`keyring`), never in
//! SQLite or logs; for headless machines and tests the environment variable [`API_KEY_ENV`]
//! overrides the keychain (nothing is stored). Local servers may need no key at all.

use std::path::Path;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Ctx, Error, Result};

/// Environment variable that supplies the API key instead of the keychain.
pub const API_KEY_ENV: &str = "OUTPOST_LLM_API_KEY";
const SETTING: &str = "copilot.provider";
const SERVICE: &str = "outpost-copilot";

/// The provider's API flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProviderKind {
    /// OpenAI-compatible `/chat/completions` with tool calling and SSE streaming.
    Openai,
    /// Anthropic `/v1/messages` with tool use.
    Anthropic,
}

impl ProviderKind {
    /// Parses `openai` or `anthropic`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "openai" | "openai-compatible" | "ollama" | "lmstudio" => Ok(ProviderKind::Openai),
            "anthropic" => Ok(ProviderKind::Anthropic),
            other => Err(Error::invalid("kind", format!("unknown provider kind '{other}'; use openai or anthropic"))),
        }
    }

    /// The engine name used in responses.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Openai => "openai",
            ProviderKind::Anthropic => "anthropic",
        }
    }
}

/// The stored provider configuration (no secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderConfig {
    /// API flavour.
    pub kind: ProviderKind,
    /// Base URL, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// Seconds to wait for a response before giving up (default 60).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Retries after a 429 or 5xx answer or a connection failure (default 2).
    #[serde(default = "default_retries")]
    pub max_retries: u32,
    /// First retry delay in milliseconds, doubled each retry (default 500; a `Retry-After` header
    /// of up to 10 s wins).
    #[serde(default = "default_backoff")]
    pub retry_backoff_ms: u64,
}

fn default_timeout() -> u64 {
    60
}
fn default_retries() -> u32 {
    2
}
fn default_backoff() -> u64 {
    500
}

/// Where the key is, as reported to the rep (never the key itself).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProviderStatus {
    /// The configuration.
    pub config: ProviderConfig,
    /// `keychain`, `environment` or `none`.
    pub api_key: String,
}

fn entry(data_dir: &Path) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("api-key:{}", data_dir.display())).map_err(keychain_error)
}

fn keychain_error(e: keyring::Error) -> Error {
    Error::Provider(format!(
        "the OS keychain is not available ({e}); unlock or install one (on Linux a Secret Service such as \
         gnome-keyring), or set {API_KEY_ENV} on headless machines"
    ))
}

/// Query parameters that carry credentials.
const KEY_PARAMS: &[&str] = &[
    "key",
    "apikey",
    "api_key",
    "api-key",
    "token",
    "access_token",
    "auth",
    "authorization",
    "secret",
    "client_secret",
    "password",
    "pass",
    "pwd",
    "sig",
    "signature",
    "code",
    "x-api-key",
];

/// Refuses a provider URL that carries credentials (user info, or a key-like query parameter or
/// value): it would be stored in the settings and the audit log, in clear. The error does not
/// repeat the URL.
fn refuse_credentials(base_url: &str) -> Result<()> {
    let url = url::Url::parse(base_url)
        .map_err(|e| Error::invalid("base_url", format!("is not a valid URL ({e}); e.g. https://api.openai.com/v1")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "base_url",
            "carries credentials (user:password@); remove them and pass the key with --api-key - (kept in the OS keychain)",
        ));
    }
    for (name, value) in url.query_pairs() {
        let lower = name.to_ascii_lowercase();
        let key_like = KEY_PARAMS.contains(&lower.as_str()) || lower.ends_with("key") || lower.ends_with("token");
        if key_like || super::context::redact(&value) != value {
            return Err(Error::invalid(
                "base_url",
                format!(
                    "carries a credential in its query string (parameter '{name}'); remove it and pass the key \
                     with --api-key - (kept in the OS keychain, never in the settings or the audit log)"
                ),
            ));
        }
    }
    if super::context::redact(url.path()) != url.path() {
        return Err(Error::invalid(
            "base_url",
            "carries what looks like a credential in its path; pass the key with --api-key - instead",
        ));
    }
    Ok(())
}

fn env_key() -> Option<String> {
    std::env::var(API_KEY_ENV).ok().filter(|k| !k.trim().is_empty())
}

/// Saves the provider configuration; a given `api_key` goes to the OS keychain. Returns where
/// the key is kept.
pub fn set(ctx: &Ctx, config: ProviderConfig, api_key: Option<String>) -> Result<ProviderStatus> {
    let base_url = config.base_url.trim().trim_end_matches('/').to_owned();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(Error::invalid("base_url", "is not an http(s) URL (e.g. https://api.openai.com/v1)"));
    }
    refuse_credentials(&base_url)?;
    if config.model.trim().is_empty() {
        return Err(Error::invalid("model", "is required (e.g. gpt-4o-mini, llama3.1, claude-sonnet-4-5)"));
    }
    if config.timeout_secs == 0 {
        return Err(Error::invalid("timeout_secs", "must be at least 1 second"));
    }
    let config = ProviderConfig { base_url, model: config.model.trim().to_owned(), ..config };
    let stored = match api_key.filter(|k| !k.trim().is_empty()) {
        Some(key) if env_key().is_none() => {
            entry(ctx.data_dir())?.set_password(key.trim()).map_err(keychain_error)?;
            "keychain"
        }
        _ => key_location(ctx)?,
    };
    let json = serde_json::to_string(&config)?;
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [SETTING, &json],
        )?;
        crate::store::audit::record(tx, "update", "setting", &SETTING, &config)?;
        Ok(())
    })?;
    Ok(ProviderStatus { config, api_key: stored.to_owned() })
}

fn key_location(ctx: &Ctx) -> Result<&'static str> {
    if env_key().is_some() {
        return Ok("environment");
    }
    Ok(match entry(ctx.data_dir()).and_then(|e| e.get_password().map_err(keychain_error)) {
        Ok(_) => "keychain",
        Err(_) => "none",
    })
}

/// The configured provider, if any.
pub fn get(ctx: &Ctx) -> Result<Option<ProviderConfig>> {
    let value: Option<String> = ctx.read(|conn| {
        Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [SETTING], |r| r.get(0)).optional()?)
    })?;
    value
        .map(|v| {
            serde_json::from_str(&v).map_err(|e| {
                Error::Provider(format!(
                    "the stored provider settings are unreadable ({e}); run `outpost copilot provider set` again"
                ))
            })
        })
        .transpose()
}

/// The provider configuration with where its key is kept.
pub fn status(ctx: &Ctx) -> Result<Option<ProviderStatus>> {
    match get(ctx)? {
        Some(config) => Ok(Some(ProviderStatus { config, api_key: key_location(ctx)?.to_owned() })),
        None => Ok(None),
    }
}

/// Removes the provider configuration and its keychain entry; the copilot answers offline.
pub fn clear(ctx: &Ctx) -> Result<()> {
    if let Ok(entry) = entry(ctx.data_dir()) {
        let _ = entry.delete_credential();
    }
    ctx.write(|tx| {
        tx.sql.execute("DELETE FROM settings WHERE key = ?1", [SETTING])?;
        crate::store::audit::record(tx, "delete", "setting", &SETTING, &serde_json::json!({}))?;
        Ok(())
    })
}

/// The API key: [`API_KEY_ENV`] if set, else the keychain entry, else none (local servers).
pub(crate) fn api_key(data_dir: &Path) -> Option<String> {
    env_key().or_else(|| entry(data_dir).ok().and_then(|e| e.get_password().ok()))
}
