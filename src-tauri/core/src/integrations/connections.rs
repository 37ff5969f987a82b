//! Connections to provider accounts (Google, Dropbox): listed with their status, last sync and
//! last error; their OAuth tokens live only in the OS keychain ([`crate::store::secrets`], JSON under
//! `connection:<id>`), never in SQLite, logs, the UI or sync.
//!
//! Connecting follows RFC 8252 (OAuth 2.0 for native apps): the system browser is sent to the
//! provider's authorisation URL ([`begin`]) with PKCE S256 and a random `state`; the provider
//! redirects to a loopback listener on 127.0.0.1 (one per attempt, random port: the CLI's own in
//! [`loopback`], the desktop app's from `tauri-plugin-oauth`), which checks the callback path and
//! state; [`complete`] exchanges the code. Access tokens are refreshed a minute before expiry
//! ([`access_token`]); a refresh token the provider no longer accepts puts the connection in the
//! `reconnect` state (connect the same account again to fix it). [`remove`] revokes the tokens at
//! the provider and deletes them from the keychain. The HTTP calls go through the
//! [`OAuthClient`] port (implemented in `outpost-integrations`), handed in by the app.

pub mod loopback;
pub mod oauth;
pub mod provider;

use std::time::Duration;

use rusqlite::{params, Connection as Sql, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::{
    integrations::outbound::stamp, store::audit, store::ids::ConnectionId, store::secrets, Ctx, Error, Result,
};

pub use oauth::{Attempt, OAuthClient, TokenReply, TokenSet};
pub use provider::Provider;

/// A connection to a provider account.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Connection {
    /// Id.
    pub id: ConnectionId,
    /// `google` or `dropbox`.
    pub provider: String,
    /// The account (email) the tokens belong to.
    pub account: Option<String>,
    /// `connected`, `reconnect` (sign in again) or `error` (see `last_error`).
    pub status: String,
    /// Granted scopes (space-separated).
    pub scopes: String,
    /// When the current access token expires (RFC 3339).
    pub token_expires_at: Option<String>,
    /// Last successful sync or check (RFC 3339).
    pub last_sync_at: Option<String>,
    /// What went wrong last, and what to do.
    pub last_error: Option<String>,
    /// Connected (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// What removing a connection did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Removed {
    /// The removed connection.
    pub id: ConnectionId,
    /// True if the provider confirmed the revocation.
    pub revoked: bool,
    /// Why revocation failed (the local tokens are deleted regardless).
    pub revoke_error: Option<String>,
}

/// A sign-in started by the desktop app: the address to open in the system browser, and the
/// attempt to finish once the browser comes back.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PendingSignIn {
    /// Opaque id of the attempt (pass it to the finishing call).
    pub attempt_id: String,
    /// The provider's authorisation address.
    pub authorize_url: String,
}

const COLUMNS: &str =
    "id, provider, account, status, scopes, token_expires_at, last_sync_at, last_error, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Connection> {
    Ok(Connection {
        id: row.get(0)?,
        provider: row.get(1)?,
        account: row.get(2)?,
        status: row.get(3)?,
        scopes: row.get(4)?,
        token_expires_at: row.get(5)?,
        last_sync_at: row.get(6)?,
        last_error: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

fn find(conn: &Sql, id: ConnectionId) -> Result<Connection> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM connections WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: ConnectionId::ENTITY, id: id.to_string() })
}

fn secret_ref(id: ConnectionId) -> String {
    format!("connection:{id}")
}

/// All connections, oldest first.
pub fn list(ctx: &Ctx) -> Result<Vec<Connection>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM connections ORDER BY created_at, id"))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// One connection.
pub fn get(ctx: &Ctx, id: ConnectionId) -> Result<Connection> {
    ctx.read(|conn| find(conn, id))
}

/// Starts an authorisation attempt for `provider` that redirects to `redirect_uri` (a loopback URL).
pub fn begin(provider: Provider, redirect_uri: &str) -> Result<Attempt> {
    let (client_id, _) = provider.client()?;
    oauth::begin(provider, &client_id, redirect_uri)
}

