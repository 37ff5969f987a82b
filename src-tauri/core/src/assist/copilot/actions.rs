//! Pending actions: write tool calls proposed by the copilot, stored with their preview and
//! impact, executed through the core API only when the rep confirms, and audit-logged.
//!
//! Confirmation re-checks the call (a contact may have opted out since it was proposed), claims
//! the action (`pending` → `executed`, so it can never run twice), runs it, and records the
//! outcome; a failure marks it `failed` with the reason. Dismissed actions never run.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use super::{
    proposals::{self, Links, Plan, WriteCall},
    Draft, NextAction, ToolCall, Warning,
};
use crate::{
    crm::activities::{self, ActivityKind, NewActivity},
    crm::contacts,
    crm::contacts::ContactUpdate,
    crm::deals::{self, DealUpdate, MoveDeal},
    crm::tasks::{self, NewTask, Priority},
    memories::{self, MemoryCategory, MemorySource, NewMemory},
    store::audit,
    store::ids::{ActionId, ThreadId},
    Ctx, Error, Result,
};

/// A stored action with its state.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PendingAction {
    /// The action as shown in a response.
    #[serde(flatten)]
    pub action: NextAction,
    /// Thread it was proposed in.
    pub thread_id: Option<ThreadId>,
    /// What execution returned (JSON), once executed.
    #[ts(type = "unknown")]
    pub result: Option<serde_json::Value>,
    /// Why it failed.
    pub error: Option<String>,
    /// Proposed (RFC 3339).
    pub created_at: String,
    /// Confirmed, dismissed or failed (RFC 3339).
    pub resolved_at: Option<String>,
}

/// What proposing a write tool call produced.
#[derive(Debug, Clone)]
pub(crate) enum Proposal {
    /// Stored as a pending action (with its draft for draft tools).
    Proposed(NextAction, Option<Draft>),
    /// Refused before anything was stored.
    Refused(Warning),
}

const SELECT: &str = "SELECT id, tool, arguments, preview, impact, status, thread_id, result, error, created_at,
    resolved_at FROM copilot_actions";

fn from_row(row: &Row<'_>) -> rusqlite::Result<PendingAction> {
    let arguments: String = row.get(2)?;
    let result: Option<String> = row.get(7)?;
    Ok(PendingAction {
        action: NextAction {
            id: row.get(0)?,
            tool_call: ToolCall { name: row.get(1)?, arguments: serde_json::from_str(&arguments).unwrap_or_default() },
            preview: row.get(3)?,
            impact: row.get(4)?,
            status: row.get(5)?,
        },
        thread_id: row.get(6)?,
        result: result.and_then(|r| serde_json::from_str(&r).ok()),
        error: row.get(8)?,
        created_at: row.get(9)?,
        resolved_at: row.get(10)?,
    })
}

fn fetch(conn: &Connection, owner: &str, id: ActionId) -> Result<PendingAction> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1 AND owner = ?2"), params![id, owner], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "action", id: id.to_string() })
}

fn draft_of(id: ActionId, plan: &Plan) -> Option<Draft> {
    let (channel, contact_id, to) = plan.draft.clone()?;
    let (subject, body) = match &plan.call {
        WriteCall::DraftEmail { subject, body, .. } => (Some(subject.clone()), body.clone()),
        WriteCall::DraftSms { body, .. } => (None, body.clone()),
        _ => return None,
    };
    Some(Draft { action_id: id, channel: channel.to_owned(), contact_id, to, subject, body })
}

/// Checks a write tool call and stores it as a pending action of the acting user.
pub(crate) fn propose(ctx: &Ctx, thread: Option<ThreadId>, call: ToolCall) -> Result<Proposal> {
    let typed = match proposals::typed(&call) {
        Ok(typed) => typed,
        Err(warning) => return Ok(Proposal::Refused(warning)),
    };
    ctx.write(|tx| {
        let plan = match proposals::plan(&tx.sql, tx.actor, typed) {
            Ok(plan) => plan,
            Err(warning) => return Ok(Proposal::Refused(warning)),
        };
        let id = ActionId::new();
        tx.sql.execute(
            "INSERT INTO copilot_actions (id, owner, thread_id, tool, arguments, preview, impact, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                tx.actor,
                thread,
                call.name,
                serde_json::to_string(&call.arguments)?,
                plan.preview,
                plan.impact,
                tx.stamp()
            ],
        )?;
        let draft = draft_of(id, &plan);
        let action =
            NextAction { id, tool_call: call, preview: plan.preview, impact: plan.impact, status: "pending".into() };
        Ok(Proposal::Proposed(action, draft))
    })
}

