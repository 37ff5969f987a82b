//! The copilot's tools, defined once with their JSON schemas (sent to every provider as-is).
//!
//! Read-only tools run immediately ([`run_read_only`]); write tools never run from a model turn:
//! they become pending actions (see `copilot::actions`), executed only on confirmation.
//! `get_brief` returns the stored pre-meeting brief of the briefs module (regenerated when its
//! inputs changed), so the copilot and the Brief screen cite the same facts and record ids.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use crate::{
    crm::companies,
    crm::contacts,
    crm::deals,
    crm::deals::DealQuery,
    crm::tasks::{self, TaskQuery},
    meetings,
    memories::{self, EntityRef, RecallQuery},
    store::ids::{CompanyId, ContactId, DealId, MeetingId},
    store::search::ListQuery,
    Ctx, Error, Result,
};

/// A tool as offered to the model.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ToolDefinition {
    /// Name.
    pub name: &'static str,
    /// What it does, for the model.
    pub description: &'static str,
    /// Runs immediately (true) or becomes a pending action (false).
    pub read_only: bool,
    /// JSON Schema of the arguments.
    #[ts(type = "Record<string, unknown>")]
    pub parameters: Value,
}

fn id_prop(what: &str) -> Value {
    json!({ "type": "string", "description": format!("{what} id (UUID)") })
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
}

/// Every tool, read-only first.
pub fn definitions() -> Vec<ToolDefinition> {
    let links = |extra: Value| {
        let mut props = json!({
            "contact_id": id_prop("Contact"), "company_id": id_prop("Company"),
            "deal_id": id_prop("Deal"), "meeting_id": id_prop("Meeting"),
        });
        if let (Some(map), Value::Object(extra)) = (props.as_object_mut(), extra) {
            map.extend(extra);
        }
        props
    };
    vec![
        ToolDefinition {
            name: "search_entities",
            description: "Find contacts, companies and deals whose name, email or title matches a text.",
            read_only: true,
            parameters: object(json!({ "query": { "type": "string" } }), &["query"]),
        },
        ToolDefinition {
            name: "get_contact",
            description: "One contact with consent flags, deals and open tasks.",
            read_only: true,
            parameters: object(json!({ "id": id_prop("Contact") }), &["id"]),
        },
        ToolDefinition {
            name: "get_company",
            description: "One company with its deals.",
            read_only: true,
            parameters: object(json!({ "id": id_prop("Company") }), &["id"]),
        },
        ToolDefinition {
            name: "get_deal",
            description: "One deal with stage, value, dates and open tasks.",
            read_only: true,
            parameters: object(json!({ "id": id_prop("Deal") }), &["id"]),
        },
        ToolDefinition {
            name: "list_meetings",
            description: "Meetings in start order, optionally matching a title.",
            read_only: true,
            parameters: object(json!({ "search": { "type": "string" }, "limit": { "type": "integer" } }), &[]),
        },
        ToolDefinition {
            name: "get_brief",
            description: "Pre-meeting brief: attendees, company, open deals, timeline, open tasks, memories, risks, \
                          questions to ask and talking points for a meeting, each citing its records.",
            read_only: true,
            parameters: object(json!({ "meeting_id": id_prop("Meeting") }), &["meeting_id"]),
        },
        ToolDefinition {
            name: "recall_memories",
            description: "The most relevant remembered facts for a question and/or records.",
            read_only: true,
            parameters: object(links(json!({ "query": { "type": "string" } })), &[]),
        },
        ToolDefinition {
            name: "create_task",
            description: "Propose a task (the rep confirms before it is created).",
            read_only: false,
            parameters: object(
                links(json!({
                    "title": { "type": "string" },
                    "due_date": { "type": "string", "description": "YYYY-MM-DD" },
                    "priority": { "type": "string", "enum": ["low", "normal", "high"] },
                })),
                &["title"],
            ),
        },
        ToolDefinition {
            name: "log_activity",
            description: "Propose logging a note, call, email or meeting on the timeline.",
            read_only: false,
            parameters: object(
                links(json!({
                    "kind": { "type": "string", "enum": ["note", "call", "email", "meeting"] },
                    "subject": { "type": "string" }, "body": { "type": "string" },
                })),
                &["kind", "subject"],
            ),
        },
        ToolDefinition {
            name: "move_deal_stage",
            description: "Propose moving a deal to another pipeline stage (by stage name).",
            read_only: false,
            parameters: object(
                json!({ "deal_id": id_prop("Deal"), "stage": { "type": "string" } }),
                &["deal_id", "stage"],
            ),
        },
        ToolDefinition {
            name: "update_fields",
            description: "Propose changing fields of a contact (title, phone, notes, opt-outs…) or a deal \
                          (next_step, expected_close, value, notes…).",
            read_only: false,
            parameters: object(
                json!({
                    "entity_type": { "type": "string", "enum": ["contact", "deal"] },
                    "id": { "type": "string" },
                    "fields": { "type": "object" },
                }),
                &["entity_type", "id", "fields"],
            ),
        },
        ToolDefinition {
            name: "remember",
            description: "Propose remembering a fact about records (category deal, relationship, preference, \
                          commitment or fact).",
            read_only: false,
            parameters: object(
                links(json!({
                    "category": { "type": "string", "enum": ["deal", "relationship", "preference", "commitment", "fact"] },
                    "content": { "type": "string" },
                })),
                &["category", "content"],
            ),
        },
        ToolDefinition {
            name: "draft_email",
            description: "Draft an email to a contact for the rep to review (refused if they opted out).",
            read_only: false,
            parameters: object(
                json!({ "contact_id": id_prop("Contact"), "subject": { "type": "string" }, "body": { "type": "string" } }),
                &["contact_id", "subject", "body"],
            ),
        },
        ToolDefinition {
            name: "draft_sms",
            description: "Draft a text message to a contact for the rep to review (refused if they opted out).",
            read_only: false,
            parameters: object(
                json!({ "contact_id": id_prop("Contact"), "body": { "type": "string" } }),
                &["contact_id", "body"],
            ),
        },
    ]
}

