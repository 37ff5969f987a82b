//! A watched folder: which files count, when they are completely written, and handing them on.
//!
//! [`FolderWatch`] keeps, per file, the size and modification time last seen and since when they
//! have been unchanged. A file is ready once they stayed the same for the settle time, or right
//! away when a rename event says it was moved into the folder complete. Handled files are
//! remembered (by size and time) so periodic rescans do not re-hash them; after a restart they are
//! hashed once and found in the ledger.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::atomic::AtomicBool,
    time::{Duration, Instant, SystemTime},
};

use super::{
    ledger::{self, LocalFile},
    walk, WatchEvent, WatchEventKind, WatchedSource,
};
use crate::{Ctx, Result};

/// Folder the handled files are moved into when `move_processed` is on.
pub(super) const PROCESSED_DIR: &str = "processed";

/// Whether a file name (or the last segment of an object key) is one the watcher imports:
/// `.csv`, `.tsv`, `.txt`, a workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) or `.ics`
/// (calendars, imported as meetings). Hidden files, Office and LibreOffice lock files and partial
/// downloads (`.part`, `.tmp`, `.crdownload`, …) are not.
pub fn importable_name(name: &str) -> bool {
    if name.starts_with('.') || name.starts_with("~$") || name.ends_with('~') || name.ends_with('#') {
        return false;
    }
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    !stem.is_empty()
        && matches!(
            ext.to_ascii_lowercase().as_str(),
            "csv" | "tsv" | "txt" | "ics" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    /// The followed file's size and time; for a dangling symlink, the link's own.
    fn of(path: &Path) -> Option<Self> {
        let meta = match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => meta,
            _ => std::fs::symlink_metadata(path).ok().filter(|m| m.file_type().is_symlink())?,
        };
        Some(Stamp { len: meta.len(), modified: meta.modified().ok() })
    }
}

#[derive(Debug)]
struct Pending {
    stamp: Stamp,
    since: Instant,
    renamed: bool,
}

/// What a directory entry is to the watcher.
enum Entry {
    /// Not ours (wrong kind of file, hidden, temporary, a directory, gone).
    Ignore,
    /// A regular file (possibly through a symlink that stays inside the folder) at this real path.
    File(PathBuf),
    /// A symlink that leaves the folder or dangles: reported, never followed.
    Refused { target: String, message: String },
}

/// Whether `path` is a file name the watcher imports, at a depth it looks into.
fn accepts(root: &Path, max_depth: u32, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    importable_name(name) && walk::depth(root, path).is_some_and(|depth| depth <= max_depth)
}

fn classify(root: &Path, max_depth: u32, path: &Path) -> Entry {
    if !accepts(root, max_depth, path) {
        return Entry::Ignore;
    }
    let name = walk::key(root, path);
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Entry::Ignore };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
        return match path.canonicalize() {
            Ok(real) if real.starts_with(root) && real.is_file() => Entry::File(real),
            Ok(real) if real.starts_with(root) => Entry::Ignore,
            Ok(real) => Entry::Refused {
                message: format!(
                    "{name} is a symlink to {}, outside the watched folder; it was not followed — copy the file \
                     into the folder to import it",
                    real.display()
                ),
                target: real.display().to_string(),
            },
            Err(_) => Entry::Refused {
                message: format!("{name} is a symlink to {target}, which does not exist; it was not followed"),
                target,
            },
        };
    }
    if meta.is_file() {
        Entry::File(path.to_path_buf())
    } else {
        Entry::Ignore
    }
}

/// The in-memory state of one watched folder.
#[derive(Debug)]
pub(super) struct FolderWatch {
    root: PathBuf,
    settle: Duration,
    /// Folder levels looked into below the root (0: subfolders are off).
    max_depth: u32,
    pending: HashMap<PathBuf, Pending>,
    handled: HashMap<PathBuf, Stamp>,
    /// What the last scan skipped: (key, why).
    skipped: Vec<(String, String)>,
}

impl FolderWatch {
    pub(super) fn new(source: &WatchedSource) -> Self {
        FolderWatch {
            root: PathBuf::from(&source.location),
            settle: Duration::from_millis(source.settings.settle_ms),
            max_depth: if source.settings.subfolders { source.settings.max_depth } else { 0 },
            pending: HashMap::new(),
            handled: HashMap::new(),
            skipped: Vec::new(),
        }
    }

    /// The folder.
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// Whether file-system events below the root matter (subfolders are looked into).
    pub(super) fn recursive(&self) -> bool {
        self.max_depth > 0
    }

