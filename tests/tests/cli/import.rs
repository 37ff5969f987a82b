//! `outpost import`: the JSON job summary, de-duplication rules (email, phone vs switchboard,
//! name + company, companies by domain), update mode with timeline history, never the same file
//! twice, rejected files, safe export, merge suggestions and the errors CSV.

use std::path::{Path, PathBuf};

use anyhow::Result;
use outpost_tests::{id_of, Workspace};
use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    Ok(path)
}

fn fixture(name: &str) -> String {
    format!("{}/fixtures/csv/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn import(ws: &Workspace, path: &Path, extra: &[&str]) -> Result<Value> {
    let path = path.to_string_lossy().into_owned();
    let mut args = vec!["import", path.as_str()];
    args.extend_from_slice(extra);
    ws.json(&args)
}

fn contacts(ws: &Workspace) -> Result<Vec<Value>> {
    Ok(ws.json(&["contacts", "list", "--limit", "10000"])?.as_array().cloned().unwrap_or_default())
}

#[test]
fn summary_counts_and_row_errors() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(
        dir.path(),
        "leads.csv",
        "First Name,Last Name,Email,Phone,Company\n\
         Ada,Lovelace,ada@engines.io,020 7946 0000,Analytical Engines\n\
         Bad,Email,not-an-email,,Nowhere\n\
         ,,,,Ghost Corp\n\
         Grace,Hopper,GRACE@cobol.dev,+1 202 555 0143,Compiler Works\n",
    )?;
    let job = import(&ws, &file, &[])?;
    for key in ["id", "status", "total", "imported", "updated", "skipped", "failed", "encoding", "delimiter", "errors"]
    {
        assert!(job.get(key).is_some(), "job summary lacks {key}: {job}");
    }
    assert_eq!(job["status"], "completed");
    // The row with an invalid email is imported without it (and says so); the row naming nobody fails.
    assert_eq!((job["total"].as_u64(), job["imported"].as_u64(), job["failed"].as_u64()), (Some(4), Some(3), Some(1)));
    assert_eq!(job["encoding"], "UTF-8");
    assert_eq!(job["delimiter"], ",");
    let warnings = job["warnings"].as_array().expect("warnings");
    assert_eq!(warnings[0]["row"], 2);
    assert!(warnings[0]["message"].as_str().unwrap_or_default().contains("not-an-email"), "{warnings:?}");
    let errors = job["errors"].as_array().expect("errors");
    assert_eq!((errors.len(), &errors[0]["row"]), (1, &Value::from(3)), "{errors:?}");

    let people = contacts(&ws)?;
    let grace = people.iter().find(|c| c["first_name"] == "Grace").expect("grace imported");
    assert_eq!(grace["email"], "grace@cobol.dev");
    assert_eq!(grace["company_name"], "Compiler Works");

    let listed = ws.json(&["imports", "list"])?;
    assert_eq!(listed[0]["id"], job["id"]);
    let shown = ws.json(&["imports", "show", &id_of(&job)?])?;
    assert_eq!(shown["errors"].as_array().map(Vec::len), Some(1));
    let csv = dir.path().join("errors.csv");
    ws.json(&["imports", "errors", &id_of(&job)?, "--csv", &csv.to_string_lossy()])?;
    let text = std::fs::read_to_string(&csv)?;
    assert!(text.starts_with("row,message\n3,"), "{text}");
    Ok(())
}

