//! Everything a brief is built from, read in one pass with indexed lookups. The inputs are
//! serialised and hashed into the brief's fingerprint, so a brief is regenerated exactly when
//! something it could say has changed (or the day changes: days in stage, staleness).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::relevant::{relevant_memories, RankedMemory};
use crate::{
    assist::scores, assist::scores::gather::last_deal_activity, crm::deals::Bant, meetings, store::ids::MeetingId,
    Result,
};

/// Most deals a brief covers.
const MAX_DEALS: usize = 10;
/// Activities read per record for the timeline and competitor scan.
const ACTIVITIES_PER_RECORD: u32 = 20;
/// Memories cited.
const MAX_MEMORIES: usize = 8;

/// A score as cited in a brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreFacts {
    /// 0–100.
    pub value: u8,
    /// Band or temperature.
    pub label: String,
}

/// The meeting itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingFacts {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Start (RFC 3339).
    pub starts_at: String,
    /// Agenda.
    pub description: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// A known contact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactFacts {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Job title.
    pub title: Option<String>,
    /// Company id.
    pub company_id: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Opted out of email.
    pub email_opt_out: bool,
    /// Opted out of SMS.
    pub sms_opt_out: bool,
    /// Do not call.
    pub do_not_call: bool,
    /// Notes.
    pub notes: Option<String>,
    /// Relationship health.
    pub health: Option<ScoreFacts>,
}

/// A timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityFacts {
    /// Id.
    pub id: String,
    /// note, call, email, meeting, stage_change.
    pub kind: String,
    /// Summary.
    pub subject: String,
    /// Details.
    pub body: Option<String>,
    /// When (RFC 3339).
    pub occurred_at: String,
}

/// One invitee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttendeeFacts {
    /// Email.
    pub email: String,
    /// Name from the invite.
    pub name: Option<String>,
    /// From the rep's own organisation.
    pub is_internal: bool,
    /// The matching contact.
    pub contact: Option<ContactFacts>,
    /// Their last call, email or meeting.
    pub last_interaction: Option<ActivityFacts>,
}

/// The company the meeting is with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyFacts {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Domain.
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Head-count band.
    pub size: Option<String>,
    /// Relationship health.
    pub health: Option<ScoreFacts>,
}

/// An open deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealFacts {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Stage name.
    pub stage: String,
    /// Value in major units.
    pub value: f64,
    /// Currency.
    pub currency: String,
    /// Entered the stage (RFC 3339).
    pub stage_entered_at: String,
    /// Expected close (YYYY-MM-DD).
    pub expected_close: Option<String>,
    /// Next step.
    pub next_step: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// BANT.
    pub bant: Bant,
    /// Main contact.
    pub contact_id: Option<String>,
    /// Company.
    pub company_id: Option<String>,
    /// Last activity on the deal (RFC 3339).
    pub last_activity_at: Option<String>,
    /// Heat.
    pub heat: Option<ScoreFacts>,
}

/// An open task on one of the records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskFacts {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Due date.
    pub due_date: Option<String>,
}

/// Everything [`super::build::build_brief`] reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefInputs {
    /// The day the brief is for.
    pub today: NaiveDate,
    /// Days without activity after which a deal is stale.
    pub stale_days: i64,
    /// Competitor names from the org settings.
    pub competitors: Vec<String>,
    /// The meeting.
    pub meeting: MeetingFacts,
    /// Who is invited.
    pub attendees: Vec<AttendeeFacts>,
    /// The company.
    pub company: Option<CompanyFacts>,
    /// Open deals with the company, the attendees or named by the meeting.
    pub deals: Vec<DealFacts>,
    /// Recent timeline of these records, newest first.
    pub activities: Vec<ActivityFacts>,
    /// Open tasks on these records.
    pub tasks: Vec<TaskFacts>,
    /// Most relevant memories, best first.
    pub memories: Vec<RankedMemory>,
}

fn score_facts(
    conn: &Connection,
    entity_type: &str,
    id: &str,
    kind: &str,
    now: &DateTime<Utc>,
) -> Result<Option<ScoreFacts>> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    Ok(scores::current(conn, entity_type, id, now.date_naive(), &stamp)?
        .into_iter()
        .find(|s| s.kind == kind)
        .map(|s| ScoreFacts { value: s.value, label: s.label }))
}