    /// Whether an event about `path` concerns this folder.
    pub(super) fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }

    /// The files the last scan skipped and why: (key, reason).
    pub(super) fn skipped(&self) -> &[(String, String)] {
        &self.skipped
    }

    /// Files seen but not yet handled.
    pub(super) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Notes the current state of `path` (from a scan or a file-system event); `renamed` says it
    /// was just moved into the folder, so it is complete.
    pub(super) fn observe(&mut self, path: &Path, renamed: bool) {
        if !accepts(&self.root, self.max_depth, path) {
            return;
        }
        let Some(stamp) = Stamp::of(path) else {
            self.pending.remove(path);
            self.handled.remove(path);
            return;
        };
        if self.handled.get(path) == Some(&stamp) {
            return;
        }
        match self.pending.get_mut(path) {
            Some(pending) if pending.stamp == stamp => pending.renamed |= renamed,
            Some(pending) => *pending = Pending { stamp, since: Instant::now(), renamed },
            None => {
                self.pending.insert(path.to_path_buf(), Pending { stamp, since: Instant::now(), renamed });
            }
        }
    }

    /// Lists the folder (and its subfolders down to the depth limit) and observes every file;
    /// fails if the folder itself cannot be read.
    pub(super) fn scan_dir(&mut self) -> std::io::Result<()> {
        let walked = walk::walk(&self.root, self.max_depth)?;
        let mut present = std::collections::HashSet::new();
        for path in walked.files {
            if matches!(classify(&self.root, self.max_depth, &path), Entry::Ignore) {
                continue;
            }
            self.observe(&path, false);
            present.insert(path);
        }
        self.handled.retain(|path, _| present.contains(path));
        self.skipped = walked.skipped;
        Ok(())
    }

    /// Files whose size and time have settled (or that were renamed in), taken out of `pending`.
    pub(super) fn take_ready(&mut self) -> Vec<PathBuf> {
        let paths: Vec<PathBuf> = self.pending.keys().cloned().collect();
        for path in &paths {
            self.observe(path, false);
        }
        let ready: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, p)| p.renamed || p.since.elapsed() >= self.settle)
            .map(|(path, _)| path.clone())
            .collect();
        for path in &ready {
            self.pending.remove(path);
        }
        ready
    }

    /// Handles one ready file: refuses it, imports it, or finds it was handled before.
    pub(super) async fn process(
        &mut self,
        ctx: &Ctx,
        source: &WatchedSource,
        path: &Path,
        stop: &AtomicBool,
    ) -> Result<Option<WatchEvent>> {
        let key = walk::key(&self.root, path);
        let Some(stamp) = Stamp::of(path) else { return Ok(None) };
        let real = match classify(&self.root, self.max_depth, path) {
            Entry::Ignore => return Ok(None),
            Entry::Refused { target, message } => {
                self.handled.insert(path.to_path_buf(), stamp);
                let marker = format!("symlink:{target}");
                if ledger::is_processed(ctx, source, &key, &marker)? {
                    return Ok(None);
                }
                return ledger::fail(ctx, source, &key, &marker, message).map(Some);
            }
            // An empty file is still being created (or useless): wait for content.
            Entry::File(_) if stamp.len == 0 => return Ok(None),
            Entry::File(real) => real,
        };
        let sha = match ledger::sha256(&real) {
            Ok(sha) => sha,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                let message = format!("cannot read {key}: {e}; check the file's permissions");
                self.handled.insert(path.to_path_buf(), stamp);
                return ledger::fail(ctx, source, &key, "unreadable", message).map(Some);
            }
        };
        if ledger::is_processed(ctx, source, &key, &sha)? {
            self.handled.insert(path.to_path_buf(), stamp);
            return Ok(None);
        }
        let file = LocalFile { key: &key, checksum: &sha, sha: &sha, path: real, display: None };
        let Some(mut event) = ledger::import_local(ctx, source, file, stop).await? else { return Ok(None) };
        self.handled.insert(path.to_path_buf(), stamp);
        if source.settings.move_processed && matches!(event.event, WatchEventKind::Imported | WatchEventKind::Duplicate)
        {
            if let Err(e) = self.move_to_processed(path) {
                let note = format!("could not move it into {PROCESSED_DIR}/: {e}");
                event.message = Some(event.message.map_or(note.clone(), |m| format!("{m}; {note}")));
            }
        }
        Ok(Some(event))
    }

    fn move_to_processed(&mut self, path: &Path) -> std::io::Result<()> {
        let dir = self.root.join(PROCESSED_DIR);
        std::fs::create_dir_all(&dir)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
        let mut target = dir.join(&name);
        let mut n = 1;
        while target.exists() {
            target = dir.join(format!("{stem}-{n}.{ext}"));
            n += 1;
        }
        std::fs::rename(path, &target)?;
        self.handled.remove(path);
        Ok(())
    }
}
