//! Secrets the CLI takes — a sync device token, an LLM API key, a webhook URL (a Slack webhook's
//! address is its credential), an S3 secret access key — come from standard input or the
//! environment, never from the command line: there every user of the machine could read them in
//! the process list while the command runs, and the shell history keeps them. A secret written
//! out on the command line is refused, naming the two ways in; no message repeats a secret.

use std::io::IsTerminal;

use outpost_core::{Error, Result};

/// How one secret flag is described in prompts and refusals.
pub(crate) struct SecretFlag {
    /// The error field (`token`, `api_key`, …).
    pub field: &'static str,
    /// The flag (`--token`).
    pub flag: &'static str,
    /// The environment variable that may hold it instead.
    pub env: &'static str,
    /// What it is, for people ("device token").
    pub what: &'static str,
    /// A pipeline feeding it on standard input, for the refusals.
    pub example: &'static str,
}

impl SecretFlag {
    /// The flag's value: `-` reads the first line of standard input; the environment variable's
    /// own value (clap fills the flag from it when the flag is absent) is taken; anything else
    /// was written on the command line and is refused.
    pub(crate) fn value(&self, given: &str) -> Result<String> {
        if given == "-" {
            return from_stdin(self.field, self.what, self.example);
        }
        if std::env::var(self.env).is_ok_and(|from_env| from_env == given) {
            return Ok(given.trim().to_owned());
        }
        Err(Error::invalid(
            self.field,
            format!(
                "a {} written on the command line is visible to every user of this machine (process list, shell \
                 history), so it is not accepted; pass `{} -` and pipe it in, e.g. `{}`, or set {}",
                self.what, self.flag, self.example, self.env
            ),
        ))
    }
}

/// A secret as the first line of standard input (after a prompt on a terminal), trimmed; refused
/// when empty, naming `field` and showing `example` (a pipeline that feeds it).
pub(crate) fn from_stdin(field: &str, what: &str, example: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        crate::stdout::note(format_args!("{} (then Enter):", capitalised(what)));
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::invalid(field, format!("cannot read the {what} from standard input: {e}")))?;
    let secret = line.trim().to_owned();
    if secret.is_empty() {
        return Err(Error::invalid(field, format!("no {what} on standard input; pipe it in, e.g. `{example}`")));
    }
    Ok(secret)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
