//! Action lines in meeting notes: which lines become tasks (pure; no I/O).
//!
//! A line is an action when, after leading whitespace and an optional list marker (`-`, `*`, `+`,
//! `•`, `1.`, `1)`), it is:
//!
//! 1. an unchecked checkbox: `[ ] Send the proposal` (a checked `[x]` box is done and ignored);
//! 2. a marker word followed by `:` (or `-`): `TODO: …`, `Action: …`, `Action item: …`, `AI: …`,
//!    `Follow up: …` / `Follow-up: …`, `Next step: …` (any case; `TODO …` also without a colon);
//! 3. an owner and a commitment: `@sam will send pricing`, `@sam to send pricing`.
//!
//! An action's text may start with `@name` (its owner), and may end with a due date written
//! `by YYYY-MM-DD` or `due YYYY-MM-DD` (optionally in brackets), which becomes the task's due date.
//! Everything else (headings, plain notes, quotes) is not an action. Two actions with the same text
//! (ignoring case and spacing) are one action.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

/// One action found in notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ActionItem {
    /// 1-based line number in the notes.
    pub line: u32,
    /// What to do (the task title), without owner or due-date markers.
    pub text: String,
    /// Who does it (`sam` for `@sam`), if named.
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD), if given.
    pub due_date: Option<String>,
    /// Identity of the action: its text, owner and date, lower-cased with spacing collapsed.
    pub key: String,
}

const MARKERS: &[&str] = &["action item", "action", "ai", "todo", "to do", "follow up", "follow-up", "next step"];

fn strip_list_marker(line: &str) -> &str {
    let line = line.trim_start();
    for bullet in ["- ", "* ", "+ ", "• ", "– "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return rest.trim_start();
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return rest.trim_start();
        }
    }
    line
}

/// The action text of a line, or `None` when the line is not an action.
fn action_text(line: &str) -> Option<&str> {
    let body = strip_list_marker(line);
    if let Some(rest) = body.strip_prefix("[ ]").or_else(|| body.strip_prefix("[]")) {
        return Some(rest.trim());
    }
    let lower = body.to_lowercase();
    for marker in MARKERS {
        if let Some(rest) = lower.strip_prefix(marker) {
            let cut = body.len() - rest.len();
            let after = &body[cut..];
            let trimmed = after.trim_start();
            if let Some(text) = trimmed.strip_prefix(':').or_else(|| after.strip_prefix(" - ")) {
                return Some(text.trim());
            }
            if *marker == "todo" && after.starts_with(' ') {
                return Some(after.trim());
            }
        }
    }
    if body.starts_with('@') {
        let (_, rest) = body.split_once(' ')?;
        let verb = rest.split_whitespace().next()?.to_lowercase();
        if verb == "will" || verb == "to" {
            return Some(body);
        }
    }
    None
}

/// Splits a leading `@owner` and the commitment verb (`will`, `to`) off `text`.
fn owner_of(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix('@') else { return (None, text) };
    let end = rest.find(|c: char| c.is_whitespace() || c == ':' || c == ',').unwrap_or(rest.len());
    let owner = rest[..end].trim_end_matches(['.', ',']).to_owned();
    let mut remainder = rest[end..].trim_start_matches([':', ',']).trim_start();
    for verb in ["will ", "to "] {
        if remainder.to_lowercase().starts_with(verb) {
            remainder = remainder[verb.len()..].trim_start();
            break;
        }
    }
    ((!owner.is_empty()).then_some(owner), remainder)
}

/// Splits a trailing `by YYYY-MM-DD` / `due YYYY-MM-DD` (optionally bracketed) off `text`.
fn due_of(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_end().trim_end_matches(['.', ')']).trim_end();
    if trimmed.len() < 10 || !trimmed.is_char_boundary(trimmed.len() - 10) {
        return (None, text);
    }
    let (head, date) = trimmed.split_at(trimmed.len() - 10);
    let Ok(date) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else { return (None, text) };
    let head = head.trim_end();
    let lower = head.to_lowercase();
    for word in ["by", "due", "due by", "due:"] {
        if lower.ends_with(word)
            && (lower.len() == word.len() || lower[..lower.len() - word.len()].ends_with([' ', '(']))
        {
            let rest = head[..head.len() - word.len()].trim_end().trim_end_matches(['(', ',', '-']).trim_end();
            return (Some(date.to_string()), rest);
        }
    }
    (None, text)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every action in `notes`, in order, once each.
pub fn extract(notes: &str) -> Vec<ActionItem> {
    let mut items: Vec<ActionItem> = Vec::new();
    for (index, line) in notes.lines().enumerate() {
        let Some(text) = action_text(line) else { continue };
        let (owner, text) = owner_of(text);
        let (due_date, text) = due_of(text);
        let text = capitalise(&text.split_whitespace().collect::<Vec<_>>().join(" "));
        if text.is_empty() {
            continue;
        }
        let key = format!(
            "{}|{}|{}",
            text.to_lowercase(),
            owner.as_deref().unwrap_or_default().to_lowercase(),
            due_date.as_deref().unwrap_or_default()
        );
        if items.iter().any(|i| i.key == key) {
            continue;
        }
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        items.push(ActionItem { line, text, owner, due_date, key });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_kind_of_action_line() {
        let notes = "# Call with Acme\n\
                     Budget confirmed for Q1.\n\
                     - [ ] Send the revised proposal by 2026-12-01\n\
                     - [x] Book the room\n\
                     TODO: check SSO requirements\n\
                     Action: intro to their CFO\n\
                     AI: @priya share the security pack\n\
                     @sam will send pricing (due 2026-11-30)\n\
                     1. Follow-up: schedule the demo\n\
                     todo check SSO requirements\n\
                     Aidan said hello\n";
        let items = extract(notes);
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Send the revised proposal",
                "Check SSO requirements",
                "Intro to their CFO",
                "Share the security pack",
                "Send pricing",
                "Schedule the demo"
            ]
        );
        assert_eq!(items[0].due_date.as_deref(), Some("2026-12-01"));
        assert_eq!(items[0].line, 3);
        assert_eq!(items[3].owner.as_deref(), Some("priya"));
        assert_eq!(items[4].owner.as_deref(), Some("sam"));
        assert_eq!(items[4].due_date.as_deref(), Some("2026-11-30"));
    }

    #[test]
    fn plain_notes_have_no_actions() {
        assert!(extract("They will think about it.\n@sam said hi\nActionable insights were shared").is_empty());
    }
}