fn activity_row(r: &Row<'_>) -> rusqlite::Result<ActivityFacts> {
    Ok(ActivityFacts { id: r.get(0)?, kind: r.get(1)?, subject: r.get(2)?, body: r.get(3)?, occurred_at: r.get(4)? })
}

fn contact(conn: &Connection, id: &str, now: &DateTime<Utc>) -> Result<Option<ContactFacts>> {
    let found = conn
        .prepare_cached(
            "SELECT c.id, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), c.email, c.title,
                    c.company_id, co.name, c.email_opt_out, c.sms_opt_out, c.do_not_call, c.notes
             FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            let name: String = r.get(1)?;
            let email: Option<String> = r.get(2)?;
            Ok(ContactFacts {
                id: r.get(0)?,
                name: if name.is_empty() { email.unwrap_or_default() } else { name },
                title: r.get(3)?,
                company_id: r.get(4)?,
                company: r.get(5)?,
                email_opt_out: r.get(6)?,
                sms_opt_out: r.get(7)?,
                do_not_call: r.get(8)?,
                notes: r.get(9)?,
                health: None,
            })
        })
        .optional()?;
    match found {
        Some(mut c) => {
            c.health = score_facts(conn, "contact", id, "health", now)?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

fn company(conn: &Connection, id: &str, now: &DateTime<Utc>) -> Result<Option<CompanyFacts>> {
    let found = conn
        .prepare_cached("SELECT id, name, domain, industry, location, size FROM companies WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(CompanyFacts {
                id: r.get(0)?,
                name: r.get(1)?,
                domain: r.get(2)?,
                industry: r.get(3)?,
                location: r.get(4)?,
                size: r.get(5)?,
                health: None,
            })
        })
        .optional()?;
    match found {
        Some(mut c) => {
            c.health = score_facts(conn, "company", id, "health", now)?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

const DEAL_SELECT: &str =
    "SELECT d.id, d.title, s.name, iif(typeof(d.value_minor) = 'integer', d.value_minor, 0), d.currency, d.stage_entered_at, d.expected_close,
        d.next_step, d.notes, d.budget, d.authority, d.need, d.timeline, d.contact_id, d.company_id
    FROM deals d JOIN stages s ON s.id = d.stage_id";

fn deal_row(r: &Row<'_>) -> rusqlite::Result<DealFacts> {
    Ok(DealFacts {
        id: r.get(0)?,
        title: r.get(1)?,
        stage: r.get(2)?,
        value: crate::store::validate::major(r.get(3)?),
        currency: r.get(4)?,
        stage_entered_at: r.get(5)?,
        expected_close: r.get(6)?,
        next_step: r.get(7)?,
        notes: r.get(8)?,
        bant: Bant { budget: r.get(9)?, authority: r.get(10)?, need: r.get(11)?, timeline: r.get(12)? },
        contact_id: r.get(13)?,
        company_id: r.get(14)?,
        last_activity_at: None,
        heat: None,
    })
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

/// Gathers the inputs of the brief of `meeting_id` as of `now`. Stale scores of the records
/// involved are recomputed on the way, so `conn` must be able to write.
pub fn gather(conn: &Connection, meeting_id: MeetingId, now: DateTime<Utc>) -> Result<BriefInputs> {
    let meeting = meetings::fetch(conn, meeting_id)?;
    let mut attendees = Vec::new();
    let mut last_stmt = conn.prepare_cached(
        "SELECT id, kind, subject, body, occurred_at FROM activities
         WHERE contact_id = ?1 AND kind IN ('call', 'email', 'meeting') ORDER BY occurred_at DESC LIMIT 1",
    )?;
    for a in &meeting.attendees {
        let (contact, last_interaction) = match a.contact_id {
            Some(id) => {
                let id = id.to_string();
                (contact(conn, &id, &now)?, last_stmt.query_row([&id], activity_row).optional()?)
            }
            None => (None, None),
        };
        attendees.push(AttendeeFacts {
            email: a.email.clone(),
            name: a.name.clone(),
            is_internal: a.is_internal,
            contact,
            last_interaction,
        });
    }
    let external: Vec<&ContactFacts> =
        attendees.iter().filter(|a| !a.is_internal).filter_map(|a| a.contact.as_ref()).collect();

    let named_deal = match meeting.deal_id {
        Some(id) => {
            conn.prepare_cached(&format!("{DEAL_SELECT} WHERE d.id = ?1"))?.query_row([id], deal_row).optional()?
        }
        None => None,
    };
    let company_id = meeting
        .company_id
        .map(|c| c.to_string())
        .or_else(|| named_deal.as_ref().and_then(|d| d.company_id.clone()))
        .or_else(|| external.iter().find_map(|c| c.company_id.clone()));
    let company = match &company_id {
        Some(id) => company(conn, id, &now)?,
        None => None,
    };

    let mut deals: Vec<DealFacts> = named_deal.into_iter().collect();
    let mut open = conn.prepare_cached(&format!(
        "{DEAL_SELECT} WHERE s.kind = 'open' AND (d.company_id = ?1 OR d.contact_id = ?1) ORDER BY d.updated_at DESC LIMIT 10"
    ))?;
    let owners: Vec<String> =
        company.iter().map(|c| c.id.clone()).chain(external.iter().map(|c| c.id.clone())).collect();
    for owner in &owners {
        for deal in open.query_map([owner], deal_row)? {
            let deal = deal?;
            if deals.len() < MAX_DEALS && !deals.iter().any(|d| d.id == deal.id) {
                deals.push(deal);
            }
        }
    }
    for deal in &mut deals {
        deal.last_activity_at = last_deal_activity(conn, &deal.id)?;
        deal.heat = score_facts(conn, "deal", &deal.id, "heat", &now)?;
    }

    let mut entities: Vec<(&str, String)> = vec![("meeting", meeting.id.to_string())];
    entities.extend(external.iter().map(|c| ("contact", c.id.clone())));
    entities.extend(company.iter().map(|c| ("company", c.id.clone())));
    entities.extend(deals.iter().map(|d| ("deal", d.id.clone())));

    let mut activities: Vec<ActivityFacts> = Vec::new();
    for (entity_type, id) in &entities {
        let column = match *entity_type {
            "contact" => "contact_id",
            "company" => "company_id",
            "deal" => "deal_id",
            _ => "meeting_id",
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, kind, subject, body, occurred_at FROM activities WHERE {column} = ?1
             ORDER BY occurred_at DESC LIMIT {ACTIVITIES_PER_RECORD}"
        ))?;
        for row in stmt.query_map([id], activity_row)? {
            let row = row?;
            if !activities.iter().any(|a| a.id == row.id) {
                activities.push(row);
            }
        }
    }
    activities.sort_by(|a, b| b.occurred_at.cmp(&a.occurred_at).then_with(|| b.id.cmp(&a.id)));

    let mut tasks = Vec::new();
    let mut task_stmt = conn.prepare_cached(
        "SELECT id, title, due_date FROM tasks WHERE entity_type = ?1 AND entity_id = ?2 AND done_at IS NULL
         ORDER BY due_date IS NULL, due_date, id",
    )?;
    for (entity_type, id) in &entities {
        for row in task_stmt.query_map([*entity_type, id.as_str()], |r| {
            Ok(TaskFacts { id: r.get(0)?, title: r.get(1)?, due_date: r.get(2)? })
        })? {
            tasks.push(row?);
        }
    }

    let mut terms: Vec<String> = external.iter().map(|c| c.name.clone()).collect();
    terms.extend(company.iter().map(|c| c.name.clone()));
    terms.extend(deals.iter().map(|d| d.title.clone()));
    let memories = relevant_memories(conn, &entities, &terms, now.date_naive(), MAX_MEMORIES)?;

    let competitors = setting(conn, "competitors")?
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(BriefInputs {
        today: now.date_naive(),
        stale_days: scores::stale_days(conn)?,
        competitors,
        meeting: MeetingFacts {
            id: meeting.id.to_string(),
            title: meeting.title,
            starts_at: meeting.starts_at,
            description: meeting.description,
            notes: meeting.notes,
        },
        attendees,
        company,
        deals,
        activities,
        tasks,
        memories,
    })
}