/// Finishes an attempt with the authorisation `code` from its callback: exchanges it, stores the
/// tokens in the keychain and records (or, for an account connected before, renews) the connection.
/// The HTTP calls go through `oauth` (the adapters of `outpost-integrations`).
pub async fn complete(ctx: &Ctx, oauth: &dyn OAuthClient, attempt: &Attempt, code: &str) -> Result<Connection> {
    let tokens = oauth::exchange(oauth, attempt, code, ctx.now()).await?;
    let account = oauth.account(attempt.provider, &tokens.access_token).await?.ok_or_else(|| {
        Error::Remote(format!("{} refused the token it just issued; start again", attempt.provider.name()))
    })?;
    let provider = attempt.provider.name();
    let existing: Option<ConnectionId> = ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT id FROM connections WHERE provider = ?1 AND account = ?2",
                params![provider, account],
                |r| r.get(0),
            )
            .optional()?)
    })?;
    let id = existing.unwrap_or_default();
    secrets::store(&secret_ref(id), &serde_json::to_string(&tokens)?)?;
    let expires = tokens.expires_at.map(stamp);
    ctx.write(|tx| {
        let now = tx.stamp();
        tx.sql.execute(
            "INSERT INTO connections (id, provider, account, status, scopes, secret_ref, token_expires_at, last_sync_at,
                                      created_at, updated_at)
             VALUES (?1, ?2, ?3, 'connected', ?4, ?5, ?6, ?7, ?7, ?7)
             ON CONFLICT (id) DO UPDATE SET status = 'connected', scopes = ?4, token_expires_at = ?6, last_error = NULL,
                                            updated_at = ?7",
            params![id, provider, account, attempt.provider.scopes(), secret_ref(id), expires, now],
        )?;
        let action = if existing.is_some() { "reconnect" } else { "create" };
        audit::record(tx, action, "connection", &id, &serde_json::json!({ "provider": provider, "account": account }))?;
        find(&tx.sql, id)
    })
}

/// The whole CLI flow: listens on a loopback port, hands the authorisation URL to `show_url` (the
/// CLI prints it), waits up to `timeout` for the browser's callback and completes the connection.
pub async fn connect_loopback(
    ctx: &Ctx,
    oauth: &dyn OAuthClient,
    provider: Provider,
    timeout: Duration,
    show_url: impl FnOnce(&str),
) -> Result<Connection> {
    let listener = loopback::Loopback::bind().await?;
    let attempt = begin(provider, &listener.redirect_uri()?)?;
    show_url(&attempt.authorize_url);
    let code = listener.wait(&attempt, timeout).await?;
    complete(ctx, oauth, &attempt, &code).await
}

fn set_status(ctx: &Ctx, id: ConnectionId, status: &str, error: Option<&str>, synced: bool) -> Result<Connection> {
    ctx.write(|tx| {
        let now = tx.stamp();
        tx.sql.execute(
            "UPDATE connections SET status = ?2, last_error = ?3, updated_at = ?4,
                    last_sync_at = CASE WHEN ?5 THEN ?4 ELSE last_sync_at END WHERE id = ?1",
            params![id, status, error, now, synced],
        )?;
        find(&tx.sql, id)
    })
}

/// Records the outcome of a sync that used this connection (shown as last sync / last error).
pub fn record_sync(ctx: &Ctx, id: ConnectionId, error: Option<&str>) -> Result<Connection> {
    let status = get_status(ctx, id)?;
    let status = if error.is_none() && status == "error" { "connected" } else { status.as_str() };
    set_status(ctx, id, status, error, error.is_none())
}

fn get_status(ctx: &Ctx, id: ConnectionId) -> Result<String> {
    ctx.read(|conn| find(conn, id)).map(|c| c.status)
}

fn load_tokens(id: ConnectionId, provider: &str) -> Result<TokenSet> {
    let raw = secrets::require(
        &secret_ref(id),
        &format!("connect the {provider} account again with `outpost connections add {provider}`"),
    )?;
    Ok(serde_json::from_str(&raw)?)
}

