//! Command-line arguments. Flags are the schema's field names in kebab-case.

use std::path::PathBuf;

use clap::{builder::BoolishValueParser, Args, Parser, Subcommand};

use crate::ids::{CompanyId, ContactId, DealId, ImportJobId, MeetingId, TaskId};

/// Outpost: your sales pipeline, local-first. Works offline; data lives in one SQLite file.
#[derive(Debug, Parser)]
#[command(name = "outpost", version, about, propagate_version = true)]
pub struct Cli {
    /// Data directory holding outpost.db [default: $XDG_DATA_HOME/outpost]
    #[arg(long, global = true, env = "OUTPOST_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Machine-readable output: one JSON document on stdout; errors as JSON on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Act as if it were this instant (RFC 3339), e.g. for `agent run --once`, replays and tests.
    #[arg(long, global = true, env = "OUTPOST_NOW", value_name = "RFC3339")]
    pub now: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// People: add, list, show, update, delete.
    #[command(subcommand)]
    Contacts(ContactsCmd),
    /// Accounts: add, list, show, update, delete.
    #[command(subcommand)]
    Companies(CompaniesCmd),
    /// Opportunities: add, list, show, update, move, delete.
    #[command(subcommand)]
    Deals(DealsCmd),
    /// To-dos: add, list, done.
    #[command(subcommand)]
    Tasks(TasksCmd),
    /// The timeline: log, list.
    #[command(subcommand)]
    Activities(ActivitiesCmd),
    /// Meetings: add, list, show, import (.ics), notes, follow-ups, add-contacts.
    #[command(subcommand)]
    Meetings(MeetingsCmd),
    /// Organisation settings: internal email domains, calendar window, time zone.
    #[command(subcommand)]
    Settings(super::meetings_cmd::SettingsCmd),
    /// The pipeline board: stages with deal counts and totals.
    Pipeline,
    /// Import a CSV or workbook lead list (mapped, normalised, de-duplicated; never the same file twice).
    Import(ImportArgs),
    /// Past imports: list, show, errors.
    #[command(subcommand)]
    Imports(ImportsCmd),
    /// Near-duplicate contacts found by imports: list, accept, dismiss.
    #[command(subcommand)]
    Merges(MergesCmd),
    /// Watched folders and S3 prefixes whose new CSV files are imported: add, list, remove, run.
    #[command(subcommand)]
    Watch(super::watch_cmd::WatchCmd),
    /// Sync with the team's server: connect, now, status, run.
    #[command(subcommand)]
    Sync(super::sync_cmd::SyncCmd),
    /// The copilot's memories (private to you): list, add, edit, forget.
    #[command(subcommand)]
    Memories(super::memories_cmd::MemoriesCmd),
    /// The copilot: ask, pending actions, confirm, dismiss, provider set.
    #[command(subcommand)]
    Copilot(super::copilot_cmd::CopilotCmd),
    /// Google Calendar into meetings: sync.
    #[command(subcommand)]
    Calendar(super::calendar_cmd::CalendarCmd),
    /// Connected provider accounts (Google, Dropbox): list, add, test, remove.
    #[command(subcommand)]
    Connections(super::connections_cmd::ConnectionsCmd),
    /// Webhook and Slack deliveries: send, list, retry, cancel, run.
    #[command(subcommand)]
    Outbound(super::outbound_cmd::OutboundCmd),
    /// The pre-meeting brief of a meeting (generated, or regenerated if its inputs changed).
    Brief(super::brief_cmd::BriefArgs),
    /// Stored briefs: list, show, review.
    #[command(subcommand)]
    Briefs(super::brief_cmd::BriefsCmd),
    /// Relationship health, lead score and deal heat, with their factors: show, refresh.
    #[command(subcommand)]
    Scores(super::agent_cmd::ScoresCmd),
    /// The proactive agent (briefs, digest, alerts): run.
    #[command(subcommand)]
    Agent(super::agent_cmd::AgentCmd),
    /// The agent's notifications: list, read.
    #[command(subcommand)]
    Alerts(super::agent_cmd::AlertsCmd),
    /// Today's pipeline digest (Markdown; --json for the data).
    Digest {
        /// Print Markdown (the default without --json).
        #[arg(long)]
        markdown: bool,
    },
    /// The manager view: pipeline, meetings.
    #[command(subcommand)]
    Team(super::agent_cmd::TeamCmd),
    /// The audit log, newest first.
    Audit {
        /// Only this record's history.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        /// Maximum rows.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// `--search` and `--limit` for list commands.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only records matching this text (word prefixes; FTS-backed for contacts and companies).
    #[arg(long)]
    pub search: Option<String>,
    /// Maximum rows (default 100).
    #[arg(long)]
    pub limit: Option<u32>,
}

/// Contact fields shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct ContactFields {
    /// Given name.
    #[arg(long)]
    pub first_name: Option<String>,
    /// Family name.
    #[arg(long)]
    pub last_name: Option<String>,
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Job title.
    #[arg(long)]
    pub title: Option<String>,
    /// Company name: linked if it exists, created otherwise ("" unlinks on update).
    #[arg(long)]
    pub company: Option<String>,
    /// Company by id.
    #[arg(long)]
    pub company_id: Option<CompanyId>,
    /// Opted out of email (true/false).
    #[arg(long, value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub email_opt_out: Option<bool>,
    /// Opted out of SMS (true/false).
    #[arg(long, value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub sms_opt_out: Option<bool>,
    /// Do not call (true/false).
    #[arg(long, alias = "call-opt-out", value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub do_not_call: Option<bool>,
    /// Where the lead came from.
    #[arg(long)]
    pub lead_source: Option<String>,
    /// LinkedIn profile URL (https://www.linkedin.com/in/…; "" clears on update).
    #[arg(long, value_name = "URL")]
    pub linkedin: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin ("" clears on update).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Notes.
    #[arg(long)]
    pub notes: Option<String>,
}

