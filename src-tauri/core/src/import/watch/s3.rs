//! An S3 (or S3-compatible) bucket prefix as a watched source.
//!
//! Each poll lists the prefix with `ListObjectsV2` (all pages), and every object with an
//! importable name whose (key, ETag) is not in the ledger is streamed into
//! `<data_dir>/inbox/<uuid>/<name>`, imported with source kind `s3`, and the temporary copy is
//! deleted. Credentials come from the source's access key in the OS keychain when it has one,
//! otherwise from the standard AWS chain, at every poll; they are never stored in SQLite. A
//! listing or download failure (auth, network, missing bucket) becomes the source's `last_error`;
//! the next poll retries.

use std::{io::Write, path::PathBuf, sync::atomic::AtomicBool};

use aws_sdk_s3::{
    config::{Credentials, Region},
    error::DisplayErrorContext,
    Client,
};

use super::{
    folder::importable_name,
    ledger::{self, LocalFile},
    sources::parse_s3,
    S3AccessKey, SourceSettings, WatchEvent, WatchedSource, DEFAULT_REGION,
};
use crate::{store::secrets, Ctx, Error, Result};

/// One object worth looking at.
struct Object {
    key: String,
    etag: String,
}

/// The source's access key from the OS keychain, if it was added with one.
fn keychain_credentials(settings: &SourceSettings) -> Result<Option<Credentials>, String> {
    let Some(reference) = &settings.keychain_credentials else { return Ok(None) };
    let stored = secrets::require(
        reference,
        "remove the source and add it again with --access-key-id (or without it to use the AWS credential chain)",
    )
    .map_err(|e| e.to_string())?;
    let key: S3AccessKey = serde_json::from_str(&stored).map_err(|e| {
        format!("the S3 access key stored in the OS keychain as {reference} is unreadable ({e}); remove the source and add it again")
    })?;
    Ok(Some(Credentials::new(key.access_key_id, key.secret_access_key, None, None, "outpost-keychain")))
}

async fn client(settings: &SourceSettings) -> Result<Client, String> {
    let region = settings.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned());
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).region(Region::new(region));
    if let Some(credentials) = keychain_credentials(settings)? {
        loader = loader.credentials_provider(credentials);
    }
    let shared = loader.load().await;
    let mut config = aws_sdk_s3::config::Builder::from(&shared);
    if let Some(endpoint) = &settings.endpoint {
        config = config.endpoint_url(endpoint).force_path_style(true);
    }
    Ok(Client::from_conf(config.build()))
}

const HINT: &str = "check the credentials (the source's access key, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY \
                    or an AWS profile), the bucket, region and endpoint; retrying at the next poll";

async fn list(client: &Client, bucket: &str, prefix: &str, location: &str) -> Result<Vec<Object>, String> {
    let mut pages = client
        .list_objects_v2()
        .bucket(bucket)
        .set_prefix((!prefix.is_empty()).then(|| prefix.to_owned()))
        .into_paginator()
        .send();
    let mut objects = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| format!("cannot list {location}: {}; {HINT}", DisplayErrorContext(&e)))?;
        for object in page.contents() {
            let (Some(key), Some(etag)) = (object.key(), object.e_tag()) else { continue };
            let name = key.rsplit('/').next().unwrap_or(key);
            if importable_name(name) {
                objects.push(Object { key: key.to_owned(), etag: etag.trim_matches('"').to_owned() });
            }
        }
    }
    Ok(objects)
}

/// Streams one object into a fresh folder under `<data_dir>/inbox/`; returns the folder and file.
async fn download(ctx: &Ctx, client: &Client, bucket: &str, key: &str) -> Result<(PathBuf, PathBuf), String> {
    let failed = |what: String| format!("cannot download s3://{bucket}/{key}: {what}; {HINT}");
    let response = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| failed(DisplayErrorContext(&e).to_string()))?;
    let dir = ctx.data_dir().join("inbox").join(uuid::Uuid::now_v7().to_string());
    let name = key.rsplit('/').next().unwrap_or(key);
    let path = dir.join(name);
    let local = |e: std::io::Error| format!("cannot write {}: {e}; check free disk space", path.display());
    std::fs::create_dir_all(&dir).map_err(local)?;
    let mut file = std::fs::File::create(&path).map_err(local)?;
    let mut body = response.body;
    loop {
        match body.try_next().await {
            Ok(Some(chunk)) => file.write_all(&chunk).map_err(local)?,
            Ok(None) => break,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(failed(DisplayErrorContext(&e).to_string()));
            }
        }
    }
    file.sync_all().map_err(local)?;
    Ok((dir, path))
}

/// Polls one S3 source once: imports every new object, records source-level failures.
pub(super) async fn poll(ctx: &Ctx, source: &WatchedSource, stop: &AtomicBool) -> Result<Vec<WatchEvent>> {
    let (bucket, prefix) = parse_s3(&source.location)?;
    let client = match client(&source.settings).await {
        Ok(client) => client,
        Err(message) => return Ok(vec![ledger::scan_failed(ctx, source, message)?]),
    };
    let objects = match list(&client, &bucket, &prefix, &source.location).await {
        Ok(objects) => objects,
        Err(message) => return Ok(vec![ledger::scan_failed(ctx, source, message)?]),
    };
    ledger::scan_ok(ctx, source)?;
    let mut events = Vec::new();
    for object in objects {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(events);
        }
        if ledger::is_processed(ctx, source, &object.key, &object.etag)? {
            continue;
        }
        let (dir, path) = match download(ctx, &client, &bucket, &object.key).await {
            Ok(downloaded) => downloaded,
            Err(message) => {
                events.push(ledger::scan_failed(ctx, source, message)?);
                return Ok(events);
            }
        };
        let imported = import(ctx, source, &object, path, &bucket, stop).await;
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            tracing::warn!("could not remove the temporary download {}: {e}", dir.display());
        }
        events.extend(imported?);
    }
    Ok(events)
}

async fn import(
    ctx: &Ctx,
    source: &WatchedSource,
    object: &Object,
    path: PathBuf,
    bucket: &str,
    stop: &AtomicBool,
) -> Result<Option<WatchEvent>> {
    let sha = ledger::sha256(&path)
        .map_err(|e| Error::Import(crate::error::import::ImportError::Io { path: path.clone(), source: e }))?;
    let file = LocalFile {
        key: &object.key,
        checksum: &object.etag,
        sha: &sha,
        path,
        display: Some(format!("s3://{bucket}/{}", object.key)),
    };
    ledger::import_local(ctx, source, file, stop).await
}
