//! The watcher loop ([`run`]) and a single pass ([`scan_once`]).
//!
//! [`run`] subscribes to file-system events of every watched folder (`notify`: inotify, FSEvents,
//! ReadDirectoryChangesW), rescans all folders and polls remote sources (through the [`super::remote`] port) every
//! [`poll_interval`], and re-checks
//! files that are settling every [`TICK`]. It re-reads the source list at every rescan, so sources
//! added or removed while it runs are picked up. It holds no terminal or process concerns: the CLI
//! and the desktop app each drive it with their own stop flag and event sink.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use notify::{
    event::{EventKind, ModifyKind, RenameMode},
    RecursiveMode, Watcher,
};

use super::{cloud, folder::FolderWatch, ledger, remote::RemoteFolders, s3, sources, WatchEvent, WatchedSource};
use crate::{store::ids::SourceId, Ctx, Result};

/// How often settling files are re-checked and the stop flag is read.
pub const TICK: Duration = Duration::from_millis(200);

/// Longest [`scan_once`] waits for files that keep changing; they are left for the next scan.
const ONCE_MAX_WAIT: Duration = Duration::from_secs(600);

/// How often folders are rescanned and S3 is polled: `OUTPOST_WATCH_POLL_MS`, default 30 s.
pub fn poll_interval() -> Duration {
    let ms = std::env::var("OUTPOST_WATCH_POLL_MS").ok().and_then(|v| v.trim().parse::<u64>().ok());
    Duration::from_millis(ms.filter(|ms| *ms > 0).unwrap_or(30_000))
}

/// Scans a folder; a folder that cannot be read becomes the source's error.
fn rescan(ctx: &Ctx, source: &WatchedSource, folder: &mut FolderWatch) -> Result<Option<WatchEvent>> {
    match folder.scan_dir() {
        Ok(()) => {
            ledger::sync_skipped(ctx, source, folder.skipped())?;
            ledger::scan_ok(ctx, source).map(|()| None)
        }
        Err(e) => {
            let message = format!(
                "cannot read folder {}: {e}; it may have been moved or deleted — restore it, or remove this source \
                 and add the new location",
                source.location
            );
            ledger::scan_failed(ctx, source, message).map(Some)
        }
    }
}

/// Handles every ready file of a folder. A storage failure becomes a source error (the file is
/// not recorded, so it is tried again).
async fn drain(
    ctx: &Ctx,
    source: &WatchedSource,
    folder: &mut FolderWatch,
    stop: &AtomicBool,
    out: &mut Vec<WatchEvent>,
) -> Result<()> {
    for path in folder.take_ready() {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match folder.process(ctx, source, &path, stop).await {
            Ok(Some(event)) => out.push(event),
            Ok(None) => {}
            Err(e) => out.push(ledger::scan_failed(ctx, source, format!("{}: {e}", path.display()))?),
        }
    }
    Ok(())
}

/// Imports everything currently in every source and returns what happened. Waits for the files it
/// saw to finish settling (files still changing after 10 minutes are left for the next scan).
/// Remote sources are read through `remote` (the adapters of `outpost-integrations`).
pub async fn scan_once(ctx: &Ctx, remote: &dyn RemoteFolders) -> Result<Vec<WatchEvent>> {
    let stop = AtomicBool::new(false);
    let mut events = Vec::new();
    let mut folders = Vec::new();
    for source in sources::list(ctx)? {
        match source.kind.as_str() {
            "folder" => {
                let mut folder = FolderWatch::new(&source);
                events.extend(rescan(ctx, &source, &mut folder)?);
                folders.push((source, folder));
            }
            "s3" => events.extend(s3::poll(ctx, remote, &source, &stop).await?),
            "gdrive" | "dropbox" => events.extend(cloud::poll(ctx, remote, &source, &stop).await?),
            _ => {}
        }
    }
    let deadline = Instant::now() + ONCE_MAX_WAIT;
    loop {
        for (source, folder) in &mut folders {
            drain(ctx, source, folder, &stop, &mut events).await?;
        }
        if !folders.iter().any(|(_, f)| f.has_pending()) || Instant::now() >= deadline {
            return Ok(events);
        }
        tokio::time::sleep(TICK).await;
    }
}

/// The paths an event is about, and whether they were renamed into place (complete).
fn paths_of(event: notify::Event) -> Vec<(PathBuf, bool)> {
    match event.kind {
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => event.paths.into_iter().map(|p| (p, true)).collect(),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
            let last = event.paths.len().saturating_sub(1);
            event.paths.into_iter().enumerate().map(|(i, p)| (p, i == last)).collect()
        }
        EventKind::Access(_) => Vec::new(),
        _ => event.paths.into_iter().map(|p| (p, false)).collect(),
    }
}

