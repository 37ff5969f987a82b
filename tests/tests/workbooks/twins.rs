//! The promise of issue 19: a workbook lands exactly as its CSV twin does, through `outpost
//! import` and through a watched folder and its subfolders, compared record by record and field
//! by field in the resulting SQLite files. The twins are roo's `Bibelbund` files (3,734 rows:
//! an xlsx, an OpenOffice ods and roo's CSV of the same sheet) and `simple_spreadsheet`.

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};
use outpost_tests::Workspace;
use serde_json::Value;

use super::support::{cells, outcomes, preview, records, watch_folder, watch_once, workbook};

/// Authors become contacts, the journal their company, the rest custom fields and notes.
const MAPPING: &str = r#"{"TITEL": "title", "VERFASSER": "full_name", "OBJEKT": "company", "NUMMER": "custom",
    "SEITE": "custom", "INTERNET": "website", "PC": "custom", "KENNUNG": "notes"}"#;

fn mapping_file(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("bibelbund-mapping.json");
    std::fs::write(&path, MAPPING)?;
    Ok(path)
}

fn counts(job: &Value) -> Vec<u64> {
    ["total", "imported", "updated", "skipped", "failed"].iter().map(|k| job[k].as_u64().unwrap_or(u64::MAX)).collect()
}

fn import(ws: &Workspace, file: &Path, mapping: &Path) -> Result<Value> {
    ws.json(&["import", file.to_str().context("path")?, "--mapping", mapping.to_str().context("path")?])
}

#[test]
fn bibelbund_workbooks_import_exactly_as_their_csv_twin_through_the_cli() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mapping = mapping_file(dir.path())?;
    let twin = Workspace::new()?;
    let csv_job = import(&twin, &workbook("Bibelbund.csv"), &mapping)?;
    ensure!(counts(&csv_job)[0] == 3734 && counts(&csv_job)[1] > 900, "the twin imports: {csv_job}");
    let (csv_records, csv_outcomes) = (records(&twin)?, outcomes(&twin)?);
    for (name, format) in [("Bibelbund.xlsx", "xlsx"), ("Bibelbund.ods", "ods")] {
        let ws = Workspace::new()?;
        let job = import(&ws, &workbook(name), &mapping)?;
        ensure!(job["encoding"] == format, "{name}: {job}");
        ensure!(counts(&job) == counts(&csv_job), "{name}: {job} vs CSV {csv_job}");
        let got = records(&ws)?;
        ensure!(got.len() == csv_records.len(), "{name}: {} records, CSV twin {}", got.len(), csv_records.len());
        for (a, b) in got.iter().zip(&csv_records) {
            ensure!(a == b, "{name}: record {a:?} differs from the CSV twin's {b:?}");
        }
        ensure!(outcomes(&ws)? == csv_outcomes, "{name}: row outcomes differ from the CSV twin's");
    }
    Ok(())
}

#[test]
fn a_workbook_dropped_into_a_watched_folder_or_subfolder_lands_exactly_as_its_csv_twin() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mapping = mapping_file(dir.path())?;
    // The mapping template is saved by importing the twin's header and first row with the mapping
    // (the same seed in every workspace), as a rep does once before leaving the folder to run.
    let csv_text = std::fs::read_to_string(workbook("Bibelbund.csv"))?;
    let seed_end = csv_text.match_indices('\n').nth(1).map(|(i, _)| i + 1).context("two lines")?;
    let seed = dir.path().join("seed.csv");
    std::fs::write(&seed, &csv_text[..seed_end])?;
    let mut landed = Vec::new();
    for (name, under) in
        [("Bibelbund.csv", ""), ("Bibelbund.xlsx", ""), ("Bibelbund.xlsx", "2024/q1"), ("Bibelbund.ods", "exports")]
    {
        let ws = Workspace::new()?;
        import(&ws, &seed, &mapping)?;
        let folder = tempfile::tempdir()?;
        watch_folder(&ws, folder.path(), &[])?;
        let target_dir = folder.path().join(under);
        std::fs::create_dir_all(&target_dir)?;
        std::fs::copy(workbook(name), target_dir.join(name))?;
        let events = watch_once(&ws)?;
        let key = if under.is_empty() { name.to_owned() } else { format!("{under}/{name}") };
        ensure!(events.len() == 1, "{key}: one file handled, got {events:?}");
        ensure!(events[0]["key"] == key.as_str() && events[0]["event"] == "imported", "{key}: {}", events[0]);
        landed.push((key, counts(&events[0]), records(&ws)?, outcomes(&ws)?));
    }
    let (_, csv_counts, csv_records, csv_outcomes) = &landed[0];
    ensure!(csv_counts[1] > 900, "the CSV twin imported its authors: {csv_counts:?}");
    for (key, counts, records, outcomes) in &landed[1..] {
        ensure!(counts == csv_counts, "{key}: {counts:?} vs CSV twin {csv_counts:?}");
        ensure!(records == csv_records, "{key}: records differ from the CSV twin's");
        ensure!(outcomes == csv_outcomes, "{key}: row outcomes differ from the CSV twin's");
    }
    Ok(())
}

#[test]
fn simple_spreadsheet_xlsx_reads_cell_for_cell_as_its_csv_twin() -> Result<()> {
    let ws = Workspace::new()?;
    let csv = preview(&ws, &workbook("simple_spreadsheet.csv"), &[])?;
    let xlsx = preview(&ws, &workbook("simple_spreadsheet.xlsx"), &[])?;
    // Two blank rows above the header; `#,##0.00` shows 12.5 as 12.50; Sum is a formula.
    ensure!(csv["header_line"] == 3 && xlsx["header_line"] == 3, "{} / {}", csv["header_line"], xlsx["header_line"]);
    ensure!(xlsx["headers"] == csv["headers"], "{} vs {}", xlsx["headers"], csv["headers"]);
    ensure!(cells(&xlsx) == cells(&csv), "{:?}\nvs CSV\n{:?}", cells(&xlsx), cells(&csv));
    ensure!(cells(&xlsx)[1] == ["2007-05-07", "10.75", "12.50", "0", "1.75", "Task 1"], "{:?}", cells(&xlsx)[1]);
    // The OpenOffice twin reads the same cell for cell: its 0.00 data style shows 12.50 too.
    let ods = preview(&ws, &workbook("simple_spreadsheet.ods"), &[])?;
    ensure!(ods["header_line"] == 3 && ods["headers"] == csv["headers"], "{ods}");
    ensure!(cells(&ods) == cells(&csv), "{:?}\nvs CSV\n{:?}", cells(&ods), cells(&csv));
    Ok(())
}
