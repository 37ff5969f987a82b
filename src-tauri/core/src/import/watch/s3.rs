//! An S3 (or S3-compatible) bucket prefix as a watched source.
//!
//! Each poll lists the prefix through the adapter ([`super::remote::RemoteFolders`], the AWS SDK
//! in `outpost-integrations`), and every object with an importable name whose (key, ETag) is not
//! in the ledger is streamed into `<data_dir>/inbox/<uuid>/<name>`, imported with source kind
//! `s3`, and the temporary copy is deleted. Credentials come from the source's access key in the
//! OS keychain when it has one (read here, handed to the adapter, never stored in SQLite),
//! otherwise from the standard AWS chain, at every poll. A listing or download failure (auth,
//! network, missing bucket) becomes the source's `last_error`; the next poll retries.

use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    cloud,
    ledger::{self},
    remote::{RemoteFile, RemoteFolders, RemoteSource},
    sources::parse_s3,
    S3AccessKey, SourceSettings, WatchEvent, WatchedSource, DEFAULT_REGION,
};
use crate::{store::secrets, Ctx, Result};

/// The source's access key from the OS keychain, if it was added with one.
fn keychain_credentials(settings: &SourceSettings) -> Result<Option<S3AccessKey>, String> {
    let Some(reference) = &settings.keychain_credentials else { return Ok(None) };
    let stored = secrets::require(
        reference,
        "remove the source and add it again with --access-key-id (or without it to use the AWS credential chain)",
    )
    .map_err(|e| e.to_string())?;
    let key: S3AccessKey = serde_json::from_str(&stored).map_err(|e| {
        format!("the S3 access key stored in the OS keychain as {reference} is unreadable ({e}); remove the source and add it again")
    })?;
    Ok(Some(key))
}

/// Every importable object under the prefix (all pages).
async fn list(ctx: &Ctx, remote: &dyn RemoteFolders, target: &RemoteSource) -> Result<Vec<RemoteFile>, String> {
    let mut listing = remote.list(ctx, target, None).await.map_err(|e| e.to_string())?;
    let mut objects = Vec::new();
    while let Some(page) = listing.next_page().await.map_err(|e| e.to_string())? {
        objects.extend(page.files);
    }
    Ok(objects)
}

/// Polls one S3 source once: imports every new object, records source-level failures.
pub(super) async fn poll(
    ctx: &Ctx,
    remote: &dyn RemoteFolders,
    source: &WatchedSource,
    stop: &AtomicBool,
) -> Result<Vec<WatchEvent>> {
    let (bucket, prefix) = parse_s3(&source.location)?;
    let access_key = match keychain_credentials(&source.settings) {
        Ok(key) => key,
        Err(message) => return Ok(vec![ledger::scan_failed(ctx, source, message)?]),
    };
    let target = RemoteSource::S3 {
        bucket,
        prefix,
        endpoint: source.settings.endpoint.clone(),
        region: source.settings.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned()),
        access_key,
        location: source.location.clone(),
    };
    let objects = match list(ctx, remote, &target).await {
        Ok(objects) => objects,
        Err(message) => return Ok(vec![ledger::scan_failed(ctx, source, message)?]),
    };
    ledger::scan_ok(ctx, source)?;
    let mut events = Vec::new();
    for object in objects {
        if stop.load(Ordering::Relaxed) {
            return Ok(events);
        }
        if ledger::is_processed(ctx, source, &object.id, &object.checksum)? {
            continue;
        }
        let downloaded = match cloud::fetch(ctx, remote, &target, &object).await {
            Ok(downloaded) => downloaded,
            Err(e) => {
                events.push(ledger::scan_failed(ctx, source, e.to_string())?);
                return Ok(events);
            }
        };
        events.extend(cloud::import(ctx, source, &object, downloaded, stop).await?);
    }
    Ok(events)
}
