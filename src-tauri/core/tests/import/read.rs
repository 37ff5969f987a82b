//! Sniffing (encoding, delimiter, header row) and streaming rows of real-world files.

use outpost_core::import::RowIssue;

use super::support::{fixture, open, read, rows, strings};

/// Asserts what `open_csv` detected for a fixture.
fn detected(name: &str, encoding: &str, delimiter: char, header_line: u64, headers: &[&str]) {
    let source = open(name);
    let info = source.info();
    assert_eq!(info.encoding, encoding, "{name}: encoding");
    assert_eq!(info.delimiter, delimiter, "{name}: delimiter");
    assert_eq!(info.header_line, header_line, "{name}: header line");
    assert_eq!(info.headers, strings(headers), "{name}: headers");
}

#[test]
fn utf8_without_bom() {
    detected("utf8.csv", "UTF-8", ',', 1, &["First Name", "Last Name", "Email", "Phone", "Company"]);
    let (_, rows) = read("utf8.csv");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].fields, vec!["José", "Núñez", "Jose@Acme.es", "+34 912 345 678", "Acme SL"]);
    assert_eq!(rows[1].fields[1], "Ångström");
    assert_eq!((rows[0].row, rows[1].row), (1, 2));
}

#[test]
fn utf8_with_bom_strips_it_from_the_first_header() {
    detected("utf8-bom.csv", "UTF-8 (BOM)", ',', 1, &["Name", "Email", "Company", "Website"]);
    let (_, rows) = read("utf8-bom.csv");
    assert_eq!(rows[0].fields[0], "Jürgen Müller");
}

#[test]
fn utf16le_excel_unicode_text_is_tab_separated() {
    detected("utf16le-bom.csv", "UTF-16LE", '\t', 1, &["First Name", "Last Name", "Email", "Company"]);
    let (_, rows) = read("utf16le-bom.csv");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].fields, vec!["François", "Dubois", "francois@dubois.fr", "Société Générale"]);
    assert_eq!(rows[1].fields[0], "Łukasz");
}

#[test]
fn utf16be_with_bom() {
    detected("utf16be-bom.csv", "UTF-16BE", ',', 1, &["Name", "Email"]);
    let (_, rows) = read("utf16be-bom.csv");
    assert_eq!(rows[0].fields, vec!["Ærøskøbing Ferry", "ferry@aeroe.dk"]);
}

#[test]
fn windows_1252_is_decoded() {
    detected("windows-1252.csv", "windows-1252", ';', 1, &["Vorname", "Nachname", "E-Mail", "Firma", "Notizen"]);
    let (_, rows) = read("windows-1252.csv");
    assert_eq!(rows[0].fields[1], "Müller");
    assert_eq!(rows[0].fields[3], "Café Müller GmbH");
    assert_eq!(rows[0].fields[4], "Preis 5 € – bar");
    assert_eq!(rows[1].fields[1], "Weiß");
}

#[test]
fn windows_1252_is_detected_even_when_the_first_64k_are_ascii() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("late-umlaut.csv");
    let mut bytes = b"Name,Email\n".to_vec();
    for i in 0..3000 {
        bytes.extend_from_slice(format!("Person {i},person{i}@example.com\n").as_bytes());
    }
    assert!(bytes.len() > 64 * 1024);
    bytes.extend_from_slice(b"J\xfcrgen M\xfcller,jm@example.de\n");
    std::fs::write(&path, &bytes).expect("write");
    let source = outpost_core::import::open_csv(&path).expect("opens");
    assert_eq!(source.info().encoding, "windows-1252");
    let rows = rows(source);
    assert_eq!(rows.len(), 3001);
    assert_eq!(rows[3000].fields[0], "Jürgen Müller");
}

