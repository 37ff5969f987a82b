//! The proactive agent on a fake clock: each alert raised exactly once, also across restarts
//! (the database reopened by a new context); brief made ready N hours before its meeting; the
//! digest at the configured local time once a day; a deal that goes stale again alerts again.

use std::sync::Arc;

use outpost_core::{
    assist::alerts::{self, AlertQuery, Notification},
    assist::briefs,
    assist::proactive,
    crm::activities::{self, ActivityKind, NewActivity},
    crm::deals::{self, NewDeal},
    crm::tasks::{self, NewTask},
    meetings::{self, NewMeeting},
    store::clock::ManualClock,
    Ctx,
};

use super::support::{at, fixture, set_setting};

fn kinds(raised: &[Notification]) -> Vec<&str> {
    let mut kinds: Vec<&str> = raised.iter().map(|n| n.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds
}

#[tokio::test]
async fn alerts_fire_once_on_schedule_and_survive_restarts() {
    let f = fixture();
    // Local time is UTC+1; digest at 08:30 local; briefs 3 hours ahead.
    set_setting(f.dir.path(), "agent.utc_offset", "+01:00");
    set_setting(f.dir.path(), "agent.digest_time", "08:30");
    set_setting(f.dir.path(), "agent.brief_lead_hours", "3");
    f.clock.set(at(2026, 11, 10, 9, 0));
    let deal = deals::add(
        &f.ctx,
        NewDeal { title: "Quiet deal".into(), expected_close: Some("2026-11-30".into()), ..Default::default() },
    )
    .expect("deal");
    tasks::add(
        &f.ctx,
        NewTask { title: "Call back".into(), due_date: Some("2026-11-20".into()), ..Default::default() },
    )
    .expect("task");
    let meeting = meetings::add(
        &f.ctx,
        NewMeeting {
            title: "Kick-off".into(),
            starts_at: "2026-11-24T12:00:00Z".into(),
            deal_id: Some(deal.id),
            ..Default::default()
        },
    )
    .expect("meeting");

    // 24 Nov 06:00 UTC = 07:00 local: the task is overdue and the deal idle for 14 days; the
    // meeting is 6 hours away and the digest not due yet.
    f.clock.set(at(2026, 11, 24, 6, 0));
    let first = proactive::tick(&f.ctx).await.expect("tick");
    assert_eq!(kinds(&first), ["deal_stale", "task_overdue"]);
    assert!(first.iter().any(|n| n.link == format!("outpost://deal/{}", deal.id)));
    assert!(proactive::tick(&f.ctx).await.expect("tick").is_empty(), "same facts, no new alerts");

    // 07:45 UTC = 08:45 local: digest due; meeting 4h15 away, still outside the 3h lead.
    f.clock.set(at(2026, 11, 24, 7, 45));
    let second = proactive::tick(&f.ctx).await.expect("tick");
    assert_eq!(kinds(&second), ["digest"]);
    assert_eq!(second[0].dedupe_key, "digest:2026-11-24");
    assert!(second[0].body.contains("1 overdue task"), "{}", second[0].body);

    // 09:30 UTC: within 3 hours of the meeting: its brief is generated, ready, and announced.
    f.clock.set(at(2026, 11, 24, 9, 30));
    let third = proactive::tick(&f.ctx).await.expect("tick");
    assert_eq!(kinds(&third), ["brief_ready"]);
    assert_eq!(third[0].link, format!("outpost://meeting/{}/brief", meeting.id));
    assert_eq!(briefs::for_meeting(&f.ctx, meeting.id).expect("brief").status, "ready");

    // Restart: a new context on the same database, later the same day. Nothing is raised again.
    let Fixture { ctx, dir, .. } = f;
    drop(ctx);
    let clock = Arc::new(ManualClock::new(at(2026, 11, 24, 10, 0)));
    let ctx = Ctx::open_with_clock(dir.path(), clock.clone()).expect("reopen");
    assert!(proactive::tick(&ctx).await.expect("tick after restart").is_empty());
    assert_eq!(alerts::list(&ctx, AlertQuery::default()).expect("list").len(), 4);

    // Next day: a new digest only.
    clock.set(at(2026, 11, 25, 8, 0));
    let next_day = proactive::tick(&ctx).await.expect("tick");
    assert_eq!(kinds(&next_day), ["digest"]);
    assert_eq!(next_day[0].dedupe_key, "digest:2026-11-25");

    // Activity revives the deal (25 Nov); quiet for 7 days again (2 Dec), it alerts again; its close
    // date (30 Nov) has passed too.
    activities::log(
        &ctx,
        NewActivity {
            kind: ActivityKind::Call,
            subject: "Chased".into(),
            deal_id: Some(deal.id),
            ..Default::default()
        },
    )
    .expect("activity");
    clock.set(at(2026, 12, 2, 5, 0));
    let a_week_on = proactive::tick(&ctx).await.expect("tick");
    assert_eq!(kinds(&a_week_on), ["close_date_passed", "deal_stale"]);

    // Reading: unread count and list.
    let unread = alerts::list(&ctx, AlertQuery { unread: Some(true), limit: None }).expect("unread");
    assert_eq!(unread.len(), 7);
    let read = alerts::mark_read(&ctx, unread[0].id).expect("read");
    assert!(read.read_at.is_some());
    assert_eq!(alerts::unread_count(&ctx).expect("count"), 6);
}

use super::support::Fixture;
