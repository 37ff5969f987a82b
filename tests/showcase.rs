//! A deterministic, realistic store for screenshots and accessibility checks of every screen.
//!
//! Seeded through the real `outpost` CLI on the app's data dir, each command at its own fixed
//! instant (`OUTPOST_NOW`) so that creation times, "days in stage", overdue tasks, the meeting
//! starting in 75 minutes and the agent's alerts come out the same on every run and machine. The
//! desktop app then runs at [`NOW`] too (see `src-tauri/src/fixed_clock.rs`), with a fixed user,
//! time zone and locale ([`app_env`]). File paths that appear on screen live under [`FILES_DIR`],
//! a fixed path, rather than a random temporary directory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::{id_of, Workspace};

/// The instant the seeded store and the app live at: Tuesday 12 March 2030, 09:00 UTC.
pub const NOW: &str = "2030-03-12T09:00:00Z";

/// The OS user the CLI and the app act as (records' owner and audit actor).
pub const USER: &str = "sam";

/// Where the files the screens show by path live (the import's CSV, the watched folder).
pub const FILES_DIR: &str = "/tmp/outpost-showcase";

/// Environment that makes the app's screens deterministic: the fixed clock, user, zone, locale
/// and the light GTK theme (WebKitGTK's `prefers-color-scheme` follows it).
pub fn app_env() -> [(&'static str, &'static str); 6] {
    [
        ("OUTPOST_NOW", NOW),
        ("USER", USER),
        ("TZ", "UTC"),
        ("LANG", "C.UTF-8"),
        ("LC_ALL", "C.UTF-8"),
        ("GTK_THEME", "Adwaita"),
    ]
}

/// [`app_env`] with the dark GTK theme: the UI's `prefers-color-scheme: dark` styles apply.
pub fn app_env_dark() -> [(&'static str, &'static str); 6] {
    let mut env = app_env();
    env[5] = ("GTK_THEME", "Adwaita:dark");
    env
}

/// The seeded store and the ids of the records that have detail screens.
pub struct Showcase {
    /// The data directory, driven through the CLI.
    pub ws: Workspace,
    /// A deal with contact, company, tasks, activities and memories.
    pub deal: String,
    /// A contact with deals, tasks, activities and memories.
    pub contact: String,
    /// A company with contacts and deals.
    pub company: String,
    /// The meeting starting 75 minutes after [`NOW`], with an agenda and a brief.
    pub meeting: String,
}

/// Runs CLI commands each at its own instant: `days` before [`NOW`], then one second later per
/// command, so records created "on the same day" still have a fixed order.
struct Seeder<'a> {
    ws: &'a Workspace,
    now: DateTime<Utc>,
    tick: i64,
}

impl Seeder<'_> {
    fn at(&mut self, days_ago: i64, args: &[&str]) -> Result<Value> {
        self.tick += 1;
        let at = self.now - Duration::days(days_ago) + Duration::seconds(self.tick);
        let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.ws.json_env(args, &[("OUTPOST_NOW", &at), ("USER", USER), ("TZ", "UTC")])
    }

    fn id(&mut self, days_ago: i64, args: &[&str]) -> Result<String> {
        id_of(&self.at(days_ago, args)?)
    }
}

/// (first, last, email, title, company, phone)
const PEOPLE: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("Ada", "Lovelace", "ada@analytical.io", "Head of Research", "Analytical Engines", "+44 20 7946 0101"),
    ("Grace", "Hopper", "grace@compilerworks.com", "VP Engineering", "Compiler Works", "+1 212 555 0134"),
    ("Alan", "Turing", "alan@bletchley.co.uk", "Chief Scientist", "Bletchley Labs", "+44 1908 640404"),
    (
        "Katherine",
        "Johnson",
        "katherine@orbital.space",
        "Director of Operations",
        "Orbital Dynamics",
        "+1 757 555 0188",
    ),
    ("Edsger", "Dijkstra", "edsger@structured.nl", "CTO", "Structured Systems", "+31 20 555 0199"),
    ("Barbara", "Liskov", "barbara@substitution.dev", "Head of Platform", "Substitution Inc", "+1 617 555 0112"),
    ("Linus", "Torvalds", "linus@kernelworks.fi", "Founder", "Kernel Works", "+358 9 555 0123"),
    ("Margaret", "Hamilton", "margaret@apollo-software.com", "Procurement Lead", "Apollo Software", "+1 617 555 0150"),
    ("Dennis", "Ritchie", "dennis@bell-systems.com", "Engineering Manager", "Bell Systems", "+1 908 555 0177"),
    ("Frances", "Allen", "frances@optimizing.io", "Buyer", "Analytical Engines", "+44 20 7946 0102"),
    ("Donald", "Knuth", "don@typeset.org", "Chief Architect", "Compiler Works", "+1 650 555 0166"),
    ("Hedy", "Lamarr", "hedy@spread-spectrum.at", "Head of Partnerships", "Orbital Dynamics", "+43 1 555 0144"),
];