#[test]
fn duplicates_by_email_phone_and_name_company_but_never_by_switchboard() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    ws.json(&["contacts", "add", "--first-name", "Ada", "--last-name", "Lovelace", "--email", "ada@engines.io"])?;
    let file = write(
        dir.path(),
        "dupes.csv",
        "First Name,Last Name,Email,Phone,Company,Website\n\
         Ada,Lovelace,ADA@ENGINES.IO,,Analytical Engines,engines.io\n\
         Tom,Jones,tom@acme.com,+44 20 7000 1000,Acme,https://www.acme.com\n\
         Tom,Jones,,020 7000 1000,Acme,\n\
         Tom,Jones,tom.j@other.org,,ACME Ltd,acme.com\n\
         Mary,Major,mary@acme.com,+44 20 7000 2000,Acme,\n\
         Joe,Minor,joe@acme.com,+44 20 7000 2000,Acme,\n\
         Sue,Sharp,sue@acme.com,+44 20 7000 2000,Acme,\n",
    )?;
    let job = import(&ws, &file, &[])?;
    // Ada by email; Tom by phone (row 3) and by name + company (row 4); Mary/Joe/Sue share a
    // switchboard and are three people.
    assert_eq!((job["imported"].as_u64(), job["skipped"].as_u64()), (Some(4), Some(3)), "{job}");
    let people = contacts(&ws)?;
    let names: Vec<&str> = people.iter().filter_map(|c| c["first_name"].as_str()).collect();
    for name in ["Ada", "Tom", "Mary", "Joe", "Sue"] {
        assert_eq!(names.iter().filter(|n| **n == name).count(), 1, "{name} in {names:?}");
    }
    let companies = ws.json(&["companies", "list"])?;
    let acme: Vec<&Value> = companies.as_array().expect("list").iter().filter(|c| c["domain"] == "acme.com").collect();
    assert_eq!(acme.len(), 1, "one Acme by domain: {companies}");

    // A fourth person on the switchboard is still not merged with anyone.
    let more = write(dir.path(), "more.csv", "Name,Phone,Company\nNew Person,+44 20 7000 2000,Acme\n")?;
    assert_eq!(import(&ws, &more, &[])?["imported"], 1);
    Ok(())
}

#[test]
fn update_mode_fills_fields_and_logs_history() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let ada = ws.json(&["contacts", "add", "--first-name", "Ada", "--email", "ada@engines.io"])?;
    let file = write(dir.path(), "update.csv", "Email,Last Name,Job Title\nada@engines.io,Lovelace,Analyst\n")?;
    let skipped = import(&ws, &file, &[])?;
    assert_eq!(skipped["skipped"], 1);
    assert_eq!(ws.json(&["contacts", "show", &id_of(&ada)?])?["title"], Value::Null);

    let updated = import(&ws, &file, &["--mode", "update", "--force"])?;
    assert_eq!(updated["updated"], 1, "{updated}");
    let after = ws.json(&["contacts", "show", &id_of(&ada)?])?;
    assert_eq!((after["title"].as_str(), after["last_name"].as_str()), (Some("Analyst"), Some("Lovelace")));
    let timeline = ws.json(&["activities", "list", "--contact", &id_of(&ada)?])?;
    let body = timeline[0]["body"].as_str().unwrap_or_default();
    assert!(timeline[0]["subject"].as_str().unwrap_or_default().starts_with("Updated by import"), "{timeline}");
    assert!(body.contains("title: — → Analyst"), "{body}");
    Ok(())
}

#[test]
fn the_same_file_is_never_imported_twice_unless_forced() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let text = "Email\nonce@example.com\n";
    let first = write(dir.path(), "a.csv", text)?;
    import(&ws, &first, &[])?;
    let renamed = write(dir.path(), "copy of a.csv", text)?;
    let again = ws.fails(&["import", &renamed.to_string_lossy()])?;
    assert_eq!(again.code, Some(5));
    assert!(again.stderr.contains("already imported") && again.stderr.contains("--force"), "{}", again.stderr);
    let forced = import(&ws, &renamed, &["--force"])?;
    assert_eq!((forced["status"].as_str(), forced["skipped"].as_u64()), (Some("completed"), Some(1)));
    assert_eq!(contacts(&ws)?.len(), 1);
    Ok(())
}

#[test]
fn files_that_are_not_csv_are_rejected_up_front() -> Result<()> {
    let ws = Workspace::new()?;
    for (name, needle) in [
        ("fake.xlsx", "xlsx workbook but cannot be read"),
        ("binary.bin", "not"),
        ("empty.csv", "empty"),
        ("header-only.csv", "no data rows"),
    ] {
        let run = ws.fails(&["import", &fixture(name)])?;
        assert_eq!(run.code, Some(3), "{name}: {}", run.stderr);
        assert!(run.stderr.to_lowercase().contains(&needle.to_lowercase()), "{name}: {}", run.stderr);
    }
    assert_eq!(ws.json(&["imports", "list"])?, serde_json::json!([]));
    assert!(contacts(&ws)?.is_empty());
    Ok(())
}

