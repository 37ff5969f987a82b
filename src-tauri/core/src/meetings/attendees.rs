//! Attendees: parsing `Name <email>`, linking to contacts by email, internal vs external by the
//! organisation's domains, and turning unknown external attendees into contacts.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{fetch, Attendee, Meeting};
use crate::replica::{Action, EntityKind};
use crate::{
    crm::contacts,
    crm::contacts::{Contact, NewContact},
    store::ctx::Tx,
    store::ids::{CompanyId, ContactId, MeetingId},
    store::settings,
    store::validate,
    Ctx, Error, Result,
};

/// An external attendee who is not a contact yet, offered as a new contact.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SuggestedContact {
    /// Email (lower-cased).
    pub email: String,
    /// First name, from the display name.
    pub first_name: Option<String>,
    /// Last name, from the display name.
    pub last_name: Option<String>,
    /// The email's domain when it is a business (not free-mail) address.
    pub company_domain: Option<String>,
}

/// Input for turning a meeting's suggested contacts into contacts.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct CreateContacts {
    /// The meeting.
    pub meeting_id: MeetingId,
    /// Only these suggested emails (default: every suggestion).
    #[serde(default)]
    pub emails: Vec<String>,
}

/// Splits `Name <email>` or a bare email into (email, name), validating the address.
pub(crate) fn parse(raw: &str) -> Result<(String, Option<String>)> {
    let raw = raw.trim();
    let (name, address) = match (raw.rfind('<'), raw.ends_with('>')) {
        (Some(open), true) => {
            let name = raw[..open].trim().trim_matches('"').trim();
            (Some(name.to_owned()).filter(|n| !n.is_empty()), &raw[open + 1..raw.len() - 1])
        }
        _ => (None, raw),
    };
    let email = validate::email("attendees", Some(address.to_owned()))?
        .ok_or_else(|| Error::invalid("attendees", "an attendee needs an email address"))?;
    Ok((email, name))
}

fn domain_of(email: &str) -> &str {
    email.rsplit('@').next().unwrap_or_default()
}

/// Whether `email` is at one of `domains` (or a subdomain of one).
pub(crate) fn is_internal(email: &str, domains: &[String]) -> bool {
    let domain = domain_of(email);
    domains.iter().any(|d| domain == d || domain.strip_suffix(d.as_str()).is_some_and(|rest| rest.ends_with('.')))
}

/// The contact with this email, if any.
pub(crate) fn contact_by_email(conn: &Connection, email: &str) -> Result<Option<ContactId>> {
    Ok(conn
        .prepare_cached("SELECT id FROM contacts WHERE email = ?1 ORDER BY created_at LIMIT 1")?
        .query_row([email], |r| r.get(0))
        .optional()?)
}

/// Stores the attendee rows of meeting `id`.
pub(crate) fn write(tx: &Tx<'_>, id: MeetingId, people: &[(String, Option<String>)]) -> Result<()> {
    let domains = settings::internal_domains(&tx.sql)?;
    for (email, name) in people {
        tx.sql.execute(
            "INSERT OR IGNORE INTO meeting_attendees (meeting_id, email, name, contact_id, is_internal)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, email, name, contact_by_email(&tx.sql, email)?, is_internal(email, &domains)],
        )?;
    }
    Ok(())
}

/// The attendees of meeting `id`, linked to contacts by email as of now and classified by the
/// current internal domains (the stored flag is used only while no domain is configured).
pub(crate) fn of(conn: &Connection, id: MeetingId) -> Result<Vec<Attendee>> {
    let domains = settings::internal_domains(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.email, a.name,
             coalesce(a.contact_id, (SELECT c.id FROM contacts c WHERE c.email = a.email ORDER BY c.created_at LIMIT 1)),
             a.is_internal
         FROM meeting_attendees a WHERE a.meeting_id = ?1",
    )?;
    let mut list = stmt
        .query_map([id], |row| {
            Ok(Attendee { email: row.get(0)?, name: row.get(1)?, contact_id: row.get(2)?, is_internal: row.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if !domains.is_empty() {
        for attendee in &mut list {
            attendee.is_internal = is_internal(&attendee.email, &domains);
        }
    }
    list.sort_by(|a, b| (a.is_internal, &a.email).cmp(&(b.is_internal, &b.email)));
    Ok(list)
}

/// External attendees without a contact, as contact suggestions.
pub(crate) fn suggestions(attendees: &[Attendee]) -> Vec<SuggestedContact> {
    attendees
        .iter()
        .filter(|a| !a.is_internal && a.contact_id.is_none())
        .map(|a| {
            let (first_name, last_name) =
                a.name.as_deref().map(crate::canonical::names::split_full_name).unwrap_or_default();
            let domain = domain_of(&a.email);
            SuggestedContact {
                email: a.email.clone(),
                first_name,
                last_name,
                company_domain: (!crate::canonical::company::is_free_mail(domain)).then(|| domain.to_owned()),
            }
        })
        .collect()
}

/// Creates contacts from a meeting's suggestions (all, or the emails given), linked to the company
/// with the email's domain when there is one. Returns the contacts created; the meeting's
/// attendees link to them from now on.
pub fn create_contacts(ctx: &Ctx, req: CreateContacts) -> Result<Vec<Contact>> {
    ctx.write(|tx| {
        let meeting: Meeting = fetch(&tx.sql, req.meeting_id)?;
        let wanted: Vec<String> = req.emails.iter().map(|e| e.trim().to_lowercase()).collect();
        for email in &wanted {
            if !meeting.suggested_contacts.iter().any(|s| s.email == *email) {
                return Err(Error::invalid(
                    "emails",
                    format!("{email} is not a suggested contact of this meeting (it is internal, already a contact, or not invited)"),
                ));
            }
        }
        let mut created = Vec::new();
        for suggestion in meeting.suggested_contacts.iter().filter(|s| wanted.is_empty() || wanted.contains(&s.email)) {
            let company_id: Option<CompanyId> = match &suggestion.company_domain {
                Some(domain) => tx
                    .sql
                    .query_row(
                        "SELECT id FROM companies WHERE domain = ?1 ORDER BY created_at LIMIT 1",
                        [domain],
                        |r| r.get(0),
                    )
                    .optional()?,
                None => None,
            };
            let contact = contacts::insert(
                tx,
                NewContact {
                    first_name: suggestion.first_name.clone(),
                    last_name: suggestion.last_name.clone(),
                    email: Some(suggestion.email.clone()),
                    company_id,
                    lead_source: Some("meeting".into()),
                    ..Default::default()
                },
            )?;
            tx.sql.execute(
                "UPDATE meeting_attendees SET contact_id = ?3 WHERE meeting_id = ?1 AND email = ?2",
                params![meeting.id, suggestion.email, contact.id],
            )?;
            created.push(contact);
        }
        let ids: Vec<String> = created.iter().map(|c| c.id.to_string()).collect();
        tx.changed(EntityKind::Meeting, &meeting.id, Action::CreateContacts, &serde_json::json!({ "contacts": ids }))?;
        Ok(created)
    })
}