/// Watches every source until `stop` is set, reporting each handled file through `events`.
/// Storage failures are reported as source errors and retried; only a failure to read the source
/// list itself ends the loop with an error. Remote sources are read through `remote`.
pub async fn run(
    ctx: &Ctx,
    remote: &dyn RemoteFolders,
    stop: &AtomicBool,
    events: &(dyn Fn(&WatchEvent) + Sync),
) -> Result<()> {
    let poll = poll_interval();
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<notify::Event>();
    let mut watcher = match notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            let _ = sender.send(event);
        }
    }) {
        Ok(watcher) => Some(watcher),
        Err(e) => {
            tracing::warn!("file-system events unavailable ({e}); folders are rescanned every {poll:?} instead");
            None
        }
    };
    let mut folders: HashMap<SourceId, (WatchedSource, FolderWatch)> = HashMap::new();
    let mut next_rescan = Instant::now();
    let mut woken: Vec<notify::Event> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        if Instant::now() >= next_rescan {
            let sources = sources::list(ctx)?;
            folders.retain(|id, (_, folder)| {
                let keep = sources.iter().any(|s| s.id == *id);
                if let (false, Some(w)) = (keep, watcher.as_mut()) {
                    let _ = w.unwatch(folder.root());
                }
                keep
            });
            for source in sources {
                match source.kind.as_str() {
                    "folder" => {
                        let (source, folder) = folders.entry(source.id).or_insert_with(|| {
                            let folder = FolderWatch::new(&source);
                            if let Some(w) = watcher.as_mut() {
                                let mode = if folder.recursive() {
                                    RecursiveMode::Recursive
                                } else {
                                    RecursiveMode::NonRecursive
                                };
                                if let Err(e) = w.watch(folder.root(), mode) {
                                    tracing::warn!("cannot subscribe to {}: {e}; rescanning instead", source.location);
                                }
                            }
                            (source, folder)
                        });
                        if let Some(event) = rescan(ctx, source, folder)? {
                            events(&event);
                        }
                    }
                    "s3" => s3::poll(ctx, remote, &source, stop).await?.iter().for_each(events),
                    "gdrive" | "dropbox" => cloud::poll(ctx, remote, &source, stop).await?.iter().for_each(events),
                    _ => {}
                }
            }
            next_rescan = Instant::now() + poll;
        }
        while let Ok(event) = receiver.try_recv() {
            woken.push(event);
        }
        for event in woken.drain(..) {
            for (path, renamed) in paths_of(event) {
                if let Some((_, folder)) = folders.values_mut().find(|(_, f)| f.contains(&path)) {
                    folder.observe(&path, renamed);
                }
            }
        }
        let mut handled = Vec::new();
        for (source, folder) in folders.values_mut() {
            drain(ctx, source, folder, stop, &mut handled).await?;
        }
        handled.iter().for_each(events);
        if let Ok(Some(event)) = tokio::time::timeout(TICK, receiver.recv()).await {
            woken.push(event);
        }
    }
    Ok(())
}
/// The desktop app's background watcher: [`run`] for as long as the app runs, restarted with
/// backoff (1 s doubling to 60 s) when it fails, e.g. while the store is busy. `on_event`
/// receives every handled file.
pub async fn background(
    ctx: std::sync::Arc<Ctx>,
    remote: std::sync::Arc<dyn RemoteFolders>,
    on_event: impl Fn(&WatchEvent) + Sync,
) {
    let never = AtomicBool::new(false);
    let mut backoff = Duration::from_secs(1);
    loop {
        match run(&ctx, remote.as_ref(), &never, &on_event).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!("the folder watcher stopped ({e}); restarting in {backoff:?}");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The desktop app runs the watcher on its async runtime, so the futures must be `Send`.
    #[test]
    fn watcher_futures_are_send() {
        fn is_send<T: Send>(_: &T) {}
        fn check(ctx: &Ctx, remote: &dyn RemoteFolders, stop: &AtomicBool, sink: &(dyn Fn(&WatchEvent) + Sync)) {
            is_send(&run(ctx, remote, stop, sink));
            is_send(&scan_once(ctx, remote));
        }
        let _ = check as fn(&Ctx, &dyn RemoteFolders, &AtomicBool, &(dyn Fn(&WatchEvent) + Sync));
    }
}
