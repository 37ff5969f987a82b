//! Server-sent events framing shared by the streaming clients: reads the response body as it
//! arrives and yields each event's `data` (multi-line data joined with `\n`), ignoring comments
//! and the `event:` / `id:` fields (both APIs repeat the event type inside the JSON data). Reads a
//! `reqwest` body, so it lives with the clients in `outpost-integrations`.

use super::{map_body_error, LlmError};

/// The events of one streamed response.
pub(super) struct Events {
    response: reqwest::Response,
    buffer: Vec<u8>,
    timeout_secs: u64,
}

impl Events {
    /// Reads events from `response`; `timeout_secs` names the limit in timeout errors.
    pub(super) fn new(response: reqwest::Response, timeout_secs: u64) -> Self {
        Events { response, buffer: Vec::new(), timeout_secs }
    }

    /// The next event's data, or `None` when the body ends.
    pub(super) async fn next_data(&mut self) -> Result<Option<String>, LlmError> {
        loop {
            while let Some((at, separator)) = find_event_end(&self.buffer) {
                let raw: Vec<u8> = self.buffer.drain(..at + separator).collect();
                let text = String::from_utf8_lossy(&raw[..at]).into_owned();
                let data: Vec<&str> = text
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(|d| d.strip_prefix(' ').unwrap_or(d))
                    .collect();
                if !data.is_empty() {
                    return Ok(Some(data.join("\n")));
                }
            }
            match self.response.chunk().await.map_err(|e| map_body_error(e, self.timeout_secs))? {
                Some(bytes) => self.buffer.extend_from_slice(&bytes),
                None => return Ok(None),
            }
        }
    }
}

/// True if the response is an event stream (servers may ignore `stream` and answer in one body).
pub(super) fn is_event_stream(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"))
}

/// Position and separator length of the first blank line (`\n\n` or `\r\n\r\n`).
fn find_event_end(buffer: &[u8]) -> Option<(usize, usize)> {
    let lf = buffer.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2));
    let crlf = buffer.windows(4).position(|w| w == b"\r\n\r\n").map(|p| (p, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}