/// A deal of the showcase.
struct SeedDeal {
    title: &'static str,
    value: &'static str,
    currency: &'static str,
    stage: &'static str,
    /// Index into [`PEOPLE`]: the main contact (and, through them, the company).
    contact: usize,
    /// Created this many days before [`NOW`]; moved to its stage a third of that later.
    days_ago: i64,
    expected_close: &'static str,
    next_step: &'static str,
}

const fn deal(
    (title, value, currency, stage): (&'static str, &'static str, &'static str, &'static str),
    contact: usize,
    days_ago: i64,
    expected_close: &'static str,
    next_step: &'static str,
) -> SeedDeal {
    SeedDeal { title, value, currency, stage, contact, days_ago, expected_close, next_step }
}

const DEALS: &[SeedDeal] = &[
    deal(
        ("Analytical Engines pilot", "12000", "GBP", "Qualified"),
        0,
        12,
        "2030-04-15",
        "Send the security questionnaire",
    ),
    deal(
        ("Compiler Works team licence", "48000", "GBP", "Negotiation"),
        1,
        30,
        "2030-03-29",
        "Agree the discount with legal",
    ),
    deal(("Bletchley Labs research seats", "9500", "GBP", "Lead"), 2, 2, "2030-05-30", "Book a discovery call"),
    deal(("Orbital Dynamics rollout", "86000", "USD", "Proposal"), 3, 21, "2030-04-30", "Walk through the proposal"),
    deal(("Structured Systems renewal", "15500", "EUR", "Won"), 4, 45, "2030-02-28", ""),
    deal(("Substitution platform deal", "27000", "USD", "Qualified"), 5, 9, "2030-06-15", "Technical deep dive"),
    deal(("Kernel Works support plan", "6200", "EUR", "Lead"), 6, 0, "2030-06-30", "Qualify budget"),
    deal(("Apollo Software expansion", "54000", "USD", "Proposal"), 7, 16, "2030-03-10", "Chase the signed order form"),
    deal(("Bell Systems evaluation", "18000", "USD", "Lost"), 8, 40, "2030-02-14", ""),
    deal(("Analytical Engines expansion", "30000", "GBP", "Lead"), 9, 5, "2030-07-31", "Intro to the CFO"),
    deal(("Compiler Works training", "7500", "GBP", "Won"), 10, 60, "2030-01-31", ""),
    deal(("Orbital Dynamics partnership", "22000", "USD", "Negotiation"), 11, 25, "2030-03-20", "Final pricing call"),
];

