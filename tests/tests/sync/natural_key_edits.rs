//! Natural-key ids across an edit before the first push (issue 14 follow-up): a contact created
//! offline gets the UUIDv5 id of its e-mail; when that e-mail is corrected before the device
//! ever pushed, the contact must still reach the server and every other device, under the same
//! id, with the corrected e-mail — while a record that never carried the key its id derives
//! from is still refused (the squatting protection; see the hostile suite's probes).

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Server};

fn find<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|r| r["id"] == id)
}

#[test]
fn a_contact_whose_email_is_edited_before_its_first_push_still_syncs() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);

    let contact = a.cli(&["contacts", "add", "--first-name", "Ida", "--email", "ida@typo.example"])?;
    let id = s(&contact, "id");
    a.cli(&["contacts", "update", &id, "--email", "ida@right.example"])?;
    let company = a.cli(&["companies", "add", "--name", "Typo Widgets Ltd"])?;
    let company_id = s(&company, "id");
    a.cli(&["companies", "update", &company_id, "--name", "Right Widgets Ltd"])?;

    for _ in 0..2 {
        a.sync(&["now"])?;
        b.sync(&["now"])?;
    }

    let status = a.sync(&["status"])?;
    ensure!(status["pending"].as_u64() == Some(0), "A still has changes the server refused: {status:#}");
    let on_b = b.cli(&["contacts", "list", "--limit", "100"])?;
    let got = find(&on_b, &id).with_context(|| format!("the edited contact never reached B: {on_b:#}"))?;
    ensure!(got["email"] == "ida@right.example", "B holds the wrong e-mail: {got}");
    let companies = b.cli(&["companies", "list", "--limit", "100"])?;
    let got =
        find(&companies, &company_id).with_context(|| format!("the renamed company never reached B: {companies:#}"))?;
    ensure!(got["name"] == "Right Widgets Ltd", "B holds the wrong name: {got}");
    let quarantined = b.sync(&["status"])?;
    ensure!(quarantined["quarantined"].as_u64().unwrap_or(0) == 0, "B quarantined the edited records: {quarantined:#}");
    Ok(())
}

/// Server compaction merges a contact's creation and its e-mail edit into one snapshot; a device
/// receiving that snapshot first (a new device) used to see a natural-key id its current e-mail
/// does not derive and quarantine the contact — whether the e-mail was edited before or after the
/// first push, and likewise a company keyed by its name and renamed. The document now records the key the id was
/// created with, and the new device checks the id against that.
#[test]
fn a_contact_whose_email_was_edited_reaches_a_device_joining_after_compaction() -> Result<()> {
    let server = Server::start()?;
    let a = server.device()?;
    let contact = a.cli(&["contacts", "add", "--first-name", "Ida", "--email", "ida@typo.example"])?;
    let id = s(&contact, "id");
    a.cli(&["contacts", "update", &id, "--email", "ida@right.example"])?;
    // Also edited after the first push, and a company keyed by its name renamed after it.
    let jo = s(&a.cli(&["contacts", "add", "--first-name", "Jo", "--email", "jo@old.example"])?, "id");
    let company = s(&a.cli(&["companies", "add", "--name", "Old Name Widgets Ltd"])?, "id");
    a.sync(&["now"])?;
    a.cli(&["contacts", "update", &jo, "--email", "jo@new.example"])?;
    a.cli(&["companies", "update", &company, "--name", "New Name Widgets Ltd"])?;
    a.sync(&["now"])?;
    server.compact()?;

    let late = server.device()?;
    late.sync(&["now"])?;
    let status = late.sync(&["status"])?;
    ensure!(status["quarantined"].as_u64().unwrap_or(0) == 0, "the late device quarantined it: {status:#}");
    let list = late.cli(&["contacts", "list", "--limit", "100"])?;
    let got = find(&list, &id).with_context(|| format!("the contact never reached the late device: {list:#}"))?;
    ensure!(got["email"] == "ida@right.example", "the late device holds the wrong e-mail: {got}");
    let got = find(&list, &jo).with_context(|| format!("the contact edited after its push never arrived: {list:#}"))?;
    ensure!(got["email"] == "jo@new.example", "the late device holds the wrong e-mail: {got}");
    let companies = late.cli(&["companies", "list", "--limit", "100"])?;
    let got =
        find(&companies, &company).with_context(|| format!("the renamed company never arrived: {companies:#}"))?;
    ensure!(got["name"] == "New Name Widgets Ltd", "the late device holds the wrong name: {got}");
    Ok(())
}