/// `outpost contacts …`
#[derive(Debug, Subcommand)]
pub enum ContactsCmd {
    /// Add a contact (needs a name, email or phone).
    Add(ContactFields),
    /// List contacts, alphabetically.
    List(ListArgs),
    /// Show one contact with their deals and timeline.
    Show {
        /// Contact id.
        id: ContactId,
    },
    /// Change fields of a contact ("" clears a text field).
    Update {
        /// Contact id.
        id: ContactId,
        /// Fields to change.
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Delete a contact.
    Delete {
        /// Contact id.
        id: ContactId,
    },
    /// GDPR erase: remove the person and their personal data everywhere (this device, the sync
    /// server and, after they sync, every other device). Linked activities and tasks are erased,
    /// deals are kept but unlinked. Cannot be undone.
    Erase {
        /// Contact id.
        id: ContactId,
    },
    /// Write every contact to a CSV file that spreadsheets open safely.
    Export {
        /// Destination file.
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
    },
}

/// Company fields shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct CompanyFields {
    /// Name.
    #[arg(long)]
    pub name: Option<String>,
    /// Website or domain (stored as the bare domain).
    #[arg(long, alias = "website")]
    pub domain: Option<String>,
    /// Industry.
    #[arg(long)]
    pub industry: Option<String>,
    /// City / region / country.
    #[arg(long)]
    pub location: Option<String>,
    /// Head-count band, e.g. 51-200.
    #[arg(long)]
    pub size: Option<String>,
}

/// `outpost companies …`
#[derive(Debug, Subcommand)]
pub enum CompaniesCmd {
    /// Add a company.
    Add(CompanyFields),
    /// List companies.
    List(ListArgs),
    /// Show one company.
    Show {
        /// Company id.
        id: CompanyId,
    },
    /// Change fields of a company.
    Update {
        /// Company id.
        id: CompanyId,
        /// Fields to change.
        #[command(flatten)]
        fields: CompanyFields,
    },
    /// Delete a company (its contacts and deals stay, unlinked).
    Delete {
        /// Company id.
        id: CompanyId,
    },
    /// Write every company to a CSV file that spreadsheets open safely.
    Export {
        /// Destination file.
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
    },
}

/// Deal fields shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct DealFields {
    /// Title.
    #[arg(long)]
    pub title: Option<String>,
    /// Value in major units (e.g. 12000); never negative.
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<f64>,
    /// Currency code (e.g. GBP).
    #[arg(long)]
    pub currency: Option<String>,
    /// Main contact id.
    #[arg(long, alias = "contact-id")]
    pub contact: Option<ContactId>,
    /// Company name (linked or created).
    #[arg(long)]
    pub company: Option<String>,
    /// Company id.
    #[arg(long)]
    pub company_id: Option<CompanyId>,
    /// Expected close date (YYYY-MM-DD).
    #[arg(long)]
    pub expected_close: Option<String>,
    /// Owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// Next step.
    #[arg(long)]
    pub next_step: Option<String>,
    /// Notes.
    #[arg(long)]
    pub notes: Option<String>,
    /// BANT: budget, e.g. "40k approved" ("" clears on update).
    #[arg(long)]
    pub budget: Option<String>,
    /// BANT: who decides, e.g. "CFO signs".
    #[arg(long)]
    pub authority: Option<String>,
    /// BANT: the need or pain.
    #[arg(long)]
    pub need: Option<String>,
    /// BANT: the buying timeline.
    #[arg(long)]
    pub timeline: Option<String>,
}

