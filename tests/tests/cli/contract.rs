//! The CLI contract other tools build on: flags named after fields, `--json` records and lists
//! with snake_case field names, the pipeline board.

use anyhow::Result;
use outpost_tests::{id_of, Workspace};

#[test]
fn contacts_add_list_show_update_delete() -> Result<()> {
    let ws = Workspace::new()?;
    let ada = ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--email",
        "ada@engines.io",
        "--phone",
        "+44 20 7946 0000",
        "--company",
        "Analytical Engines",
    ])?;
    assert_eq!(ada["first_name"], "Ada");
    assert_eq!(ada["last_name"], "Lovelace");
    assert_eq!(ada["email"], "ada@engines.io");
    assert_eq!(ada["phone"], "+44 20 7946 0000");
    assert_eq!(ada["company_name"], "Analytical Engines");
    let id = id_of(&ada)?;
    let company_id = ada["company_id"].as_str().expect("company linked").to_owned();
    assert_eq!(ws.json(&["companies", "show", &company_id])?["name"], "Analytical Engines");

    let list = ws.json(&["contacts", "list", "--search", "lovel"])?;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(ws.json(&["contacts", "list", "--search", "babbage"])?, serde_json::json!([]));

    let updated = ws.json(&["contacts", "update", &id, "--title", "Analyst", "--email-opt-out", "true"])?;
    assert_eq!(updated["title"], "Analyst");
    assert_eq!(updated["email_opt_out"], true);
    assert_eq!(updated["first_name"], "Ada", "untouched fields stay");
    assert_eq!(ws.json(&["contacts", "show", &id])?, updated);

    ws.json(&["contacts", "delete", &id])?;
    let gone = ws.fails(&["contacts", "show", &id])?;
    assert_eq!(gone.code, Some(4));
    assert!(gone.stderr.contains("not found"), "{}", gone.stderr);
    Ok(())
}

#[test]
fn deals_add_move_and_board_totals() -> Result<()> {
    let ws = Workspace::new()?;
    let contact = id_of(&ws.json(&["contacts", "add", "--first-name", "Ada", "--email", "ada@engines.io"])?)?;
    let deal =
        ws.json(&["deals", "add", "--title", "Pilot", "--value", "12000", "--stage", "Lead", "--contact", &contact])?;
    assert_eq!(deal["title"], "Pilot");
    assert_eq!(deal["value"], 12000.0);
    assert_eq!(deal["stage"], "Lead");
    assert_eq!(deal["contact_id"], contact.as_str());
    let deal_id = id_of(&deal)?;
    ws.json(&["deals", "add", "--title", "Expansion", "--value", "500.25", "--currency", "usd"])?;

    let moved = ws.json(&["deals", "move", &deal_id, "--stage", "Proposal"])?;
    assert_eq!(moved["stage"], "Proposal");
    assert_eq!(ws.json(&["deals", "show", &deal_id])?["stage"], "Proposal");
    let in_proposal = ws.json(&["deals", "list", "--stage", "proposal"])?;
    assert_eq!(in_proposal.as_array().map(Vec::len), Some(1));

    let board = ws.json(&["pipeline"])?;
    let stages = board["stages"].as_array().expect("stages");
    let names: Vec<&str> = stages.iter().filter_map(|c| c["stage"]["name"].as_str()).collect();
    assert_eq!(names, ["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);
    assert_eq!(stages[0]["deal_count"], 1);
    assert_eq!(stages[0]["total_value"], 500.25);
    assert_eq!(stages[2]["deal_count"], 1);
    assert_eq!(stages[2]["totals"][0]["value"], 12000.0);

    let timeline = ws.json(&["activities", "list", "--deal", &deal_id])?;
    assert_eq!(timeline[0]["kind"], "stage_change");
    assert_eq!(timeline[0]["subject"], "Moved from Lead to Proposal");
    Ok(())
}

#[test]
fn tasks_activities_and_meetings() -> Result<()> {
    let ws = Workspace::new()?;
    let contact = id_of(&ws.json(&["contacts", "add", "--first-name", "Ada", "--email", "ada@engines.io"])?)?;
    let task =
        ws.json(&["tasks", "add", "--title", "Send proposal", "--due-date", "2026-12-01", "--contact", &contact])?;
    assert_eq!(task["entity_type"], "contact");
    assert_eq!(task["due_date"], "2026-12-01");
    let task_id = id_of(&task)?;
    assert_eq!(ws.json(&["tasks", "list"])?.as_array().map(Vec::len), Some(1));
    assert!(ws.json(&["tasks", "done", &task_id])?["done_at"].is_string());
    assert_eq!(ws.json(&["tasks", "list"])?, serde_json::json!([]));
    assert_eq!(ws.json(&["tasks", "list", "--all"])?.as_array().map(Vec::len), Some(1));

    let call = ws.json(&["activities", "log", "--kind", "call", "--subject", "Intro", "--contact", &contact])?;
    assert_eq!(call["kind"], "call");
    assert!(ws.json(&["contacts", "show", &contact])?["last_contacted_at"].is_string());

    let meeting = ws.json(&[
        "meetings",
        "add",
        "--title",
        "Pilot review",
        "--starts-at",
        "2026-11-26T14:00:00Z",
        "--attendee",
        "Ada <ada@engines.io>",
        "--attendee",
        "bob@example.org",
    ])?;
    assert_eq!(meeting["attendees"].as_array().map(Vec::len), Some(2));
    let meeting_id = id_of(&meeting)?;
    assert_eq!(ws.json(&["meetings", "show", &meeting_id])?["title"], "Pilot review");
    assert_eq!(ws.json(&["meetings", "list"])?[0]["id"], meeting_id.as_str());
    Ok(())
}

#[test]
fn list_limit_is_respected() -> Result<()> {
    let ws = Workspace::new()?;
    for name in ["Ann", "Bea", "Cat"] {
        ws.json(&["contacts", "add", "--first-name", name])?;
    }
    assert_eq!(ws.json(&["contacts", "list", "--limit", "2"])?.as_array().map(Vec::len), Some(2));
    Ok(())
}

#[test]
fn human_output_is_a_readable_table() -> Result<()> {
    let ws = Workspace::new()?;
    ws.json(&["deals", "add", "--title", "Pilot", "--value", "12000", "--currency", "GBP"])?;
    let run = ws.run(&["pipeline"])?;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lead = run.stdout.lines().find(|l| l.starts_with("Lead")).expect("Lead row");
    assert!(lead.contains("12000.00 GBP") && lead.contains(" 1 "), "{lead}");
    Ok(())
}
