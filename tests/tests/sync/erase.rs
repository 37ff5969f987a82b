//! GDPR erase through the real CLI and server: a person created on device A and synced to B is
//! erased on A while B edits them offline; after syncing, the person is gone on both (and on a
//! device set up afterwards), B's stale edit did not resurrect them, and no byte of their e-mail,
//! name or phone remains in any file of either data directory or of the server's SQLite store.

use std::path::Path;

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Device, Server};

/// Lower-cased needles: the person's e-mail, first name, last name and phone digits.
const NEEDLES: &[&str] = &["zebulon.q@erasure.example", "zebulon", "quartermaine", "7946 0991", "2079460991"];

/// Every needle found in any file under `dir` (ASCII case-insensitive), with the file.
fn leftovers(dir: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(leftovers(&path)?);
            continue;
        }
        let bytes = std::fs::read(&path)?.to_ascii_lowercase();
        for needle in NEEDLES {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{needle} in {}", path.display()));
            }
        }
    }
    Ok(found)
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
    }
    let mut found = Vec::new();
    for dir in [a.ws.data_dir(), b.ws.data_dir(), late.ws.data_dir(), server.store_dir()] {
        found.extend(leftovers(dir)?);
    }
    ensure!(found.is_empty(), "personal data left behind: {found:#?}");

    // The stale update B made before the erase was refused, not stored: a re-add is a new person.
    let again: Value = b.cli(&["contacts", "add", "--first-name", "Z", "--email", "zebulon.q@erasure.example"])?;
    ensure!(s(&again, "id") != id, "a re-added person reused the erased id");
    Ok(())
}
