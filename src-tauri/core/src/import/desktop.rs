//! Small entry points for the desktop shell, so each Tauri command stays a one-line adapter:
//! staging a file whose name arrives percent-encoded in an IPC header, running a long import on a
//! blocking thread while progress streams out, and cancelling it from the window.

use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex, OnceLock, Weak,
    },
};

use crate::import::{
    jobs::{self, ImportJob, ImportProgress, ImportRequest},
    staging::{self, StagedFile},
};
use crate::{Ctx, Error, Result};

/// Decodes `%XX` escapes (as written by JavaScript's `encodeURIComponent`); malformed escapes are
/// kept as they are and invalid UTF-8 is replaced, since the result only names a staged file.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Stages an uploaded file whose name is percent-encoded (an HTTP header can only carry ASCII).
pub fn stage_encoded(ctx: &Ctx, encoded_name: &str, bytes: &[u8]) -> Result<StagedFile> {
    staging::stage_upload(ctx, &percent_decode(encoded_name), bytes)
}

/// Cancel flags of the imports running in this process, by data directory.
type Running = Mutex<Vec<(PathBuf, Weak<AtomicBool>)>>;

fn running() -> &'static Running {
    static RUNNING: OnceLock<Running> = OnceLock::new();
    RUNNING.get_or_init(|| Mutex::new(Vec::new()))
}

/// Runs [`jobs::import_file`] on a blocking thread, so the caller's async runtime (and every
/// other command) stays responsive during a long import. `progress` gets each chunk's progress.
/// [`cancel_imports`] stops it after the current chunk of rows (status `cancelled`; importing the same
/// file again resumes where it stopped).
pub async fn import_in_background(
    ctx: Arc<Ctx>,
    req: ImportRequest,
    progress: impl Fn(ImportProgress) + Send + Sync + 'static,
) -> Result<ImportJob> {
    let cancel = Arc::new(AtomicBool::new(false));
    if let Ok(mut running) = running().lock() {
        running.retain(|(_, flag)| flag.strong_count() > 0);
        running.push((ctx.data_dir().to_path_buf(), Arc::downgrade(&cancel)));
    }
    let task = tokio::task::spawn_blocking(move || {
        let report = |p: &ImportProgress| progress(p.clone());
        tokio::runtime::Handle::current().block_on(jobs::import_file(&ctx, req, &report, &cancel))
    });
    task.await.map_err(|error| {
        tracing::error!(%error, "import thread failed");
        Error::Poisoned
    })?
}

/// Asks every import running on this data directory to stop after its current chunk of rows; returns
/// how many were asked.
pub fn cancel_imports(ctx: &Ctx, _: ()) -> Result<u32> {
    let running = running().lock().map_err(|_| Error::Poisoned)?;
    let mut asked = 0;
    for flag in running.iter().filter(|(dir, _)| dir == ctx.data_dir()).filter_map(|(_, flag)| flag.upgrade()) {
        flag.store(true, Ordering::Relaxed);
        asked += 1;
    }
    Ok(asked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancelling_stops_a_running_import_after_its_chunk_and_a_rerun_resumes() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Arc::new(Ctx::open(dir.path()).expect("open"));
        let csv = dir.path().join("big.csv");
        let mut text = String::from("First Name,Email\n");
        for i in 0..(jobs::CHUNK_ROWS * 3) {
            text.push_str(&format!("Lead{i},lead{i}@example.com\n"));
        }
        std::fs::write(&csv, text).expect("write");
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let canceller = Arc::clone(&ctx);
        let req = ImportRequest { path: csv.clone(), ..Default::default() };
        // Cancel as soon as the first chunk is reported.
        let job = runtime
            .block_on(import_in_background(Arc::clone(&ctx), req, move |_| {
                let _ = cancel_imports(&canceller, ());
            }))
            .expect("import");
        assert_eq!(job.status, "cancelled");
        assert_eq!(job.total, jobs::CHUNK_ROWS as u64, "stopped after the first chunk");
        let rest = runtime
            .block_on(import_in_background(Arc::clone(&ctx), ImportRequest { path: csv, ..Default::default() }, |_| {}))
            .expect("resume");
        assert_eq!(
            (rest.id, rest.status.as_str(), rest.imported),
            (job.id, "completed", (jobs::CHUNK_ROWS * 3) as u64)
        );
        assert_eq!(cancel_imports(&ctx, ()).expect("cancel"), 0, "nothing left running");
    }

    #[test]
    fn decodes_encode_uri_component_output() {
        assert_eq!(percent_decode("Leads%20Q4%20(final).csv"), "Leads Q4 (final).csv");
        assert_eq!(percent_decode("caf%C3%A9.csv"), "café.csv");
        assert_eq!(percent_decode("100%.csv"), "100%.csv");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
