//! Small entry points for the desktop shell, so each Tauri command stays a one-line adapter:
//! staging a file whose name arrives percent-encoded in an IPC header, and running a long import
//! on a blocking thread while progress streams out.

use std::sync::{atomic::AtomicBool, Arc};

use super::{
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
pub async fn stage_encoded(ctx: &Ctx, encoded_name: &str, bytes: &[u8]) -> Result<StagedFile> {
    staging::stage_upload(ctx, &percent_decode(encoded_name), bytes).await
}

/// Runs [`jobs::import_file`] on a blocking thread, so the caller's async runtime (and every
/// other command) stays responsive during a long import. `progress` gets each batch's progress.
pub async fn import_in_background(
    ctx: Arc<Ctx>,
    req: ImportRequest,
    progress: impl Fn(ImportProgress) + Send + Sync + 'static,
) -> Result<ImportJob> {
    let task = tokio::task::spawn_blocking(move || {
        let cancel = AtomicBool::new(false);
        let report = |p: &ImportProgress| progress(p.clone());
        tokio::runtime::Handle::current().block_on(jobs::import_file(&ctx, req, &report, &cancel))
    });
    task.await.map_err(|error| {
        tracing::error!(%error, "import thread failed");
        Error::Poisoned
    })?
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn decodes_encode_uri_component_output() {
        assert_eq!(percent_decode("Leads%20Q4%20(final).csv"), "Leads Q4 (final).csv");
        assert_eq!(percent_decode("caf%C3%A9.csv"), "café.csv");
        assert_eq!(percent_decode("100%.csv"), "100%.csv");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
