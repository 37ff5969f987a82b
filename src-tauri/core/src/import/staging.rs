//! Files handed to Outpost by the desktop UI (dropped on the window or picked) arrive as bytes;
//! they are staged in `<data-dir>/inbox/` so the import reads them like any other file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Ctx, Error, Result};

/// Largest file accepted from the UI in one piece; bigger lists go through a watched folder or
/// `outpost import`.
pub const MAX_UPLOAD_BYTES: usize = 512 * 1024 * 1024;

/// A staged file, ready for preview and import.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StagedFile {
    /// Where it was written.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// The name the user gave it.
    pub name: String,
    /// Size in bytes.
    pub size_bytes: u64,
}

/// Keeps letters, digits, dots, dashes and underscores of a file name; the rest become `_`.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String =
        base.chars().map(|c| if c.is_alphanumeric() || ".-_".contains(c) { c } else { '_' }).take(120).collect();
    if cleaned.trim_matches(['.', '_']).is_empty() {
        "upload.csv".to_owned()
    } else {
        cleaned
    }
}

/// Writes `bytes` to a new file in the inbox and returns where.
pub fn stage_upload(ctx: &Ctx, name: &str, bytes: &[u8]) -> Result<StagedFile> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(Error::invalid(
            "file",
            format!(
                "{name} is {} MB; files over {} MB import through a watched folder or `outpost import`",
                bytes.len() / 1_048_576,
                MAX_UPLOAD_BYTES / 1_048_576
            ),
        ));
    }
    let inbox = ctx.data_dir().join("inbox");
    std::fs::create_dir_all(&inbox).map_err(|source| Error::DataDir { path: inbox.clone(), source })?;
    let safe = safe_name(name);
    let path = inbox.join(format!("{}-{safe}", uuid::Uuid::now_v7()));
    std::fs::write(&path, bytes).map_err(|source| Error::DataDir { path: path.clone(), source })?;
    Ok(StagedFile { path, name: safe, size_bytes: bytes.len() as u64 })
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("Leads Q4 (final).csv"), "Leads_Q4__final_.csv");
        assert_eq!(safe_name(".."), "upload.csv");
        assert_eq!(safe_name("C:\\Users\\x\\leads.csv"), "leads.csv");
    }
}
