//! Shared helpers: fixture paths and reading a whole (small) fixture.

use std::path::PathBuf;

use outpost_core::import::{open_csv, CsvSource, RawRow};

/// `tests/fixtures/<dir>/<name>` at the repository root.
pub fn fixture_in(dir: &str, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(dir).join(name)
}

/// `tests/fixtures/csv/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    fixture_in("csv", name)
}

/// Opens a fixture, panicking with the importer's message if it is rejected.
pub fn open(name: &str) -> CsvSource {
    open_csv(&fixture(name)).unwrap_or_else(|e| panic!("{name} should open: {e}"))
}

/// All rows of a source.
pub fn rows(source: CsvSource) -> Vec<RawRow> {
    source.records().collect::<Result<Vec<_>, _>>().expect("rows parse")
}

/// Headers and rows of a fixture.
pub fn read(name: &str) -> (Vec<String>, Vec<RawRow>) {
    let source = open(name);
    let headers = source.info().headers.clone();
    (headers, rows(source))
}

/// Owned strings.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
