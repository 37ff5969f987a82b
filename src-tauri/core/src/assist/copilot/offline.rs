//! The deterministic next-best-action engine: answers with no LLM (none configured, unreachable, or
//! the monthly limit reached), from local records only, in the same structured shape.
//!
//! Signals, within the records in scope (the whole workspace when nothing is in view):
//! - **overdue tasks**: open tasks due before today;
//! - **stale deals**: open deals with no timeline entry for [`STALE_DAYS`] days (or since they
//!   entered their stage) → a follow-up task;
//! - **meetings without prep**: scheduled meetings in the next 7 days with no agenda, notes or
//!   open task → a preparation task;
//! - **unanswered emails**: an inbound email with no later outbound email, call or meeting on the
//!   contact → a reply draft (refused with a warning when the contact opted out of email);
//! - **missing BANT**: open deals without a value (budget), a contact (authority), a next step or
//!   notes (need) or an expected close date (timeline) → a qualification task;
//! - **requests** in the question: "email/text NAME" (a draft, or a clarifying question when the
//!   name matches several contacts) and "remember (that) …" about the record in view.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection};
use serde_json::json;

use super::{context::ContextPack, Question, QuestionOption, Reason, ToolCall, Warning};
use crate::{crm::contacts, store::search::ListQuery, Ctx, Result};

/// Days without activity after which an open deal is stale.
pub const STALE_DAYS: i64 = 7;

/// What the engine concluded, before write calls become pending actions.
#[derive(Debug, Clone, Default)]
pub struct Suggestions {
    /// One-paragraph summary.
    pub summary: String,
    /// Reasons with record ids.
    pub why: Vec<Reason>,
    /// Write tool calls to propose, best first.
    pub calls: Vec<ToolCall>,
    /// Clarifying questions.
    pub questions: Vec<Question>,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

fn reason(text: String, ids: &[&str]) -> Reason {
    Reason { text, record_ids: ids.iter().map(|s| (*s).to_owned()).collect() }
}

fn in_scope(pack: &ContextPack, kind: &str, id: &str) -> bool {
    !pack.focused || pack.scope.iter().any(|e| e.entity_type == kind && e.entity_id == id)
}

/// Runs the engine for `question` over `pack`.
pub fn suggest(ctx: &Ctx, pack: &ContextPack, question: &str) -> Result<Suggestions> {
    let mut out = Suggestions::default();
    let today = NaiveDate::parse_from_str(&pack.today, "%Y-%m-%d").unwrap_or_default();
    if requests(ctx, pack, question, &mut out)? {
        out.summary = summary(&out);
        return Ok(out);
    }
    for task in &pack.open_tasks {
        if let Some(due) = task.due_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
            if due < today {
                let days = (today - due).num_days();
                out.why
                    .push(reason(format!("Task \"{}\" is {days} day(s) overdue", task.title), &[&task.id.to_string()]));
            }
        }
    }
    let focused = pack.focused;
    ctx.read(|conn| {
        for deal in &pack.deals {
            let id = deal.id.to_string();
            let last: Option<String> = conn.query_row(
                "SELECT max(occurred_at) FROM activities WHERE deal_id = ?1 AND kind != 'stage_change'",
                [&id],
                |r| r.get(0),
            )?;
            let since = last.unwrap_or_else(|| deal.stage_entered_at.clone());
            let idle = NaiveDate::parse_from_str(since.get(..10).unwrap_or(""), "%Y-%m-%d")
                .map(|d| (today - d).num_days())
                .unwrap_or(0);
            if idle >= STALE_DAYS {
                out.why.push(reason(
                    format!("Deal \"{}\" ({}) has had no activity for {idle} days", deal.title, deal.stage),
                    &[&id],
                ));
                out.calls.push(ToolCall {
                    name: "create_task".into(),
                    arguments: json!({ "title": format!("Follow up on {}", deal.title), "due_date": pack.today,
                                       "priority": "high", "deal_id": id }),
                });
            }
            let mut gaps = Vec::new();
            if deal.value <= 0.0 {
                gaps.push("budget");
            }
            if deal.contact_id.is_none() {
                gaps.push("authority (no contact)");
            }
            if deal.next_step.is_none() && deal.notes.is_none() {
                gaps.push("need");
            }
            if deal.expected_close.is_none() {
                gaps.push("timeline");
            }
            if !gaps.is_empty() {
                out.why.push(reason(format!("Deal \"{}\" is missing BANT: {}", deal.title, gaps.join(", ")), &[&id]));
                out.calls.push(ToolCall {
                    name: "create_task".into(),
                    arguments: json!({ "title": format!("Qualify {}: confirm {}", deal.title, gaps.join(", ")),
                                       "deal_id": id }),
                });
            }
        }
        meetings_without_prep(conn, pack, today, &mut out)?;
        unanswered_emails(conn, pack, focused, &mut out)
    })?;
    out.calls.truncate(6);
    out.summary = summary(&out);
    Ok(out)
}

