//! The one way the CLI writes to stdout. When the reader has gone away (`outpost --json … |
//! head -1`), the command has nothing left to do: it ends quietly with success instead of
//! panicking on the broken pipe as `println!` does. Everything it committed stays committed.
//! [`emit`] is the shape every command's result takes: the record as JSON with `--json`, else
//! its human rendering. Every line goes through [`printable`], so text from records (a peer's
//! contact name, a file's cell) is shown on a terminal, never obeyed.

pub(crate) mod printable;

use std::io::Write;

use outpost_core::Result;
use serde::Serialize;

/// Prints `value` as pretty JSON (`--json`) or through its human renderer.
pub(crate) fn emit<T: Serialize + ?Sized>(json: bool, value: &T, human: impl FnOnce(&T) -> String) -> Result<()> {
    if json {
        line(serde_json::to_string_pretty(value)?);
    } else {
        line(human(value));
    }
    Ok(())
}

/// Writes `text` (made terminal-safe) and a newline to stdout, ending the process quietly if
/// stdout is closed.
pub(crate) fn line(text: impl std::fmt::Display) {
    let text = text.to_string();
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{}", printable::terminal_safe(&text)).and_then(|()| out.flush());
    if let Err(error) = written {
        quit_on_closed(&error);
        // Any other failure (a full disk behind a redirect): say so on stderr, once.
        let _ = writeln!(std::io::stderr(), "error: cannot write to stdout: {error}");
        std::process::exit(1);
    }
}

/// Ends the process with success when `error` means the reader closed the pipe.
fn quit_on_closed(error: &std::io::Error) {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
}

/// Writes `text` (made terminal-safe) and a newline to stderr; a closed stderr is ignored (the
/// message had no reader).
pub(crate) fn note(text: impl std::fmt::Display) {
    let text = text.to_string();
    let _ = writeln!(std::io::stderr().lock(), "{}", printable::terminal_safe(&text));
}
