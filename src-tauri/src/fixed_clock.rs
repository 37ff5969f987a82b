//! `OUTPOST_NOW`: run the whole desktop app at one fixed instant, as the CLI's `--now` does.
//!
//! Screenshots, replays and demos need the same screen every time: "3 days in stage", "starts in
//! 75 minutes", overdue tasks and the Team screen's weeks all depend on "now". With `OUTPOST_NOW`
//! set (RFC 3339), the core gets a frozen [`ManualClock`] and the webview's `Date` (`new Date()`,
//! `Date.now()`) is frozen at the same instant by an initialization script that runs before the
//! UI's own code. Unset, nothing changes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use outpost_core::store::clock::{Clock, ManualClock, SystemClock};

/// The environment variable holding the fixed instant.
pub const VAR: &str = "OUTPOST_NOW";

/// The clock the app runs on, and the instant it is frozen at (if it is).
pub struct AppClock {
    /// What the core reads "now" from.
    pub clock: Arc<dyn Clock>,
    /// `$OUTPOST_NOW`, when set: the webview's `Date` is frozen there too.
    pub fixed: Option<DateTime<Utc>>,
}

/// Frozen at `$OUTPOST_NOW` if set, else the system clock. An unparsable value is refused with a
/// message naming the variable and the accepted format.
pub fn from_env() -> Result<AppClock, String> {
    let Some(raw) = std::env::var_os(VAR) else {
        return Ok(AppClock { clock: Arc::new(SystemClock), fixed: None });
    };
    let text = raw.to_str().ok_or_else(|| format!("{VAR} is not valid UTF-8"))?;
    let at = DateTime::parse_from_rfc3339(text.trim())
        .map_err(|_| format!("{VAR}='{text}' is not an RFC 3339 instant (e.g. 2030-03-12T09:00:00Z)"))?
        .with_timezone(&Utc);
    Ok(AppClock { clock: Arc::new(ManualClock::new(at)), fixed: Some(at) })
}

/// JavaScript that freezes the webview's `Date` at `at` (constructing a `Date` with arguments,
/// `Date.parse` and `Date.UTC` behave as usual).
pub fn webview_script(at: DateTime<Utc>) -> String {
    let millis = at.timestamp_millis();
    format!(
        r#"(() => {{
  const Real = Date;
  const fixed = {millis};
  function FixedDate(...args) {{
    if (!new.target) return new Real(fixed).toString();
    return args.length === 0 ? new Real(fixed) : new Real(...args);
  }}
  FixedDate.prototype = Real.prototype;
  FixedDate.now = () => fixed;
  FixedDate.parse = Real.parse;
  FixedDate.UTC = Real.UTC;
  globalThis.Date = FixedDate;
}})();"#
    )
}

/// A Tauri plugin that installs [`webview_script`] in every page of the app.
pub fn plugin<R: tauri::Runtime>(at: DateTime<Utc>) -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("fixed-clock").js_init_script(webview_script(at)).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webview_script_freezes_at_the_instant_in_milliseconds() {
        let at = DateTime::parse_from_rfc3339("2030-03-12T09:00:00Z").map(|d| d.with_timezone(&Utc));
        let script = at.map(webview_script).unwrap_or_default();
        assert!(script.contains("const fixed = 1899536400000;"), "{script}");
    }
}