/// Seeds the store: 12 contacts at 9 companies, 12 deals in every stage (three currencies), tasks
/// (overdue, today, later) linked to deals, contacts and companies, activities, memories, three
/// meetings (one in 75 minutes with an agenda, one past with notes), a CSV import, a watched
/// folder, settings, and the agent's alerts and briefs at [`NOW`].
pub fn seed() -> Result<Showcase> {
    let ws = Workspace::new()?;
    let now = DateTime::parse_from_rfc3339(NOW).context("NOW is RFC 3339")?.with_timezone(&Utc);
    let mut s = Seeder { ws: &ws, now, tick: 0 };

    for (key, value) in [
        ("timezone", "UTC"),
        ("utc-offset", "+00:00"),
        ("internal-domains", "outpost.example"),
        ("competitors", "Initech, Umbrella"),
        ("default-currency", "GBP"),
    ] {
        s.at(90, &["settings", "set", key, value])?;
    }
    for (name, domain, industry, location, size) in [
        ("Analytical Engines", "analytical.io", "Research", "London, UK", "51-200"),
        ("Compiler Works", "compilerworks.com", "Software", "New York, US", "201-500"),
        ("Orbital Dynamics", "orbital.space", "Aerospace", "Hampton, US", "501-1000"),
    ] {
        s.at(
            80,
            &[
                "companies",
                "add",
                "--name",
                name,
                "--domain",
                domain,
                "--industry",
                industry,
                "--location",
                location,
                "--size",
                size,
            ],
        )?;
    }

    let mut contacts = Vec::new();
    for (first, last, email, title, company, phone) in PEOPLE {
        contacts.push(s.id(
            70,
            &[
                "contacts",
                "add",
                "--first-name",
                first,
                "--last-name",
                last,
                "--email",
                email,
                "--title",
                title,
                "--company",
                company,
                "--phone",
                phone,
                "--lead-source",
                "Conference",
            ],
        )?);
    }
    let companies = s.at(69, &["companies", "list"])?;
    let company_id = |name: &str| -> Result<String> {
        let found = companies.as_array().and_then(|all| all.iter().find(|c| c["name"] == name));
        id_of(found.with_context(|| format!("company {name} was not created"))?)
    };

    let mut deals = Vec::new();
    for d in DEALS {
        let mut args = vec![
            "deals",
            "add",
            "--title",
            d.title,
            "--value",
            d.value,
            "--currency",
            d.currency,
            "--contact",
            &contacts[d.contact],
            "--company",
            PEOPLE[d.contact].4,
            "--expected-close",
            d.expected_close,
        ];
        if !d.next_step.is_empty() {
            args.extend(["--next-step", d.next_step]);
        }
        let id = s.id(d.days_ago, &args)?;
        if d.stage != "Lead" {
            s.at(d.days_ago - d.days_ago / 3, &["deals", "move", &id, "--stage", d.stage])?;
        }
        deals.push(id);
    }
    let (deal, contact) = (deals[0].clone(), contacts[0].clone());
    let company = company_id("Analytical Engines")?;
    s.at(
        12,
        &[
            "deals",
            "update",
            &deal,
            "--budget",
            "£15k approved for Q2",
            "--authority",
            "Ada signs; Frances runs procurement",
            "--need",
            "Faster experiment turnaround",
            "--timeline",
            "Decision by mid-April",
            "--notes",
            "Also trialling Initech for the data pipeline.",
        ],
    )?;

    for (days, kind, subject, body, link, id) in [
        (11, "call", "Discovery call", "Walked through their research workflow.", "--deal", &deal),
        (8, "email", "Sent pricing", "Pilot pricing for 10 seats, valid to April.", "--deal", &deal),
        (3, "meeting", "Security review", "Questionnaire to follow from their IT team.", "--contact", &contact),
        (1, "note", "Champion is keen", "Ada wants the pilot live before the April board.", "--company", &company),
    ] {
        s.at(days, &["activities", "log", "--kind", kind, "--subject", subject, "--body", body, link, id])?;
    }

    for (title, due, priority, link, id) in [
        ("Send the security questionnaire", "2030-03-08", "high", "--deal", &deal),
        ("Call Grace about the discount", "2030-03-12", "normal", "--contact", &contacts[1]),
        ("Prepare the Orbital proposal walkthrough", "2030-03-13", "high", "--deal", &deals[3]),
        ("Update the account plan", "2030-03-19", "low", "--company", &company),
        ("Chase the Apollo order form", "2030-03-11", "normal", "--deal", &deals[7]),
    ] {
        s.at(6, &["tasks", "add", "--title", title, "--due-date", due, "--priority", priority, link, id])?;
    }

    for (category, text, link, id) in [
        ("preference", "Prefers a one-page summary before calls", "--contact", &contact),
        ("commitment", "We promised a sandbox by 20 March", "--deal", &deal),
        ("fact", "Frances Allen runs procurement", "--company", &company),
    ] {
        s.at(4, &["memories", "add", "--category", category, "--text", text, link, id])?;
    }

    let meeting = s.id(
        2,
        &[
            "meetings",
            "add",
            "--title",
            "Pilot kick-off with Analytical Engines",
            "--starts-at",
            "2030-03-12T10:15:00Z",
            "--ends-at",
            "2030-03-12T11:00:00Z",
            "--location",
            "Video call",
            "--description",
            "1. Success criteria for the pilot\n2. Security questionnaire\n3. Timeline to the April board",
            "--attendee",
            "Ada Lovelace <ada@analytical.io>",
            "--attendee",
            "Frances Allen <frances@optimizing.io>",
            "--attendee",
            "Sam Carter <sam@outpost.example>",
            "--deal-id",
            &deal,
            "--company-id",
            &company,
        ],
    )?;
    s.at(
        2,
        &[
            "meetings",
            "add",
            "--title",
            "Orbital pricing call",
            "--starts-at",
            "2030-03-14T15:00:00Z",
            "--ends-at",
            "2030-03-14T15:30:00Z",
            "--attendee",
            "Katherine Johnson <katherine@orbital.space>",
            "--attendee",
            "Hedy Lamarr <hedy@spread-spectrum.at>",
            "--deal-id",
            &deals[11],
        ],
    )?;
    let past = s.id(
        9,
        &[
            "meetings",
            "add",
            "--title",
            "Compiler Works negotiation",
            "--starts-at",
            "2030-03-05T14:00:00Z",
            "--ends-at",
            "2030-03-05T15:00:00Z",
            "--attendee",
            "Grace Hopper <grace@compilerworks.com>",
            "--attendee",
            "Donald Knuth <don@typeset.org>",
            "--deal-id",
            &deals[1],
        ],
    )?;
    s.at(
        7,
        &[
            "meetings",
            "notes",
            &past,
            "--text",
            "Agreed on 3-year term.\nTODO: Send revised order form to Grace\nTODO: Loop in legal on the discount",
        ],
    )?;
    s.at(7, &["meetings", "follow-ups", &past])?;

    let files = Path::new(FILES_DIR);
    let inbox = files.join("inbox");
    std::fs::create_dir_all(&inbox).with_context(|| format!("create {}", inbox.display()))?;
    let csv = files.join("spring-conference-leads.csv");
    std::fs::write(&csv, conference_csv()).with_context(|| format!("write {}", csv.display()))?;
    s.at(3, &["import", path_arg(&csv)?])?;
    s.at(3, &["watch", "add", path_arg(&inbox)?])?;

    // The proactive agent at NOW: the meeting's brief, the digest, overdue and stale alerts.
    s.tick = -1;
    s.at(0, &["agent", "run", "--once"])?;
    Ok(Showcase { ws, deal, contact, company, meeting })
}

