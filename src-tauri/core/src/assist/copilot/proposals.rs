//! Planning a write tool call: typed arguments, the checks that refuse it (records outside the
//! rep's workspace, deals owned by someone else, opted-out contacts, bad arguments), and the
//! preview and impact shown before the rep confirms. Pure reads: nothing is written here.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ToolCall, Warning};
use crate::{
    crm::activities::ActivityKind,
    crm::companies,
    crm::contacts::{self, Contact},
    crm::deals::{self, Deal},
    crm::pipeline,
    meetings,
    memories::MemoryCategory,
    store::ids::{CompanyId, ContactId, DealId, MeetingId},
    Error,
};

/// Record links shared by several write tools.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Links {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
}

/// Typed arguments of every write tool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "tool", rename_all = "snake_case")]
pub(crate) enum WriteCall {
    CreateTask {
        title: String,
        #[serde(default)]
        due_date: Option<String>,
        #[serde(default)]
        priority: Option<String>,
        #[serde(flatten)]
        links: Links,
    },
    LogActivity {
        kind: String,
        subject: String,
        #[serde(default)]
        body: Option<String>,
        #[serde(flatten)]
        links: Links,
    },
    MoveDealStage {
        deal_id: String,
        stage: String,
    },
    UpdateFields {
        entity_type: String,
        id: String,
        fields: Map<String, Value>,
    },
    Remember {
        category: String,
        content: String,
        #[serde(flatten)]
        links: Links,
    },
    DraftEmail {
        contact_id: String,
        subject: String,
        body: String,
    },
    DraftSms {
        contact_id: String,
        body: String,
    },
}

const CONTACT_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "lead_source",
    "notes",
    "email_opt_out",
    "sms_opt_out",
    "do_not_call",
];
const DEAL_FIELDS: &[&str] = &["title", "value", "currency", "expected_close", "next_step", "notes"];

/// A write call that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub call: WriteCall,
    pub preview: String,
    pub impact: String,
    /// For drafts: (channel, contact, address).
    pub draft: Option<(&'static str, ContactId, String)>,
}

fn refused(code: &str, message: impl Into<String>, ids: &[&str]) -> Warning {
    Warning::new(code, message, ids.iter().map(|s| (*s).to_owned()).collect())
}

/// Parses `call` into typed arguments (a refusal when they do not match the schema).
pub(crate) fn typed(call: &ToolCall) -> Result<WriteCall, Warning> {
    let mut value = match &call.arguments {
        Value::Object(map) => map.clone(),
        _ => return Err(refused("invalid_action", format!("{}: arguments must be a JSON object", call.name), &[])),
    };
    value.insert("tool".into(), Value::String(call.name.clone()));
    serde_json::from_value(Value::Object(value))
        .map_err(|e| refused("invalid_action", format!("{} was not proposed: {e}", call.name), &[]))
}

/// Looks a record up; a well-formed id that is not in this workspace is outside the rep's org.
fn lookup<I, T>(
    conn: &Connection,
    kind: &str,
    raw: &str,
    fetch: impl Fn(&Connection, I) -> crate::Result<T>,
) -> Result<T, Warning>
where
    I: std::str::FromStr<Err = Error>,
{
    let id: I = raw.parse().map_err(|e: Error| refused("invalid_action", e.to_string(), &[raw]))?;
    match fetch(conn, id) {
        Ok(record) => Ok(record),
        Err(Error::NotFound { .. }) => Err(refused(
            "outside_org",
            format!("{kind} {raw} is not in your organisation's records; the copilot only acts on your own workspace"),
            &[raw],
        )),
        Err(other) => Err(refused("invalid_action", other.to_string(), &[raw])),
    }
}

fn contact(conn: &Connection, raw: &str) -> Result<Contact, Warning> {
    lookup::<ContactId, _>(conn, "contact", raw, contacts::fetch)
}

fn deal(conn: &Connection, actor: &str, raw: &str) -> Result<Deal, Warning> {
    let deal = lookup::<DealId, _>(conn, "deal", raw, deals::fetch)?;
    match deal.owner.as_deref() {
        Some(owner) if !owner.is_empty() && owner != actor => Err(refused(
            "not_permitted",
            format!("deal \"{}\" belongs to {owner}; only its owner can change it", deal.title),
            &[raw],
        )),
        _ => Ok(deal),
    }
}

/// Names the linked records (checking each one) for a preview.
fn linked(conn: &Connection, actor: &str, links: &Links) -> Result<String, Warning> {
    let mut names = Vec::new();
    if let Some(id) = &links.contact_id {
        names.push(format!("contact {}", contact(conn, id)?.display_name()));
    }
    if let Some(id) = &links.company_id {
        names.push(format!("company {}", lookup::<CompanyId, _>(conn, "company", id, companies::fetch)?.name));
    }
    if let Some(id) = &links.deal_id {
        names.push(format!("deal \"{}\"", deal(conn, actor, id)?.title));
    }
    if let Some(id) = &links.meeting_id {
        names.push(format!("meeting \"{}\"", lookup::<MeetingId, _>(conn, "meeting", id, meetings::fetch)?.title));
    }
    Ok(if names.is_empty() { String::new() } else { format!(" on {}", names.join(", ")) })
}