#[test]
fn real_world_exports_import_with_the_right_encoding() -> Result<()> {
    let ws = Workspace::new()?;
    let german = import(&ws, Path::new(&fixture("windows-1252.csv")), &[])?;
    assert_eq!(german["encoding"], "windows-1252");
    assert!(contacts(&ws)?.iter().any(|c| c["last_name"] == "Müller"), "Müller decoded");
    let linkedin = import(&ws, Path::new(&fixture("linkedin-preamble.csv")), &[])?;
    assert!(linkedin["imported"].as_u64().unwrap_or(0) > 0, "{linkedin}");
    let utf16 = import(&ws, Path::new(&fixture("utf16le-bom.csv")), &[])?;
    assert_eq!(utf16["encoding"], "UTF-16LE");
    let preview = ws.json(&["import", &fixture("semicolon.csv"), "--preview"])?;
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["mapping"]["columns"][0], serde_json::json!({ "field": "first_name" }));
    Ok(())
}

#[test]
fn saved_mapping_is_reapplied_to_files_with_the_same_headers() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let mapping = write(dir.path(), "map.json", r#"{"Kontakt": "email", "Wer": "full_name", "Egal": "ignore"}"#)?;
    let first = write(dir.path(), "one.csv", "Kontakt,Wer,Egal\na@x.io,Anna Alpha,zzz\n")?;
    import(&ws, &first, &["--mapping", &mapping.to_string_lossy()])?;
    let second = write(dir.path(), "two.csv", "Kontakt,Wer,Egal\nb@x.io,Bert Beta,zzz\n")?;
    let preview = ws.json(&["import", &second.to_string_lossy(), "--preview"])?;
    assert_eq!(preview["mapping_source"], "template");
    import(&ws, &second, &[])?;
    let bert = contacts(&ws)?.into_iter().find(|c| c["email"] == "b@x.io").expect("bert");
    assert_eq!((bert["first_name"].as_str(), bert["last_name"].as_str()), (Some("Bert"), Some("Beta")));
    assert!(bert["custom_fields"].get("Egal").is_none(), "ignored column kept: {bert}");

    let bad = write(dir.path(), "bad.json", r#"{"Nope": "email"}"#)?;
    let run = ws.fails(&["import", &second.to_string_lossy(), "--force", "--mapping", &bad.to_string_lossy()])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    Ok(())
}

#[test]
fn export_neutralises_formulas_and_keeps_text_verbatim() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(dir.path(), "evil.csv", "Name,Email,Title\nEve Evil,eve@x.io,=HYPERLINK(\"http://x\")\n")?;
    import(&ws, &file, &[])?;
    let eve = contacts(&ws)?.remove(0);
    assert_eq!(eve["title"], "=HYPERLINK(\"http://x\")", "stored verbatim");
    let out = dir.path().join("contacts.csv");
    let summary = ws.json(&["contacts", "export", "--csv", &out.to_string_lossy()])?;
    assert_eq!(summary["rows"], 1);
    let text = std::fs::read_to_string(&out)?;
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    Ok(())
}

#[test]
fn similar_names_at_one_company_become_merge_suggestions() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = write(
        dir.path(),
        "near.csv",
        "First Name,Last Name,Email,Company\nJonathan,Smith,jon@acme.com,Acme\nJonathon,Smith,jsmith@acme.com,Acme\n",
    )?;
    assert_eq!(import(&ws, &file, &[])?["imported"], 2, "near-duplicates are not merged automatically");
    let suggestions = ws.json(&["merges", "list"])?;
    assert_eq!(suggestions.as_array().map(Vec::len), Some(1), "{suggestions}");
    let kept = ws.json(&["merges", "accept", suggestions[0]["id"].as_str().unwrap_or_default()])?;
    assert_eq!(kept["first_name"], "Jonathan");
    assert_eq!(contacts(&ws)?.len(), 1);
    assert_eq!(ws.json(&["merges", "list"])?, serde_json::json!([]));
    Ok(())
}
