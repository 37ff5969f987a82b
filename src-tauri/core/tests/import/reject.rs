//! Files that are not importable CSV are rejected up front with a message saying what to do.

use outpost_core::{error::import::ImportError, import::open_csv};

use super::support::fixture;

fn rejection(name: &str) -> (ImportError, String) {
    match open_csv(&fixture(name)) {
        Ok(source) => panic!("{name} should be rejected, got {:?}", source.info()),
        Err(e) => {
            let message = e.to_string();
            (e, message)
        }
    }
}

#[test]
fn xlsx_workbook_is_rejected_with_save_as_csv_advice() {
    let (error, message) = rejection("fake.xlsx");
    assert!(matches!(error, ImportError::Workbook { .. }), "{error:?}");
    assert!(message.contains("Excel workbook (xlsx/zip), not CSV"), "{message}");
    assert!(message.contains("save it as CSV UTF-8"), "{message}");
}

#[test]
fn random_binary_is_rejected_as_not_text() {
    let (error, message) = rejection("binary.bin");
    assert!(matches!(error, ImportError::NotText { .. }), "{error:?}");
    assert!(message.contains("not a text file"), "{message}");
}

#[test]
fn empty_file_is_rejected() {
    let (error, message) = rejection("empty.csv");
    assert!(matches!(error, ImportError::Empty { .. }), "{error:?}");
    assert!(message.contains("is empty"), "{message}");
}

#[test]
fn header_without_data_rows_is_rejected() {
    // The fixture has a header, a blank line and a line of bare delimiters: no data.
    let (error, message) = rejection("header-only.csv");
    assert!(matches!(error, ImportError::HeaderOnly { .. }), "{error:?}");
    assert!(message.contains("header row but no data rows"), "{message}");
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let (error, message) = rejection("does-not-exist.csv");
    assert!(matches!(error, ImportError::Io { .. }), "{error:?}");
    assert!(message.contains("does-not-exist.csv"), "{message}");
}

#[test]
fn utf16_is_not_mistaken_for_binary_despite_its_nuls() {
    let bytes = std::fs::read(fixture("utf16le-bom.csv")).expect("read fixture");
    assert!(bytes.iter().filter(|&&b| b == 0).count() * 3 > bytes.len(), "fixture is NUL-heavy");
    assert!(open_csv(&fixture("utf16le-bom.csv")).is_ok());
}

#[test]
fn header_only_file_larger_than_the_sniff_sample_is_still_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big-header-only.csv");
    // 100 KiB of blank lines after the header pushes any data beyond the 64 KiB sample.
    let content = format!("Name,Email\n{}", "\n".repeat(100 * 1024));
    std::fs::write(&path, content).expect("write");
    assert!(matches!(open_csv(&path), Err(ImportError::HeaderOnly { .. })));
    std::fs::write(&path, format!("Name,Email\n{}Ada,ada@x.org\n", "\n".repeat(100 * 1024))).expect("write");
    let source = open_csv(&path).expect("data after the sample is found");
    let rows: Vec<_> = source.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].fields, vec!["Ada", "ada@x.org"]);
}
