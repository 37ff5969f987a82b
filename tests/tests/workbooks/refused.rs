//! Workbooks that cannot be imported are refused up front with a message saying why and what to
//! do, and nothing is imported: password-protected (Excel's encrypted package, LibreOffice's
//! encrypted ods), damaged (a real workbook cut short, a zip that only pretends), sheets without a
//! table, a sheet that does not exist, and `--sheet` on a CSV file.

use anyhow::{ensure, Result};
use outpost_tests::{fixture, Workspace};

use super::support::{refused, workbook};

#[test]
fn password_protected_workbooks_are_refused_with_how_to_remove_the_password() -> Result<()> {
    let ws = Workspace::new()?;
    refused(&ws, &workbook("pass_protected.xlsx"), &["password-protected xlsx", "remove the password"])?;
    refused(&ws, &workbook("encrypted-letmein.ods"), &["password-protected ods", "remove the password"])?;
    Ok(())
}

#[test]
fn damaged_workbooks_are_refused_as_damaged() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    // A real Excel workbook, only half downloaded.
    let bytes = std::fs::read(workbook("errors.xlsx"))?;
    let cut = dir.path().join("half.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2])?;
    refused(&ws, &cut, &["half.xlsx", "cannot be read", "save it again"])?;
    // A zip with an empty `xl/workbook.xml` and nothing else.
    refused(&ws, &fixture("csv/fake.xlsx"), &["xlsx workbook but cannot be read"])?;
    // A Word document renamed .xlsx.
    let docx = dir.path().join("letter.xlsx");
    {
        let mut zip = Vec::new();
        let bytes = std::fs::read(workbook("comments-google.xlsx"))?;
        zip.extend_from_slice(&bytes);
        std::fs::write(&docx, rename_parts(&zip)?)?;
    }
    refused(&ws, &docx, &["not a spreadsheet"])?;
    Ok(())
}

/// The same zip with `xl/` renamed `word/` (and `xl/workbook.xml` to `word/document.xml`), so it
/// reads as a Word document: the central directory names are rewritten in place (same length).
fn rename_parts(zip: &[u8]) -> Result<Vec<u8>> {
    let mut out = zip.to_vec();
    let (from, to) = (b"xl/workbook.xml".as_slice(), b"wo/document.xml".as_slice());
    let mut found = false;
    for i in 0..out.len().saturating_sub(from.len()) {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            found = true;
        }
    }
    ensure!(found, "the fixture has an xl/workbook.xml part");
    Ok(out)
}

#[test]
fn workbooks_without_a_table_and_unknown_sheets_are_refused() -> Result<()> {
    let ws = Workspace::new()?;
    // Apple Numbers writes a title cell per sheet and nothing else here.
    refused(&ws, &workbook("numbers-export.xlsx"), &["no sheet has a header row followed by data rows"])?;
    refused(&ws, &workbook("hidden_sheets.xlsx"), &["nothing to import"])?;
    let path = workbook("any_sheets.xlsx");
    let path = path.to_string_lossy();
    let run = ws.fails(&["import", &path, "--sheet", "Leads"])?;
    ensure!(run.code == Some(3), "{run:?}");
    ensure!(
        run.stderr.contains("no sheet named 'Leads'") && run.stderr.contains("'Visible', 'Hidden', 'VeryHidden'"),
        "{}",
        run.stderr
    );
    let csv = fixture("csv/utf8.csv");
    let run = ws.fails(&["import", &csv.to_string_lossy(), "--sheet", "Sheet1"])?;
    ensure!(run.code == Some(3) && run.stderr.contains("is not a workbook"), "{}", run.stderr);
    ensure!(ws.json(&["imports", "list"])? == serde_json::json!([]), "nothing was imported");
    Ok(())
}
