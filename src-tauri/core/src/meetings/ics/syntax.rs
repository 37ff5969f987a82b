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

    /// Every value of parameter `key` joined by `, `: a single-valued parameter whose value has an
    /// unquoted comma (`CN=Doe, Jane`, which RFC 5545 wants quoted) whole again.
    pub(crate) fn param_joined(&self, key: &str) -> Option<String> {
        self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, values)| values.join(", "))
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
    /// Lines read leniently (an unescaped line break in a text value), with how.
    pub notes: Vec<(u32, String)>,
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
        // Blank lines are kept (empty) for text spilled over raw line breaks to keep its
        // paragraphs; a fold continues the last line that is not blank.
        match (physical.strip_prefix([' ', '\t']), out.iter_mut().rev().find(|(_, l)| !l.is_empty())) {
            (Some(continued), Some((_, last))) => last.push_str(continued),
            _ if physical.trim().is_empty() => {
                if !out.is_empty() {
                    out.push((number, String::new()));
                }
            }
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

/// Whether the colon starting `rest` is a URI's inside an unquoted parameter value rather than the
/// end of the parameters: Exchange writes `DTSTART;TZID=tzone://Microsoft/Utc:20261105T190000`,
/// and some exporters `ORGANIZER;SENT-BY=mailto:pa@acme.com;CN=Boss:mailto:boss@acme.com`
/// (RFC 5545 wants both quoted).
fn in_uri_parameter(head: &str, rest: &str) -> bool {
    let Some(param) = head.rsplit(';').next().filter(|_| head.contains(';')) else { return false };
    let scheme = param.split_once('=').map_or("", |(_, value)| value.trim());
    let is_scheme = !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+');
    let mail = ["mailto", "urn", "tel", "sip"].iter().any(|s| s.eq_ignore_ascii_case(scheme));
    is_scheme && (rest.starts_with("://") || mail)
}

/// A parameter value with RFC 6868's caret escapes decoded: `^'` a double quote, `^n` a line
/// break, `^^` a caret (Apple writes `CN="Jane ^'JJ^' Doe"`).
fn caret_decoded(value: &str) -> String {
    if !value.contains('^') {
        return value.to_owned();
    }
    let (mut out, mut chars) = (String::with_capacity(value.len()), value.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('^', Some('\'')) => out.push('"'),
            ('^', Some('n' | 'N')) => out.push('\n'),
            ('^', Some('^')) => out.push('^'),
            _ => {
                out.push(c);
                continue;
            }
        }
        chars.next();
    }
    out
}

/// One logical line as a property, or why it is not one.
fn content_line(number: u32, line: &str) -> Result<Property, String> {
    // The first unquoted colon ends the parameters, unless it belongs to a URI in one of them and
    // another colon follows.
    let mut quoted = false;
    let colons: Vec<usize> = line
        .char_indices()
        .filter_map(|(i, c)| match c {
            '"' => {
                quoted = !quoted;
                None
            }
            ':' if !quoted => Some(i),
            _ => None,
        })
        .collect();
    let colon =
        colons.iter().copied().find(|i| !in_uri_parameter(&line[..*i], &line[*i..])).or(colons.first().copied());
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
                split_unquoted(values, ',').into_iter().map(|v| caret_decoded(v.trim().trim_matches('"'))).collect();
            (key.trim().to_ascii_uppercase(), values)
        })
        .collect();
    Ok(Property { name, params, value: value.to_owned(), line: number })
}

/// Properties whose value is free text, which exporters that forget to escape line breaks spill
/// over several lines.
const TEXT_PROPERTIES: &[&str] = &["DESCRIPTION", "SUMMARY", "LOCATION", "COMMENT", "X-ALT-DESC"];

