//! GDPR erase through the real CLI and server: a person created on device A and synced to B is
//! erased on A while B edits them offline; after syncing, the person is gone on both (and on a
//! device set up afterwards), B's stale edit did not resurrect them, and no byte of their e-mail,
//! name or phone remains in any file of either data directory or of the server's SQLite store —
//! also where they were in another deal's title, a note, a meeting's title and attendee list, a
//! copilot conversation and copilot memories (redacted or removed, and the server's older updates of those documents
//! replaced by one compacted snapshot).

use std::path::Path;

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{self, s, Device, Server};

/// Lower-cased needles: the person's e-mail, first name, last name and phone digits, and the
/// text of a memory about them that does not name them.
const NEEDLES: &[&str] =
    &["zebulon.q@erasure.example", "zebulon", "quartermaine", "7946 0991", "2079460991", "golf on fridays"];

fn leftovers(dir: &Path) -> Result<Vec<String>> {
    support::leftovers(dir, NEEDLES)
}

fn has_contact(device: &Device, id: &str) -> Result<bool> {
    let list = device.cli(&["contacts", "list", "--limit", "1000"])?;
    Ok(list.as_array().context("a list")?.iter().any(|c| c["id"] == id))
}

#[test]
fn an_erased_person_is_gone_from_every_replica_and_the_server_files() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);
    let person = a.cli(&[
        "contacts",
        "add",
        "--first-name",
        "Zebulon",
        "--last-name",
        "Quartermaine",
        "--email",
        "Zebulon.Q@erasure.example",
        "--phone",
        "+44 20 7946 0991",
    ])?;
    let id = s(&person, "id");
    a.cli(&["activities", "log", "--kind", "call", "--subject", "Call with Zebulon", "--contact", &id])?;
    let deal = a.cli(&["deals", "add", "--title", "Quarry expansion", "--contact", &id])?;
    // The person in other records' free text, in a meeting's attendee list and in memories.
    let named = a.cli(&["deals", "add", "--title", "Zebulon Quartermaine renewal"])?;
    let named_id = s(&named, "id");
    let body = "Zebulon Quartermaine asked for a discount; reach him at zebulon.q@erasure.example or +44 20 7946 0991";
    a.cli(&["activities", "log", "--kind", "note", "--subject", "Pricing", "--body", body, "--deal", &named_id])?;
    let meeting = a.cli(&[
        "meetings",
        "add",
        "--title",
        "Demo for Zebulon Quartermaine",
        "--starts-at",
        "2026-12-01T10:00:00Z",
        "--attendee",
        "Zebulon Quartermaine <zebulon.q@erasure.example>",
        "--attendee",
        "kim@other.example",
    ])?;
    let asked = a.cli(&["copilot", "ask", "Prepare my call with Zebulon Quartermaine"])?;
    ensure!(!s(&asked, "thread_id").is_empty(), "no conversation: {asked}");
    a.cli(&["memories", "add", "--category", "preference", "--text", "Plays golf on Fridays", "--contact", &id])?;
    a.cli(&["memories", "add", "--category", "fact", "--text", "Zebulon Quartermaine signs", "--deal", &named_id])?;
    for device in [&a, &b, &a, &b] {
        device.sync(&["now"])?;
    }
    ensure!(has_contact(&b, &id)?, "B never received the person");
    ensure!(!leftovers(b.ws.data_dir())?.is_empty(), "the needles should be on B before the erase");
    ensure!(!leftovers(server.store_dir())?.is_empty(), "the needles should be on the server before the erase");

    // B edits the person offline; A erases them and syncs first.
    b.cli(&["contacts", "update", &id, "--title", "Zebulon's new title"])?;
    let erased = a.cli(&["contacts", "erase", &id])?;
    ensure!(erased["activities"] == 1 && erased["deals_unlinked"] == 1, "erase summary: {erased}");
    ensure!(
        erased["memories_removed"].as_u64() >= Some(2) && erased["records_redacted"].as_u64() >= Some(3),
        "summary: {erased}"
    );
    a.sync(&["now"])?;
    let report = b.sync(&["now"])?;
    ensure!(report["erased"].as_u64().unwrap_or(0) >= 1, "B did not apply the erasure: {report}");
    for device in [&a, &b] {
        device.sync(&["now"])?;
    }

    let late = server.device()?;
    late.sync(&["now"])?;
    for (name, device) in [("A", &a), ("B", &b), ("a device set up later", &late)] {
        ensure!(!has_contact(device, &id)?, "the person is still on {name}");
        let kept = device.cli(&["deals", "show", &s(&deal, "id")])?;
        ensure!(kept["contact_id"].is_null(), "{name}: the kept deal still links the person: {kept}");
        let status = device.sync(&["status"])?;
        ensure!(status["pending"] == 0 && status["last_error"].is_null(), "{name} status: {status}");
        let renamed = device.cli(&["deals", "show", &named_id])?;
        ensure!(renamed["title"] == "[erased] [erased] renewal", "{name}: the deal title was not redacted: {renamed}");
        let kept = device.cli(&["meetings", "show", &s(&meeting, "id")])?;
        ensure!(kept["title"] == "Demo for [erased] [erased]", "{name}: meeting title not redacted: {kept}");
        ensure!(kept["attendees"].as_array().map(Vec::len) == Some(1), "{name}: attendees: {kept}");
    }
    // The server scrubs its files in the background, within the stated bound.
    let mut found = server.leftovers_after_scrub(NEEDLES)?;
    for dir in [a.ws.data_dir(), b.ws.data_dir(), late.ws.data_dir()] {
        found.extend(leftovers(dir)?);
    }
    ensure!(found.is_empty(), "personal data left behind: {found:#?}");

    // The stale update B made before the erase was refused, not stored: a re-add is a new person.
    let again: Value = b.cli(&["contacts", "add", "--first-name", "Z", "--email", "zebulon.q@erasure.example"])?;
    ensure!(s(&again, "id") != id, "a re-added person reused the erased id");
    Ok(())
}
