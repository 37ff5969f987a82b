//! Every generated example (the same ones `ui/src/test/rules.test.ts` runs against the UI's
//! test double) against the real core API on a real SQLite file: a refused example is refused
//! naming its field, with its words, and changes nothing; an accepted one is stored.

use serde_json::{json, Map, Value as Json};

use super::{examples, request_rules, Check, Example};
use crate::crm::{activities, companies, contacts, deals, tasks};
use crate::{Ctx, Error};

/// What the core answered: `Ok`, a refusal naming a field, or a request that could not be read
/// (a typed enum given an unknown value; the app answers it before any command runs).
#[derive(Debug)]
enum Outcome {
    Accepted,
    Invalid { field: String, message: String },
    Unreadable(String),
    Other(String),
}

fn outcome<T>(answer: crate::Result<T>) -> Outcome {
    match answer {
        Ok(_) => Outcome::Accepted,
        Err(Error::Invalid { field, message }) => Outcome::Invalid { field, message },
        Err(other) => Outcome::Other(other.to_string()),
    }
}

fn read<T: serde::de::DeserializeOwned>(req: Map<String, Json>) -> Result<T, Outcome> {
    serde_json::from_value(Json::Object(req)).map_err(|e| Outcome::Unreadable(e.to_string()))
}

/// Records the examples' updates and links point at.
struct Fixture {
    contact: String,
    company: String,
    deal: String,
}

fn fixture(ctx: &Ctx) -> Fixture {
    let contact = contacts::add(
        ctx,
        contacts::NewContact {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            ..Default::default()
        },
    )
    .expect("contact");
    let company = companies::add(ctx, companies::NewCompany { name: "Engines Ltd".into(), ..Default::default() })
        .expect("company");
    let deal = deals::add(ctx, deals::NewDeal { title: "Renewal".into(), ..Default::default() }).expect("deal");
    Fixture { contact: contact.id.to_string(), company: company.id.to_string(), deal: deal.id.to_string() }
}

/// Runs `example` through the core's command on an otherwise valid request.
fn run(ctx: &Ctx, fixture: &Fixture, n: usize, example: &Example) -> Outcome {
    let base = match example.command {
        "add_contact" => json!({ "first_name": "Grace", "last_name": format!("Hopper {n}") }),
        // Both names each time, so clearing one (an accepted example) never leaves a nameless contact.
        "update_contact" => json!({ "id": fixture.contact, "first_name": "Ada", "last_name": "Lovelace" }),
        "add_company" => json!({ "name": format!("Company {n}") }),
        "update_company" => json!({ "id": fixture.company }),
        "add_deal" => json!({ "title": format!("Deal {n}") }),
        "update_deal" => json!({ "id": fixture.deal }),
        "add_task" => json!({ "title": format!("Task {n}") }),
        "log_activity" => json!({ "kind": "note", "subject": format!("Call {n}"), "contact_id": fixture.contact }),
        other => panic!("no request for {other}: add it here"),
    };
    let Json::Object(mut req) = base else { unreachable!("objects above") };
    let mut value = example.value.to_json();
    // A new company per example: an update to an existing company's name would merge it.
    if let ("add_company" | "update_company", "name", Json::String(text)) = (example.command, example.field, &value) {
        let prefix = n.to_string();
        if example.message.is_none() && text.len() > prefix.len() {
            value = Json::String(format!("{prefix}{}", &text[prefix.len()..]));
        }
    }
    req.insert(example.field.to_owned(), value);
    let answer = match example.command {
        "add_contact" => read(req).map(|r| outcome(contacts::add(ctx, r))),
        "update_contact" => read(req).map(|r| outcome(contacts::update(ctx, r))),
        "add_company" => read(req).map(|r| outcome(companies::add(ctx, r))),
        "update_company" => read(req).map(|r| outcome(companies::update(ctx, r))),
        "add_deal" => read(req).map(|r| outcome(deals::add(ctx, r))),
        "update_deal" => read(req).map(|r| outcome(deals::update(ctx, r))),
        "add_task" => read(req).map(|r| outcome(tasks::add(ctx, r))),
        "log_activity" => read(req).map(|r| outcome(activities::log(ctx, r))),
        other => panic!("no command {other}"),
    };
    answer.unwrap_or_else(|unreadable| unreadable)
}

/// Every table's rows, to show a refused request changed nothing.
fn everything(ctx: &Ctx) -> String {
    ctx.read(|c| {
        let mut out = String::new();
        for table in ["contacts", "companies", "deals", "tasks", "activities", "audit_log", "sync_outbox"] {
            let mut stmt = c.prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))?;
            let columns = stmt.column_count();
            let rows = stmt.query_map([], |row| {
                (0..columns).map(|i| row.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect()
            })?;
            for row in rows {
                let row: Vec<String> = row?;
                out.push_str(&format!("{table}: {}\n", row.join("|")));
            }
        }
        Ok(out)
    })
    .expect("read every table")
}

#[test]
fn the_core_refuses_exactly_the_generated_examples_the_ui_double_refuses() {
    let all = examples();
    assert!(all.len() > 100, "only {} examples", all.len());
    let mut failures = Vec::new();
    // A database of its own for each command (an added contact's e-mail would make another
    // command's example a duplicate).
    let mut open: Option<(&str, tempfile::TempDir, Ctx, Fixture)> = None;
    for (n, example) in all.iter().enumerate() {
        if open.as_ref().is_none_or(|(command, ..)| *command != example.command) {
            let dir = tempfile::tempdir().expect("tmp");
            let ctx = Ctx::open(dir.path()).expect("open");
            let fixture = fixture(&ctx);
            open = Some((example.command, dir, ctx, fixture));
        }
        let Some((_, _, ctx, fixture)) = &open else { unreachable!("opened above") };
        let (ctx, fixture) = (ctx, fixture);
        let before = example.message.map(|_| everything(ctx));
        let got = run(ctx, fixture, n, example);
        if let Outcome::Other(error) = &got {
            failures.push(format!("{} {}: failed for another reason: {error}", example.command, example.field));
            continue;
        }
        let agrees = match (&got, example.message) {
            (Outcome::Accepted, None) => true,
            (Outcome::Invalid { field, message }, Some(words)) => field == example.field && message.contains(words),
            (Outcome::Unreadable(message), Some(words)) => {
                matches!(rule_of(example), Some(Check::OneOf(_))) && message.contains(words)
            }
            _ => false,
        };
        if !agrees {
            failures.push(format!(
                "{} {} = {:.80}: expected {:?}, got {got:?}",
                example.command,
                example.field,
                example.value.to_json().to_string(),
                example.message
            ));
        } else if let Some(before) = before {
            if before != everything(ctx) {
                failures.push(format!("{} {}: refused but changed the database", example.command, example.field));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples disagree with the core:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

fn rule_of(example: &Example) -> Option<Check> {
    request_rules()
        .into_iter()
        .find(|r| r.command == example.command)?
        .fields
        .into_iter()
        .find(|f| f.field == example.field)
        .map(|f| f.check)
}

#[test]
fn every_rule_has_a_refused_and_an_accepted_example() {
    let all = examples();
    for request in request_rules() {
        for rule in &request.fields {
            let of = |refused: bool| {
                all.iter()
                    .any(|e| e.command == request.command && e.field == rule.field && e.message.is_some() == refused)
            };
            assert!(of(true) && of(false), "{} {} needs both kinds of example", request.command, rule.field);
        }
    }
}
