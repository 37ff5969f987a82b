//! The public csv-spectrum suite (vendored from npm `csv-spectrum@2.0.0` into
//! `tests/fixtures/csv-spectrum/`): every `csvs/X.csv` must parse to the records of `json/X.json`.

use std::collections::BTreeMap;

use outpost_core::import::open_csv;

use super::support::{fixture_in, rows};

/// Upstream data bugs: (case, column, value actually in the CSV, value the JSON claims).
/// `location_coordinates.json` was written for a different phone number than its CSV holds.
const UPSTREAM_MISMATCHES: &[(&str, &str, &str, &str)] =
    &[("location_coordinates", "Contact Phone Number", "2095257564", "1234567890")];

type Record = BTreeMap<String, String>;

fn expected(case: &str) -> Vec<Record> {
    let path = fixture_in("csv-spectrum/json", &format!("{case}.json"));
    let text = std::fs::read_to_string(&path).expect("read json");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid json");
    // One upstream file holds a bare object instead of an array of one.
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items.into_iter().map(|item| serde_json::from_value(item).expect("object of strings")).collect()
}

fn parsed(case: &str) -> Vec<Record> {
    let source =
        open_csv(&fixture_in("csv-spectrum/csvs", &format!("{case}.csv"))).unwrap_or_else(|e| panic!("{case}: {e}"));
    let headers = source.info().headers.clone();
    assert_eq!(source.info().delimiter, ',', "{case}");
    rows(source)
        .into_iter()
        .map(|row| {
            assert_eq!(row.issue, None, "{case}: row {}", row.row);
            headers.iter().cloned().zip(row.fields).collect()
        })
        .collect()
}

#[test]
fn every_csv_spectrum_case_parses_to_its_json() {
    let dir = fixture_in("csv-spectrum", "csvs");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("list csv-spectrum")
        .map(|entry| entry.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 12, "all vendored cases: {cases:?}");
    for case in &cases {
        let mut want = expected(case);
        let got = parsed(case);
        for (c, column, in_csv, in_json) in UPSTREAM_MISMATCHES.iter().filter(|m| m.0 == case) {
            assert_eq!(want[0][*column], *in_json, "{c}: upstream still has its known mismatch");
            want[0].insert(column.to_string(), in_csv.to_string());
        }
        assert_eq!(got, want, "csv-spectrum case {case}");
    }
}