#[test]
fn excel_sep_directive_line_names_the_delimiter_and_is_not_the_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text, delimiter) in [
        ("sep-semicolon.csv", "sep=;\r\nVorname;Nachname;E-Mail\r\nAnna;Schmidt;anna@firma.de\r\n", ';'),
        ("sep-comma.csv", "\u{feff}sep=,\nFirst Name,Last Name,Email\nAnn,Lee,ann@x.io\n", ','),
        ("sep-tab.csv", "SEP=\t\nFirst Name\tEmail\nAnn\tann@x.io\n", '\t'),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let source = outpost_core::import::open_csv(&path).expect("opens");
        assert_eq!(source.info().delimiter, delimiter, "{name}");
        assert_eq!(source.info().header_line, 2, "{name}");
        assert!(source.info().headers.iter().all(|h| !h.to_lowercase().starts_with("sep=")), "{name}");
        assert_eq!(rows(source).len(), 1, "{name}");
    }
}

#[test]
fn crlf_and_cr_only_line_endings() {
    for name in ["crlf.csv", "cr-only.csv"] {
        detected(name, "UTF-8", ',', 1, &["First Name", "Last Name", "Email"]);
        let (_, rows) = read(name);
        assert_eq!(rows.len(), 2, "{name}");
        assert!(rows.iter().all(|r| r.issue.is_none() && r.fields.len() == 3), "{name}: {rows:?}");
        assert!(rows.iter().all(|r| r.fields.iter().all(|f| !f.contains('\r'))), "{name}: {rows:?}");
    }
    assert_eq!(read("cr-only.csv").1[1].fields, vec!["Edsger", "Dijkstra", "edsger@tue.nl"]);
}

#[test]
fn semicolon_german_excel_with_commas_in_values() {
    detected("semicolon.csv", "UTF-8", ';', 1, &["Vorname", "Nachname", "E-Mail", "Telefon", "Firma"]);
    let (_, rows) = read("semicolon.csv");
    assert_eq!(rows[0].fields[4], "Schmidt, Meyer & Partner");
}

#[test]
fn tab_and_pipe_delimiters() {
    detected("tab.csv", "UTF-8", '\t', 1, &["first_name", "last_name", "email", "notes"]);
    assert_eq!(read("tab.csv").1[0].fields[3], "likes commas, and semicolons; a lot");
    detected("pipe.csv", "UTF-8", '|', 1, &["Name", "Email", "Company"]);
    assert_eq!(read("pipe.csv").1[0].fields[2], "MIT, Instrumentation Lab");
}

#[test]
fn linkedin_preamble_is_skipped_to_the_real_header() {
    let headers = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"];
    detected("linkedin-preamble.csv", "UTF-8", ',', 4, &headers);
    let (_, rows) = read("linkedin-preamble.csv");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row, 1);
    assert_eq!(rows[0].fields[0], "Satya");
    assert_eq!(rows[1].fields[3], "reid@greylock.com");
}

#[test]
fn duplicate_and_empty_headers_are_kept_distinct() {
    detected(
        "duplicate-headers.csv",
        "UTF-8",
        ',',
        1,
        &["Name", "Email", "Email (2)", "Phone", "Email (3)", "Column 6"],
    );
    let (_, rows) = read("duplicate-headers.csv");
    assert_eq!(rows[0].fields[1..3], ["one@acme.com", "two@acme.com"]);
    assert_eq!(rows[0].fields[4], "three@acme.com");
}

#[test]
fn ragged_rows_are_padded_or_flagged_never_truncated_silently() {
    let (headers, rows) = read("ragged.csv");
    assert_eq!(headers.len(), 4);
    assert!(rows.iter().all(|r| r.fields.len() == 4));
    assert_eq!(rows[0].fields, vec!["Short Row", "short@acme.com", "", ""]);
    assert_eq!(rows[0].issue, Some(RowIssue::Padded { expected: 4, found: 2 }));
    assert_eq!(
        rows[1].issue,
        Some(RowIssue::ExtraFields { expected: 4, found: 6, extra: strings(&["unexpected", "values"]) })
    );
    // A trailing delimiter adds only a blank value: nothing is lost, so nothing is flagged.
    assert_eq!(rows[2].issue, None);
    assert_eq!(rows[2].fields[3], "CTO");
    assert_eq!(rows[3].issue, None);
}

