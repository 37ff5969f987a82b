//! Adding, listing and removing watched sources (`watched_sources` rows).

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{LastImport, NewSource, S3AccessKey, SourceSettings, WatchedSource, DEFAULT_REGION, DEFAULT_SETTLE_MS};
use crate::{
    crm::companies::Deleted,
    integrations::connections::Provider,
    store::audit,
    store::ids::{ConnectionId, SourceId},
    store::secrets,
    Ctx, Error, Result,
};

/// Longest settle time accepted (10 minutes).
const MAX_SETTLE_MS: u64 = 600_000;

const SELECT: &str =
    "SELECT s.id, s.kind, s.location, s.settings, s.status, s.last_scan_at, s.last_error, s.created_at,
    (SELECT count(*) FROM processed_files p WHERE p.source_id = s.id AND p.outcome != 'skipped'),
    (SELECT count(*) FROM processed_files p WHERE p.source_id = s.id AND p.outcome = 'failed')
    FROM watched_sources s";

fn from_row(row: &Row<'_>) -> rusqlite::Result<WatchedSource> {
    let settings: String = row.get(3)?;
    let settings = serde_json::from_str(&settings)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(WatchedSource {
        id: row.get(0)?,
        kind: row.get(1)?,
        location: row.get(2)?,
        settings,
        status: row.get(4)?,
        last_scan_at: row.get(5)?,
        last_error: row.get(6)?,
        created_at: row.get(7)?,
        files_processed: row.get(8)?,
        files_failed: row.get(9)?,
        skipped: Vec::new(),
        last_import: None,
    })
}

fn last_import(conn: &Connection, id: SourceId) -> Result<Option<LastImport>> {
    Ok(conn
        .query_row(
            "SELECT j.id, p.key, j.status, j.imported, j.updated, j.skipped, j.failed, p.processed_at
             FROM processed_files p JOIN import_jobs j ON j.id = p.job_id
             WHERE p.source_id = ?1 AND p.outcome = 'imported'
             ORDER BY p.processed_at DESC, j.created_at DESC LIMIT 1",
            [id],
            |r| {
                Ok(LastImport {
                    job_id: r.get(0)?,
                    key: r.get(1)?,
                    status: r.get(2)?,
                    imported: r.get(3)?,
                    updated: r.get(4)?,
                    skipped: r.get(5)?,
                    failed: r.get(6)?,
                    at: r.get(7)?,
                })
            },
        )
        .optional()?)
}

pub(super) fn fetch(conn: &Connection, id: SourceId) -> Result<WatchedSource> {
    let mut source = conn
        .query_row(&format!("{SELECT} WHERE s.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "watch", id: id.to_string() })?;
    source.last_import = last_import(conn, id)?;
    Ok(source)
}

/// `s3://bucket/prefix` split into bucket and prefix (without a leading `/`).
pub(super) fn parse_s3(location: &str) -> Result<(String, String)> {
    let rest = location.strip_prefix("s3://").unwrap_or(location);
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let valid = (3..=63).contains(&bucket.len())
        && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !valid {
        return Err(Error::invalid(
            "location",
            format!(
                "'{bucket}' is not a valid S3 bucket name (3–63 lowercase letters, digits, '-' or '.'); \
                 use s3://bucket/prefix"
            ),
        ));
    }
    Ok((bucket.to_owned(), prefix.trim_start_matches('/').to_owned()))
}

fn canonical_folder(location: &str) -> Result<PathBuf> {
    let path = Path::new(location);
    let canonical = path.canonicalize().map_err(|e| {
        // Said in words: the OS's "No such file or directory (os error 2)" meant nothing to reps.
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("there is no folder at {location}; check the path, or create it first")
            }
            std::io::ErrorKind::PermissionDenied => {
                format!("Outpost is not allowed to open {location}; check the folder's permissions")
            }
            _ => format!("folder {location} cannot be opened ({e}); create it first or check the path"),
        };
        Error::invalid("location", why)
    })?;
    if !canonical.is_dir() {
        return Err(Error::invalid(
            "location",
            format!("{location} is a file, not a folder; watch the folder the files are saved into"),
        ));
    }
    Ok(canonical)
}

