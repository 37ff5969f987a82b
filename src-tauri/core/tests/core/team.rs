//! The manager view: pipeline by rep and stage, weighted forecast, win rates, activities per rep
//! per week and upcoming meetings with their brief status.

use outpost_core::{
    assist::briefs,
    crm::activities::{self, ActivityKind, NewActivity},
    crm::deals::{self, MoveDeal, NewDeal},
    crm::team,
    meetings::{self, NewMeeting},
};

use super::support::{at, fixture};

fn deal(title: &str, owner: &str, value: f64, stage: &str) -> NewDeal {
    NewDeal {
        title: title.into(),
        owner: Some(owner.into()),
        value: Some(value),
        stage: Some(stage.into()),
        ..Default::default()
    }
}

#[test]
fn pipeline_by_rep_forecast_win_rate_and_weekly_activity() {
    let f = fixture();
    let ana_lead = deals::add(&f.ctx, deal("A1", "ana", 1000.0, "Lead")).expect("deal");
    deals::add(&f.ctx, deal("A2", "ana", 4000.0, "Proposal")).expect("deal");
    deals::add(&f.ctx, deal("R1", "raj", 2000.0, "Proposal")).expect("deal");
    let won = deals::add(&f.ctx, deal("A3", "ana", 9000.0, "Negotiation")).expect("deal");
    deals::move_stage(&f.ctx, MoveDeal { id: won.id, stage: "Won".into() }).expect("won");
    let lost = deals::add(&f.ctx, deal("R2", "raj", 500.0, "Lead")).expect("deal");
    deals::move_stage(&f.ctx, MoveDeal { id: lost.id, stage: "Lost".into() }).expect("lost");
    // Tuesday 24 Nov and Monday 16 Nov: two different weeks.
    for day in ["2026-11-24T08:00:00Z", "2026-11-16T08:00:00Z", "2026-11-17T08:00:00Z"] {
        activities::log(
            &f.ctx,
            NewActivity {
                kind: ActivityKind::Call,
                subject: "call".into(),
                occurred_at: Some(day.into()),
                deal_id: Some(ana_lead.id),
                ..Default::default()
            },
        )
        .expect("activity");
    }
    let meeting = meetings::add(
        &f.ctx,
        NewMeeting { title: "QBR".into(), starts_at: "2026-11-26T10:00:00Z".into(), ..Default::default() },
    )
    .expect("meeting");

    let view = team::pipeline(&f.ctx).expect("team");
    let cells: Vec<(&str, &str, u32, f64)> =
        view.by_rep.iter().map(|r| (r.owner.as_str(), r.stage.as_str(), r.deals, r.value)).collect();
    assert_eq!(cells, [("ana", "Lead", 1, 1000.0), ("ana", "Proposal", 1, 4000.0), ("raj", "Proposal", 1, 2000.0)]);
    // Lead 1000 × 10% + Proposal 6000 × 50% = 3100 of 7000 open.
    assert_eq!((view.forecast[0].value, view.forecast[0].weighted), (7000.0, 3100.0));
    let rates: Vec<(Option<&str>, u32, u32, Option<f64>)> =
        view.win_rates.iter().map(|w| (w.owner.as_deref(), w.won, w.lost, w.rate)).collect();
    assert_eq!(rates, [(None, 1, 1, Some(0.5)), (Some("ana"), 1, 0, Some(1.0)), (Some("raj"), 0, 1, Some(0.0))]);
    // Stage changes are activities too (on 24 Nov, the fixture's day); ana's deal A3 moved to Won.
    let weeks: Vec<(&str, &str, u32)> =
        view.activities_per_week.iter().map(|w| (w.owner.as_str(), w.week.as_str(), w.activities)).collect();
    assert_eq!(weeks, [("ana", "2026-11-16", 2), ("ana", "2026-11-23", 2), ("raj", "2026-11-23", 1)]);
    assert_eq!(view.upcoming_meetings[0].brief_status, None);

    briefs::for_meeting(&f.ctx, meeting.id).expect("brief");
    f.clock.set(at(2026, 11, 25, 9, 0));
    let meetings = team::meetings(&f.ctx, Default::default()).expect("meetings");
    assert_eq!((meetings[0].title.as_str(), meetings[0].brief_status.as_deref()), ("QBR", Some("draft")));
}