#[test]
fn quoted_fields_with_delimiters_quotes_and_newlines() {
    let (_, rows) = read("quoted-multiline.csv");
    // The blank line and the line of bare commas are skipped and not counted.
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].fields[0], "Smith, Jane");
    assert_eq!(rows[0].fields[2], "Met at the fair.\r\nSaid \"call me in May\", then left; ok");
    assert_eq!(rows[1].row, 2);
    assert_eq!(rows[1].fields[2], "one, two\nthree");
}

#[test]
fn checksum_and_size_describe_the_raw_bytes() {
    let source = open("utf8.csv");
    let info = source.info();
    let bytes = std::fs::read(fixture("utf8.csv")).expect("read");
    assert_eq!(info.size_bytes, bytes.len() as u64);
    assert_eq!(info.checksum.len(), 64);
    assert!(info.checksum.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(info.checksum, open("utf8.csv").info().checksum, "stable");
    assert_ne!(info.checksum, open("crlf.csv").info().checksum);
    // Known value, as printed by `printf 'a,b\n1,2\n' | sha256sum`.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("abc.csv");
    std::fs::write(&path, "a,b\n1,2\n").expect("write");
    let source = outpost_core::import::open_csv(&path).expect("open");
    assert_eq!(source.info().checksum, "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470");
}

#[test]
fn formula_cells_are_read_verbatim() {
    let (_, rows) = read("formula-injection.csv");
    assert_eq!(rows[0].fields[3], "=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(rows[1].fields[3], "@SUM(A1:A9)");
    assert_eq!(rows[2].fields[3], "+cmd|' /C calc'!A0");
}

#[test]
fn utf8_characters_cut_by_the_scan_chunk_boundary_are_still_utf8() {
    // The full-file scan reads 256 KiB chunks; put a 2-byte and a 4-byte character across the
    // first two boundaries.
    const CHUNK: usize = 256 * 1024;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("straddle.csv");
    let mut bytes = b"Name,Notes\n".to_vec();
    while bytes.len() < CHUNK - 1 - 2 {
        bytes.extend_from_slice(if CHUNK - 1 - 2 - bytes.len() >= 8 { b"a,bbbbb\n" } else { b"x" });
    }
    bytes.extend_from_slice(b"a,");
    assert_eq!(bytes.len(), CHUNK - 1);
    bytes.extend_from_slice("ü\n".as_bytes());
    while bytes.len() < 2 * CHUNK - 2 - 2 {
        bytes.extend_from_slice(if 2 * CHUNK - 2 - 2 - bytes.len() >= 8 { b"a,bbbbb\n" } else { b"y" });
    }
    bytes.extend_from_slice(b"b,");
    assert_eq!(bytes.len(), 2 * CHUNK - 2);
    bytes.extend_from_slice("🦀\n".as_bytes());
    std::fs::write(&path, &bytes).expect("write");
    let source = outpost_core::import::open_csv(&path).expect("opens");
    assert_eq!(source.info().encoding, "UTF-8");
    let rows = rows(source);
    assert!(rows.iter().any(|r| r.fields[1] == "ü"));
    assert_eq!(rows.last().map(|r| r.fields[1].as_str()), Some("🦀"));
}

#[test]
fn utf16le_without_bom_is_recognised_by_its_nul_pattern() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-bom.csv");
    let text = "Name,Email\r\nRenée Dupont,renee@dupont.fr\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&path, bytes).expect("write");
    let source = outpost_core::import::open_csv(&path).expect("opens");
    assert_eq!(source.info().encoding, "UTF-16LE");
    assert_eq!(rows(source)[0].fields, vec!["Renée Dupont", "renee@dupont.fr"]);
}
