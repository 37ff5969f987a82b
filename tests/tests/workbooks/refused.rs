//! Workbooks that cannot be imported are refused up front with a message saying why and what to
//! do, and nothing is imported: password-protected (Excel's encrypted package, LibreOffice's
//! encrypted ods), damaged (a real workbook cut short, a zip that only pretends), sheets without a
//! table, a sheet that does not exist, `--sheet` on a CSV file, and workbooks built to exhaust
//! memory (a decompression bomb, a text run no spreadsheet writes).

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

/// A minimal xlsx whose one data cell is shared string 0, and whose shared-strings part holds
/// `text` (written in 1 MiB pieces from `piece`).
fn xlsx_with_shared_string(path: &std::path::Path, piece: &dyn Fn(usize) -> Vec<u8>, mebibytes: usize) -> Result<()> {
    use std::io::Write;
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>ann@acme.io</t></is></c><c r="B2" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        ),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    zip.start_file("xl/sharedStrings.xml", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#)?;
    for i in 0..mebibytes {
        zip.write_all(&piece(i))?;
    }
    zip.write_all(b"</t></si></sst>")?;
    zip.finish()?;
    Ok(())
}

#[test]
fn a_decompression_bomb_is_refused_before_anything_is_inflated() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    // 300 MiB of one letter: a file of about 300 KB.
    let bomb = dir.path().join("leads.xlsx");
    xlsx_with_shared_string(&bomb, &|_| vec![b'a'; 1 << 20], 300)?;
    ensure!(std::fs::metadata(&bomb)?.len() < 4 << 20, "the bomb should be small on disk");
    refused(&ws, &bomb, &["xl/sharedStrings.xml would inflate", "no spreadsheet compresses like that"])?;
    Ok(())
}

#[test]
fn a_cell_longer_than_any_spreadsheet_writes_is_refused_even_when_it_compresses_too_little_to_look_like_a_bomb(
) -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    // 8 MiB of pseudo-random letters in one cell: compresses too little to look like a bomb,
    // but no application writes a cell of more than 32,767 characters.
    let long = dir.path().join("long-cell.xlsx");
    let mut state = 0x2545_f491_u32;
    let letters = move |_| -> Vec<u8> {
        (0..1 << 20)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                b'a' + (state % 26) as u8
            })
            .collect()
    };
    let letters = std::cell::RefCell::new(letters);
    xlsx_with_shared_string(&long, &|i| (letters.borrow_mut())(i), 8)?;
    refused(&ws, &long, &["no markup", "32,767 characters"])?;
    Ok(())
}
