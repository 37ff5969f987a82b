//! Folder browsing for the desktop app's "Choose a folder" dialog on the Watched folders screen.
//!
//! Why here and not a native file dialog: the webview cannot see real paths, and a GTK dialog is
//! a separate window the end-to-end tests cannot drive. The UI asks for one folder's sub-folders
//! at a time; only names of folders are returned (never files or their contents), and a folder
//! that cannot be read is refused with words a rep understands instead of "os error 2".

use std::{
    io::ErrorKind,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

/// At most this many sub-folders are listed (the rest are counted as `truncated`).
pub const MAX_FOLDERS: usize = 2000;

/// Which folder to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct BrowseRequest {
    /// An absolute folder path; absent or empty: the user's home folder.
    #[serde(default)]
    pub path: Option<String>,
    /// Also list folders whose name starts with a dot.
    #[serde(default)]
    pub show_hidden: Option<bool>,
}

/// One folder's sub-folders.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FolderListing {
    /// The folder listed, absolute and without `..` or symlinks.
    pub path: String,
    /// Its parent folder; `None` at the root.
    pub parent: Option<String>,
    /// The user's home folder, for a "Home" shortcut.
    pub home: Option<String>,
    /// Names of the sub-folders, sorted case-insensitively.
    pub folders: Vec<String>,
    /// True when there were more than [`MAX_FOLDERS`] sub-folders.
    pub truncated: bool,
}

fn home() -> Option<PathBuf> {
    dirs::home_dir().filter(|h| h.is_absolute())
}

fn unreadable(path: &str, error: &std::io::Error) -> Error {
    let why = match error.kind() {
        ErrorKind::NotFound => format!("there is no folder at {path}; it may have been moved, renamed or deleted"),
        ErrorKind::PermissionDenied => format!("Outpost is not allowed to open {path}; check the folder's permissions"),
        ErrorKind::NotADirectory => format!("{path} is a file, not a folder"),
        _ => format!("{path} cannot be opened ({error})"),
    };
    Error::invalid("path", why)
}

/// Lists the sub-folders of `req.path` (default: home).
pub fn browse(req: BrowseRequest) -> Result<FolderListing> {
    let wanted = match req.path.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => home().unwrap_or_else(|| PathBuf::from("/")),
    };
    let shown = wanted.display().to_string();
    if !wanted.is_absolute() {
        return Err(Error::invalid("path", format!("'{shown}' is not an absolute folder path; start it with /")));
    }
    let folder = wanted.canonicalize().map_err(|e| unreadable(&shown, &e))?;
    if !folder.is_dir() {
        return Err(Error::invalid("path", format!("{shown} is a file, not a folder")));
    }
    let show_hidden = req.show_hidden.unwrap_or(false);
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(|e| unreadable(&shown, &e))? {
        // An entry that vanished or cannot be inspected is simply not offered.
        let Ok(entry) = entry else { continue };
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else { continue };
        if name.starts_with('.') && !show_hidden {
            continue;
        }
        if is_folder(&entry.path()) {
            folders.push(name);
        }
    }
    folders.sort_by_key(|n| (n.to_lowercase(), n.clone()));
    let truncated = folders.len() > MAX_FOLDERS;
    folders.truncate(MAX_FOLDERS);
    Ok(FolderListing {
        path: folder.display().to_string(),
        parent: folder.parent().map(|p| p.display().to_string()),
        home: home().map(|h| h.display().to_string()),
        folders,
        truncated,
    })
}

/// A folder, or a symlink to one.
fn is_folder(path: &Path) -> bool {
    std::fs::metadata(path).map(|m| m.is_dir()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_and_message(error: Error) -> (String, String) {
        match error {
            Error::Invalid { field, message } => (field, message),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn lists_sub_folders_sorted_without_files_or_hidden_ones() -> std::result::Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        for name in ["leads", "Archive", ".cache", "exports"] {
            std::fs::create_dir(dir.path().join(name))?;
        }
        std::fs::write(dir.path().join("notes.csv"), "a\n")?;
        let path = dir.path().display().to_string();
        let listing = browse(BrowseRequest { path: Some(path.clone()), show_hidden: None })?;
        assert_eq!(listing.folders, ["Archive", "exports", "leads"]);
        assert_eq!(listing.path, dir.path().canonicalize()?.display().to_string());
        assert!(listing.parent.is_some());
        assert!(!listing.truncated);
        let hidden = browse(BrowseRequest { path: Some(path), show_hidden: Some(true) })?;
        assert_eq!(hidden.folders, [".cache", "Archive", "exports", "leads"]);
        Ok(())
    }

    /// Regression: the Watched folders screen showed "No such file or directory (os error 2)".
    #[test]
    fn browse_refuses_missing_relative_and_file_paths_in_words() -> std::result::Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let missing = dir.path().join("gone").display().to_string();
        let (field, message) = field_and_message(
            browse(BrowseRequest { path: Some(missing.clone()), show_hidden: None })
                .err()
                .ok_or("missing folder listed")?,
        );
        assert_eq!(field, "path");
        assert_eq!(message, format!("there is no folder at {missing}; it may have been moved, renamed or deleted"));
        assert!(!message.contains("os error"));

        let (_, message) = field_and_message(
            browse(BrowseRequest { path: Some("Downloads".into()), show_hidden: None })
                .err()
                .ok_or("relative path listed")?,
        );
        assert!(message.contains("not an absolute folder path"), "{message}");

        let file = dir.path().join("leads.csv");
        std::fs::write(&file, "a\n")?;
        let (_, message) = field_and_message(
            browse(BrowseRequest { path: Some(file.display().to_string()), show_hidden: None })
                .err()
                .ok_or("file listed")?,
        );
        assert!(message.ends_with("is a file, not a folder"), "{message}");
        Ok(())
    }

    #[test]
    fn no_path_lists_the_home_folder() -> std::result::Result<(), Box<dyn std::error::Error>> {
        let listing = browse(BrowseRequest::default())?;
        match home() {
            Some(h) => assert_eq!(listing.path, h.canonicalize()?.display().to_string()),
            None => assert_eq!(listing.path, "/"),
        }
        Ok(())
    }
}