fn summary(out: &Suggestions) -> String {
    if let Some(question) = out.questions.first() {
        return question.text.clone();
    }
    if out.why.is_empty() && out.calls.len() == 1 {
        return "Here is a draft for you to review; nothing is sent until you confirm.".into();
    }
    if out.why.is_empty() && out.questions.is_empty() && !out.warnings.is_empty() {
        return out.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>().join("; ");
    }
    if out.why.is_empty() && out.questions.is_empty() {
        return "Nothing needs your attention right now: no overdue tasks, stale deals, unprepared meetings or \
                unanswered emails."
            .into();
    }
    let mut parts: Vec<String> = out.why.iter().take(3).map(|r| r.text.clone()).collect();
    if out.why.len() > 3 {
        parts.push(format!("and {} more", out.why.len() - 3));
    }
    let lead = if out.calls.is_empty() { "Heads-up" } else { "Next best actions below" };
    format!("{lead}: {}.", parts.join("; "))
}

fn meetings_without_prep(conn: &Connection, pack: &ContextPack, today: NaiveDate, out: &mut Suggestions) -> Result<()> {
    let until = (today + Duration::days(7)).format("%Y-%m-%d").to_string();
    let mut stmt = conn.prepare(
        "SELECT m.id, m.title, m.starts_at FROM meetings m
         WHERE m.status = 'scheduled' AND m.starts_at >= ?1 AND m.starts_at < ?2
           AND coalesce(trim(m.description), '') = '' AND coalesce(trim(m.notes), '') = ''
           AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.entity_type = 'meeting' AND t.entity_id = m.id
                           AND t.done_at IS NULL)
         ORDER BY m.starts_at LIMIT 10",
    )?;
    let rows = stmt.query_map(params![pack.today, format!("{until}T99")], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })?;
    for row in rows {
        let (id, title, starts) = row?;
        if !in_scope(pack, "meeting", &id) {
            continue;
        }
        out.why.push(reason(
            format!("Meeting \"{title}\" on {} has no agenda, notes or prep task", &starts[..10.min(starts.len())]),
            &[&id],
        ));
        out.calls.push(ToolCall {
            name: "create_task".into(),
            arguments: json!({ "title": format!("Prepare for {title}"), "due_date": pack.today, "meeting_id": id }),
        });
    }
    Ok(())
}

