//! OAuth 2.0 for native apps (RFC 8252) with PKCE (RFC 7636): the pure pieces (verifier,
//! challenge, state, authorisation URL, callback checks, token lifetimes, reading token-endpoint
//! answers) and the port for the HTTP calls, [`OAuthClient`] (token endpoint, account check,
//! revocation), which `outpost-integrations` implements.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::provider::Provider;
use crate::{BoxFuture, Error, Result};

/// Refresh an access token when it expires within this margin.
pub const REFRESH_MARGIN_SECS: i64 = 60;

/// One authorisation attempt: what the browser is sent to and what the callback must match.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The provider.
    pub provider: Provider,
    /// The URL to open in the system browser.
    pub authorize_url: String,
    /// The loopback redirect URI registered for this attempt.
    pub redirect_uri: String,
    /// The anti-CSRF `state` the callback must echo.
    pub state: String,
    /// The PKCE code verifier (kept in memory only).
    pub verifier: String,
}

/// The tokens of a connection, as kept in the OS keychain (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenSet {
    /// Bearer access token.
    pub access_token: String,
    /// Refresh token, if the provider issued one.
    pub refresh_token: Option<String>,
    /// When the access token expires (RFC 3339), if the provider said.
    pub expires_at: Option<DateTime<Utc>>,
}

impl TokenSet {
    /// True if the access token expires within [`REFRESH_MARGIN_SECS`] of `now`.
    pub fn needs_refresh(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at - now <= Duration::seconds(REFRESH_MARGIN_SECS))
    }
}

/// 32 random bytes, base64url without padding (43 characters: a valid PKCE verifier).
pub fn random_token() -> Result<String> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Remote(format!("the OS random source failed ({e}); try again")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The PKCE S256 challenge of `verifier`: base64url(SHA-256(verifier)).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Starts an attempt for `provider` redirecting to `redirect_uri` (pure apart from randomness).
pub fn begin(provider: Provider, client_id: &str, redirect_uri: &str) -> Result<Attempt> {
    let state = random_token()?;
    let verifier = random_token()?;
    let mut url = url::Url::parse(&provider.endpoints().authorize)
        .map_err(|e| Error::invalid("provider", format!("the authorisation endpoint is not a URL ({e})")))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", provider.scopes())
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge(&verifier))
        .append_pair("code_challenge_method", "S256")
        .extend_pairs(provider.offline_params().iter().copied());
    Ok(Attempt { provider, authorize_url: url.into(), redirect_uri: redirect_uri.to_owned(), state, verifier })
}

/// Why a request that reached the loopback listener is not the expected callback.
#[derive(Debug, PartialEq)]
pub enum CallbackError {
    /// Another path (a favicon, a probe): ignore it and keep waiting.
    WrongPath,
    /// The right path but not a valid answer to this attempt: abort the attempt.
    Refused(String),
}

/// Checks a request target (`/path?query`) received on the loopback listener against the attempt
/// and returns the authorisation code.
pub fn check_callback(attempt: &Attempt, target: &str) -> std::result::Result<String, CallbackError> {
    let expected = url::Url::parse(&attempt.redirect_uri).map_err(|e| CallbackError::Refused(e.to_string()))?;
    let received = expected.join(target).map_err(|_| CallbackError::WrongPath)?;
    if received.path() != expected.path() {
        return Err(CallbackError::WrongPath);
    }
    let params: std::collections::HashMap<String, String> = received.query_pairs().into_owned().collect();
    if params.get("state").map(String::as_str) != Some(attempt.state.as_str()) {
        return Err(CallbackError::Refused(
            "the sign-in answer did not carry this attempt's state (possible cross-site request); start again".into(),
        ));
    }
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").map(|d| format!(": {d}")).unwrap_or_default();
        return Err(CallbackError::Refused(format!(
            "the provider refused the sign-in ({error}{description}); start again"
        )));
    }
    match params.get("code").filter(|c| !c.is_empty()) {
        Some(code) => Ok(code.clone()),
        None => Err(CallbackError::Refused("the sign-in answer carried no authorisation code; start again".into())),
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

#[derive(Deserialize, Default)]
struct OAuthErrorBody {
    error: Option<String>,
    error_description: Option<String>,
}

/// A token-endpoint failure: `invalid_grant` means the code or refresh token is dead (reconnect).
#[derive(Debug)]
pub enum TokenError {
    /// The grant (code or refresh token) was refused for good.
    InvalidGrant(String),
    /// Anything else (network, 5xx, other OAuth errors).
    Other(Error),
}

/// What a token endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenReply {
    /// HTTP status code.
    pub status: u16,
    /// The status as text for messages (`400 Bad Request`).
    pub status_text: String,
    /// The body (JSON on success and for OAuth errors).
    pub body: String,
}

/// The OAuth port: the HTTP calls a connection needs (implemented by `outpost-integrations`).
/// An unreachable provider is an [`Error::Remote`] naming the provider.
pub trait OAuthClient: Send + Sync {
    /// POSTs `form` (form-encoded) to `provider`'s token endpoint.
    fn token<'a>(&'a self, provider: Provider, form: &'a [(&'a str, &'a str)]) -> BoxFuture<'a, Result<TokenReply>>;

    /// Whose token it is: the account's email, or `None` if the provider refused it (HTTP 401).
    fn account<'a>(&'a self, provider: Provider, access_token: &'a str) -> BoxFuture<'a, Result<Option<String>>>;