/// `outpost deals …`
#[derive(Debug, Subcommand)]
pub enum DealsCmd {
    /// Add a deal.
    Add {
        /// Deal fields.
        #[command(flatten)]
        fields: DealFields,
        /// Stage name (default: the first stage, Lead).
        #[arg(long)]
        stage: Option<String>,
    },
    /// List deals, most recently updated first.
    List {
        /// Text to match in title, contact or company.
        #[arg(long)]
        search: Option<String>,
        /// Only this stage.
        #[arg(long)]
        stage: Option<String>,
        /// Only this contact's deals.
        #[arg(long, alias = "contact-id")]
        contact: Option<ContactId>,
        /// Only this company's deals.
        #[arg(long)]
        company_id: Option<CompanyId>,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Show one deal with its timeline.
    Show {
        /// Deal id.
        id: DealId,
    },
    /// Change fields of a deal.
    Update {
        /// Deal id.
        id: DealId,
        /// Fields to change.
        #[command(flatten)]
        fields: DealFields,
    },
    /// Move a deal to another stage.
    Move {
        /// Deal id.
        id: DealId,
        /// Target stage name.
        #[arg(long)]
        stage: String,
    },
    /// Delete a deal.
    Delete {
        /// Deal id.
        id: DealId,
    },
}

/// Record a task or activity is linked to.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Contact id.
    #[arg(long, alias = "contact-id")]
    pub contact: Option<ContactId>,
    /// Company id.
    #[arg(long, alias = "company-id")]
    pub company: Option<CompanyId>,
    /// Deal id.
    #[arg(long, alias = "deal-id")]
    pub deal: Option<DealId>,
}

