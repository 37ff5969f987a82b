//! The watcher's remote folders ([`RemoteFolders`]): S3 through the AWS SDK ([`s3`]), Google
//! Drive ([`gdrive`]) and Dropbox ([`dropbox`]) through their HTTP APIs, authorised with the
//! connection's access token. What the core does with a listing (ledger, cursor, backoff) is in
//! `outpost_core::import::watch`; this module only turns provider answers into
//! [`RemotePage`]s and [`RemoteError`]s (429/5xx and broken connections are `Busy`).

mod dropbox;
mod gdrive;
pub(crate) mod s3;

use std::{io::Write, path::Path};

use chrono::Duration as ChronoDuration;
use outpost_core::{
    import::watch::{RemoteError, RemoteFile, RemoteFolders, RemoteListing, RemoteSource},
    integrations::connections,
    store::ids::ConnectionId,
    BoxFuture, Ctx,
};

use crate::Net;

impl RemoteFolders for Net {
    fn list<'a>(
        &'a self,
        ctx: &'a Ctx,
        source: &'a RemoteSource,
        cursor: Option<String>,
    ) -> BoxFuture<'a, Result<Box<dyn RemoteListing + 'a>, RemoteError>> {
        Box::pin(async move {
            let listing: Box<dyn RemoteListing + 'a> = match source {
                RemoteSource::S3 { .. } => Box::new(s3::Listing::new(&self.s3, source).await?),
                RemoteSource::GoogleDrive { connection, folder } => {
                    Box::new(gdrive::Listing::new(ctx, self, *connection, folder, cursor)?)
                }
                RemoteSource::Dropbox { connection, path, location } => {
                    Box::new(dropbox::Listing::new(ctx, self, *connection, path, location, cursor)?)
                }
            };
            Ok(listing)
        })
    }

    fn download<'a>(
        &'a self,
        ctx: &'a Ctx,
        source: &'a RemoteSource,
        file: &'a RemoteFile,
        to: &'a Path,
    ) -> BoxFuture<'a, Result<(), RemoteError>> {
        Box::pin(async move {
            match source {
                RemoteSource::S3 { .. } => s3::download(&self.s3, source, file, to).await,
                RemoteSource::GoogleDrive { connection, .. } => {
                    gdrive::download(ctx, self, *connection, file, to).await
                }
                RemoteSource::Dropbox { connection, .. } => dropbox::download(ctx, self, *connection, file, to).await,
            }
        })
    }
}

/// Classifies a non-success response.
async fn failure(what: &str, response: reqwest::Response) -> RemoteError {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(ChronoDuration::seconds);
    let body: String = response.text().await.unwrap_or_default().chars().take(200).collect();
    match status {
        429 => RemoteError::Busy { message: format!("{what}: rate limited (HTTP 429)"), retry_after },
        500..=599 => RemoteError::Busy { message: format!("{what}: the provider failed (HTTP {status})"), retry_after },
        401 => RemoteError::Failed(format!(
            "{what}: the provider refused the connection's token (HTTP 401); check it with `outpost connections test`"
        )),
        _ => RemoteError::Failed(format!("{what}: HTTP {status} {body}").trim_end().to_owned()),
    }
}

/// Sends `request` (authorised with the connection's fresh access token); non-2xx is a failure.
async fn send(
    ctx: &Ctx,
    net: &Net,
    connection: ConnectionId,
    what: &str,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, RemoteError> {
    let token = connections::access_token(ctx, net, connection).await?;
    let response = request
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| RemoteError::Busy { message: format!("{what}: {}", e.without_url()), retry_after: None })?;
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(failure(what, response).await)
    }
}

/// Streams a response body into the file `to`.
async fn save(name: &str, mut response: reqwest::Response, to: &Path) -> Result<(), RemoteError> {
    let local =
        |e: std::io::Error| RemoteError::Failed(format!("cannot write {}: {e}; check free disk space", to.display()));
    let mut file = std::fs::File::create(to).map_err(local)?;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => file.write_all(&chunk).map_err(local)?,
            Ok(None) => break,
            Err(e) => {
                return Err(RemoteError::Busy {
                    message: format!("download of {name} broke off: {}", e.without_url()),
                    retry_after: None,
                })
            }
        }
    }
    file.sync_all().map_err(local)
}
