//! The sheet a user chose for a workbook, remembered with the mapping templates so the next
//! workbook with the same sheet names (next week's export, or the same file dropped into a
//! watched folder) is read from the same sheet unattended; the mapping template for that
//! sheet's headers then applies as for any CSV file.
//!
//! Stored as a row of `mapping_templates` keyed `sheets:<sha256 of the sheet names>`, whose
//! `headers` are the sheet names and whose `mapping` is `{"sheet": NAME}`; header fingerprints
//! are plain hex, so the two kinds of key never meet.

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::{Ctx, Result};

fn key(names: &[String]) -> String {
    let mut hasher = Sha256::new();
    for name in names {
        hasher.update(name.as_bytes());
        hasher.update([0x1F]);
    }
    let hex: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sheets:{hex}")
}

/// The sheet remembered for a workbook with these sheet names, if any.
pub fn remembered(ctx: &Ctx, names: &[String]) -> Option<String> {
    let stored: Option<String> = ctx
        .read(|conn| {
            Ok(conn
                .query_row("SELECT mapping FROM mapping_templates WHERE fingerprint = ?1", [key(names)], |r| r.get(0))
                .optional()?)
        })
        .ok()
        .flatten();
    let value: serde_json::Value = serde_json::from_str(&stored?).ok()?;
    value.get("sheet")?.as_str().map(str::to_owned)
}

/// Remembers `sheet` for workbooks with these sheet names.
pub fn remember(ctx: &Ctx, names: &[String], sheet: &str) -> Result<()> {
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT INTO mapping_templates (fingerprint, headers, mapping, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (fingerprint) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
            params![
                key(names),
                serde_json::to_string(names)?,
                serde_json::json!({ "sheet": sheet }).to_string(),
                tx.stamp()
            ],
        )?;
        Ok(())
    })
}
