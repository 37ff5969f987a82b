//! Bad input on every command: a clear error on stderr, the documented exit code, and the data
//! left exactly as it was.

use anyhow::Result;
use outpost_tests::{id_of, Workspace};

#[test]
fn every_bad_command_explains_itself_and_changes_nothing() -> Result<()> {
    let ws = Workspace::new()?;
    let contact = id_of(&ws.json(&["contacts", "add", "--first-name", "Ada", "--email", "ada@engines.io"])?)?;
    let deal = id_of(&ws.json(&["deals", "add", "--title", "Pilot", "--value", "100"])?)?;
    let before = ws.db_dump()?;
    let missing = "01900000-0000-7000-8000-00000000dead";

    // (arguments, expected exit code, text the error must contain)
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["contacts", "add", "--first-name", "Bob", "--email", "bob@"], 3, "not a valid email"),
        (vec!["contacts", "add", "--title", "CEO"], 3, "needs at least a name"),
        (vec!["contacts", "add", "--first-name", "Eve", "--phone", "call me"], 3, "not a phone number"),
        (vec!["contacts", "add", "--first-name", "Ada", "--email", "ADA@engines.io"], 5, "already exists"),
        (vec!["contacts", "update", &contact, "--email", "nope"], 3, "not a valid email"),
        (vec!["contacts", "update", &contact, "--first-name", "", "--email", ""], 3, "needs at least a name"),
        (vec!["contacts", "update", missing, "--title", "x"], 4, "not found"),
        (vec!["contacts", "show", missing], 4, "not found"),
        (vec!["contacts", "delete", missing], 4, "not found"),
        (vec!["contacts", "erase", missing], 4, "not found"),
        (vec!["contacts", "list", "--limit", "0"], 3, "at least 1"),
        (vec!["companies", "add", "--domain", "acme.com"], 3, "required"),
        (vec!["companies", "add", "--name", "Acme", "--domain", "not a domain"], 3, "not a domain"),
        (vec!["companies", "show", missing], 4, "not found"),
        (vec!["deals", "add", "--title", "Neg", "--value", "-5"], 3, "cannot be negative"),
        (vec!["deals", "add", "--title", "X", "--stage", "Dreaming"], 3, "unknown stage"),
        (vec!["deals", "add", "--title", "X", "--company", "New Co", "--stage", "Dreaming"], 3, "unknown stage"),
        (vec!["deals", "add", "--title", "X", "--contact", missing], 4, "not found"),
        (vec!["deals", "add", "--title", "  "], 3, "required"),
        (vec!["deals", "add", "--title", "X", "--currency", "pounds"], 3, "currency code"),
        (vec!["deals", "add", "--title", "X", "--expected-close", "next week"], 3, "not a date"),
        (vec!["deals", "move", &deal, "--stage", "Nowhere"], 3, "choose one of: Lead, Qualified"),
        (vec!["deals", "move", missing, "--stage", "Won"], 4, "not found"),
        (vec!["deals", "update", &deal, "--value", "-1"], 3, "cannot be negative"),
        (vec!["tasks", "add", "--title", "X", "--due-date", "31/12/2026"], 3, "not a date"),
        (vec!["tasks", "add", "--title", "X", "--contact", missing], 4, "not found"),
        (vec!["tasks", "add", "--title", "X", "--contact", &contact, "--deal", &deal], 3, "one record only"),
        (vec!["tasks", "done", missing], 4, "not found"),
        (vec!["activities", "log", "--subject", "Loose"], 3, "link the activity"),
        (
            vec!["activities", "log", "--kind", "telegram", "--subject", "x", "--contact", &contact],
            3,
            "unknown activity kind",
        ),
        (vec!["meetings", "add", "--title", "M", "--starts-at", "soon"], 3, "not a time"),
        (
            vec!["meetings", "add", "--title", "M", "--starts-at", "2026-11-26T10:00:00Z", "--attendee", "bob"],
            3,
            "not a valid email",
        ),
        (vec!["meetings", "show", missing], 4, "not found"),
        (vec!["contacts", "show", "not-a-uuid"], 2, "not a valid contact id"),
    ];
    for (args, code, needle) in &cases {
        let run = ws.fails(args)?;
        assert_eq!(run.code, Some(*code), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: stderr {:?} lacks {needle:?}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} printed to stdout: {}", run.stdout);
    }
    let after = ws.db_dump()?;
    assert!(after == before, "a rejected command changed the database:\n{}", before.diff(&after));
    Ok(())
}

#[test]
fn json_errors_are_machine_readable() -> Result<()> {
    let ws = Workspace::new()?;
    let run = ws.fails(&["deals", "add", "--title", "X", "--value", "-1"])?;
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim())?;
    assert_eq!(error["error"]["kind"], "invalid");
    assert_eq!(error["error"]["field"], "value");
    Ok(())
}
