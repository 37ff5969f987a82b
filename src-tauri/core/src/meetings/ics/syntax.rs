//! The iCalendar syntax (RFC 5545 §3.1) read leniently and with line numbers: lines unfolded
//! (CRLF, LF or CR-only files), each content line split into name, parameters and value, and the
//! `BEGIN`/`END` lines built into a tree of components. A stream may hold several `VCALENDAR`
//! objects one after another (concatenated exports); each is returned.
//!
//! Hand-written rather than a parser crate's because the import must point at the line of each
//! problem and keep going past one bad event; a line that is not a content line is recorded on
//! the component it appears in (with its line number) instead of failing the whole stream.

/// One content line (after unfolding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Property {
    /// Upper-cased name, without any `group.` prefix.
    pub name: String,
    /// Parameters: upper-cased key and the values (quotes removed).
    pub params: Vec<(String, Vec<String>)>,
    /// The raw value (not unescaped).
    pub value: String,
    /// Line number (1-based) of the line's first physical line.
    pub line: u32,
}

impl Property {
    /// The first value of parameter `key` (case-insensitive).
    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, values)| values.first())
            .map(String::as_str)
    }

    /// The value as TEXT: `\n`, `\,`, `\;` and `\\` unescaped, made
    /// [`outpost_sync::entity::rules::plain_text`] (no hidden controls, composed accents).
    pub(crate) fn text(&self) -> String {
        let value = outpost_sync::entity::rules::plain_text(&self.value);
        let mut out = String::with_capacity(value.len());
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        out
    }
}

/// A `BEGIN:…`/`END:…` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Component {
    /// Upper-cased name (`VCALENDAR`, `VEVENT`, …).
    pub name: String,
    /// Line of its `BEGIN`.
    pub line: u32,
    /// Its properties, in order.
    pub properties: Vec<Property>,
    /// Nested components.
    pub children: Vec<Component>,
    /// Lines inside it that could not be read, with why.
    pub problems: Vec<(u32, String)>,
}

impl Component {
    /// Properties named `name`.
    pub(crate) fn all<'c>(&'c self, name: &'c str) -> impl Iterator<Item = &'c Property> + 'c {
        self.properties.iter().filter(move |p| p.name == name)
    }

    /// The first property named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Children named `name`.
    pub(crate) fn children_named<'c>(&'c self, name: &'c str) -> impl Iterator<Item = &'c Component> + 'c {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Physical lines joined into logical lines: (first line number, text).
fn unfold(text: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut number = 0u32;
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let physical = &rest[..end];
        rest = &rest[end..];
        rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix(['\r', '\n'])).unwrap_or(rest);
        number += 1;
        match (physical.strip_prefix([' ', '\t']), out.last_mut()) {
            (Some(continued), Some((_, last))) => last.push_str(continued),
            _ if physical.trim().is_empty() => {}
            _ => out.push((number, physical.to_owned())),
        }
    }
    out
}

/// Splits `text` at unquoted occurrences of `separator`.
fn split_unquoted(text: &str, separator: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// One logical line as a property, or why it is not one.
fn content_line(number: u32, line: &str) -> Result<Property, String> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    });
    let Some(colon) = colon else {
        let shown: String = line.chars().take(40).collect();
        return Err(format!("'{shown}' is not a property (NAME:value)"));
    };
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut pieces = split_unquoted(head, ';').into_iter();
    let name = pieces.next().unwrap_or_default().trim();
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        let shown: String = head.chars().take(40).collect();
        return Err(format!("'{shown}' is not a property name"));
    }
    let params = pieces
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (key, values) = p.split_once('=').unwrap_or((p, ""));
            let values =
                split_unquoted(values, ',').into_iter().map(|v| v.trim().trim_matches('"').to_owned()).collect();
            (key.trim().to_ascii_uppercase(), values)
        })
        .collect();
    Ok(Property { name, params, value: value.to_owned(), line: number })
}

