//! Human-readable output for the terminal: aligned tables and key/value blocks, one renderer per
//! record shape the command areas print (the JSON form is the record itself).

mod table;
mod workbook;

use outpost_core::{
    assist::alerts::Notification,
    crm::activities::Activity,
    crm::board::Board,
    crm::companies::{Company, Deleted},
    crm::contacts::Contact,
    crm::deals::Deal,
    crm::tasks::Task,
    import::{
        export::ExportSummary,
        jobs::{ImportJob, RowError},
        merge::MergeSuggestion,
        preview::ImportPreview,
        Target,
    },
    meetings::Meeting,
    store::audit::AuditEntry,
};
use table::table;

fn fields(pairs: &[(&str, Option<String>)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs
        .iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| format!("{key:<width$}  {v}")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn money(value: f64, currency: &str) -> String {
    format!("{value:.2} {currency}")
}

pub(crate) fn contact(c: &Contact) -> String {
    let flags: Vec<&str> =
        [(c.email_opt_out, "email opt-out"), (c.sms_opt_out, "SMS opt-out"), (c.do_not_call, "do not call")]
            .into_iter()
            .filter_map(|(on, label)| on.then_some(label))
            .collect();
    fields(&[
        ("id", Some(c.id.to_string())),
        ("name", Some(c.display_name())),
        ("email", c.email.clone()),
        ("phone", c.phone.clone()),
        ("title", c.title.clone()),
        ("company", c.company_name.clone()),
        ("consent", (!flags.is_empty()).then(|| flags.join(", "))),
        ("lead source", c.lead_source.clone()),
        ("linkedin", c.linkedin_url.clone()),
        ("time zone", c.time_zone.clone()),
        ("last contacted", c.last_contacted_at.clone()),
        ("notes", c.notes.clone()),
    ])
}

pub(crate) fn contacts(list: &[Contact]) -> String {
    let rows = list
        .iter()
        .map(|c| vec![c.id.to_string(), c.display_name(), opt(&c.email), opt(&c.phone), opt(&c.company_name)])
        .collect();
    table(
        &["ID", "NAME", "EMAIL", "PHONE", "COMPANY"],
        rows,
        "No contacts yet. Add one with `outpost contacts add --first-name … --email …`.",
    )
}

pub(crate) fn company(c: &Company) -> String {
    fields(&[
        ("id", Some(c.id.to_string())),
        ("name", Some(c.name.clone())),
        ("domain", c.domain.clone()),
        ("industry", c.industry.clone()),
        ("location", c.location.clone()),
        ("size", c.size.clone()),
    ])
}

pub(crate) fn companies(list: &[Company]) -> String {
    let rows = list
        .iter()
        .map(|c| vec![c.id.to_string(), c.name.clone(), opt(&c.domain), opt(&c.industry), opt(&c.location)])
        .collect();
    table(
        &["ID", "NAME", "DOMAIN", "INDUSTRY", "LOCATION"],
        rows,
        "No companies yet. Add one with `outpost companies add --name …`.",
    )
}

pub(crate) fn deal(d: &Deal) -> String {
    fields(&[
        ("id", Some(d.id.to_string())),
        ("title", Some(d.title.clone())),
        ("value", Some(money(d.value, &d.currency))),
        ("stage", Some(format!("{} (since {})", d.stage, d.stage_entered_at))),
        ("contact", d.contact_name.clone()),
        ("company", d.company_name.clone()),
        ("expected close", d.expected_close.clone()),
        ("owner", d.owner.clone()),
        ("next step", d.next_step.clone()),
        ("closed", d.closed_at.clone()),
        ("notes", d.notes.clone()),
    ])
}

pub(crate) fn deals(list: &[Deal]) -> String {
    let rows = list
        .iter()
        .map(|d| {
            vec![d.id.to_string(), d.title.clone(), d.stage.clone(), money(d.value, &d.currency), opt(&d.company_name)]
        })
        .collect();
    table(
        &["ID", "TITLE", "STAGE", "VALUE", "COMPANY"],
        rows,
        "No deals. Add one with `outpost deals add --title … --value …`.",
    )
}

pub(crate) fn board(b: &Board) -> String {
    let rows = b
        .stages
        .iter()
        .map(|col| {
            let totals = if col.totals.is_empty() {
                "0".to_owned()
            } else {
                col.totals.iter().map(|t| money(t.value, &t.currency)).collect::<Vec<_>>().join(" + ")
            };
            vec![col.stage.name.clone(), col.deal_count.to_string(), totals]
        })
        .collect();
    format!("{}\n{}", b.name, table(&["STAGE", "DEALS", "TOTAL"], rows, ""))
}

pub(crate) fn task(t: &Task) -> String {
    fields(&[
        ("id", Some(t.id.to_string())),
        ("title", Some(t.title.clone())),
        ("due", t.due_date.clone()),
        ("priority", Some(format!("{:?}", t.priority).to_lowercase())),
        ("linked", t.entity_type.as_ref().map(|kind| format!("{kind} {}", opt(&t.entity_id)))),
        ("done", t.done_at.clone()),
        ("notes", t.notes.clone()),
    ])
}

pub(crate) fn tasks(list: &[Task]) -> String {
    let rows = list
        .iter()
        .map(|t| {
            let state = if t.done_at.is_some() { "done" } else { "open" };
            vec![t.id.to_string(), t.title.clone(), opt(&t.due_date), state.to_owned()]
        })
        .collect();
    table(&["ID", "TITLE", "DUE", "STATE"], rows, "No open tasks.")
}

pub(crate) fn activity(a: &Activity) -> String {
    fields(&[
        ("id", Some(a.id.to_string())),
        ("kind", Some(a.kind.as_str().to_owned())),
        ("subject", Some(a.subject.clone())),
        ("when", Some(a.occurred_at.clone())),
        ("body", a.body.clone()),
    ])
}

pub(crate) fn activities(list: &[Activity]) -> String {
    let rows =
        list.iter().map(|a| vec![a.occurred_at.clone(), a.kind.as_str().to_owned(), a.subject.clone()]).collect();
    table(&["WHEN", "KIND", "SUBJECT"], rows, "Nothing on the timeline yet.")
}

pub(crate) fn meeting(m: &Meeting) -> String {
    let attendees = m
        .attendees
        .iter()
        .map(|a| {
            let who = match &a.name {
                Some(name) => format!("{name} <{}>", a.email),
                None => a.email.clone(),
            };
            let side = if a.is_internal { "internal" } else { "external" };
            let contact = a.contact_id.map(|id| format!(", contact {id}")).unwrap_or_default();
            format!("{who} ({side}{contact})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let suggested = m.suggested_contacts.iter().map(|s| s.email.clone()).collect::<Vec<_>>().join(", ");
    fields(&[
        ("id", Some(m.id.to_string())),
        ("title", Some(m.title.clone())),
        ("starts", Some(m.starts_at.clone())),
        ("ends", m.ends_at.clone()),
        ("location", m.location.clone()),
        ("attendees", (!attendees.is_empty()).then_some(attendees)),
        (
            "new contacts?",
            (!suggested.is_empty()).then(|| format!("{suggested} (add with `outpost meetings add-contacts {}`)", m.id)),
        ),
        ("status", Some(m.status.clone())),
        ("description", m.description.clone()),
        ("notes", m.notes.clone()),
    ])
}

pub(crate) fn meetings(list: &[Meeting]) -> String {
    let rows = list
        .iter()
        .map(|m| vec![m.id.to_string(), m.starts_at.clone(), m.title.clone(), m.attendees.len().to_string()])
        .collect();
    table(
        &["ID", "STARTS", "TITLE", "ATTENDEES"],
        rows,
        "No meetings. Add one with `outpost meetings add --title … --starts-at …`.",
    )
}

pub(crate) fn deleted(d: &Deleted) -> String {
    format!("Deleted {} {}", d.entity, d.id)
}

pub(crate) fn erased(e: &outpost_core::erasure::Erased) -> String {
    format!(
        "Erased contact {} ({} activities and {} tasks erased, {} deals unlinked, {} meetings updated); \
         other devices erase it when they sync",
        e.id, e.activities, e.tasks, e.deals_unlinked, e.meetings_updated
    )
}

pub(crate) fn audit(list: &[AuditEntry]) -> String {
    let rows = list
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                e.at.clone(),
                e.actor.clone(),
                e.action.clone(),
                format!("{} {}", e.entity_type, e.entity_id),
            ]
        })
        .collect();
    table(&["SEQ", "AT", "ACTOR", "ACTION", "RECORD"], rows, "The audit log is empty.")
}

pub(crate) fn import_job(j: &ImportJob) -> String {
    let summary = fields(&[
        ("import", Some(j.id.to_string())),
        ("status", Some(j.status.clone())),
        ("file", Some(j.source_path.clone())),
        ("format", Some(format!("{}, delimiter {:?}", j.encoding, j.delimiter))),
        ("records", j.record_type.map(|t| t.as_str().to_owned())),
        ("phone region", j.phone_region.as_ref().map(|r| format!("{} ({})", r.region, r.reason))),
        ("notice", (!j.notices.is_empty()).then(|| j.notices.join("\n"))),
        (
            "rows",
            Some(format!(
                "{} total: {} imported, {} updated, {} skipped, {} failed",
                j.total, j.imported, j.updated, j.skipped, j.failed
            )),
        ),
        ("took", Some(format!("{:.1} s", j.duration_ms as f64 / 1000.0))),
        ("error", j.error.clone()),
    ]);
    let mut out = summary;
    if !j.warnings.is_empty() {
        out = format!("{out}\n\nImported with warnings\n{}", row_errors(&j.warnings));
    }
    if !j.errors.is_empty() {
        out = format!("{out}\n\nRejected rows\n{}", row_errors(&j.errors));
    }
    out
}

pub(crate) fn import_jobs(list: &[ImportJob]) -> String {
    let rows = list
        .iter()
        .map(|j| {
            vec![
                j.id.to_string(),
                j.status.clone(),
                j.source_path.clone(),
                format!("{}/{}/{}/{}", j.imported, j.updated, j.skipped, j.failed),
                j.created_at.clone(),
            ]
        })
        .collect();
    table(
        &["ID", "STATUS", "FILE", "NEW/UPD/SKIP/FAIL", "WHEN"],
        rows,
        "No imports yet. Try `outpost import leads.csv`.",
    )
}

pub(crate) fn row_errors(list: &[RowError]) -> String {
    let rows = list.iter().map(|e| vec![e.row.to_string(), e.message.clone()]).collect();
    table(&["ROW", "PROBLEM"], rows, "No rejected rows.")
}

pub(crate) fn preview(p: &ImportPreview) -> String {
    let mapping = p
        .headers
        .iter()
        .zip(&p.mapping.columns)
        .map(|(header, target)| {
            let field = match target {
                Target::Field(field) => field.label().to_owned(),
                Target::Custom(name) => format!("custom: {name}"),
                Target::Ignore => "ignored".to_owned(),
            };
            vec![header.clone(), field]
        })
        .collect();
    let rows = p
        .rows
        .iter()
        .map(|r| {
            let check = match (&r.error, r.warnings.is_empty()) {
                (Some(error), _) => error.clone(),
                (None, true) => "ok".into(),
                (None, false) => format!("ok; {}", r.warnings.join("; ")),
            };
            vec![r.row.to_string(), check, r.fields.join(" | ")]
        })
        .collect();
    let facts = match &p.workbook {
        Some(book) => {
            fields(&[
                ("file", Some(p.path.clone())),
                ("format", Some(book.format.clone())),
                ("sheet", Some(format!("{} ({})", book.sheet, book.sheet_source))),
                ("header row", Some(p.header_line.to_string())),
            ]) + &workbook::sheets(book)
        }
        None => fields(&[
            ("file", Some(p.path.clone())),
            ("encoding", Some(p.encoding.clone())),
            ("notice", (!p.notices.is_empty()).then(|| p.notices.join("\n"))),
            ("delimiter", Some(format!("{:?}", p.delimiter))),
            ("header line", Some(p.header_line.to_string())),
            ("records", Some(p.record_type.as_str().to_owned())),
            ("phone region", Some(format!("{} ({})", p.phone_region.region, p.phone_region.reason))),
        ]),
    };
    format!(
        "{}\n\nMapping ({})\n{}\n\nFirst rows\n{}",
        facts,
        p.mapping_source,
        table(&["COLUMN", "FIELD"], mapping, ""),
        table(&["ROW", "CHECK", "VALUES"], rows, "The file has no data rows.")
    )
}

pub(crate) fn merges(list: &[MergeSuggestion]) -> String {
    let rows = list
        .iter()
        .map(|m| {
            vec![m.id.clone(), format!("{:.2}", m.score), m.reason.clone(), format!("{} ← {}", m.keep_id, m.merge_id)]
        })
        .collect();
    table(&["ID", "SCORE", "WHY", "KEEP ← MERGE"], rows, "No merge suggestions.")
}

pub(crate) fn exported(s: &ExportSummary) -> String {
    format!("Wrote {} rows to {}", s.rows, s.path.display())
}

pub(crate) fn alert(n: &Notification) -> String {
    let state = if n.read_at.is_some() { "read  " } else { "unread" };
    format!("{}  {state}  {}  {}\n    {}  {}", n.id, n.created_at, n.title, n.body, n.link)
}

pub(crate) fn alerts(list: &[Notification]) -> String {
    if list.is_empty() {
        return "No notifications.".to_owned();
    }
    list.iter().map(alert).collect::<Vec<_>>().join("\n")
}
