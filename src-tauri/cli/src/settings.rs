//! `outpost settings …`: the organisation settings (internal email domains, calendar window,
//! time zone) that meetings, calendar import and briefs read.

use clap::Subcommand;
use outpost_core::{
    store::settings::{self, SetSetting, Setting},
    Ctx, Result,
};

use crate::stdout::emit;

/// `outpost settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Every setting with its value.
    List,
    /// One setting.
    Get {
        /// Setting name, e.g. internal-domains.
        name: String,
    },
    /// Change a setting; an empty value resets it. E.g. `settings set internal-domains acme.com,acme.co.uk`.
    Set {
        /// Setting name: internal-domains, calendar-days-back, calendar-days-ahead, timezone.
        name: String,
        /// New value.
        value: String,
    },
}

fn setting_line(s: &Setting) -> String {
    format!("{:<20} {:<30} {}", s.name, s.value.as_deref().unwrap_or("(default)"), s.description)
}

/// Runs one `outpost settings …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: SettingsCmd) -> Result<()> {
    match cmd {
        SettingsCmd::List => emit(json, settings::list(ctx)?.as_slice(), |list| {
            list.iter().map(setting_line).collect::<Vec<_>>().join("\n")
        }),
        SettingsCmd::Get { name } => emit(json, &settings::get(ctx, &name)?, setting_line),
        SettingsCmd::Set { name, value } => emit(json, &settings::set(ctx, SetSetting { name, value })?, setting_line),
    }
}
