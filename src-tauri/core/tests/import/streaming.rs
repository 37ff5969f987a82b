//! Streaming: a ~50 MB generated file is read row by row through `records()`, and the process's
//! peak RSS (Linux `VmHWM`) must not grow by anything near the file size. No timing assertions.

use std::io::Write;

use outpost_core::import::open_csv;

#[test]
fn fifty_megabyte_file_streams_every_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(out, "First Name,Last Name,Email,Company,Notes").expect("write");
    const ROWS: u64 = 500_000;
    for i in 0..ROWS {
        writeln!(
            out,
            "Person{i},Müller{i},person{i}@example{}.com,\"Acme {i}, Inc.\",\"line one\nline two of row {i}\"",
            i % 97
        )
        .expect("write");
    }
    out.flush().expect("flush");
    drop(out);
    let size = std::fs::metadata(&path).expect("metadata").len();
    assert!(size > 50_000_000, "generated {size} bytes");

    let peak_before = peak_rss_kib();
    let source = open_csv(&path).expect("open");
    assert_eq!(source.info().size_bytes, size);
    assert_eq!(source.info().encoding, "UTF-8");
    let mut count = 0u64;
    let mut last = None;
    for row in source.records() {
        let row = row.expect("row parses");
        assert_eq!(row.row, count + 1);
        assert!(row.issue.is_none());
        count += 1;
        last = Some(row);
    }
    assert_eq!(count, ROWS);
    if let (Some(before), Some(after)) = (peak_before, peak_rss_kib()) {
        // Reading the file whole would raise the peak by 50+ MB; streaming stays far below.
        assert!(after - before < 32 * 1024, "peak RSS grew by {} KiB while streaming", after - before);
    }
    let last = last.expect("rows");
    assert_eq!(last.fields[1], format!("Müller{}", ROWS - 1));
    assert_eq!(last.fields[4], format!("line one\nline two of row {}", ROWS - 1));
}

/// Peak resident set size of this process (Linux `VmHWM`), if available.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
