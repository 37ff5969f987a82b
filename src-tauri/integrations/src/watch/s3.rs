//! S3 (or S3-compatible) adapter for a watched bucket prefix: `ListObjectsV2` (all pages) and
//! streaming `GetObject`, through the AWS SDK with a rustls HTTPS client. The credentials are the
//! source's access key when the core hands one (read from the OS keychain), otherwise the standard
//! AWS chain (environment, profiles, SSO), resolved at every poll. Path-style addressing when an
//! endpoint is given (MinIO, moto). Ledger key: the object key; checksum: the ETag.

use std::{
    collections::HashMap,
    io::Write,
    path::Path,
    sync::{Arc, Mutex},
};

use aws_sdk_s3::{
    config::{Credentials, Region},
    error::DisplayErrorContext,
    Client,
};
use outpost_core::{
    import::watch::{importable_name, RemoteError, RemoteFile, RemoteListing, RemotePage, RemoteSource},
    BoxFuture,
};

const HINT: &str = "check the credentials (the source's access key, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY \
                    or an AWS profile), the bucket, region and endpoint; retrying at the next poll";

async fn client(source: &RemoteSource) -> Result<Client, RemoteError> {
    let RemoteSource::S3 { region, endpoint, access_key, .. } = source else {
        return Err(RemoteError::Failed("not an S3 source".into()));
    };
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).region(Region::new(region.clone()));
    if let Some(key) = access_key {
        let credentials =
            Credentials::new(key.access_key_id.clone(), key.secret_access_key.clone(), None, None, "outpost-keychain");
        loader = loader.credentials_provider(credentials);
    }
    let shared = loader.load().await;
    let mut config = aws_sdk_s3::config::Builder::from(&shared);
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint).force_path_style(true);
    }
    Ok(Client::from_conf(config.build()))
}

/// Every importable object under the prefix, as one page (S3 has no change cursor: the ledger
/// decides what is new).
pub(super) struct Listing {
    objects: Option<Vec<RemoteFile>>,
}

/// The clients of the current polls, by source location: built (credentials resolved) when a
/// poll lists the bucket, reused by that poll's downloads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clients(Arc<Mutex<HashMap<String, Client>>>);

impl Clients {
    /// A fresh client for a new poll of `source`, kept for its downloads.
    async fn fresh(&self, source: &RemoteSource, location: &str) -> Result<Client, RemoteError> {
        let client = client(source).await?;
        if let Ok(mut clients) = self.0.lock() {
            clients.insert(location.to_owned(), client.clone());
        }
        Ok(client)
    }

    /// The client of the poll in progress for `source` (a fresh one if none).
    async fn current(&self, source: &RemoteSource, location: &str) -> Result<Client, RemoteError> {
        let kept = self.0.lock().ok().and_then(|clients| clients.get(location).cloned());
        match kept {
            Some(client) => Ok(client),
            None => self.fresh(source, location).await,
        }
    }
}

impl Listing {
    pub(super) async fn new(clients: &Clients, source: &RemoteSource) -> Result<Self, RemoteError> {
        let RemoteSource::S3 { bucket, prefix, location, .. } = source else {
            return Err(RemoteError::Failed("not an S3 source".into()));
        };
        let client = clients.fresh(source, location).await?;
        let mut pages = client
            .list_objects_v2()
            .bucket(bucket)
            .set_prefix((!prefix.is_empty()).then(|| prefix.to_owned()))
            .into_paginator()
            .send();
        let mut objects = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                RemoteError::Failed(format!("cannot list {location}: {}; {HINT}", DisplayErrorContext(&e)))
            })?;
            for object in page.contents() {
                let (Some(key), Some(etag)) = (object.key(), object.e_tag()) else { continue };
                let name = key.rsplit('/').next().unwrap_or(key);
                if importable_name(name) {
                    objects.push(RemoteFile {
                        id: key.to_owned(),
                        checksum: etag.trim_matches('"').to_owned(),
                        name: name.to_owned(),
                        display: format!("s3://{bucket}/{key}"),
                        converted: false,
                    });
                }
            }
        }
        Ok(Listing { objects: Some(objects) })
    }
}

impl RemoteListing for Listing {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<RemotePage>, RemoteError>> {
        let page = self.objects.take().map(|files| RemotePage { files, checkpoint: None });
        Box::pin(async move { Ok(page) })
    }
}

/// Streams one object into `to`.
pub(super) async fn download(
    clients: &Clients,
    source: &RemoteSource,
    file: &RemoteFile,
    to: &Path,
) -> Result<(), RemoteError> {
    let RemoteSource::S3 { bucket, location, .. } = source else {
        return Err(RemoteError::Failed("not an S3 source".into()));
    };
    let key = &file.id;
    let failed = |what: String| RemoteError::Failed(format!("cannot download s3://{bucket}/{key}: {what}; {HINT}"));
    let client = clients.current(source, location).await?;
    let response = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| failed(DisplayErrorContext(&e).to_string()))?;
    let local =
        |e: std::io::Error| RemoteError::Failed(format!("cannot write {}: {e}; check free disk space", to.display()));
    let mut out = std::fs::File::create(to).map_err(local)?;
    let mut body = response.body;
    loop {
        match body.try_next().await {
            Ok(Some(chunk)) => out.write_all(&chunk).map_err(local)?,
            Ok(None) => break,
            Err(e) => return Err(failed(DisplayErrorContext(&e).to_string())),
        }
    }
    out.sync_all().map_err(local)
}