/// Proposes a write tool call outside a model turn (an Apply button on a suggestion, tests):
/// the stored pending action, or the warning that refused it.
pub fn propose_call(
    ctx: &Ctx,
    thread: Option<ThreadId>,
    call: ToolCall,
) -> Result<std::result::Result<NextAction, Warning>> {
    Ok(match propose(ctx, thread, call)? {
        Proposal::Proposed(action, _) => Ok(action),
        Proposal::Refused(warning) => Err(warning),
    })
}

/// The highest action row number so far (a bookmark for [`discard_after`]).
pub(crate) fn bookmark(ctx: &Ctx) -> Result<i64> {
    ctx.read(|conn| Ok(conn.query_row("SELECT coalesce(max(rowid), 0) FROM copilot_actions", [], |r| r.get(0))?))
}

/// Dismisses the pending actions of `thread` proposed after `bookmark`: a model turn that failed
/// half-way leaves nothing behind for the rep to confirm by mistake.
pub(crate) fn discard_after(ctx: &Ctx, thread: ThreadId, bookmark: i64) -> Result<usize> {
    ctx.write(|tx| {
        let ids: Vec<ActionId> = {
            let mut stmt = tx.sql.prepare(
                "SELECT id FROM copilot_actions WHERE thread_id = ?1 AND rowid > ?2 AND status = 'pending' AND owner = ?3",
            )?;
            let rows = stmt.query_map(params![thread, bookmark, tx.actor], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for id in &ids {
            tx.sql.execute(
                "UPDATE copilot_actions SET status = 'dismissed', error = 'the model turn failed', resolved_at = ?2
                 WHERE id = ?1",
                params![id, tx.stamp()],
            )?;
            audit::record(tx, "dismiss", "copilot_action", id, &serde_json::json!({ "reason": "model turn failed" }))?;
        }
        Ok(ids.len())
    })
}

/// Whether the acting user already has a `remember` action (in any state) with this content, so
/// a memory extracted again from an old message is not proposed twice.
pub(crate) fn remember_proposed(ctx: &Ctx, content: &str) -> Result<bool> {
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT 1 FROM copilot_actions WHERE owner = ?1 AND tool = 'remember'
                   AND json_extract(arguments, '$.content') = ?2 LIMIT 1",
                params![owner, content],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    })
}

/// The acting user's actions, newest first; `pending_only` hides resolved ones.
pub fn list(ctx: &Ctx, pending_only: bool) -> Result<Vec<PendingAction>> {
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE owner = ?1 AND (NOT ?2 OR status = 'pending') ORDER BY created_at DESC, id DESC LIMIT 200"
        ))?;
        let rows = stmt.query_map(params![owner, pending_only], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// One of the acting user's actions.
pub fn get(ctx: &Ctx, id: ActionId) -> Result<PendingAction> {
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| fetch(conn, &owner, id))
}

fn not_pending(action: &PendingAction) -> Error {
    Error::Conflict {
        message: format!(
            "action {} is already {}; only pending actions can be confirmed or dismissed (see `outpost copilot actions`)",
            action.action.id, action.action.status
        ),
    }
}

/// Dismisses a pending action; it will never run.
pub fn dismiss(ctx: &Ctx, id: ActionId) -> Result<PendingAction> {
    ctx.write(|tx| {
        let action = fetch(&tx.sql, tx.actor, id)?;
        if action.action.status != "pending" {
            return Err(not_pending(&action));
        }
        tx.sql.execute(
            "UPDATE copilot_actions SET status = 'dismissed', resolved_at = ?2 WHERE id = ?1",
            params![id, tx.stamp()],
        )?;
        audit::record(
            tx,
            "dismiss",
            "copilot_action",
            &id,
            &serde_json::json!({ "tool": action.action.tool_call.name }),
        )?;
        fetch(&tx.sql, tx.actor, id)
    })
}

