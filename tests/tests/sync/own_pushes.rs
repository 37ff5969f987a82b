//! A device skips its own updates when the pull brings them back (they are applied here already),
//! but only while the server still stores exactly the bytes it pushed. Regression: the first
//! version skipped by sequence number alone, and an erase's compacting push (the server replaces
//! the document's history with one snapshot stored under that push's number) folded another
//! device's edit into a number the pusher then skipped, so that edit never reached it.

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Server};

fn deal<'a>(dump: &'a Value, id: &str) -> Result<&'a Value> {
    dump["deals"].as_array().context("deals")?.iter().find(|d| d["id"] == id).context("the deal vanished")
}

#[test]
fn an_edit_compacted_into_a_devices_own_push_still_reaches_that_device() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);
    let person = a.cli(&["contacts", "add", "--first-name", "Ottilie", "--last-name", "Vantongeren"])?;
    let person_id = s(&person, "id");
    // A deal whose title names the person: erasing them rewrites it and pushes it compacted.
    let named = a.cli(&["deals", "add", "--title", "Ottilie Vantongeren renewal", "--value", "1000"])?;
    let deal_id = s(&named, "id");
    a.sync(&["now"])?;
    b.sync(&["now"])?;

    // B edits the deal's value and pushes it; A has not pulled it when it erases the person.
    b.cli(&["deals", "update", &deal_id, "--value", "2500"])?;
    b.sync(&["now"])?;
    a.cli(&["contacts", "erase", &person_id])?;
    let report = a.sync(&["now"])?;
    ensure!(report["pushed"].as_u64().unwrap_or(0) > 0, "A pushed nothing: {report}");

    let on_a = a.dump()?;
    let deal_on_a = deal(&on_a, &deal_id)?;
    ensure!(deal_on_a["value"].as_f64() == Some(2500.0), "B's edit never reached A: {deal_on_a}");
    ensure!(deal_on_a["title"].as_str().is_some_and(|t| !t.contains("Ottilie")), "not redacted: {deal_on_a}");
    b.sync(&["now"])?;
    let on_b = b.dump()?;
    ensure!(on_a == on_b, "replicas differ:\nA: {on_a:#}\nB: {on_b:#}");
    Ok(())
}
