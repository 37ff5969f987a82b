//! A fixture workspace for the copilot: a clock frozen at 2026-11-24 09:00 UTC and a small
//! pipeline with known problems (a stale deal, a deal missing BANT, an unprepared meeting, an
//! overdue task, an unanswered email, three contacts called Sarah, opted-out contacts).

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use outpost_core::{
    crm::activities::{self, ActivityKind, NewActivity},
    crm::contacts::{self, Contact, NewContact},
    crm::deals::{self, Deal, MoveDeal, NewDeal},
    crm::tasks::{self, NewTask, Task},
    meetings::{self, NewMeeting},
    store::clock::ManualClock,
    store::ids::MeetingId,
    Ctx,
};

/// The fixture's records.
pub struct Workspace {
    pub ctx: Ctx,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    pub sarah_lee: Contact,
    pub sarah_jones: Contact,
    pub sarah_kim: Contact,
    pub bob: Contact,
    /// Proposal stage, no activity for 20 days: stale.
    pub stale: Deal,
    /// Created today, value 0, no contact or close date: missing BANT.
    pub unqualified: Deal,
    /// Owned by another rep.
    pub others: Deal,
    pub meeting: MeetingId,
    pub overdue: Task,
}

pub fn at(day: u32, month: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 9, 0, 0).single().expect("valid time")
}

fn person(first: &str, last: &str, email: &str) -> NewContact {
    NewContact {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        email: Some(email.into()),
        company: Some("Acme".into()),
        ..Default::default()
    }
}

/// An empty workspace acting as `alice`.
pub fn empty() -> (Ctx, Arc<ManualClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(at(24, 11)));
    let ctx = Ctx::open_with_clock(dir.path(), clock.clone()).expect("open store").with_actor("alice");
    (ctx, clock, dir)
}

/// A second user ("bob-rep") on the same data directory.
pub fn other_user(ws: &Workspace) -> Ctx {
    Ctx::open_with_clock(ws.dir.path(), ws.clock.clone()).expect("open store").with_actor("bob-rep")
}

pub fn workspace() -> Workspace {
    let (ctx, clock, dir) = empty();
    clock.set(at(4, 11));
    let sarah_lee = contacts::add(
        &ctx,
        NewContact { title: Some("VP Sales".into()), ..person("Sarah", "Lee", "sarah.lee@acme.com") },
    )
    .expect("sarah lee");
    let sarah_jones = contacts::add(&ctx, person("Sarah", "Jones", "sarah.jones@acme.com")).expect("sarah jones");
    let sarah_kim =
        contacts::add(&ctx, NewContact { email_opt_out: Some(true), ..person("Sarah", "Kim", "sarah.kim@acme.com") })
            .expect("sarah kim");
    let bob = contacts::add(
        &ctx,
        NewContact {
            phone: Some("+44 20 7946 0001".into()),
            sms_opt_out: Some(true),
            ..person("Bob", "Stone", "bob@globex.com")
        },
    )
    .expect("bob");
    let stale = deals::add(
        &ctx,
        NewDeal {
            title: "Acme expansion".into(),
            value: Some(50_000.0),
            contact_id: Some(sarah_lee.id),
            company: Some("Acme".into()),
            expected_close: Some("2026-12-20".into()),
            next_step: Some("Send proposal".into()),
            ..Default::default()
        },
    )
    .expect("stale deal");
    let stale = deals::move_stage(&ctx, MoveDeal { id: stale.id, stage: "Proposal".into() }).expect("move");
    let others = deals::add(
        &ctx,
        NewDeal {
            title: "Globex renewal".into(),
            value: Some(8_000.0),
            contact_id: Some(bob.id),
            owner: Some("carol".into()),
            expected_close: Some("2026-12-01".into()),
            next_step: Some("Renewal call".into()),
            ..Default::default()
        },
    )
    .expect("others deal");
    clock.set(at(20, 11));
    activities::log(
        &ctx,
        NewActivity {
            kind: ActivityKind::Email,
            subject: "Question about pricing".into(),
            contact_id: Some(bob.id),
            direction: Some("inbound".into()),
            ..Default::default()
        },
    )
    .expect("inbound email");
    activities::log(
        &ctx,
        NewActivity {
            kind: ActivityKind::Note,
            subject: "Renewal discussed internally".into(),
            deal_id: Some(others.id),
            ..Default::default()
        },
    )
    .expect("note on others deal");
    let overdue = tasks::add(
        &ctx,
        NewTask {
            title: "Send Acme case study".into(),
            due_date: Some("2026-11-21".into()),
            deal_id: Some(stale.id),
            ..Default::default()
        },
    )
    .expect("overdue task");
    clock.set(at(24, 11));
    let unqualified =
        deals::add(&ctx, NewDeal { title: "Initech pilot".into(), ..Default::default() }).expect("unqualified");
    let meeting = meetings::add(
        &ctx,
        NewMeeting {
            title: "Acme QBR".into(),
            starts_at: "2026-11-25T14:00:00Z".into(),
            attendees: vec!["Sarah Lee <sarah.lee@acme.com>".into()],
            ..Default::default()
        },
    )
    .expect("meeting")
    .id;
    Workspace { ctx, clock, dir, sarah_lee, sarah_jones, sarah_kim, bob, stale, unqualified, others, meeting, overdue }
}

/// Row count of a table.
pub fn count(dir: &std::path::Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("outpost.db")).expect("open db");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}