/// Whether `name` is a known read-only tool.
pub fn is_read_only(name: &str) -> Option<bool> {
    definitions().into_iter().find(|t| t.name == name).map(|t| t.read_only)
}

#[derive(Deserialize)]
struct IdArg {
    id: String,
}

#[derive(Deserialize, Default)]
struct RecallArgs {
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    contact_id: Option<String>,
    #[serde(default)]
    company_id: Option<String>,
    #[serde(default)]
    deal_id: Option<String>,
    #[serde(default)]
    meeting_id: Option<String>,
}

fn args<T: for<'de> Deserialize<'de>>(tool: &str, value: Value) -> Result<T> {
    serde_json::from_value(value)
        .map_err(|e| Error::invalid("arguments", format!("{tool}: {e}; check the arguments against the tool schema")))
}

fn parse<T: std::str::FromStr<Err = Error>>(text: &str) -> Result<T> {
    text.parse()
}

/// Runs a read-only tool and returns its JSON result.
pub fn run_read_only(ctx: &Ctx, name: &str, arguments: Value) -> Result<Value> {
    let value = match name {
        "search_entities" => {
            #[derive(Deserialize)]
            struct Q {
                query: String,
            }
            let q: Q = args(name, arguments)?;
            let search = ListQuery { search: Some(q.query.clone()), limit: Some(10) };
            json!({
                "contacts": contacts::list(ctx, search.clone())?,
                "companies": companies::list(ctx, search)?,
                "deals": deals::list(ctx, DealQuery { search: Some(q.query), limit: Some(10), ..Default::default() })?,
            })
        }
        "get_contact" => {
            let id: ContactId = parse(&args::<IdArg>(name, arguments)?.id)?;
            json!({
                "contact": contacts::get(ctx, id)?,
                "deals": deals::list(ctx, DealQuery { contact_id: Some(id), ..Default::default() })?,
                "open_tasks": tasks::list(ctx, TaskQuery { entity_id: Some(id.to_string()), ..Default::default() })?,
            })
        }
        "get_company" => {
            let id: CompanyId = parse(&args::<IdArg>(name, arguments)?.id)?;
            json!({
                "company": companies::get(ctx, id)?,
                "deals": deals::list(ctx, DealQuery { company_id: Some(id), ..Default::default() })?,
            })
        }
        "get_deal" => {
            let id: DealId = parse(&args::<IdArg>(name, arguments)?.id)?;
            json!({
                "deal": deals::get(ctx, id)?,
                "open_tasks": tasks::list(ctx, TaskQuery { entity_id: Some(id.to_string()), ..Default::default() })?,
            })
        }
        "list_meetings" => {
            #[derive(Deserialize)]
            struct Q {
                #[serde(default)]
                search: Option<String>,
                #[serde(default)]
                limit: Option<u32>,
            }
            let q: Q = args(name, arguments)?;
            json!(meetings::list(ctx, ListQuery { search: q.search, limit: Some(q.limit.unwrap_or(20).min(100)) })?)
        }
        "get_brief" => {
            #[derive(Deserialize)]
            struct Q {
                meeting_id: String,
            }
            let id: MeetingId = parse(&args::<Q>(name, arguments)?.meeting_id)?;
            brief(ctx, id)?
        }
        "recall_memories" => {
            let q: RecallArgs = args(name, arguments)?;
            let entities =
                [("contact", q.contact_id), ("company", q.company_id), ("deal", q.deal_id), ("meeting", q.meeting_id)]
                    .into_iter()
                    .filter_map(|(kind, id)| id.map(|id| EntityRef::new(kind, id)))
                    .collect();
            let recalled = memories::recall(ctx, RecallQuery { text: q.query, entities, limit: Some(8) })?;
            json!(recalled
                .iter()
                .map(|r| json!({ "id": r.memory.id, "category": r.memory.category, "content": r.memory.content,
                                 "confidence": r.memory.confidence, "score": r.score }))
                .collect::<Vec<_>>())
        }
        other => {
            return Err(Error::invalid("tool", format!("'{other}' is not a read-only tool")));
        }
    };
    Ok(value)
}

/// The stored brief of the meeting (regenerated if its inputs changed since).
fn brief(ctx: &Ctx, id: MeetingId) -> Result<Value> {
    Ok(json!(crate::assist::briefs::for_meeting(ctx, id)?))
}
