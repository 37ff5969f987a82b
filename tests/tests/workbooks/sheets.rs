//! Choosing the sheet: the preview lists every worksheet (hidden ones marked), the sheet holding
//! the records is picked by default, `--sheet` picks another, and the choice is remembered for
//! workbooks with the same sheets (next week's export) — through the CLI and a watched folder.

use anyhow::{ensure, Context, Result};
use outpost_tests::Workspace;
use serde_json::Value;

use super::support::{preview, watch_folder, watch_once, workbook};

fn sheet_names(preview: &Value) -> Vec<(String, bool)> {
    preview["workbook"]["sheets"]
        .as_array()
        .map(|sheets| {
            sheets
                .iter()
                .map(|s| (s["name"].as_str().unwrap_or_default().to_owned(), s["visible"].as_bool().unwrap_or(true)))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_preview_lists_the_sheets_and_reads_the_one_with_the_records() -> Result<()> {
    let ws = Workspace::new()?;
    let any = preview(&ws, &workbook("any_sheets.xlsx"), &[])?;
    let expected = [("Visible", true), ("Hidden", false), ("VeryHidden", false)];
    let expected: Vec<(String, bool)> = expected.iter().map(|(n, v)| ((*n).to_owned(), *v)).collect();
    ensure!(sheet_names(&any) == expected, "{:?}", sheet_names(&any));
    ensure!(any["workbook"]["sheet"] == "Visible" && any["workbook"]["sheet_source"] == "auto", "{}", any["workbook"]);
    // The table is on the first sheet of roo's Bibelbund workbook; of calamine's merged_range.xls
    // both sheets hold one, and --sheet reads the second.
    let second = preview(&ws, &workbook("merged_range.xls"), &["--sheet", "Sheet2"])?;
    ensure!(second["workbook"]["sheet"] == "Sheet2" && second["workbook"]["sheet_source"] == "explicit", "{second}");
    Ok(())
}

#[test]
fn the_sheet_chosen_for_a_workbook_is_remembered_for_the_next_one_with_the_same_sheets() -> Result<()> {
    let ws = Workspace::new()?;
    let file = workbook("merged_range.xls");
    let path = file.to_str().context("path")?;
    let first = preview(&ws, &file, &[])?;
    ensure!(first["workbook"]["sheet"] == "Sheet1", "{}", first["workbook"]);
    // These sheets hold cell samples, not people: a mapping chosen by the user makes them a lead
    // list (it is saved for the same headers, as a rep's own mapping would be).
    let dir = tempfile::tempdir()?;
    let mapping = dir.path().join("map.json");
    std::fs::write(&mapping, r#"{"A1": "full_name"}"#)?;
    let mapping = mapping.to_str().context("path")?;
    let job = ws.json(&["import", path, "--sheet", "Sheet2", "--mapping", mapping])?;
    ensure!(job["checksum"].as_str().is_some_and(|c| c.ends_with("#Sheet2")), "{job}");
    // The other sheet of the same file is another import, not "already imported".
    ws.json(&["import", path, "--sheet", "Sheet1", "--type", "contacts"])?;
    let again = preview(&ws, &file, &[])?;
    ensure!(
        again["workbook"]["sheet"] == "Sheet1" && again["workbook"]["sheet_source"] == "remembered",
        "{}",
        again["workbook"]
    );
    // Next week's export, dropped into a watched folder: read from the remembered sheet.
    let other = Workspace::new()?;
    ws_import_sheet(&other, path, "Sheet2", mapping)?;
    let folder = tempfile::tempdir()?;
    watch_folder(&other, folder.path(), &[])?;
    let mut bytes = std::fs::read(&file)?;
    bytes.extend_from_slice(&[0; 512]); // the same workbook, other bytes: a new file to the watcher
    std::fs::write(folder.path().join("next-week.xls"), bytes)?;
    let events = watch_once(&other)?;
    ensure!(events.len() == 1 && events[0]["event"] == "imported", "{events:?}");
    let jobs = other.json(&["imports", "list"])?;
    let latest = jobs.as_array().and_then(|j| j.first()).context("a job")?;
    ensure!(latest["checksum"].as_str().is_some_and(|c| c.ends_with("#Sheet2")), "{latest}");
    Ok(())
}

fn ws_import_sheet(ws: &Workspace, path: &str, sheet: &str, mapping: &str) -> Result<Value> {
    ws.json(&["import", path, "--sheet", sheet, "--mapping", mapping])
}
