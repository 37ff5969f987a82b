//! A merge suggestion accepted on one device replicates: the merged-away contact is deleted on
//! every device and the records that pointed at it (deals, the owner's copilot memories) point at
//! the kept contact everywhere.

use anyhow::{ensure, Context, Result};

use super::support::{s, Server};

const LEADS: &str = "First Name,Last Name,Email,Company\n\
    Jonathan,Harker,jonathan@harker.example,Exeter Law\n\
    Jonathon,Harker,jharker@harker-mail.example,Exeter Law\n";

#[test]
fn an_accepted_merge_replicates_to_the_other_device() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("leads.csv");
    std::fs::write(&csv, LEADS)?;
    a.cli(&["import", &csv.to_string_lossy()])?;
    let merges = a.cli(&["merges", "list"])?;
    let suggestion = merges.as_array().and_then(|m| m.first()).context("no merge suggestion")?.clone();
    let (keep, gone) = (s(&suggestion, "keep_id"), s(&suggestion, "merge_id"));
    let deal = a.cli(&["deals", "add", "--title", "Castle conveyancing", "--contact", &gone])?;
    let memory = a.cli(&["memories", "add", "--contact", &gone, "--category", "fact", "--text", "Prefers letters"])?;
    for device in [&a, &b, &a, &b] {
        device.sync(&["now"])?;
    }
    let on_b = b.cli(&["deals", "show", &s(&deal, "id")])?;
    ensure!(on_b["contact_id"] == gone.as_str(), "B should see the deal on the duplicate first: {on_b}");

    a.cli(&["merges", "accept", &s(&suggestion, "id")])?;
    for device in [&a, &b, &a, &b] {
        device.sync(&["now"])?;
    }
    let contacts = b.cli(&["contacts", "list"])?;
    let ids: Vec<String> = contacts.as_array().context("a list")?.iter().map(|c| s(c, "id")).collect();
    ensure!(ids.contains(&keep) && !ids.contains(&gone), "B still has the merged-away contact: {ids:?}");
    let on_b = b.cli(&["deals", "show", &s(&deal, "id")])?;
    ensure!(on_b["contact_id"] == keep.as_str(), "B's deal was not re-pointed to the kept contact: {on_b}");
    let memories = b.cli(&["memories", "list"])?;
    let on_b =
        memories.as_array().and_then(|m| m.iter().find(|m| m["id"] == memory["id"])).context("B lacks the memory")?;
    let links: Vec<String> = on_b["links"].as_array().context("links")?.iter().map(|l| s(l, "entity_id")).collect();
    ensure!(links == [keep.clone()], "B's memory was not re-linked to the kept contact: {on_b}");
    ensure!(a.dump()? == b.dump()?, "the devices differ after the merge");
    Ok(())
}
