//! "A rejected command leaves the database exactly as it was", for every command group of the CLI:
//! a workspace with rows in many tables (contacts to copilot actions, an import job, a memory,
//! settings, a brief), then rejected commands of each group, comparing every row of every table
//! (and the schema) before and after. The groups come from `outpost --help`, so a new group
//! without a rejected case here fails the test.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use outpost_tests::{id_of, Workspace};

const MISSING: &str = "01900000-0000-7000-8000-00000000dead";

/// The command groups `outpost --help` lists (without `help`).
fn command_groups(ws: &Workspace) -> Result<BTreeSet<String>> {
    let help = ws.run(&["--help"])?;
    let section = help.stdout.split("Commands:").nth(1).context("no Commands: section in --help")?;
    let section = section.split("Options:").next().unwrap_or(section);
    Ok(section
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect())
}

/// Fills many tables through the CLI itself; returns ids the cases refer to.
struct Seeded {
    contact: String,
    deal: String,
    meeting: String,
    memory: String,
    executed_action: String,
    import_job: String,
    csv: std::path::PathBuf,
    _files: tempfile::TempDir,
}

fn seed(ws: &Workspace) -> Result<Seeded> {
    let files = tempfile::tempdir()?;
    let company = id_of(&ws.json(&["companies", "add", "--name", "Acme", "--domain", "acme.com"])?)?;
    let contact = id_of(&ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--email",
        "ada@acme.com",
        "--company-id",
        &company,
    ])?)?;
    let deal = id_of(&ws.json(&["deals", "add", "--title", "Pilot", "--value", "1200", "--contact", &contact])?)?;
    ws.json(&["deals", "move", &deal, "--stage", "Proposal"])?;
    ws.json(&["tasks", "add", "--title", "Send pricing", "--deal", &deal, "--due-date", "2026-12-01"])?;
    ws.json(&["activities", "log", "--kind", "call", "--subject", "Intro call", "--contact", &contact])?;
    let meeting = id_of(&ws.json(&[
        "meetings",
        "add",
        "--title",
        "Pilot review",
        "--starts-at",
        "2026-12-02T10:00:00Z",
        "--attendee",
        "ada@acme.com",
        "--deal",
        &deal,
    ])?)?;
    ws.json(&["meetings", "notes", &meeting, "--text", "Action: send the contract"])?;
    let memory = id_of(&ws.json(&[
        "memories",
        "add",
        "--contact",
        &contact,
        "--category",
        "preference",
        "--text",
        "Prefers calls after 4pm",
    ])?)?;
    ws.json(&["settings", "set", "internal-domains", "outpost.test"])?;
    ws.json(&["brief", &meeting])?;
    // The offline copilot proposes actions; confirm one so an executed action exists too.
    let answer = ws.json(&["copilot", "ask", "What should I do next?", "--deal", &deal])?;
    let proposed = answer["next_actions"].as_array().context("next_actions")?;
    let first = proposed.first().context("the offline copilot proposed no action")?;
    let executed_action = id_of(first)?;
    ws.json(&["copilot", "confirm", &executed_action])?;
    let csv = files.path().join("leads.csv");
    std::fs::write(&csv, "First Name,Email,Company\nGrace,grace@navy.mil,Navy\nAlan,not-an-email,Bletchley\n")?;
    let import_job = id_of(&ws.json(&["import", &csv.to_string_lossy()])?)?;
    Ok(Seeded { contact, deal, meeting, memory, executed_action, import_job, csv, _files: files })
}

