//! A contact's LinkedIn profile and time zone end to end through the real CLI and server: typed
//! with `contacts add/update` (stored in one form, refused when not a LinkedIn profile or an
//! IANA zone), imported from a CSV's "LinkedIn URL" and "Time zone" columns, synced to a second
//! device and edited there, exported, and gone from every replica and the server's files after
//! the person's GDPR erasure — also where the profile URL was pasted into another record's note.

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{self, s, Device, Server};

const LEADS: &str = "First Name,Last Name,Email,LinkedIn URL,Time zone\n\
    Grace,Hopper,grace.h@fields.example,https://www.linkedin.com/in/grace-hopper-1906?trk=x,America/New_York\n\
    Alan,Turing,alan.t@fields.example,not a profile,europe/london\n";

/// Lower-cased needles of the person erased at the end: her profile, e-mail and name.
const NEEDLES: &[&str] = &["grace-hopper-1906", "grace.h@fields.example", "hopper"];

fn sync_both(a: &Device, b: &Device) -> Result<()> {
    for _ in 0..2 {
        a.sync(&["now"])?;
        b.sync(&["now"])?;
    }
    Ok(())
}

fn by_email<'a>(list: &'a Value, email: &str) -> Result<&'a Value> {
    list.as_array().context("a list")?.iter().find(|c| c["email"] == email).with_context(|| format!("no {email}"))
}

#[test]
fn linkedin_and_time_zone_are_typed_imported_synced_exported_and_erased() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);

    // Typed on A: pasted forms are stored in one form.
    let ada = a.cli(&[
        "contacts",
        "add",
        "--first-name",
        "Ada",
        "--email",
        "ada@fields.example",
        "--linkedin",
        "linkedin.com/in/ada-lovelace/",
        "--time-zone",
        "europe/london",
    ])?;
    ensure!(ada["linkedin_url"] == "https://www.linkedin.com/in/ada-lovelace", "stored form: {ada}");
    ensure!(ada["time_zone"] == "Europe/London", "stored form: {ada}");
    // Refused values name the field and change nothing.
    for (flag, value, field) in
        [("--linkedin", "https://evil.example/in/ada", "linkedin_url"), ("--time-zone", "PST", "time_zone")]
    {
        let run = a.ws.fails(&["contacts", "add", "--first-name", "Bad", flag, value])?;
        ensure!(run.stderr.contains(field) || run.stdout.contains(field), "{flag} {value}: {run:?}");
    }
    ensure!(a.cli(&["contacts", "list"])?.as_array().map(Vec::len) == Some(1), "a refused contact was stored");

    // Imported on A from a CSV's own headers.
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("leads.csv");
    std::fs::write(&csv, LEADS)?;
    a.cli(&["import", &csv.to_string_lossy()])?;

    sync_both(&a, &b)?;
    let on_b = b.cli(&["contacts", "list"])?;
    let grace = by_email(&on_b, "grace.h@fields.example")?;
    ensure!(grace["linkedin_url"] == "https://www.linkedin.com/in/grace-hopper-1906", "imported+synced: {grace}");
    ensure!(grace["time_zone"] == "America/New_York", "imported+synced: {grace}");
    let alan = by_email(&on_b, "alan.t@fields.example")?;
    ensure!(alan["linkedin_url"].is_null() && alan["time_zone"] == "Europe/London", "alan: {alan}");
    ensure!(alan["custom_fields"]["LinkedIn URL"] == "not a profile", "the refused cell is kept aside: {alan}");
    let ada_on_b = by_email(&on_b, "ada@fields.example")?;
    ensure!(ada_on_b["linkedin_url"] == "https://www.linkedin.com/in/ada-lovelace", "typed+synced: {ada_on_b}");

    // Edited on B, seen on A.
    b.cli(&["contacts", "update", &s(&ada, "id"), "--time-zone", "Europe/Paris"])?;
    sync_both(&a, &b)?;
    let ada_on_a = a.cli(&["contacts", "show", &s(&ada, "id")])?;
    ensure!(ada_on_a["time_zone"] == "Europe/Paris", "B's edit did not reach A: {ada_on_a}");

    // Exported on B.
    let out = dir.path().join("export.csv");
    b.cli(&["contacts", "export", "--csv", &out.to_string_lossy()])?;
    let exported = std::fs::read_to_string(&out)?;
    let header = exported.lines().next().unwrap_or_default();
    ensure!(header.contains("linkedin_url") && header.contains("time_zone"), "export header: {header}");
    ensure!(
        exported
            .lines()
            .any(|l| l.contains("https://www.linkedin.com/in/grace-hopper-1906") && l.contains("America/New_York")),
        "export rows: {exported}"
    );

    // Grace's profile pasted into a deal's note on A; then A erases her.
    let deal = a.cli(&["deals", "add", "--title", "Navy pilot"])?;
    let body = "Sourced from linkedin.com/in/grace-hopper-1906 at the conference";
    a.cli(&[
        "activities",
        "log",
        "--kind",
        "note",
        "--subject",
        "Sourcing",
        "--body",
        body,
        "--deal",
        &s(&deal, "id"),
    ])?;
    sync_both(&a, &b)?;
    ensure!(!support::leftovers(b.ws.data_dir(), NEEDLES)?.is_empty(), "B should hold Grace before the erase");
    a.cli(&["contacts", "erase", &s(grace, "id")])?;
    sync_both(&a, &b)?;

    for device in [&a, &b] {
        let list = device.cli(&["contacts", "list"])?;
        ensure!(by_email(&list, "grace.h@fields.example").is_err(), "Grace is still listed: {list}");
    }
    let mut found = server.leftovers_after_scrub(NEEDLES)?;
    found.extend(support::leftovers(b.ws.data_dir(), NEEDLES)?);
    ensure!(found.is_empty(), "Grace's profile, e-mail or name left behind: {found:#?}");
    Ok(())
}
