//! The validation rule of every checked field of the app's CRM write requests (add and update of
//! contacts, companies, deals, tasks and activities), and the examples that pin them down.
//!
//! Why: the UI's test double of the backend must refuse what the core refuses. Its rules used to
//! be copied by hand and drifted (`updateContact` accepted any e-mail with an `@`). Here each
//! field's check is taken from the replicated entity's definition (`outpost_sync::entity`: text
//! bounds, e-mail, currency, date, enum values, …) — the same definitions the core's validators
//! and the sync server use — with the few places the request differs from the stored field named
//! explicitly (a deal's `value` is money in major units, a typed phone, a company given by name).
//! `make generate` writes these rules and [`examples`] into `ui/src/gen/rules.ts`; the UI double
//! validates through them, a vitest runs the examples against the double, and
//! `request_rules_tests` runs the same examples against the real core API.

use outpost_sync::entity::{EntityKind, FieldType};

use crate::store::validate::MAX_SHORT;

/// How one request field is checked (each maps to one `store::validate` function).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Trimmed text of at most `max` characters (`validate::text`).
    Text {
        /// Longest accepted value, in characters, after trimming.
        max: usize,
    },
    /// An e-mail address (`validate::email`).
    Email,
    /// A dialable phone number (`validate::phone`).
    Phone,
    /// Money in major units, not negative, at most 10^13 (`validate::money`).
    Money,
    /// A three-letter currency code (`validate::currency`).
    Currency,
    /// A calendar date `YYYY-MM-DD` (`validate::date`).
    Date,
    /// RFC 3339, `YYYY-MM-DD HH:MM` (UTC) or `YYYY-MM-DD` (`validate::timestamp`).
    Timestamp,
    /// A website or domain (`validate::domain`).
    Domain,
    /// A LinkedIn profile URL (`validate::linkedin_url`).
    LinkedinUrl,
    /// An IANA time-zone name (`validate::time_zone`).
    TimeZone,
    /// One of these values.
    OneOf(&'static [&'static str]),
}

impl Check {
    /// The name used in the generated TypeScript.
    pub fn name(self) -> &'static str {
        match self {
            Check::Text { .. } => "text",
            Check::Email => "email",
            Check::Phone => "phone",
            Check::Money => "money",
            Check::Currency => "currency",
            Check::Date => "date",
            Check::Timestamp => "timestamp",
            Check::Domain => "domain",
            Check::LinkedinUrl => "linkedin_url",
            Check::TimeZone => "time_zone",
            Check::OneOf(_) => "one_of",
        }
    }
}

/// One checked field of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRule {
    /// Its name in the request (and in the refusal's `field`).
    pub field: &'static str,
    /// How its value is checked.
    pub check: Check,
    /// Must be given, not blank, when creating (`add_*`, `log_*`); never blank when updating.
    pub required: bool,
    /// May be left out, but an update cannot clear it: the stored field is required (a deal's
    /// currency), so a blank value is refused when updating (when creating, it means the default).
    pub keep: bool,
}

/// The checked fields of one write command's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRules {
    /// The desktop command (`add_contact`, …).
    pub command: &'static str,
    /// Its checked fields.
    pub fields: Vec<FieldRule>,
}

/// How a request field relates to its entity's definition.
enum From {
    /// The entity's field of the same name; `required` as the request has it (whether an update
    /// may clear it comes from the entity).
    Entity(bool),
    /// A check of its own (the request carries it differently from the stored field); `required`.
    Own(Check, bool),
}

/// A request's checked fields: `(name, where its check comes from)`.
type Fields = &'static [(&'static str, From)];