#[test]
fn a_rejected_command_of_every_group_leaves_every_table_as_it_was() -> Result<()> {
    let ws = Workspace::new()?;
    let s = seed(&ws)?;
    let mut before = ws.db_dump()?;
    assert!(before.non_empty_tables() >= 15, "the seeded workspace fills many tables: {before:?}");

    let dir = tempfile::tempdir()?;
    let not_ics = dir.path().join("calendar.ics");
    std::fs::write(&not_ics, "this is not an iCalendar file\n")?;
    let bad_mapping = dir.path().join("mapping.json");
    std::fs::write(&bad_mapping, "{\"Email\": \"favourite_colour\"}")?;
    let no_file = dir.path().join("missing.csv").to_string_lossy().into_owned();
    let no_folder = dir.path().join("no-such-folder").to_string_lossy().into_owned();
    let (csv, mapping, ics) = (
        s.csv.to_string_lossy().into_owned(),
        bad_mapping.to_string_lossy().into_owned(),
        not_ics.to_string_lossy().into_owned(),
    );

    // (group, arguments, text the error must contain).
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("contacts", vec!["contacts", "update", &s.contact, "--email", "nope"], "not a valid email"),
        ("contacts", vec!["contacts", "add", "--first-name", "Ada", "--email", "ADA@acme.com"], "already exists"),
        ("contacts", vec!["contacts", "erase", MISSING], "not found"),
        ("companies", vec!["companies", "add", "--name", "Acme", "--domain", "not a domain"], "not a domain"),
        ("companies", vec!["companies", "delete", MISSING], "not found"),
        ("deals", vec!["deals", "move", &s.deal, "--stage", "Nowhere"], "choose one of"),
        ("deals", vec!["deals", "update", &s.deal, "--value", "-1"], "cannot be negative"),
        ("tasks", vec!["tasks", "add", "--title", "X", "--due-date", "31/12/2026"], "not a date"),
        ("tasks", vec!["tasks", "done", MISSING], "not found"),
        ("activities", vec!["activities", "log", "--subject", "Loose"], "link the activity"),
        ("meetings", vec!["meetings", "add", "--title", "M", "--starts-at", "soon"], "not a time"),
        ("meetings", vec!["meetings", "notes", MISSING, "--text", "x"], "not found"),
        ("meetings", vec!["meetings", "follow-ups", MISSING], "not found"),
        ("meetings", vec!["meetings", "import", &ics], "calendar"),
        ("settings", vec!["settings", "set", "timezone", "Mars/Olympus_Mons"], "timezone"),
        ("settings", vec!["settings", "set", "calendar-days-back", "--", "-3"], "calendar-days-back"),
        ("settings", vec!["settings", "set", "favourite-colour", "blue"], "favourite-colour"),
        ("pipeline", vec!["pipeline", "--stage", "Won"], "--stage"),
        ("import", vec!["import", &no_file], "missing.csv"),
        ("import", vec!["import", &csv], "already imported"),
        ("import", vec!["import", &csv, "--force", "--mapping", &mapping], "favourite_colour"),
        ("import", vec!["import", &csv, "--force", "--mode", "sometimes"], "mode"),
        ("imports", vec!["imports", "show", MISSING], "not found"),
        ("imports", vec!["imports", "errors", MISSING], "not found"),
        ("merges", vec!["merges", "accept", MISSING], "not found"),
        ("merges", vec!["merges", "dismiss", MISSING], "not found"),
        ("watch", vec!["watch", "add", &no_folder], "no-such-folder"),
        ("watch", vec!["watch", "add", "ftp://example.com/leads"], "ftp://"),
        ("watch", vec!["watch", "remove", MISSING], "not"),
        ("sync", vec!["sync", "connect", "--server", "http://127.0.0.1:1", "--token", "t0ken"], "command line"),
        ("sync", vec!["sync", "now"], "not connected"),
        (
            "memories",
            vec!["memories", "add", "--contact", &s.contact, "--category", "gossip", "--text", "x"],
            "category",
        ),
        ("memories", vec!["memories", "edit", &s.memory, "--confidence", "2"], "confidence"),
        ("memories", vec!["memories", "forget", MISSING], "not found"),
        ("copilot", vec!["copilot", "confirm", &s.executed_action], "already executed"),
        ("copilot", vec!["copilot", "dismiss", MISSING], "not found"),
        (
            "copilot",
            vec!["copilot", "provider", "set", "--kind", "gpt9", "--base-url", "http://127.0.0.1:1/v1", "--model", "m"],
            "kind",
        ),
        ("copilot", vec!["copilot", "limit", "--tokens=-5"], "zero or more"),
        ("copilot", vec!["copilot", "ask", "What next?", "--deal", MISSING], "not found"),
        ("calendar", vec!["calendar", "sync"], "connect"),
        ("connections", vec!["connections", "add", "myspace"], "myspace"),
        ("connections", vec!["connections", "test", MISSING], "not found"),
        ("connections", vec!["connections", "remove", MISSING], "not found"),
        (
            "outbound",
            vec!["outbound", "send", "--webhook", "https://hooks.slack.com/services/T/B/x", "--text", "hi"],
            "command line",
        ),
        ("outbound", vec!["outbound", "retry", MISSING], "not found"),
        ("outbound", vec!["outbound", "cancel", MISSING], "not found"),
        ("brief", vec!["brief", MISSING], "not found"),
        ("briefs", vec!["briefs", "show", MISSING], "not found"),
        ("briefs", vec!["briefs", "review", MISSING, "--comment", "Looks good"], "not found"),
        ("briefs", vec!["briefs", "list", "--status", "perfect"], "status"),
        ("scores", vec!["scores", "show"], "exactly one"),
        ("scores", vec!["scores", "show", "--contact", MISSING], "not found"),
        ("agent", vec!["--now", "2026-13-45T00:00:00Z", "agent", "run", "--once"], "now"),
        ("agent", vec!["agent", "run", "--once", "--every", "0"], "--every"),
        ("alerts", vec!["alerts", "read", MISSING], "not found"),
        ("digest", vec!["--now", "tomorrow-ish", "digest"], "now"),
        ("team", vec!["team", "meetings", "--days=-2"], "days"),
        ("audit", vec!["audit", "--limit=-1"], "limit"),
        ("audit", vec!["audit", "--limit", "0"], "--limit"),
    ];

    let covered: BTreeSet<String> = cases.iter().map(|(group, ..)| (*group).to_owned()).collect();
    let groups = command_groups(&ws)?;
    let uncovered: Vec<_> = groups.difference(&covered).collect();
    assert!(uncovered.is_empty(), "command groups with no rejected case here: {uncovered:?}");

    let mut problems = Vec::new();
    for (group, args, needle) in &cases {
        let run = ws.run(&[&["--json"][..], args].concat())?;
        if run.code == Some(0) {
            problems.push(format!("{group}: {args:?} was accepted: {}", run.stdout));
        } else if !run.stderr.to_lowercase().contains(&needle.to_lowercase()) {
            problems.push(format!("{group}: {args:?}: stderr {:?} lacks {needle:?}", run.stderr.trim()));
        }
        let after = ws.db_dump()?;
        if after != before {
            problems.push(format!("{group}: {args:?} changed the database:\n{}", before.diff(&after)));
            before = after;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The cases really ran against the seeded rows.
    let _ = (&s.meeting, &s.import_job);
    Ok(())
}
