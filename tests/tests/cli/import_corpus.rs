//! The real-world export corpus (`tests/fixtures/exports/`, sources and licences in its
//! `SOURCES.tsv`): every file is imported with the real CLI into a fresh data directory and the
//! outcome compared with the hand-checked expectation in `EXPECTED.json` — what kind of records
//! it holds (or that it is refused, and why), the row counts, the store's records with their key
//! fields (names, emails, companies, consent flags, stages, amounts), the row warnings, the file
//! notices (secret columns left out), the encoding and the phone region. Prints "N/M exports as expected".

use std::path::PathBuf;

use anyhow::{Context, Result};
use outpost_tests::Workspace;
use serde_json::Value;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/exports")
}

/// Whether `actual` holds everything `expected` says (objects: every key, recursively).
fn holds(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            want.iter().all(|(k, v)| have.get(k).is_some_and(|h| holds(v, h)) || (v.is_null() && have.get(k).is_none()))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => expected == actual,
    }
}

/// Differences between one file's expectation and what the CLI did.
fn check(file: &str, want: &Value) -> Result<Vec<String>> {
    let ws = Workspace::new()?;
    let path = corpus().join(file);
    let run = ws.run(&["--json", "import", &path.to_string_lossy()])?;
    let mut problems = Vec::new();
    if let Some(reason) = want.get("refused") {
        let reason = reason.as_str().unwrap_or_default();
        if run.code == Some(0) || !run.stderr.contains(reason) {
            problems.push(format!("expected a refusal containing {reason:?}, got {:?}: {}", run.code, run.stderr));
        }
        let listed = ws.json(&["imports", "list"])?;
        if listed.as_array().is_some_and(|jobs| !jobs.is_empty()) {
            problems.push(format!("a refused file left a job behind: {listed}"));
        }
        return Ok(problems);
    }
    if run.code != Some(0) {
        problems.push(format!("import failed ({:?}): {}", run.code, run.stderr));
        return Ok(problems);
    }
    let job = run.json()?;
    for key in ["record_type", "total", "imported", "updated", "skipped", "failed", "encoding"] {
        if let Some(value) = want.get(key) {
            if !holds(value, &job[key]) {
                problems.push(format!("{key}: expected {value}, got {}", job[key]));
            }
        }
    }
    for notice in want.get("notices").and_then(Value::as_array).into_iter().flatten() {
        let needle = notice.as_str().unwrap_or_default();
        let notices = job["notices"].as_array().cloned().unwrap_or_default();
        if !notices.iter().any(|n| n.as_str().is_some_and(|n| n.contains(needle))) {
            problems.push(format!("no file notice containing {needle:?}: {}", job["notices"]));
        }
    }
    if let Some(region) = want.get("phone_region") {
        if job["phone_region"]["region"] != *region {
            problems.push(format!("phone region: expected {region}, got {}", job["phone_region"]));
        }
    }
    for (key, list) in [("warnings", "warnings"), ("errors", "errors")] {
        let got = job[list].as_array().cloned().unwrap_or_default();
        let expected = want.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        if got.len() != expected.len() {
            problems.push(format!("{key}: expected {} rows, got {}: {}", expected.len(), got.len(), job[list]));
        }
        for item in &expected {
            let found = got.iter().any(|g| {
                g["row"] == item["row"]
                    && g["message"].as_str().unwrap_or_default().contains(item["contains"].as_str().unwrap_or_default())
            });
            if !found {
                problems.push(format!("{key}: no row {} containing {}: {}", item["row"], item["contains"], job[list]));
            }
        }
    }
    for (kind, args) in [
        ("contacts", &["contacts", "list", "--limit", "10000"][..]),
        ("companies", &["companies", "list", "--limit", "10000"]),
        ("deals", &["deals", "list"]),
    ] {
        let records = ws.json(args)?.as_array().cloned().unwrap_or_default();
        if let Some(count) = want.get(format!("{kind}_count")) {
            if count.as_u64() != Some(records.len() as u64) {
                problems.push(format!("{kind}: expected {count} records, found {}", records.len()));
            }
        }
        if let Some(opted_out) = want.get("email_opt_out_count").filter(|_| kind == "contacts") {
            let n = records.iter().filter(|c| c["email_opt_out"] == true).count() as u64;
            if opted_out.as_u64() != Some(n) {
                problems.push(format!("email opt-outs: expected {opted_out}, found {n}"));
            }
        }
        for record in want.get(kind).and_then(Value::as_array).into_iter().flatten() {
            if !records.iter().any(|r| holds(record, r)) {
                problems.push(format!("no {kind} record like {record}"));
            }
        }
    }
    Ok(problems)
}

#[test]
fn real_world_exports_import_as_hand_checked() -> Result<()> {
    let text = std::fs::read_to_string(corpus().join("EXPECTED.json")).context("read EXPECTED.json")?;
    let expected: serde_json::Map<String, Value> = serde_json::from_str(&text).context("parse EXPECTED.json")?;
    let sources = std::fs::read_to_string(corpus().join("SOURCES.tsv")).context("read SOURCES.tsv")?;
    let files: Vec<&str> = sources.lines().skip(1).filter_map(|l| l.split('\t').next()).collect();
    assert!(files.len() >= 30, "the corpus must hold at least 30 exports, has {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let want = expected.get(*file).with_context(|| format!("{file} has no expectation in EXPECTED.json"))?;
        let problems = check(file, want)?;
        if !problems.is_empty() {
            failures.push(format!("{file}:\n  {}", problems.join("\n  ")));
        }
    }
    let passed = files.len() - failures.len();
    println!("{passed}/{} exports as expected", files.len());
    assert!(failures.is_empty(), "{passed}/{} exports as expected\n{}", files.len(), failures.join("\n"));
    Ok(())
}