fn settings_for(req: &NewSource, s3: bool) -> Result<SourceSettings> {
    let settle_ms = req.settle_ms.unwrap_or(DEFAULT_SETTLE_MS);
    if settle_ms > MAX_SETTLE_MS {
        return Err(Error::invalid("settle_ms", format!("{settle_ms} ms is too long; use at most {MAX_SETTLE_MS}")));
    }
    if let Some(endpoint) = &req.endpoint {
        if !s3 {
            return Err(Error::invalid("endpoint", "only applies to s3:// sources"));
        }
        if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
            return Err(Error::invalid(
                "endpoint",
                format!("'{endpoint}' is not a URL; use e.g. https://minio.example.com:9000"),
            ));
        }
    }
    if req.region.is_some() && !s3 {
        return Err(Error::invalid("region", "only applies to s3:// sources"));
    }
    if req.move_processed == Some(true) && s3 {
        return Err(Error::invalid("move_processed", "only applies to folders; S3 objects are never moved"));
    }
    if (req.subfolders.is_some() || req.max_depth.is_some()) && s3 {
        return Err(Error::invalid("subfolders", "only applies to folders; an S3 prefix lists every key below it"));
    }
    let max_depth = req.max_depth.unwrap_or(super::walk::DEFAULT_MAX_DEPTH);
    if !(1..=super::walk::MAX_DEPTH_LIMIT).contains(&max_depth) {
        return Err(Error::invalid(
            "max_depth",
            format!(
                "{max_depth} is out of range: use 1 to {} subfolder levels (or turn subfolders off)",
                super::walk::MAX_DEPTH_LIMIT
            ),
        ));
    }
    let region = s3.then(|| req.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned()));
    Ok(SourceSettings {
        endpoint: req.endpoint.clone(),
        region,
        settle_ms,
        move_processed: req.move_processed.unwrap_or(false),
        subfolders: !s3 && req.subfolders.unwrap_or(true),
        max_depth,
        connection_id: None,
        keychain_credentials: None,
    })
}

/// Keychain entry of an S3 source's access key.
fn credentials_reference(id: SourceId) -> String {
    format!("s3:{id}")
}

/// Checks an access key pair and returns it as the JSON stored in the keychain.
fn access_key_secret(key: &S3AccessKey) -> Result<String> {
    let id = key.access_key_id.trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "s3_access_key",
            "the access key id must be letters and digits only (e.g. AKIAIOSFODNN7EXAMPLE); copy it again from              the S3 provider's console",
        ));
    }
    let secret = key.secret_access_key.trim();
    if secret.is_empty() || secret.chars().any(char::is_whitespace) {
        return Err(Error::invalid(
            "s3_access_key",
            "the secret access key is empty or contains spaces; paste it again exactly as the provider shows it",
        ));
    }
    Ok(serde_json::to_string(&S3AccessKey { access_key_id: id.to_owned(), secret_access_key: secret.to_owned() })?)
}

/// The folder path of a `dropbox://` location (`""` is the root, otherwise `/a/b`).
pub(super) fn dropbox_path(location: &str) -> String {
    let path = location.trim_start_matches("dropbox://").trim_end_matches('/');
    if path.is_empty() {
        String::new()
    } else {
        format!("/{}", path.trim_start_matches('/'))
    }
}

/// A `gdrive://` or `dropbox://` location: kind, canonical location and provider.
fn parse_cloud(location: &str) -> Result<Option<(&'static str, String, Provider)>> {
    if let Some(folder) = location.strip_prefix("gdrive://") {
        let folder = folder.trim_matches('/');
        let valid = !folder.is_empty() && folder.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(Error::invalid(
                "location",
                format!(
                    "'{folder}' is not a Drive folder id; use gdrive://<id> (the last part of the folder's address)"
                ),
            ));
        }
        return Ok(Some(("gdrive", format!("gdrive://{folder}"), Provider::Google)));
    }
    if location.starts_with("dropbox://") {
        let path = dropbox_path(location);
        return Ok(Some(("dropbox", format!("dropbox://{path}"), Provider::Dropbox)));
    }
    Ok(None)
}

/// The connection a cloud source reads through: the one given, or the only one of `provider`.
fn pick_connection(conn: &Connection, provider: Provider, given: Option<ConnectionId>) -> Result<ConnectionId> {
    let mut stmt = conn.prepare("SELECT id FROM connections WHERE provider = ?1 ORDER BY created_at")?;
    let ids =
        stmt.query_map([provider.name()], |r| r.get::<_, ConnectionId>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    match (given, ids.as_slice()) {
        (Some(id), _) if ids.contains(&id) => Ok(id),
        (Some(id), _) => Err(Error::invalid(
            "connection_id",
            format!("{id} is not a {} connection; list them with `outpost connections list`", provider.name()),
        )),
        (None, [only]) => Ok(*only),
        (None, []) => Err(Error::invalid(
            "connection_id",
            format!("no {0} account is connected; connect one with `outpost connections add {0}`", provider.name()),
        )),
        (None, _) => Err(Error::invalid(
            "connection_id",
            format!("several {} accounts are connected; choose one with --connection ID", provider.name()),
        )),
    }
}

/// Starts watching a folder (canonicalised; must exist) or an `s3://bucket/prefix`.
pub fn add(ctx: &Ctx, req: NewSource) -> Result<WatchedSource> {
    let trimmed = req.location.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid("location", "is required: a folder path or s3://bucket/prefix"));
    }
    if let Some((kind, location, provider)) = parse_cloud(trimmed)? {
        return add_cloud(ctx, &req, kind, location, provider);
    }
    if req.connection_id.is_some() {
        return Err(Error::invalid("connection_id", "only applies to gdrive:// and dropbox:// sources"));
    }
    let s3 = trimmed.starts_with("s3://");
    if req.s3_access_key.is_some() && !s3 {
        return Err(Error::invalid("s3_access_key", "only applies to s3:// sources"));
    }
    let (kind, location) = if s3 {
        let (bucket, prefix) = parse_s3(trimmed)?;
        ("s3", if prefix.is_empty() { format!("s3://{bucket}") } else { format!("s3://{bucket}/{prefix}") })
    } else {
        ("folder", canonical_folder(trimmed)?.display().to_string())
    };
    let mut settings = settings_for(&req, s3)?;
    let id = SourceId::new();
    let Some(key) = &req.s3_access_key else { return insert(ctx, id, kind, location, settings) };
    let reference = credentials_reference(id);
    secrets::store(&reference, &access_key_secret(key)?)?;
    settings.keychain_credentials = Some(reference.clone());
    insert(ctx, id, kind, location, settings).inspect_err(|_| {
        if let Err(e) = secrets::delete(&reference) {
            tracing::warn!("cannot delete the keychain entry {reference} of a source that was not added: {e}");
        }
    })
}