/// Checks a write call and describes it; refusals come back as warnings.
pub(crate) fn plan(conn: &Connection, actor: &str, call: WriteCall) -> Result<Plan, Warning> {
    let no_send = "nothing is sent to anyone";
    let (preview, impact, draft) = match &call {
        WriteCall::CreateTask { title, due_date, links, .. } => {
            let due = due_date.as_deref().map(|d| format!(" due {d}")).unwrap_or_default();
            (
                format!("Create task \"{title}\"{due}{}", linked(conn, actor, links)?),
                format!("Adds one open task; {no_send}."),
                None,
            )
        }
        WriteCall::LogActivity { kind, subject, links, .. } => {
            let kind = ActivityKind::parse(kind).map_err(|e| refused("invalid_action", e.to_string(), &[]))?;
            if kind == ActivityKind::StageChange {
                return Err(refused("invalid_action", "stage changes are logged by moving the deal", &[]));
            }
            if links.contact_id.is_none() && links.company_id.is_none() && links.deal_id.is_none() {
                return Err(refused("invalid_action", "an activity must be linked to a contact, company or deal", &[]));
            }
            (
                format!("Log {} \"{subject}\"{}", kind.as_str(), linked(conn, actor, links)?),
                format!("Adds one entry to the timeline; {no_send}."),
                None,
            )
        }
        WriteCall::MoveDealStage { deal_id, stage } => {
            let deal = deal(conn, actor, deal_id)?;
            let target = pipeline::stage_by_name(conn, deal.pipeline_id, stage)
                .map_err(|e| refused("invalid_action", e.to_string(), &[deal_id]))?;
            (
                format!("Move deal \"{}\" from {} to {}", deal.title, deal.stage, target.name),
                format!(
                    "Changes the deal's stage (probability {}%), logs a stage change on its timeline; {no_send}.",
                    target.probability
                ),
                None,
            )
        }
        WriteCall::UpdateFields { entity_type, id, fields } => {
            let (allowed, name) = match entity_type.as_str() {
                "contact" => {
                    let person = contact(conn, id)?;
                    let current = [
                        ("email_opt_out", person.email_opt_out),
                        ("sms_opt_out", person.sms_opt_out),
                        ("do_not_call", person.do_not_call),
                    ];
                    if let Some((flag, _)) =
                        current.iter().find(|(flag, on)| *on && fields.get(*flag) == Some(&Value::Bool(false)))
                    {
                        return Err(refused(
                            "opted_out",
                            format!(
                                "{} opted out ({flag}); only you can record that they opted back in \
                                 (`outpost contacts update {id} --{} false`)",
                                person.display_name(),
                                flag.replace('_', "-")
                            ),
                            &[id],
                        ));
                    }
                    (CONTACT_FIELDS, person.display_name())
                }
                "deal" => (DEAL_FIELDS, format!("\"{}\"", deal(conn, actor, id)?.title)),
                other => {
                    return Err(refused(
                        "invalid_action",
                        format!("cannot update a {other}; use contact or deal"),
                        &[id],
                    ))
                }
            };
            if fields.is_empty() {
                return Err(refused("invalid_action", "no fields to change", &[id]));
            }
            if let Some(bad) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Err(refused(
                    "invalid_action",
                    format!(
                        "{entity_type} field '{bad}' cannot be changed by the copilot; allowed: {}",
                        allowed.join(", ")
                    ),
                    &[id],
                ));
            }
            let changes: Vec<String> = fields.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            (
                format!("Update {entity_type} {name}: {}", changes.join(", ")),
                format!("Changes {} field(s) of the {entity_type}; {no_send}.", fields.len()),
                None,
            )
        }
        WriteCall::Remember { category, content, links } => {
            MemoryCategory::parse(category).map_err(|e| refused("invalid_action", e.to_string(), &[]))?;
            let on = linked(conn, actor, links)?;
            if on.is_empty() {
                return Err(refused(
                    "invalid_action",
                    "a memory must be linked to a contact, company, deal or meeting",
                    &[],
                ));
            }
            (
                format!("Remember ({category}) \"{content}\"{on}"),
                "Adds a private memory the copilot will recall; only you can see it.".to_owned(),
                None,
            )
        }
        WriteCall::DraftEmail { contact_id, subject, .. } => {
            let person = contact(conn, contact_id)?;
            if person.email_opt_out {
                return Err(refused(
                    "opted_out",
                    format!("{} has opted out of email; no email draft was made", person.display_name()),
                    &[contact_id],
                ));
            }
            let to = person.email.clone().ok_or_else(|| {
                refused("invalid_action", format!("{} has no email address", person.display_name()), &[contact_id])
            })?;
            (
                format!("Email {} <{to}>: \"{subject}\"", person.display_name()),
                "Logs the email on the contact's timeline once you send it; Outpost itself sends nothing.".to_owned(),
                Some(("email", person.id, to)),
            )
        }
        WriteCall::DraftSms { contact_id, .. } => {
            let person = contact(conn, contact_id)?;
            if person.sms_opt_out {
                return Err(refused(
                    "opted_out",
                    format!("{} has opted out of text messages; no SMS draft was made", person.display_name()),
                    &[contact_id],
                ));
            }
            let to = person.phone.clone().ok_or_else(|| {
                refused("invalid_action", format!("{} has no phone number", person.display_name()), &[contact_id])
            })?;
            (
                format!("Text {} at {to}", person.display_name()),
                "Logs the message on the contact's timeline once you send it; Outpost itself sends nothing.".to_owned(),
                Some(("sms", person.id, to)),
            )
        }
    };
    Ok(Plan { call, preview, impact, draft })
}
