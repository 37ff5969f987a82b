//! Streaming: a ~50 MB generated file is read row by row through `records()`, and the peak RSS
//! (Linux `VmHWM`) of the reading process must not grow by anything near the file size. The
//! reading happens in a child process of its own (this test binary re-run on one ignored test),
//! so other tests running on parallel threads cannot raise the peak. No timing assertions.

use std::{io::Write, path::Path, process::Command};

use outpost_core::import::open_csv;

const ROWS: u64 = 500_000;
/// Set (to the file's path) in the child process only.
const CHILD_ENV: &str = "OUTPOST_STREAMING_CHILD_FILE";
const CHILD_TEST: &str = "import::streaming::streaming_child_process";

fn generate(path: &Path) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "First Name,Last Name,Email,Company,Notes").expect("write");
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
    std::fs::metadata(path).expect("metadata").len()
}

#[test]
fn fifty_megabyte_file_streams_every_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.csv");
    let size = generate(&path);
    assert!(size > 50_000_000, "generated {size} bytes");

    let exe = std::env::current_exe().expect("this test binary");
    let output = Command::new(exe)
        .args(["--exact", CHILD_TEST, "--include-ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .output()
        .expect("run the streaming child process");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    let report = stdout.lines().find_map(|l| l.split("streaming child: ").nth(1)).expect("the child's report");
    let fields: Vec<u64> = report.split_whitespace().filter_map(|f| f.split_once('=')?.1.parse().ok()).collect();
    let [rows, grew_kib] = fields[..] else { panic!("unreadable child report {report:?}") };
    assert_eq!(rows, ROWS, "every row streamed");
    // Reading the file whole would raise the peak by 50+ MB; streaming stays far below.
    assert!(grew_kib < 32 * 1024, "peak RSS grew by {grew_kib} KiB while streaming a {size}-byte file");
}

/// The child side of [`fifty_megabyte_file_streams_every_row`]: alone in its process, streams the
/// file and reports the row count and how much the peak RSS grew.
#[test]
#[ignore = "run in a child process of its own by fifty_megabyte_file_streams_every_row"]
fn streaming_child_process() {
    let path = std::env::var_os(CHILD_ENV).expect("run by fifty_megabyte_file_streams_every_row");
    let size = std::fs::metadata(&path).expect("metadata").len();
    let peak_before = peak_rss_kib();
    let source = open_csv(Path::new(&path)).expect("open");
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
    let peak_after = peak_rss_kib();
    let last = last.expect("rows");
    assert_eq!(last.fields[1], format!("Müller{}", count - 1));
    assert_eq!(last.fields[4], format!("line one\nline two of row {}", count - 1));
    println!("streaming child: rows={count} grew_kib={}", peak_after.saturating_sub(peak_before));
}

/// Peak resident set size of this process (Linux `VmHWM`); the check needs it.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/self/status");
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("VmHWM value")
}