/// Property names of RFC 5545, 7986 and 9073, and the `X-` ones: a line inside spilled-over text
/// that looks like a property (`Passcode: 1234`, `https://zoom.us/j/1`) but has none of these
/// names is more of the text.
fn is_property_name(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "ACTION",
        "ATTACH",
        "ATTENDEE",
        "BEGIN",
        "CALSCALE",
        "CATEGORIES",
        "CLASS",
        "COLOR",
        "COMMENT",
        "COMPLETED",
        "CONFERENCE",
        "CONTACT",
        "CREATED",
        "DESCRIPTION",
        "DTEND",
        "DTSTAMP",
        "DTSTART",
        "DUE",
        "DURATION",
        "END",
        "EXDATE",
        "EXRULE",
        "FREEBUSY",
        "GEO",
        "IMAGE",
        "LAST-MODIFIED",
        "LOCATION",
        "METHOD",
        "NAME",
        "ORGANIZER",
        "PARTICIPANT-TYPE",
        "PERCENT-COMPLETE",
        "PRIORITY",
        "PRODID",
        "RDATE",
        "RECURRENCE-ID",
        "REFRESH-INTERVAL",
        "RELATED-TO",
        "REPEAT",
        "REQUEST-STATUS",
        "RESOURCES",
        "RRULE",
        "SEQUENCE",
        "SOURCE",
        "STATUS",
        "STRUCTURED-DATA",
        "STYLED-DESCRIPTION",
        "SUMMARY",
        "TRANSP",
        "TRIGGER",
        "TZID",
        "TZNAME",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "TZURL",
        "UID",
        "URL",
        "VERSION",
    ];
    name.starts_with("X-") || NAMES.contains(&name)
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
    // Whether the previous line spilled over from a text value, so a line looking like an
    // unknown property is more of it.
    let mut spilling = false;
    for (number, line) in lines {
        if line.is_empty() {
            // A blank line inside spilled text is a paragraph break; anywhere else it is nothing.
            if let Some(text) = stack.last_mut().and_then(|open| open.properties.last_mut()).filter(|_| spilling) {
                text.value.push_str("\\n");
            }
            continue;
        }
        let parsed = content_line(number, &line);
        if let Some(open) = stack.last_mut() {
            if spill(open, number, &line, parsed.as_ref().ok(), spilling) {
                spilling = true;
                continue;
            }
        }
        spilling = false;
        let property = match parsed {
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

/// Appends `line` to the text value just read in `open` when the line is not a property (or,
/// while text is `spilling` over, a property nobody defines): an exporter wrote a line break
/// unescaped. Returns whether it did.
fn spill(open: &mut Component, number: u32, line: &str, parsed: Option<&Property>, spilling: bool) -> bool {
    let continues = match parsed {
        None => true,
        Some(p) => spilling && !is_property_name(&p.name),
    };
    let last_line_was_text = open
        .properties
        .last()
        .filter(|p| TEXT_PROPERTIES.contains(&p.name.as_str()))
        .is_some_and(|p| spilling || open.children.last().is_none_or(|c| c.line < p.line));
    if !continues || !last_line_was_text {
        return false;
    }
    let Some(text) = open.properties.last_mut() else { return false };
    text.value.push_str("\\n");
    text.value.push_str(line);
    let name = text.name.clone();
    // One note per spilled value, naming its lines.
    let first = match open.notes.last() {
        Some((first, _)) if spilling => *first,
        _ => number,
    };
    if spilling {
        open.notes.pop();
    }
    let lines = if first == number { format!("line {number} is") } else { format!("lines {first}-{number} are") };
    open.notes.push((
        first,
        format!("{lines} not a property; read as more of the {name} above (line breaks the exporter did not escape)"),
    ));
    true
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
    fn an_unescaped_line_break_in_a_description_is_read_as_more_of_it() {
        // As a Zoom invitation pasted into Exchange and exported by a tool that did not escape it.
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDESCRIPTION;LANGUAGE=en-GB:\nDear Team,\n\nJoin Zoom Meeting\n\
                    https://zoom.us/j/123?pwd=abc\nMeeting ID: 123\nPasscode: 456\n+1 646 931 3860,,123#\n\
                    RRULE:FREQ=WEEKLY\nSUMMARY:Team\nLOCATION:Room 1\nBEGIN:VALARM\nEND:VALARM\nnot a property\n\
                    END:VEVENT\nEND:VCALENDAR\n";
        let calendars = read(text).expect("read");
        let event = &calendars[0].children[0];
        assert_eq!(
            event.get("DESCRIPTION").map(Property::text).as_deref(),
            Some(
                "\nDear Team,\n\nJoin Zoom Meeting\nhttps://zoom.us/j/123?pwd=abc\nMeeting ID: 123\nPasscode: 456\n\
                 +1 646 931 3860,,123#"
            )
        );
        assert_eq!(event.get("RRULE").map(|p| p.value.as_str()), Some("FREQ=WEEKLY"), "a known property ends the text");
        assert_eq!(event.get("SUMMARY").map(|p| p.line), Some(13));
        assert_eq!(event.notes.len(), 1, "one note for the spilled text: {:?}", event.notes);
        assert_eq!(event.notes[0].0, 5);
        assert!(event.notes[0].1.starts_with("lines 5-11 are not a property"), "{}", event.notes[0].1);
        // A line that is not a property after a component, not after text, is still a problem.
        assert_eq!(event.problems, [(17, "'not a property' is not a property (NAME:value)".to_owned())]);
    }

    #[test]
    fn an_unquoted_uri_in_a_parameter_tzone_or_sent_by_mailto_is_not_the_end_of_the_parameters() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=tzone://Microsoft/Utc:20261105T190000\n\
                    ATTACH;FMTTYPE=text/html:https://example.com/a\nURL:http://example.com\nEND:VEVENT\nEND:VCALENDAR\n";
        let calendars = read(text).expect("read");
        let event = &calendars[0].children[0];
        let start = event.get("DTSTART").expect("DTSTART");
        assert_eq!((start.param("TZID"), start.value.as_str()), (Some("tzone://Microsoft/Utc"), "20261105T190000"));
        assert_eq!(event.get("ATTACH").map(|p| p.value.as_str()), Some("https://example.com/a"));
        assert_eq!(event.get("URL").map(|p| p.value.as_str()), Some("http://example.com"));
        let organizer =
            content_line(1, "ORGANIZER;SENT-BY=mailto:pa@acme.com;CN=Boss:MAILTO:boss@acme.com").expect("line");
        assert_eq!((organizer.param("SENT-BY"), organizer.param("CN")), (Some("mailto:pa@acme.com"), Some("Boss")));
        assert_eq!(organizer.value, "MAILTO:boss@acme.com");
        let odd = content_line(1, "ATTENDEE;CN=mailto:jane@acme.com").expect("no later colon: the first one");
        assert_eq!((odd.param("CN"), odd.value.as_str()), (Some("mailto"), "jane@acme.com"));
    }

    #[test]
    fn parameter_values_decode_rfc_6868_carets_and_keep_unquoted_commas() {
        let calendars = read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nATTENDEE;CN=\"Jane ^'JJ^' Doe ^^\":mailto:j@x.com\n\
             ORGANIZER;CN=Doe, Jane:mailto:j@x.com\nEND:VEVENT\nEND:VCALENDAR\n",
        )
        .expect("read");
        let event = &calendars[0].children[0];
        assert_eq!(event.get("ATTENDEE").and_then(|p| p.param("CN")), Some("Jane \"JJ\" Doe ^"));
        assert_eq!(event.get("ORGANIZER").and_then(|p| p.param_joined("CN")).as_deref(), Some("Doe, Jane"));
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