fn add_cloud(
    ctx: &Ctx,
    req: &NewSource,
    kind: &'static str,
    location: String,
    provider: Provider,
) -> Result<WatchedSource> {
    if req.endpoint.is_some()
        || req.region.is_some()
        || req.move_processed == Some(true)
        || req.s3_access_key.is_some()
        || req.subfolders.is_some()
        || req.max_depth.is_some()
    {
        return Err(Error::invalid(
            "location",
            "endpoint, region, S3 access keys, move_processed, subfolders and max_depth do not apply to cloud folders",
        ));
    }
    let connection_id = ctx.read(|conn| pick_connection(conn, provider, req.connection_id))?;
    let settings = SourceSettings {
        endpoint: None,
        region: None,
        settle_ms: 0,
        move_processed: false,
        subfolders: false,
        max_depth: super::walk::DEFAULT_MAX_DEPTH,
        connection_id: Some(connection_id),
        keychain_credentials: None,
    };
    insert(ctx, SourceId::new(), kind, location, settings)
}

fn insert(ctx: &Ctx, id: SourceId, kind: &str, location: String, settings: SourceSettings) -> Result<WatchedSource> {
    ctx.write(|tx| {
        let existing: Option<SourceId> = tx
            .sql
            .query_row("SELECT id FROM watched_sources WHERE location = ?1", [&location], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            return Err(Error::Conflict {
                message: format!("{location} is already watched (source {id}); remove it first to change its settings"),
            });
        }
        tx.sql.execute(
            "INSERT INTO watched_sources (id, kind, location, settings, status, created_at)
             VALUES (?1, ?2, ?3, ?4, 'idle', ?5)",
            params![id, kind, location, serde_json::to_string(&settings)?, tx.stamp()],
        )?;
        let source = fetch(&tx.sql, id)?;
        audit::record(tx, "create", "watched_source", &id, &source)?;
        Ok(source)
    })
}

/// Every watched source with its state, oldest first.
pub fn list(ctx: &Ctx) -> Result<Vec<WatchedSource>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY s.created_at, s.id"))?;
        let mut sources = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        for source in &mut sources {
            source.last_import = last_import(conn, source.id)?;
            source.skipped = super::ledger::skipped(conn, source.id)?;
        }
        Ok(sources)
    })
}

/// Stops watching a source, named by id or location; its processed-file records go with it, and
/// so does its access key in the OS keychain.
pub fn remove(ctx: &Ctx, id_or_location: String) -> Result<Deleted> {
    let wanted = id_or_location.trim().to_owned();
    let by_id = wanted.parse::<SourceId>().ok();
    let canonical = Path::new(&wanted).canonicalize().ok().map(|p| p.display().to_string());
    let s3 = (wanted.starts_with("s3://") || wanted.starts_with("gdrive://") || wanted.starts_with("dropbox://"))
        .then(|| wanted.trim_end_matches('/').to_owned());
    ctx.write(|tx| {
        let id: Option<SourceId> = tx
            .sql
            .query_row(
                "SELECT id FROM watched_sources WHERE id = ?1 OR location IN (?2, ?3, ?4) LIMIT 1",
                params![by_id.map(|id| id.to_string()), wanted, canonical, s3],
                |r| r.get(0),
            )
            .optional()?;
        let id = id.ok_or_else(|| Error::NotFound { entity: "watch", id: wanted.clone() })?;
        let old = fetch(&tx.sql, id)?;
        tx.sql.execute("DELETE FROM watched_sources WHERE id = ?1", [id])?;
        audit::record(tx, "delete", "watched_source", &id, &old)?;
        Ok(old)
    })
    .and_then(|old| {
        if let Some(reference) = &old.settings.keychain_credentials {
            secrets::delete(reference)?;
        }
        Ok(Deleted { entity: "watched_source".into(), id: old.id.to_string() })
    })
}
