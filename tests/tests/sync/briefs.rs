//! Briefs through the real CLI and server: a rep's brief reaches their manager's desktop, the
//! manager reviews and comments there while the rep's inputs change and the rep's device
//! regenerates the brief offline; after syncing, both devices show ONE brief for the meeting,
//! still reviewed, with the comment, and the same regenerated content.

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Device, Server};

/// Every command runs at this instant, so both devices build from the same clock.
const NOW: &str = "2026-11-24T09:00:00Z";

fn at(device: &Device, args: &[&str]) -> Result<Value> {
    let full: Vec<&str> = ["--now", NOW].into_iter().chain(args.iter().copied()).collect();
    device.cli(&full)
}

fn sync_both(a: &Device, b: &Device) -> Result<()> {
    for _ in 0..2 {
        a.sync(&["now"])?;
        b.sync(&["now"])?;
    }
    Ok(())
}

#[test]
fn a_review_and_its_comment_survive_a_regeneration_on_another_device() -> Result<()> {
    let server = Server::start()?;
    server.add_user("max@acme.test", "manager")?;
    let (rep, boss) = (server.device()?, server.device_of("max@acme.test")?);

    let contact = at(&rep, &["contacts", "add", "--first-name", "Bea", "--email", "bea@client.example"])?;
    let meeting = at(
        &rep,
        &[
            "meetings",
            "add",
            "--title",
            "Renewal review",
            "--starts-at",
            "2026-11-24T11:00:00Z",
            "--attendee",
            "bea@client.example",
        ],
    )?;
    let meeting_id = s(&meeting, "id");
    let first = at(&rep, &["brief", &meeting_id])?;
    let brief_id = s(&first, "id");
    sync_both(&rep, &boss)?;
    let listed = at(&boss, &["briefs", "list"])?;
    ensure!(listed.as_array().is_some_and(|l| l.len() == 1 && l[0]["id"] == brief_id.as_str()), "boss: {listed}");

    // The manager reviews on their desktop; meanwhile the rep logs a call (new inputs) and the
    // rep's device regenerates the brief, offline.
    let reviewed = at(&boss, &["briefs", "review", &brief_id, "--comment", "Lead with the renewal price"])?;
    ensure!(reviewed["status"] == "reviewed", "review: {reviewed}");
    let call = ["activities", "log", "--kind", "call", "--subject", "Pricing call", "--at", "2026-11-24T08:00:00Z"];
    at(&rep, &[&call[..], &["--contact", &s(&contact, "id")]].concat())?;
    let regenerated = at(&rep, &["brief", &meeting_id])?;
    ensure!(regenerated["fingerprint"] != first["fingerprint"], "the call did not change the brief's inputs");
    sync_both(&rep, &boss)?;

    let (on_rep, on_boss) = (at(&rep, &["briefs", "show", &brief_id])?, at(&boss, &["briefs", "show", &brief_id])?);
    for (name, brief) in [("rep", &on_rep), ("manager", &on_boss)] {
        ensure!(brief["status"] == "reviewed", "{name}: the regeneration undid the review: {brief}");
        let comments = brief["comments"].as_array().context("comments")?;
        ensure!(comments.len() == 1 && comments[0]["body"] == "Lead with the renewal price", "{name}: {brief}");
        let timeline = brief["content"]["timeline"].to_string();
        ensure!(timeline.contains("Pricing call"), "{name}: the brief misses the new call: {brief}");
    }
    ensure!(on_rep["content"] == on_boss["content"], "the devices built different briefs:\n{on_rep:#}\n{on_boss:#}");
    ensure!(at(&rep, &["briefs", "list"])?.as_array().map(Vec::len) == Some(1), "the meeting has two briefs");
    Ok(())
}