/// Reads a stream of iCalendar objects. `Err` only when the stream is not iCalendar at all (its
/// first line is not `BEGIN:VCALENDAR`). Components still open at the end of the stream are
/// returned with a problem saying so.
pub(crate) fn read(text: &str) -> Result<Vec<Component>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = unfold(text);
    let starts_right = lines.first().is_some_and(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR"));
    if !starts_right {
        return Err(
            "is not an iCalendar file (it does not start with BEGIN:VCALENDAR); export the calendar as .ics".into()
        );
    }
    let mut done: Vec<Component> = Vec::new();
    let mut stack: Vec<Component> = Vec::new();
    for (number, line) in lines {
        let property = match content_line(number, &line) {
            Ok(p) => p,
            Err(why) => {
                if let Some(open) = stack.last_mut() {
                    open.problems.push((number, why));
                }
                continue;
            }
        };
        match property.name.as_str() {
            "BEGIN" => {
                let name = property.value.trim().to_ascii_uppercase();
                stack.push(Component { name, line: number, ..Component::default() });
            }
            "END" => {
                let name = property.value.trim().to_ascii_uppercase();
                let Some(depth) = stack.iter().rposition(|c| c.name == name) else {
                    if let Some(open) = stack.last_mut() {
                        open.problems.push((number, format!("END:{name} without a BEGIN:{name}")));
                    }
                    continue;
                };
                while stack.len() > depth + 1 {
                    let mut unclosed = stack.pop().unwrap_or_default();
                    unclosed.problems.push((unclosed.line, format!("BEGIN:{} is never closed", unclosed.name)));
                    attach(&mut stack, &mut done, unclosed);
                }
                if let Some(closed) = stack.pop() {
                    attach(&mut stack, &mut done, closed);
                }
            }
            // A property between objects has nothing to belong to.
            _ => {
                if let Some(open) = stack.last_mut() {
                    open.properties.push(property);
                }
            }
        }
    }
    while let Some(mut unclosed) = stack.pop() {
        unclosed.problems.push((
            unclosed.line,
            format!("BEGIN:{} is never closed: the file ends inside it (was it cut off?)", unclosed.name),
        ));
        attach(&mut stack, &mut done, unclosed);
    }
    Ok(done)
}

fn attach(stack: &mut [Component], done: &mut Vec<Component>, component: Component) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(component),
        None => done.push(component),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_quoted_parameters_and_line_numbers() {
        let text =
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"Doe; Jane: CEO\";ROLE=REQ-PARTICIPANT:mailto:j\r\n \
                    ane@example.com\r\nSUMMARY:a\\, b\\nc\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let calendars = read(text).expect("read");
        let event = &calendars[0].children[0];
        let attendee = event.get("ATTENDEE").expect("attendee");
        assert_eq!(attendee.param("CN"), Some("Doe; Jane: CEO"));
        assert_eq!(attendee.value, "mailto:jane@example.com");
        assert_eq!(attendee.line, 3);
        assert_eq!(event.get("SUMMARY").map(Property::text).as_deref(), Some("a, b\nc"));
        assert_eq!(event.get("SUMMARY").map(|p| p.line), Some(5));
    }

    #[test]
    fn cr_only_files_and_several_calendars() {
        let text = "BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:1\rEND:VEVENT\rEND:VCALENDAR\rBEGIN:VCALENDAR\rEND:VCALENDAR\r";
        let calendars = read(text).expect("read");
        assert_eq!(calendars.len(), 2);
        assert_eq!(calendars[0].children[0].get("UID").map(|p| p.line), Some(3));
    }

    #[test]
    fn a_cut_off_event_is_reported_not_fatal() {
        let calendars = read("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nthis is junk\n").expect("read");
        let event = &calendars[0].children[0];
        assert_eq!(event.problems[0].0, 4);
        assert!(event.problems.iter().any(|(line, why)| *line == 2 && why.contains("never closed")));
        assert!(read("hello").is_err());
    }
}
