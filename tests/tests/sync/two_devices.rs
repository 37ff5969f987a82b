//! Two devices of one rep, offline edits on both, then `sync now` through the real server:
//! concurrent edits of different fields of one deal both survive, the same lead imported on both
//! devices is ONE contact, delete-vs-edit ends deleted everywhere, and both replicas end equal.

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Device, Server};

const LEADS: &str =
    "First Name,Last Name,Email,Company,Title\nGrace,Hopper,Grace.Hopper@Navy.example,US Navy,Rear Admiral\n";

fn sync_both(a: &Device, b: &Device) -> Result<()> {
    for _ in 0..2 {
        a.sync(&["now"])?;
        b.sync(&["now"])?;
    }
    Ok(())
}

fn find<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|r| r["id"] == id)
}

#[test]
fn offline_edits_on_two_devices_converge_through_the_server() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);

    // Shared starting point: a deal and a contact made on A, synced to B.
    let deal = a.cli(&["deals", "add", "--title", "Pilot", "--value", "12000", "--currency", "GBP"])?;
    let deal_id = s(&deal, "id");
    let doomed =
        a.cli(&["contacts", "add", "--first-name", "Old", "--last-name", "Lead", "--email", "old@lead.example"])?;
    let doomed_id = s(&doomed, "id");
    sync_both(&a, &b)?;
    ensure!(find(&b.cli(&["deals", "list"])?, &deal_id).is_some(), "B did not receive the deal");

    // Offline on both: different fields of the same deal; delete vs edit; the same lead imported.
    a.cli(&["deals", "update", &deal_id, "--next-step", "Send the proposal"])?;
    b.cli(&["deals", "update", &deal_id, "--value", "15000"])?;
    a.cli(&["contacts", "delete", &doomed_id])?;
    b.cli(&["contacts", "update", &doomed_id, "--title", "CTO"])?;
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("leads.csv");
    std::fs::write(&csv, LEADS)?;
    let csv = csv.to_string_lossy().to_string();
    a.cli(&["import", &csv])?;
    b.cli(&["import", &csv])?;
    let pending = a.sync(&["status"])?;
    ensure!(pending["pending"].as_u64().unwrap_or(0) > 0, "A has no pending changes: {pending}");

    sync_both(&a, &b)?;

    let (dump_a, dump_b) = (a.dump()?, b.dump()?);
    ensure!(dump_a == dump_b, "replicas differ after sync:\nA: {dump_a:#}\nB: {dump_b:#}");
    let deal = find(&dump_a["deals"], &deal_id).context("the deal vanished")?;
    ensure!(deal["next_step"] == "Send the proposal", "A's edit was lost: {deal}");
    ensure!(deal["value"].as_f64() == Some(15000.0), "B's edit was lost: {deal}");
    ensure!(find(&dump_a["contacts"], &doomed_id).is_none(), "delete vs edit did not end deleted: {dump_a:#}");
    let graces: Vec<&Value> = dump_a["contacts"]
        .as_array()
        .context("contacts")?
        .iter()
        .filter(|c| c["email"] == "grace.hopper@navy.example")
        .collect();
    ensure!(graces.len() == 1, "the lead imported on both devices is {} contacts: {graces:?}", graces.len());

    let status = b.sync(&["status"])?;
    ensure!(status["pending"] == 0 && status["last_error"].is_null(), "B status after sync: {status}");
    ensure!(status["server"] == server.url.as_str() && status["last_sync_at"].is_string(), "status: {status}");
    ensure!(status["state"] == "synced", "B should show synced: {status}");

    // Disconnecting keeps the data and queues new changes; the state says so.
    b.cli(&["deals", "update", &deal_id, "--next-step", "Call back"])?;
    let done = b.sync(&["disconnect"])?;
    ensure!(done["server"] == server.url.as_str() && done["pending"] == 1, "disconnect: {done}");
    let status = b.sync(&["status"])?;
    ensure!(status["state"] == "not_connected" && status["pending"] == 1, "after disconnect: {status}");
    ensure!(b.sync(&["now"]).is_err(), "a disconnected device synced");
    Ok(())
}