/// Confirms a pending action: re-checks it, runs it through the core API and records the outcome
/// (audit row `execute` on `copilot_action`). A refused or failed action is marked `failed` and
/// reported as a conflict.
pub fn confirm(ctx: &Ctx, id: ActionId) -> Result<PendingAction> {
    let claimed: std::result::Result<WriteCall, String> = ctx.write(|tx| {
        let action = fetch(&tx.sql, tx.actor, id)?;
        if action.action.status != "pending" {
            return Err(not_pending(&action));
        }
        let checked = proposals::typed(&action.action.tool_call)
            .and_then(|call| proposals::plan(&tx.sql, tx.actor, call))
            .map(|plan| plan.call)
            .map_err(|warning| warning.message);
        let (status, error) = match &checked {
            Ok(_) => ("executed", None),
            Err(message) => ("failed", Some(message.clone())),
        };
        tx.sql.execute(
            "UPDATE copilot_actions SET status = ?2, error = ?3, resolved_at = ?4 WHERE id = ?1",
            params![id, status, error, tx.stamp()],
        )?;
        Ok(checked)
    })?;
    let call = match claimed {
        Ok(call) => call,
        Err(message) => return Err(Error::Conflict { message: format!("action {id} was not executed: {message}") }),
    };
    let outcome = execute(ctx, call);
    ctx.write(|tx| {
        let (result, error) = match &outcome {
            Ok(value) => (Some(serde_json::to_string(value)?), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let status = if error.is_some() { "failed" } else { "executed" };
        tx.sql.execute(
            "UPDATE copilot_actions SET status = ?2, result = ?3, error = ?4 WHERE id = ?1",
            params![id, status, result, error],
        )?;
        let action = fetch(&tx.sql, tx.actor, id)?;
        audit::record(
            tx,
            "execute",
            "copilot_action",
            &id,
            &serde_json::json!({ "tool": action.action.tool_call.name, "status": status, "error": error }),
        )?;
        Ok(())
    })?;
    match outcome {
        Ok(_) => get(ctx, id),
        Err(e) => Err(e),
    }
}

fn parse_opt<T: std::str::FromStr<Err = Error>>(raw: &Option<String>) -> Result<Option<T>> {
    raw.as_deref().map(str::parse).transpose()
}

fn activity_links(links: &Links) -> Result<NewActivity> {
    Ok(NewActivity {
        contact_id: parse_opt(&links.contact_id)?,
        company_id: parse_opt(&links.company_id)?,
        deal_id: parse_opt(&links.deal_id)?,
        meeting_id: parse_opt(&links.meeting_id)?,
        ..Default::default()
    })
}

fn field<T: serde::de::DeserializeOwned>(fields: &serde_json::Map<String, serde_json::Value>) -> Result<T> {
    serde_json::from_value(serde_json::Value::Object(fields.clone()))
        .map_err(|e| Error::invalid("fields", format!("{e}; check the field values")))
}

/// Runs a checked write call through the core API; returns the created or changed record.
fn execute(ctx: &Ctx, call: WriteCall) -> Result<serde_json::Value> {
    let value = match call {
        WriteCall::CreateTask { title, due_date, priority, links } => {
            let priority = match priority.as_deref() {
                Some("low") => Some(Priority::Low),
                Some("high") => Some(Priority::High),
                _ => None,
            };
            let base = activity_links(&links)?;
            let task = NewTask {
                title,
                notes: None,
                due_date,
                priority,
                contact_id: base.contact_id,
                company_id: base.company_id,
                deal_id: base.deal_id,
                meeting_id: base.meeting_id,
            };
            serde_json::to_value(tasks::add(ctx, task)?)?
        }
        WriteCall::LogActivity { kind, subject, body, links } => {
            let req = NewActivity { kind: ActivityKind::parse(&kind)?, subject, body, ..activity_links(&links)? };
            serde_json::to_value(activities::log(ctx, req)?)?
        }
        WriteCall::MoveDealStage { deal_id, stage } => {
            serde_json::to_value(deals::move_stage(ctx, MoveDeal { id: deal_id.parse()?, stage })?)?
        }
        WriteCall::UpdateFields { entity_type, id, mut fields } => {
            fields.insert("id".into(), serde_json::Value::String(id));
            if entity_type == "contact" {
                serde_json::to_value(contacts::update(ctx, field::<ContactUpdate>(&fields)?)?)?
            } else {
                serde_json::to_value(deals::update(ctx, field::<DealUpdate>(&fields)?)?)?
            }
        }
        WriteCall::Remember { category, content, links } => {
            let base = activity_links(&links)?;
            let req = NewMemory {
                category: MemoryCategory::parse(&category)?,
                content,
                confidence: Some(0.8),
                source: Some(MemorySource::Copilot),
                contact_id: base.contact_id,
                company_id: base.company_id,
                deal_id: base.deal_id,
                meeting_id: base.meeting_id,
            };
            serde_json::to_value(memories::add(ctx, req)?)?
        }
        WriteCall::DraftEmail { contact_id, subject, body } => {
            let contact = contacts::get(ctx, contact_id.parse()?)?;
            let req = NewActivity {
                kind: ActivityKind::Email,
                subject,
                body: Some(body),
                direction: Some("outbound".into()),
                contact_id: Some(contact.id),
                company_id: contact.company_id,
                ..Default::default()
            };
            serde_json::to_value(activities::log(ctx, req)?)?
        }
        WriteCall::DraftSms { contact_id, body } => {
            let contact = contacts::get(ctx, contact_id.parse()?)?;
            let req = NewActivity {
                kind: ActivityKind::Note,
                subject: format!("Text message to {}", contact.display_name()),
                body: Some(body),
                contact_id: Some(contact.id),
                company_id: contact.company_id,
                ..Default::default()
            };
            serde_json::to_value(activities::log(ctx, req)?)?
        }
    };
    Ok(value)
}
