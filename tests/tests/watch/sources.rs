//! `outpost watch add|list|remove`: validation with clear errors, canonical locations, one JSON
//! document per command, and removal by id or by path.

use anyhow::Result;
use outpost_tests::{id_of, Workspace};

use super::support::add_folder;

#[test]
fn add_list_remove_folder_and_s3() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let canonical = dir.path().canonicalize()?;
    // A non-canonical spelling of the folder is stored canonicalised.
    let spelled = dir.path().join(".").join("sub").join("..");
    std::fs::create_dir(dir.path().join("sub"))?;
    let folder = add_folder(&ws, &spelled, &["--settle-ms", "700", "--move-processed"])?;
    assert_eq!(folder["kind"], "folder");
    assert_eq!(folder["location"], canonical.display().to_string());
    assert_eq!(folder["settings"]["settle_ms"], 700);
    assert_eq!(folder["settings"]["move_processed"], true);
    assert_eq!(folder["status"], "idle");
    assert_eq!(folder["files_processed"], 0);

    let bucket = ws.json(&["watch", "add", "s3://leads-bucket/incoming/", "--endpoint", "http://127.0.0.1:9"])?;
    assert_eq!(bucket["kind"], "s3");
    assert_eq!(bucket["location"], "s3://leads-bucket/incoming/");
    assert_eq!(bucket["settings"]["region"], "us-east-1");
    assert_eq!(bucket["settings"]["endpoint"], "http://127.0.0.1:9");

    let list = ws.json(&["watch", "list"])?;
    let ids: Vec<&str> =
        list.as_array().map(|a| a.iter().filter_map(|s| s["id"].as_str()).collect()).unwrap_or_default();
    assert_eq!(ids, [id_of(&folder)?, id_of(&bucket)?]);

    // The same folder twice is a conflict, whatever the spelling.
    let again = ws.fails(&["watch", "add", dir.path().to_str().unwrap_or_default()])?;
    assert_eq!(again.code, Some(5), "{}", again.stderr);
    assert!(again.stderr.contains("already watched"), "{}", again.stderr);

    // Removal by path and by id; the audit log has both.
    let removed = ws.json(&["watch", "remove", dir.path().to_str().unwrap_or_default()])?;
    assert_eq!(removed["id"], folder["id"]);
    ws.json(&["watch", "remove", &id_of(&bucket)?])?;
    assert_eq!(ws.json(&["watch", "list"])?, serde_json::json!([]));
    let audit = ws.json(&["audit", "--entity", &id_of(&folder)?])?;
    let actions: Vec<&str> =
        audit.as_array().map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect()).unwrap_or_default();
    assert_eq!(actions, ["delete", "create"]);

    let missing = ws.fails(&["watch", "remove", &id_of(&folder)?])?;
    assert_eq!(missing.code, Some(4), "{}", missing.stderr);
    Ok(())
}

#[test]
fn bad_locations_are_refused_with_clear_messages() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let before = ws.snapshot()?;

    let missing = dir.path().join("does-not-exist");
    let run = ws.fails(&["watch", "add", missing.to_str().unwrap_or_default()])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("create it first"), "{}", run.stderr);

    let file = dir.path().join("leads.csv");
    std::fs::write(&file, "Email\na@b.co\n")?;
    let run = ws.fails(&["watch", "add", file.to_str().unwrap_or_default()])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);

    let run = ws.fails(&["watch", "add", "s3://Bad_Bucket/x"])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("not a valid S3 bucket name"), "{}", run.stderr);

    let run = ws.fails(&["watch", "add", "s3://leads", "--endpoint", "ftp://host"])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("endpoint"), "{}", run.stderr);

    let run = ws.fails(&["watch", "add", dir.path().to_str().unwrap_or_default(), "--region", "eu-west-1"])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("only applies to s3"), "{}", run.stderr);

    assert_eq!(ws.snapshot()?, before, "a refused source leaves nothing behind");
    assert_eq!(ws.json(&["watch", "list"])?, serde_json::json!([]));
    Ok(())
}