/// `outpost tasks …`
#[derive(Debug, Subcommand)]
pub enum TasksCmd {
    /// Add a task.
    Add {
        /// What to do.
        #[arg(long)]
        title: String,
        /// Due date (YYYY-MM-DD).
        #[arg(long, alias = "due")]
        due_date: Option<String>,
        /// low, normal or high.
        #[arg(long)]
        priority: Option<String>,
        /// Details.
        #[arg(long)]
        notes: Option<String>,
        /// Linked record.
        #[command(flatten)]
        link: LinkArgs,
        /// Meeting id.
        #[arg(long, alias = "meeting-id")]
        meeting: Option<MeetingId>,
    },
    /// List open tasks, soonest due first.
    List {
        /// Include completed tasks.
        #[arg(long)]
        all: bool,
        /// Only tasks linked to this record id.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Mark a task done.
    Done {
        /// Task id.
        id: TaskId,
    },
}

/// `outpost activities …`
#[derive(Debug, Subcommand)]
pub enum ActivitiesCmd {
    /// Log a note, call, email or meeting on a contact, company or deal.
    Log {
        /// note, call, email or meeting.
        #[arg(long, default_value = "note")]
        kind: String,
        /// One-line summary.
        #[arg(long)]
        subject: String,
        /// Details.
        #[arg(long)]
        body: Option<String>,
        /// When it happened (RFC 3339 or YYYY-MM-DD; default now).
        #[arg(long, alias = "at")]
        occurred_at: Option<String>,
        /// inbound (from the contact) or outbound (from you), for emails and calls.
        #[arg(long)]
        direction: Option<String>,
        /// Linked records.
        #[command(flatten)]
        link: LinkArgs,
    },
    /// Show a timeline, newest first.
    List {
        /// Linked records to filter by.
        #[command(flatten)]
        link: LinkArgs,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
}

/// `outpost meetings …`
#[derive(Debug, Subcommand)]
pub enum MeetingsCmd {
    /// Add a meeting.
    Add {
        /// Title.
        #[arg(long)]
        title: String,
        /// Start: RFC 3339 or "YYYY-MM-DD HH:MM" (UTC).
        #[arg(long, alias = "start")]
        starts_at: String,
        /// End, same formats.
        #[arg(long, alias = "end")]
        ends_at: Option<String>,
        /// Where.
        #[arg(long)]
        location: Option<String>,
        /// Agenda.
        #[arg(long)]
        description: Option<String>,
        /// Attendee as email or "Name <email>"; repeat for several.
        #[arg(long = "attendee", alias = "attendees")]
        attendees: Vec<String>,
        /// Company id.
        #[arg(long, alias = "company")]
        company_id: Option<CompanyId>,
        /// Deal id.
        #[arg(long, alias = "deal")]
        deal_id: Option<DealId>,
    },
    /// Change a meeting; --attendee (repeatable) replaces the attendee list.
    Update {
        /// Meeting id.
        id: MeetingId,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Start: RFC 3339 or "YYYY-MM-DD HH:MM" (UTC).
        #[arg(long, alias = "start")]
        starts_at: Option<String>,
        /// End, same formats; empty clears it.
        #[arg(long, alias = "end")]
        ends_at: Option<String>,
        /// Where; empty clears it.
        #[arg(long)]
        location: Option<String>,
        /// Agenda; empty clears it.
        #[arg(long)]
        description: Option<String>,
        /// The new attendee list: email or "Name <email>"; repeat for several.
        #[arg(long = "attendee", alias = "attendees")]
        attendees: Vec<String>,
        /// Company id.
        #[arg(long, alias = "company")]
        company_id: Option<CompanyId>,
        /// Deal id.
        #[arg(long, alias = "deal")]
        deal_id: Option<DealId>,
    },
    /// List meetings in start order.
    List(ListArgs),
    /// Show one meeting with attendees (internal/external) and suggested new contacts.
    Show {
        /// Meeting id.
        id: MeetingId,
    },
    /// Import meetings from an iCalendar (.ics) file; importing it again updates them.
    Import {
        /// The .ics file.
        file: PathBuf,
        /// Expand recurring events from this many days ago [default: setting calendar-days-back, else 90].
        #[arg(long, value_name = "DAYS")]
        days_back: Option<u32>,
        /// … to this many days ahead [default: setting calendar-days-ahead, else 180].
        #[arg(long, value_name = "DAYS")]
        days_ahead: Option<u32>,
        /// Expand recurring events from this date (YYYY-MM-DD) instead.
        #[arg(long, value_name = "DATE", conflicts_with = "days_back")]
        from: Option<String>,
        /// … up to this date (YYYY-MM-DD) instead.
        #[arg(long, value_name = "DATE", conflicts_with = "days_ahead")]
        to: Option<String>,
        /// IANA zone of times given without one, in calendars without X-WR-TIMEZONE [default: setting
        /// timezone, else UTC].
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
    },
    /// Set a meeting's notes from --text or a --file.
    Notes {
        /// Meeting id.
        id: MeetingId,
        /// The notes.
        #[arg(long, conflicts_with = "file")]
        text: Option<String>,
        /// Read the notes from this text file.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Turn the notes' action lines into tasks and log the meeting on its contacts and deal.
    FollowUps {
        /// Meeting id.
        id: MeetingId,
    },
    /// Create contacts from the meeting's suggested (external, unknown) attendees.
    AddContacts {
        /// Meeting id.
        id: MeetingId,
        /// Only this suggested email; repeat for several [default: all suggestions].
        #[arg(long = "email")]
        emails: Vec<String>,
    },
}

/// `outpost import FILE …`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file, or an Excel/OpenDocument workbook (xlsx, xlsm, xlsb, xls, ods).
    pub file: PathBuf,
    /// Workbooks: the sheet to import (default: the one chosen last time for workbooks with the
    /// same sheets, else the sheet that holds the records); remembered for next time.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Column mapping as JSON: {"Header": "email", "Other": "custom", "X": "ignore"}; saved as the
    /// template for files with the same headers.
    #[arg(long, value_name = "FILE.json")]
    pub mapping: Option<PathBuf>,
    /// What to do with duplicates: skip (default) or update.
    #[arg(long, default_value = "skip")]
    pub mode: String,
    /// Show the detected format, proposed mapping and first 20 rows; import nothing.
    #[arg(long)]
    pub preview: bool,
    /// Import even if this exact file was imported before.
    #[arg(long)]
    pub force: bool,
    /// Region for phone numbers without a country code (e.g. GB, US, DE); default: inferred from
    /// the file's country columns and international numbers, else GB.
    #[arg(long)]
    pub region: Option<String>,
    /// Encoding of the file (e.g. utf-8, windows-1250, windows-1252, iso-8859-2, utf-16le);
    /// default: detected.
    #[arg(long)]
    pub encoding: Option<String>,
    /// What the rows are: contacts, companies or deals; default: told from the headers.
    #[arg(long = "type", value_name = "TYPE")]
    pub record_type: Option<String>,
}

/// `outpost imports …`
#[derive(Debug, Subcommand)]
pub enum ImportsCmd {
    /// Past import jobs, newest first.
    List {
        /// Maximum rows.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One job with its counts and every rejected row.
    Show {
        /// Import job id.
        id: ImportJobId,
    },
    /// The rejected rows of a job.
    Errors {
        /// Import job id.
        id: ImportJobId,
        /// Write them to this CSV file instead.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
}

/// `outpost merges …`
#[derive(Debug, Subcommand)]
pub enum MergesCmd {
    /// Open merge suggestions.
    List,
    /// Fold the suggested duplicate into the kept contact.
    Accept {
        /// Suggestion id.
        id: String,
    },
    /// Keep both contacts.
    Dismiss {
        /// Suggestion id.
        id: String,
    },
}