fn path_arg(path: &Path) -> Result<&str> {
    path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))
}

/// A lead list as a conference badge scan exports it: 14 people, one row with an invalid email
/// and one near-duplicate of an existing contact (so the import has errors and a merge suggestion).
fn conference_csv() -> String {
    let rows = [
        "First Name,Last Name,Email,Company,Job Title,Phone",
        "Radia,Perlman,radia@spanning.net,Spanning Networks,Distinguished Engineer,+1 408 555 0190",
        "Vint,Cerf,vint@tcpip.org,Internet Pioneers,Chief Evangelist,+1 703 555 0117",
        "Tim,Berners-Lee,tim@webfoundation.org,Web Foundation,Director,+44 20 7946 0199",
        "Sophie,Wilson,sophie@armada.co.uk,Armada Chips,Chief Architect,+44 1223 555 010",
        "Steve,Furber,steve@armada.co.uk,Armada Chips,Professor,+44 1223 555 011",
        "Shafi,Goldwasser,shafi@zeroknowledge.io,Zero Knowledge,Head of Research,+1 617 555 0133",
        "Leslie,Lamport,leslie@paxos.dev,Paxos Systems,Principal,+1 650 555 0120",
        "John,McCarthy,john@lisp.ai,Lisp AI,Founder,+1 650 555 0125",
        "Fran,Allen,frances@optimizing.io,Analytical Engines,Buyer,+44 20 7946 0102",
        "Ken,Thompson,ken@bell-systems.com,Bell Systems,Engineer,+1 908 555 0178",
        "Adele,Goldberg,adele@smalltalk.org,Smalltalk Labs,CEO,+1 650 555 0145",
        "Jean,Sammet,jean-at-cobol,Cobol Partners,Manager,+1 212 555 0156",
        "Niklaus,Wirth,niklaus@pascal.ch,Pascal AG,Chief Scientist,+41 44 555 0110",
        "Anita,Borg,anita@systers.org,Systers,Director,+1 650 555 0163",
    ];
    rows.join("\n") + "\n"
}

/// The path `outpost import` was given for the showcase CSV (for tests that look for it).
pub fn conference_csv_path() -> PathBuf {
    Path::new(FILES_DIR).join("spring-conference-leads.csv")
}