fn unanswered_emails(conn: &Connection, pack: &ContextPack, focused: bool, out: &mut Suggestions) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.subject, a.contact_id, c.email_opt_out,
                trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))
         FROM activities a JOIN contacts c ON c.id = a.contact_id
         WHERE a.kind = 'email' AND a.direction = 'inbound'
           AND NOT EXISTS (SELECT 1 FROM activities b WHERE b.contact_id = a.contact_id
                           AND b.occurred_at > a.occurred_at
                           AND (b.direction = 'outbound' OR b.kind IN ('call', 'meeting')))
         ORDER BY a.occurred_at DESC LIMIT 10",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (activity, subject, contact, opted_out, name) = row?;
        if focused && !in_scope(pack, "contact", &contact) {
            continue;
        }
        out.why.push(reason(format!("{name}'s email \"{subject}\" has not been answered"), &[&activity, &contact]));
        let reply = if subject.to_lowercase().starts_with("re:") { subject.clone() } else { format!("Re: {subject}") };
        if opted_out {
            out.warnings.push(Warning::new(
                "opted_out",
                format!("{name} has opted out of email; reply another way (no draft was made)"),
                vec![contact],
            ));
            continue;
        }
        out.calls.push(ToolCall {
            name: "draft_email".into(),
            arguments: json!({ "contact_id": contact, "subject": reply,
                               "body": format!("Hi {},\n\nThanks for your email — ", name.split(' ').next().unwrap_or(&name)) }),
        });
    }
    Ok(())
}

/// Handles explicit requests in the question: "email/text NAME", "remember (that) …". Returns
/// whether the question was such a request (then it is answered alone).
fn requests(ctx: &Ctx, pack: &ContextPack, question: &str, out: &mut Suggestions) -> Result<bool> {
    let lower = question.trim().to_lowercase();
    let words: Vec<&str> = question.split_whitespace().collect();
    if let Some(rest) = lower.strip_prefix("remember that ").or_else(|| lower.strip_prefix("remember ")) {
        let content = question.trim()[question.trim().len() - rest.len()..].trim().to_owned();
        let Some(entity) = pack.entity.as_ref().and_then(|e| e.get("type")).and_then(|t| t.as_str()) else {
            out.questions
                .push(Question { text: "Which contact, deal or company is this about?".into(), options: vec![] });
            return Ok(true);
        };
        let id = pack.entity.as_ref().and_then(|e| e.pointer("/record/id")).cloned().unwrap_or_default();
        let category = if lower.contains("prefer") {
            "preference"
        } else if lower.contains("promis") {
            "commitment"
        } else {
            "fact"
        };
        out.calls.push(ToolCall {
            name: "remember".into(),
            arguments: json!({ "category": category, "content": content, format!("{entity}_id"): id }),
        });
        out.why.push(reason(format!("You asked me to remember: {content}"), &[id.as_str().unwrap_or_default()]));
        return Ok(true);
    }
    let channel = match words.first().map(|w| w.to_lowercase()) {
        Some(w) if w == "email" => "email",
        Some(w) if w == "text" || w == "sms" => "sms",
        _ => return Ok(false),
    };
    let name = words.get(1..).unwrap_or_default().join(" ");
    let name = name.trim_end_matches(['?', '.', '!']).trim();
    if name.is_empty() {
        return Ok(false);
    }
    let matches = contacts::list(ctx, ListQuery { search: Some(name.to_owned()), limit: Some(10) })?;
    match matches.as_slice() {
        [] => out.warnings.push(Warning::new("not_found", format!("No contact matches \"{name}\""), vec![])),
        [one] => {
            let first = one.first_name.clone().unwrap_or_else(|| one.display_name());
            let (tool, args) = if channel == "email" {
                (
                    "draft_email",
                    json!({ "contact_id": one.id, "subject": "Following up", "body": format!("Hi {first},\n\n") }),
                )
            } else {
                ("draft_sms", json!({ "contact_id": one.id, "body": format!("Hi {first}, ") }))
            };
            out.calls.insert(0, ToolCall { name: tool.into(), arguments: args });
        }
        many => out.questions.push(Question {
            text: format!("{} contacts match \"{name}\". Which one did you mean?", many.len()),
            options: many
                .iter()
                .map(|c| {
                    let detail = [c.company_name.clone(), c.title.clone(), c.email.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>();
                    QuestionOption {
                        label: format!("{} — {}", c.display_name(), detail.join(", ")),
                        entity_type: "contact".into(),
                        entity_id: c.id.to_string(),
                    }
                })
                .collect(),
        }),
    }
    Ok(true)
}