    /// Revokes `tokens` at the provider; a token the provider already considers invalid counts as
    /// revoked.
    fn revoke<'a>(&'a self, provider: Provider, tokens: &'a TokenSet) -> BoxFuture<'a, Result<()>>;
}

async fn token_request(
    oauth: &dyn OAuthClient,
    provider: Provider,
    form: &[(&str, &str)],
    previous_refresh: Option<&str>,
    now: DateTime<Utc>,
) -> std::result::Result<TokenSet, TokenError> {
    let (client_id, client_secret) = provider.client().map_err(TokenError::Other)?;
    let mut form: Vec<(&str, &str)> = form.to_vec();
    form.push(("client_id", &client_id));
    if let Some(secret) = client_secret.as_deref() {
        form.push(("client_secret", secret));
    }
    let reply = oauth.token(provider, &form).await.map_err(TokenError::Other)?;
    let text = reply.body;
    if !(200..300).contains(&reply.status) {
        let body: OAuthErrorBody = serde_json::from_str(&text).unwrap_or_default();
        let error = body.error.unwrap_or_else(|| format!("HTTP {}", reply.status_text));
        let detail = body.error_description.map(|d| format!(": {d}")).unwrap_or_default();
        let message = format!("{} refused the token request ({error}{detail})", provider.name());
        return Err(if error == "invalid_grant" {
            TokenError::InvalidGrant(message)
        } else {
            TokenError::Other(Error::Remote(message))
        });
    }
    let token: TokenResponse = serde_json::from_str(&text).map_err(|e| {
        TokenError::Other(Error::Remote(format!("{} sent an unreadable token response ({e})", provider.name())))
    })?;
    Ok(TokenSet {
        access_token: token.access_token,
        refresh_token: token.refresh_token.or_else(|| previous_refresh.map(str::to_owned)),
        expires_at: token.expires_in.map(|s| now + Duration::seconds(s)),
    })
}

/// Exchanges the authorisation code of `attempt` for tokens (with the PKCE verifier).
pub async fn exchange(oauth: &dyn OAuthClient, attempt: &Attempt, code: &str, now: DateTime<Utc>) -> Result<TokenSet> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", attempt.redirect_uri.as_str()),
        ("code_verifier", attempt.verifier.as_str()),
    ];
    token_request(oauth, attempt.provider, &form, None, now).await.map_err(|e| match e {
        TokenError::InvalidGrant(message) => {
            Error::Remote(format!("{message}; the code was already used or expired, start again"))
        }
        TokenError::Other(e) => e,
    })
}

/// Trades a refresh token for a fresh access token (keeping the refresh token unless rotated).
pub async fn refresh(
    oauth: &dyn OAuthClient,
    provider: Provider,
    refresh_token: &str,
    now: DateTime<Utc>,
) -> std::result::Result<TokenSet, TokenError> {
    token_request(
        oauth,
        provider,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)],
        Some(refresh_token),
        now,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    fn attempt() -> Attempt {
        Attempt {
            provider: Provider::Google,
            authorize_url: String::new(),
            redirect_uri: "http://127.0.0.1:4567/oauth/callback".into(),
            state: "s1".into(),
            verifier: "v".into(),
        }
    }

    #[test]
    fn callbacks_are_checked_for_path_state_error_and_code() {
        let a = attempt();
        assert_eq!(check_callback(&a, "/oauth/callback?state=s1&code=c1"), Ok("c1".into()));
        assert_eq!(check_callback(&a, "/favicon.ico"), Err(CallbackError::WrongPath));
        assert!(
            matches!(check_callback(&a, "/oauth/callback?state=evil&code=c1"), Err(CallbackError::Refused(m)) if m.contains("state"))
        );
        assert!(matches!(check_callback(&a, "/oauth/callback?code=c1"), Err(CallbackError::Refused(_))));
        assert!(
            matches!(check_callback(&a, "/oauth/callback?state=s1&error=access_denied"), Err(CallbackError::Refused(m)) if m.contains("access_denied"))
        );
    }

    #[test]
    fn tokens_are_refreshed_a_minute_before_expiry() {
        let now = Utc::now();
        let mut tokens =
            TokenSet { access_token: "a".into(), refresh_token: None, expires_at: Some(now + Duration::seconds(61)) };
        assert!(!tokens.needs_refresh(now));
        tokens.expires_at = Some(now + Duration::seconds(60));
        assert!(tokens.needs_refresh(now));
        tokens.expires_at = None;
        assert!(!tokens.needs_refresh(now));
    }

    #[test]
    fn an_attempt_sends_pkce_s256_and_a_fresh_state() -> Result<()> {
        let a = begin(Provider::Dropbox, "client-1", "http://127.0.0.1:9/oauth/callback")?;
        let b = begin(Provider::Dropbox, "client-1", "http://127.0.0.1:9/oauth/callback")?;
        assert_ne!(a.state, b.state);
        assert_ne!(a.verifier, b.verifier);
        let url = url::Url::parse(&a.authorize_url).map_err(|e| Error::invalid("url", e.to_string()))?;
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q.get("code_challenge_method").map(String::as_str), Some("S256"));
        assert_eq!(q.get("code_challenge"), Some(&challenge(&a.verifier)));
        assert_eq!(q.get("state"), Some(&a.state));
        assert_eq!(q.get("token_access_type").map(String::as_str), Some("offline"));
        Ok(())
    }
}