/// `(command, entity, fields)`: what each write request carries that is checked.
const REQUESTS: &[(&str, EntityKind, Fields)] = {
    use From::{Entity as E, Own};
    const CONTACT: &[(&str, From)] = &[
        ("first_name", E(false)),
        ("last_name", E(false)),
        ("email", E(false)),
        // The API checks a typed phone is dialable; imports keep any short text (the entity).
        ("phone", Own(Check::Phone, false)),
        ("title", E(false)),
        ("company", Own(Check::Text { max: MAX_SHORT }, false)),
        ("lead_source", E(false)),
        ("linkedin_url", E(false)),
        ("time_zone", E(false)),
        ("notes", E(false)),
    ];
    const COMPANY: &[(&str, From)] =
        &[("name", E(true)), ("domain", E(false)), ("industry", E(false)), ("location", E(false)), ("size", E(false))];
    const DEAL: &[(&str, From)] = &[
        ("title", E(true)),
        // Major units in the request, minor units (`value_minor`) in the record.
        ("value", Own(Check::Money, false)),
        ("currency", E(false)),
        ("company", Own(Check::Text { max: MAX_SHORT }, false)),
        ("expected_close", E(false)),
        ("owner", E(false)),
        ("next_step", E(false)),
        ("notes", E(false)),
        ("budget", E(false)),
        ("authority", E(false)),
        ("need", E(false)),
        ("timeline", E(false)),
    ];
    &[
        ("add_contact", EntityKind::Contact, CONTACT),
        ("update_contact", EntityKind::Contact, CONTACT),
        ("add_company", EntityKind::Company, COMPANY),
        ("update_company", EntityKind::Company, COMPANY),
        ("add_deal", EntityKind::Deal, DEAL),
        ("update_deal", EntityKind::Deal, DEAL),
        (
            "add_task",
            EntityKind::Task,
            &[("title", E(true)), ("notes", E(false)), ("due_date", E(false)), ("priority", E(false))],
        ),
        (
            "log_activity",
            EntityKind::Activity,
            &[
                // Stage changes are the entity's too, but only the core writes them.
                ("kind", Own(Check::OneOf(&["note", "call", "email", "meeting"]), true)),
                ("subject", E(true)),
                ("body", E(false)),
                // Any instant the rep types; the record stores it as strict RFC 3339.
                ("occurred_at", E(false)),
                ("direction", E(false)),
            ],
        ),
    ]
};

/// The check of a stored field's type, as a request gives it.
fn check_of(kind: EntityKind, field: &str) -> Check {
    let spec = kind
        .entity()
        .field(field)
        .unwrap_or_else(|| panic!("request_rules: {kind} has no field {field}; fix REQUESTS"));
    match spec.ty {
        FieldType::Text { max } => Check::Text { max },
        FieldType::Email => Check::Email,
        FieldType::Domain => Check::Domain,
        FieldType::Currency => Check::Currency,
        FieldType::LinkedinUrl => Check::LinkedinUrl,
        FieldType::TimeZone => Check::TimeZone,
        FieldType::Date => Check::Date,
        FieldType::Timestamp => Check::Timestamp,
        FieldType::Enum(values) => Check::OneOf(values),
        other => panic!("request_rules: {kind}.{field} is {other:?}, which no request carries as such; fix REQUESTS"),
    }
}

/// Every write request's checked fields.
pub fn request_rules() -> Vec<RequestRules> {
    REQUESTS
        .iter()
        .map(|(command, kind, fields)| RequestRules {
            command,
            fields: fields
                .iter()
                .map(|(field, from)| match from {
                    From::Entity(required) => FieldRule {
                        field,
                        check: check_of(*kind, field),
                        required: *required,
                        keep: kind.entity().field(field).is_some_and(|f| f.required),
                    },
                    From::Own(check, required) => {
                        FieldRule { field, check: *check, required: *required, keep: *required }
                    }
                })
                .collect(),
        })
        .collect()
}

/// A value in an example: JSON, or a character repeated (so a 100,000-character case stays small
/// in the generated file).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// This JSON value.
    Json(serde_json::Value),
    /// `char` repeated `times` times.
    Repeat(char, usize),
}

impl Value {
    /// The JSON value it stands for.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Json(v) => v.clone(),
            Value::Repeat(c, times) => serde_json::Value::String(c.to_string().repeat(*times)),
        }
    }
}

/// One case both the core and the UI double must agree on: `field` of `command`'s request set to
/// `value` (on an otherwise valid request) is refused naming `field` with a message containing
/// `message`, or accepted when `message` is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The command.
    pub command: &'static str,
    /// The field set.
    pub field: &'static str,
    /// Its value.
    pub value: Value,
    /// `Some(fragment of the refusal)`, or `None` when the value is accepted.
    pub message: Option<&'static str>,
}

