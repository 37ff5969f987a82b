//! Record text reaches the terminal shown, never obeyed. A contact's name can come from a peer, a
//! file or an older Outpost; printed raw, an escape sequence in it would clear the screen, retitle
//! the window or hide what follows, and a bidirectional override would reorder the line.

use anyhow::Result;
use outpost_tests::{id_of, Workspace};

/// What a hostile name may hold: clear-screen, a window-title OSC ended by BEL, carriage return
/// and backspace, DEL, an 8-bit CSI (C1) and a right-to-left override.
const HOSTILE: &str = "Eve\u{1b}[2J\u{1b}]0;owned\u{7}\r\u{8}\u{7f}\u{9b}31m\u{202e}cba";

/// Characters a terminal acts on (newline and tab are the output's own layout).
fn obeyed_by_a_terminal(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| {
            matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// A workspace holding one contact whose stored name is [`HOSTILE`] (written into the real
/// database file, as a peer's or an older version's value would be), and its id.
fn hostile_contact() -> Result<(Workspace, String)> {
    let ws = Workspace::new()?;
    let id = id_of(&ws.json(&["contacts", "add", "--first-name", "Eve", "--last-name", "Line\nBreak"])?)?;
    let db = rusqlite::Connection::open(ws.data_dir().join("outpost.db"))?;
    assert_eq!(db.execute("UPDATE contacts SET first_name = ?1 WHERE id = ?2", (HOSTILE, &id))?, 1);
    Ok((ws, id))
}

#[test]
fn escape_sequences_in_a_stored_name_are_shown_not_obeyed_in_lists_and_records() -> Result<()> {
    let (ws, id) = hostile_contact()?;
    for args in
        [vec!["contacts", "list"], vec!["contacts", "show", id.as_str()], vec!["contacts", "list", "--search", "eve"]]
    {
        let run = ws.run(&args)?;
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert_eq!(obeyed_by_a_terminal(&run.stdout), Vec::<char>::new(), "{args:?} printed {:?}", run.stdout);
        // Shown instead: the control pictures and the escaped code points.
        assert!(run.stdout.contains("Eve␛[2J␛]0;owned␇␍␈"), "{args:?} printed {:?}", run.stdout);
        assert!(run.stdout.contains("\\u202ecba"), "{args:?} printed {:?}", run.stdout);
    }
    // In the table a value's own newline becomes a space: it cannot forge a row.
    let list = ws.run(&["contacts", "list"])?;
    assert_eq!(list.stdout.lines().count(), 2, "{:?}", list.stdout);
    assert!(list.stdout.contains("Line Break"), "{:?}", list.stdout);
    Ok(())
}

#[test]
fn json_output_is_terminal_safe_and_still_parses_to_the_stored_name() -> Result<()> {
    let (ws, id) = hostile_contact()?;
    for args in [vec!["--json", "contacts", "list"], vec!["--json", "contacts", "show", id.as_str()]] {
        let run = ws.run(&args)?;
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert_eq!(obeyed_by_a_terminal(&run.stdout), Vec::<char>::new(), "{args:?} printed {:?}", run.stdout);
        let parsed = run.json()?;
        let contact = if parsed.is_array() { &parsed[0] } else { &parsed };
        assert_eq!(contact["first_name"], HOSTILE, "{args:?}");
        assert_eq!(contact["last_name"], "Line\nBreak", "{args:?}");
    }
    Ok(())
}

#[test]
fn an_error_quoting_a_refused_value_does_not_pass_its_escapes_to_the_terminal() -> Result<()> {
    let ws = Workspace::new()?;
    // Control characters are cleaned from typed values; a bidirectional override is not (it
    // belongs in right-to-left text), so the refusal quotes it and the output must escape it.
    let hostile_email = "\u{202e}moc.live@eve\u{1b}]0;owned\u{7}";
    for json in [false, true] {
        let mut args = vec!["contacts", "add", "--first-name", "Eve", "--email", hostile_email];
        if json {
            args.insert(0, "--json");
        }
        let run = ws.run(&args)?;
        assert_eq!(run.code, Some(3), "{}", run.stderr);
        assert_eq!(obeyed_by_a_terminal(&run.stderr), Vec::<char>::new(), "printed {:?}", run.stderr);
        assert!(run.stderr.contains("email"), "{:?}", run.stderr);
        if json {
            let error: serde_json::Value = serde_json::from_str(run.stderr.trim())?;
            assert_eq!(error["error"]["field"], "email", "{error}");
        }
    }
    assert_eq!(ws.json(&["contacts", "list"])?, serde_json::json!([]));
    Ok(())
}