async fn refresh_now(
    ctx: &Ctx,
    oauth: &dyn OAuthClient,
    connection: &Connection,
    tokens: &TokenSet,
) -> Result<TokenSet> {
    let provider = Provider::parse(&connection.provider)?;
    let reconnect = |why: &str| {
        let message = format!("{why}; sign in again with `outpost connections add {}`", connection.provider);
        let _ = set_status(ctx, connection.id, "reconnect", Some(&message), false);
        Error::Remote(message)
    };
    let Some(refresh_token) = tokens.refresh_token.as_deref() else {
        return Err(reconnect("the access token expired and there is no refresh token"));
    };
    match oauth::refresh(oauth, provider, refresh_token, ctx.now()).await {
        Ok(fresh) => {
            secrets::store(&secret_ref(connection.id), &serde_json::to_string(&fresh)?)?;
            let expires = fresh.expires_at.map(stamp);
            ctx.write(|tx| {
                tx.sql.execute(
                    "UPDATE connections SET token_expires_at = ?2, updated_at = ?3 WHERE id = ?1",
                    params![connection.id, expires, tx.stamp()],
                )?;
                Ok(())
            })?;
            Ok(fresh)
        }
        Err(oauth::TokenError::InvalidGrant(message)) => {
            Err(reconnect(&format!("{message}: access was revoked or the refresh token expired")))
        }
        Err(oauth::TokenError::Other(e)) => Err(e),
    }
}

/// A valid access token for the connection, refreshed first (through `oauth`) if it expires
/// within a minute.
pub async fn access_token(ctx: &Ctx, oauth: &dyn OAuthClient, id: ConnectionId) -> Result<String> {
    let connection = get(ctx, id)?;
    let tokens = load_tokens(id, &connection.provider)?;
    if tokens.needs_refresh(ctx.now()) {
        return Ok(refresh_now(ctx, oauth, &connection, &tokens).await?.access_token);
    }
    Ok(tokens.access_token)
}

/// Checks the connection works (refreshing its token if needed) and records the outcome; a revoked
/// or expired grant leaves it in `reconnect`.
pub async fn test(ctx: &Ctx, oauth: &dyn OAuthClient, id: ConnectionId) -> Result<Connection> {
    let connection = get(ctx, id)?;
    let provider = Provider::parse(&connection.provider)?;
    let checked = async {
        let token = access_token(ctx, oauth, id).await?;
        if oauth.account(provider, &token).await?.is_some() {
            return Ok(());
        }
        // Refused before its expiry (revoked?): one refresh, then one more try.
        let tokens = load_tokens(id, &connection.provider)?;
        let fresh = refresh_now(ctx, oauth, &connection, &tokens).await?;
        match oauth.account(provider, &fresh.access_token).await? {
            Some(_) => Ok(()),
            None => Err(Error::Remote(format!("{} refused a freshly refreshed token", provider.name()))),
        }
    }
    .await;
    match checked {
        Ok(()) => set_status(ctx, id, "connected", None, true),
        Err(e) => {
            let now = get(ctx, id)?;
            if now.status == "reconnect" {
                Ok(now)
            } else {
                set_status(ctx, id, "error", Some(&e.to_string()), false)
            }
        }
    }
}

/// Removes a connection: revokes its tokens at the provider, deletes them from the keychain and
/// deletes the row. The local tokens are deleted even when the provider cannot be reached.
pub async fn remove(ctx: &Ctx, oauth: &dyn OAuthClient, id: ConnectionId) -> Result<Removed> {
    let connection = get(ctx, id)?;
    let provider = Provider::parse(&connection.provider)?;
    let (revoked, revoke_error) = match secrets::load(&secret_ref(id))? {
        Some(raw) => match serde_json::from_str::<TokenSet>(&raw) {
            Ok(tokens) => match oauth.revoke(provider, &tokens).await {
                Ok(()) => (true, None),
                Err(e) => (false, Some(e.to_string())),
            },
            Err(e) => (false, Some(format!("the stored tokens were unreadable ({e})"))),
        },
        None => (false, Some("no tokens were stored".to_owned())),
    };
    secrets::delete(&secret_ref(id))?;
    ctx.write(|tx| {
        tx.sql.execute("DELETE FROM connections WHERE id = ?1", [id])?;
        audit::record(
            tx,
            "delete",
            "connection",
            &id,
            &serde_json::json!({ "provider": connection.provider, "revoked": revoked }),
        )?;
        Ok(())
    })?;
    Ok(Removed { id, revoked, revoke_error })
}
