//! Walking a watched folder and its subfolders (down to the source's depth limit), sorting what
//! is there into files to import and files skipped with a reason the watched-folder screen shows.
//!
//! Never descended into: hidden folders (`.git`, `.Trash`), the `processed/` folder handled files
//! are moved into, and symlinked folders (reported, not followed: they may lead anywhere).
//! Silently ignored: hidden files (`.DS_Store`). Everything else that is not imported is reported:
//! other kinds of files, editor lock and partial-download files, and folders past the limit.

use std::path::{Component, Path, PathBuf};

use super::folder::{importable_name, PROCESSED_DIR};

/// Deepest folder level a source may be set to look into.
pub const MAX_DEPTH_LIMIT: u32 = 20;

/// Default depth: the folder and five levels of subfolders below it.
pub const DEFAULT_MAX_DEPTH: u32 = 5;

/// What a walk found.
#[derive(Debug, Default)]
pub(super) struct Walk {
    /// Files (or symlinks) that may be imported.
    pub files: Vec<PathBuf>,
    /// (key relative to the folder, why it is not imported).
    pub skipped: Vec<(String, String)>,
}

/// The ledger key of a path: relative to the folder, `/`-separated.
pub(super) fn key(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// How many folders deep below `root` the file `path` is (0: directly in it); `None` if it is not
/// inside `root` or sits in a folder the walk never enters.
pub(super) fn depth(root: &Path, path: &Path) -> Option<u32> {
    let parent = path.parent()?.strip_prefix(root).ok()?;
    let mut depth = 0;
    for (i, component) in parent.components().enumerate() {
        let Component::Normal(name) = component else { return None };
        let name = name.to_string_lossy();
        if name.starts_with('.') || (i == 0 && name == PROCESSED_DIR) {
            return None;
        }
        depth += 1;
    }
    Some(depth)
}

/// Why a file name is not imported; `None` when it is, `Some(None)` when it is not worth
/// mentioning (hidden files).
pub(super) fn skip_reason(name: &str) -> Option<Option<String>> {
    if importable_name(name) {
        return None;
    }
    if name.starts_with(".~lock.") || name.starts_with("~$") || name.ends_with('#') || name.ends_with('~') {
        return Some(Some("an editor's lock or backup file, not a lead list".to_owned()));
    }
    if name.starts_with('.') {
        return Some(None);
    }
    let ext = name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    let reason = match ext.as_str() {
        "part" | "partial" | "crdownload" | "download" | "tmp" | "temp" => {
            "still downloading or a temporary file; it is imported once it is renamed to its real name".to_owned()
        }
        "numbers" => "Apple Numbers files cannot be read: export it from Numbers as Excel (.xlsx) or CSV".to_owned(),
        "" => "has no file extension; name it .csv, .xlsx or .ods to have it imported".to_owned(),
        other => format!(
            "a .{other} file is not a lead list: only .csv, .tsv, .txt, .xlsx, .xlsm, .xlsb, .xls, .ods and .ics \
             files are imported"
        ),
    };
    Some(Some(reason))
}

/// Walks `root` and its subfolders down to `max_depth` levels (0: only `root`). Only reading
/// `root` itself can fail; an unreadable subfolder is reported as skipped.
pub(super) fn walk(root: &Path, max_depth: u32) -> std::io::Result<Walk> {
    let mut out = Walk::default();
    let mut folders = vec![(root.to_path_buf(), 0_u32)];
    while let Some((folder, level)) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if level == 0 => return Err(e),
            Err(e) => {
                out.skipped.push((format!("{}/", key(root, &folder)), format!("cannot read this folder: {e}")));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) if level == 0 => return Err(e),
                Err(_) => continue,
            };
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            let is_dir_link = meta.file_type().is_symlink() && path.is_dir();
            if meta.is_dir() || is_dir_link {
                if name.starts_with('.') || (level == 0 && name == PROCESSED_DIR) {
                    continue;
                }
                let folder_key = format!("{}/", key(root, &path));
                if is_dir_link {
                    out.skipped.push((folder_key, "a symlink to a folder; not followed".to_owned()));
                } else if level >= max_depth {
                    let reason = if max_depth == 0 {
                        "a subfolder, and this source does not look into subfolders".to_owned()
                    } else {
                        format!(
                            "more than {max_depth} folders deep (the source's depth limit); its files are not imported"
                        )
                    };
                    out.skipped.push((folder_key, reason));
                } else {
                    folders.push((path, level + 1));
                }
                continue;
            }
            match skip_reason(&name) {
                None => out.files.push(path),
                Some(Some(reason)) => out.skipped.push((key(root, &path), reason)),
                Some(None) => {}
            }
        }
    }
    out.skipped.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_folders_below_the_root_and_refuses_hidden_and_processed_ones() {
        let root = Path::new("/w");
        assert_eq!(depth(root, Path::new("/w/a.csv")), Some(0));
        assert_eq!(depth(root, Path::new("/w/x/y/a.xlsx")), Some(2));
        assert_eq!(depth(root, Path::new("/w/.git/a.csv")), None);
        assert_eq!(depth(root, Path::new("/w/processed/a.csv")), None);
        assert_eq!(depth(root, Path::new("/elsewhere/a.csv")), None);
        assert_eq!(key(root, Path::new("/w/x/a.xlsx")), "x/a.xlsx");
    }

    #[test]
    fn skipped_files_say_why() {
        assert_eq!(skip_reason("leads.xlsx"), None);
        assert_eq!(skip_reason(".DS_Store"), Some(None));
        assert!(skip_reason("~$leads.xlsx").and_then(|r| r).is_some_and(|r| r.contains("lock")));
        assert!(skip_reason("brochure.pdf").and_then(|r| r).is_some_and(|r| r.contains(".pdf")));
        assert!(skip_reason("list.numbers").and_then(|r| r).is_some_and(|r| r.contains("Numbers")));
    }
}
