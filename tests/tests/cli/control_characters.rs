//! Invisible control characters in files and typed values are cleaned like stray whitespace,
//! never stored: exports and pastes carry them (a DEL after a company name, an escape sequence,
//! a NUL), and stored they would split one company into two, miss de-duplication and reach
//! every device. Line breaks and tabs in notes stay. Accents a Mac export writes decomposed
//! (NFD) are stored composed, for the same reason.

use std::io::Write;

use anyhow::Result;
use outpost_tests::Workspace;
use serde_json::Value;

/// True for what no stored value may hold: C0 other than tab/LF/CR, DEL, C1.
fn hidden_controls(value: &Value) -> Vec<char> {
    value
        .to_string()
        .chars()
        .filter(|c| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'))
        .collect()
}

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> Result<String> {
    let path = dir.path().join(name);
    std::fs::File::create(&path)?.write_all(bytes)?;
    Ok(path.display().to_string())
}

#[test]
fn control_characters_in_a_lead_list_are_dropped_and_one_company_stays_one() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let csv = "First Name,Last Name,Email,Company,Notes\n\
               Eve\u{1b}[2J,Smith\u{1},eve@acme.io,Acme Corp\u{7f},\"first line\r\nsecond\tline\u{9b}\"\n\
               Ann,Archer,ann@acme.io,Acme Corp,\n";
    let path = file(&dir, "leads.csv", csv.as_bytes())?;
    let job = ws.json(&["import", &path])?;
    assert_eq!((&job["imported"], &job["failed"]), (&2.into(), &0.into()), "{job}");

    let contacts = ws.json(&["contacts", "list"])?;
    assert_eq!(hidden_controls(&contacts), Vec::<char>::new(), "{contacts}");
    let eve = contacts.as_array().and_then(|l| l.iter().find(|c| c["email"] == "eve@acme.io")).cloned();
    let eve = eve.ok_or_else(|| anyhow::anyhow!("eve missing: {contacts}"))?;
    assert_eq!((&eve["first_name"], &eve["last_name"]), (&"Eve[2J".into(), &"Smith".into()));
    assert_eq!(eve["notes"], "first line\r\nsecond\tline", "line breaks and tabs are kept");
    let companies = ws.json(&["companies", "list"])?;
    assert_eq!(companies.as_array().map(Vec::len), Some(1), "'Acme Corp\\u{{7f}}' is Acme Corp: {companies}");
    assert_eq!(companies[0]["name"], "Acme Corp");
    Ok(())
}

#[test]
fn control_characters_in_a_calendar_file_are_dropped_from_titles_and_places() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//controls//EN\r\nBEGIN:VEVENT\r\n\
               UID:controls@fixtures.outpost\r\nDTSTAMP:20261201T000000Z\r\n\
               DTSTART:20261210T150000Z\r\nDTEND:20261210T160000Z\r\n\
               SUMMARY:Acme\u{1b}]0;owned\u{7} review\u{7f}\r\nLOCATION:Room\u{1} 4\r\n\
               DESCRIPTION:Agenda\\nPricing\u{8}\r\n\
               ORGANIZER:mailto:ann@ours.io\r\nATTENDEE;CN=Bob:mailto:bob@acme.io\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let path = file(&dir, "invite.ics", ics.as_bytes())?;
    let report = ws.json(&["meetings", "import", &path, "--from", "2026-12-01", "--to", "2026-12-31"])?;
    assert_eq!(report["created"], 1, "{report}");
    let meetings = ws.json(&["meetings", "list"])?;
    assert_eq!(hidden_controls(&meetings), Vec::<char>::new(), "{meetings}");
    assert_eq!(meetings[0]["title"], "Acme]0;owned review");
    assert_eq!(meetings[0]["location"], "Room 4");
    assert_eq!(meetings[0]["description"], "Agenda\nPricing");
    Ok(())
}

#[test]
fn control_characters_typed_into_a_command_are_dropped_like_surrounding_spaces() -> Result<()> {
    let ws = Workspace::new()?;
    let contact = ws.json(&[
        "contacts",
        "add",
        "--first-name",
        " Ada\u{1b}[31m ",
        "--email",
        "ada@engines.io\u{8}",
        "--company",
        "Engines\u{7f}",
    ])?;
    assert_eq!(hidden_controls(&contact), Vec::<char>::new(), "{contact}");
    assert_eq!((&contact["first_name"], &contact["email"]), (&"Ada[31m".into(), &"ada@engines.io".into()));
    assert_eq!(contact["company_name"], "Engines");
    // Nothing but controls is blank: refused as a missing name, naming the field.
    let run = ws.fails(&["contacts", "add", "--first-name", "\u{1b}\u{7}"])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let error: Value = serde_json::from_str(run.stderr.trim())?;
    assert_eq!(error["error"]["field"], "first_name", "{error}");
    Ok(())
}

#[test]
fn a_mac_export_with_decomposed_accents_joins_the_company_typed_with_composed_ones() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    ws.json(&["companies", "add", "--name", "Café Müller"])?;
    // "é" as "e" + U+0301 and "ü" as "u" + U+0308, as macOS writes file contents and names.
    let csv = "First Name,Last Name,Email,Company\nJose\u{301},Mu\u{308}ller,jose@cafe-mueller.de,Cafe\u{301} Mu\u{308}ller\n";
    let path = file(&dir, "mac.csv", csv.as_bytes())?;
    let job = ws.json(&["import", &path])?;
    assert_eq!(job["imported"], 1, "{job}");
    let companies = ws.json(&["companies", "list"])?;
    assert_eq!(companies.as_array().map(Vec::len), Some(1), "one Café Müller: {companies}");
    let contact = &ws.json(&["contacts", "list"])?[0];
    assert_eq!((&contact["first_name"], &contact["last_name"]), (&"José".into(), &"Müller".into()));
    assert_eq!(contact["company_name"], "Café Müller");
    Ok(())
}