fn json(v: impl Into<serde_json::Value>) -> Value {
    Value::Json(v.into())
}

/// Whether `command` creates a record (an update may leave fields out).
pub fn creates(command: &str) -> bool {
    !command.starts_with("update_")
}

/// Accepted and refused values of each check, with the words of the refusal.
fn cases(rule: &FieldRule, creating: bool) -> Vec<(Value, Option<&'static str>)> {
    let mut cases = match rule.check {
        Check::Text { max } => {
            vec![(Value::Repeat('x', max), None), (Value::Repeat('x', max + 1), Some("is too long"))]
        }
        Check::Email => vec![
            (json("Ada@Engines.IO"), None),
            (json("ada@engines"), Some("not a valid email")),
            (json("a da@engines.io"), Some("not a valid email")),
            (json("ada@engines..io"), Some("not a valid email")),
            (json("ada@@engines.io"), Some("not a valid email")),
        ],
        Check::Phone => vec![
            (json("+44 20 7946 0000"), None),
            (json("(555) 010-0199"), None),
            (json("call me"), Some("not a phone number")),
            (json("12"), Some("not a phone number")),
            (json("1234567890123456"), Some("not a phone number")),
        ],
        Check::Money => vec![
            (json(0.0), None),
            (json(1e13), None),
            (json(-1.0), Some("cannot be negative")),
            (json(1e14), Some("implausibly large")),
        ],
        Check::Currency => vec![
            (json("gbp"), None),
            (json("pounds"), Some("not a currency code")),
            (json("U5D"), Some("not a currency code")),
        ],
        Check::Date => vec![
            (json("2026-12-31"), None),
            (json("2026-02-30"), Some("not a date")),
            (json("31/12/2026"), Some("not a date")),
        ],
        Check::Timestamp => vec![
            (json("2026-11-24T15:30:00+01:00"), None),
            (json("2026-11-24 14:30"), None),
            (json("2026-11-24"), None),
            (json("tomorrow"), Some("not a time")),
        ],
        Check::Domain => vec![
            (json("https://www.Acme.com/about?x=1"), None),
            (json("not a domain"), Some("not a domain")),
            (json("localhost"), Some("not a domain")),
        ],
        Check::LinkedinUrl => vec![
            (json("linkedin.com/in/ada-lovelace/"), None),
            (json("https://www.linkedin.com/company/acme"), Some("not a LinkedIn profile")),
            (json("https://linkedin.com.evil.io/in/ada"), Some("not a LinkedIn profile")),
            (json("ada lovelace"), Some("not a LinkedIn profile")),
        ],
        Check::TimeZone => vec![
            (json("america/new_york"), None),
            (json("UTC"), None),
            (json("PST"), Some("not an IANA time zone")),
            (json("GMT+1"), Some("not an IANA time zone")),
            (json("Mars/Olympus_Mons"), Some("not an IANA time zone")),
        ],
        // A typed enum is refused while the request is read (serde names the accepted values).
        Check::OneOf(values) => {
            let mut cases: Vec<(Value, Option<&'static str>)> = values.iter().map(|v| (json(*v), None)).collect();
            cases.push((json("bogus"), Some("bogus")));
            cases
        }
    };
    // Blank: a text means "nothing" (refused where the field must have a value); an enum or an
    // amount has no blank form.
    if !matches!(rule.check, Check::OneOf(_) | Check::Money) {
        let refused = rule.required || (rule.keep && !creating);
        cases.push((json("   "), refused.then_some("cannot be blank")));
    }
    cases
}

/// The examples of every rule of every request.
pub fn examples() -> Vec<Example> {
    request_rules()
        .iter()
        .flat_map(|request| {
            request.fields.iter().flat_map(move |rule| {
                cases(rule, creates(request.command)).into_iter().map(move |(value, message)| Example {
                    command: request.command,
                    field: rule.field,
                    value,
                    message,
                })
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "request_rules_tests.rs"]
mod tests;
