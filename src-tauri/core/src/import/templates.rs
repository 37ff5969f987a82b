//! Mapping templates: a mapping the user chose is saved under the file's header fingerprint and
//! re-applied automatically to later files with the same headers — what lets watched folders import
//! unattended.

use rusqlite::{params, OptionalExtension};

use crate::import::{auto_map, header_fingerprint, Mapping};
use crate::{Ctx, Result};

/// Where a mapping came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingSource {
    /// Given explicitly (and now saved as the template).
    Explicit,
    /// A saved template for these headers.
    Template,
    /// Guessed from the header names.
    Auto,
}

impl MappingSource {
    /// Stable name for output.
    pub fn as_str(self) -> &'static str {
        match self {
            MappingSource::Explicit => "explicit",
            MappingSource::Template => "template",
            MappingSource::Auto => "auto",
        }
    }
}

/// The mapping a caller chose, given either as a [`Mapping`] or as `--mapping FILE.json` text
/// (validated against the file's headers); `None` when neither was given.
pub fn explicit(headers: &[String], mapping: Option<&Mapping>, json: Option<&str>) -> Result<Option<Mapping>> {
    Ok(match (mapping, json) {
        (Some(mapping), _) => Some(mapping.clone()),
        (None, Some(json)) => Some(Mapping::from_json(headers, json)?),
        (None, None) => None,
    })
}

/// Whether an explicit mapping becomes the template for its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveTemplate {
    /// Yes: the mapping was used for a real import.
    Yes,
    /// No: it is only being tried out (preview).
    No,
}

/// The mapping to use for `headers`: the explicit one (saved as the template for next time when
/// `save` says so), else the saved template, else auto-mapping.
pub fn resolve_with_source(
    ctx: &Ctx,
    headers: &[String],
    explicit: Option<Mapping>,
    save: SaveTemplate,
) -> Result<(Mapping, MappingSource)> {
    let fingerprint = header_fingerprint(headers);
    if let Some(mapping) = explicit {
        mapping.validate(headers)?;
        if save == SaveTemplate::No {
            return Ok((mapping, MappingSource::Explicit));
        }
        ctx.write(|tx| {
            tx.sql.execute(
                "INSERT INTO mapping_templates (fingerprint, headers, mapping, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (fingerprint) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                params![fingerprint, serde_json::to_string(headers)?, serde_json::to_string(&mapping)?, tx.stamp()],
            )?;
            Ok(())
        })?;
        return Ok((mapping, MappingSource::Explicit));
    }
    let saved: Option<String> = ctx.read(|conn| {
        Ok(conn
            .query_row("SELECT mapping FROM mapping_templates WHERE fingerprint = ?1", [&fingerprint], |r| r.get(0))
            .optional()?)
    })?;
    if let Some(mapping) = saved.and_then(|json| serde_json::from_str::<Mapping>(&json).ok()) {
        if mapping.columns.len() == headers.len() {
            return Ok((mapping, MappingSource::Template));
        }
    }
    Ok((auto_map(headers), MappingSource::Auto))
}

/// The mapping an import uses (an explicit one is saved as the template), without the provenance.
pub fn resolve(ctx: &Ctx, headers: &[String], explicit: Option<Mapping>) -> Result<Mapping> {
    resolve_with_source(ctx, headers, explicit, SaveTemplate::Yes).map(|(mapping, _)| mapping)
}
