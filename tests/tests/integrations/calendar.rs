//! `outpost calendar sync` against a fake Google Calendar: a full first sync (paged), incremental
//! syncs with the sync token (moves, cancellations, new events), nothing on a quiet calendar, and
//! a full resync after 410 Gone that cancels meetings deleted in the meantime.

use anyhow::Result;
use outpost_tests::Workspace;
use serde_json::{json, Value};

use super::{
    connections::connect_provider,
    fake_calendar,
    fake_oauth::{self, CLIENT_ID},
    support::Keychain,
};

fn event(id: &str, title: &str, start: Value, attendees: &[&str]) -> Value {
    let attendees: Vec<Value> = attendees.iter().map(|a| json!({ "email": a })).collect();
    let end = match start.get("dateTime") {
        Some(_) => json!({ "dateTime": "2026-12-01T11:00:00+01:00" }),
        None => start.clone(),
    };
    json!({ "id": id, "status": "confirmed", "summary": title, "start": start, "end": end, "attendees": attendees })
}

fn by_title(meetings: &Value, title: &str) -> Value {
    meetings.as_array().and_then(|m| m.iter().find(|m| m["title"] == title)).cloned().unwrap_or(Value::Null)
}

fn counts(report: &Value) -> (bool, u64, u64, u64) {
    let n = |k: &str| report[k].as_u64().unwrap_or(u64::MAX);
    (report["full_resync"].as_bool().unwrap_or(false), n("created"), n("updated"), n("cancelled"))
}

#[test]
fn calendar_events_become_meetings_incrementally_and_a_410_forces_a_full_resync() -> Result<()> {
    let (oauth_server, oauth) = fake_oauth::start(3_600)?;
    let (calendar_server, calendar) = fake_calendar::start(oauth.clone())?;
    {
        let mut c = calendar.lock().expect("calendar");
        c.put(event(
            "e1",
            "Acme demo",
            json!({ "dateTime": "2026-12-01T10:00:00+01:00" }),
            &["ada@acme.com", "me@ourco.com"],
        ));
        c.put(event("e2", "Offsite", json!({ "date": "2026-12-03" }), &[]));
        c.put(event("e3", "Globex intro", json!({ "dateTime": "2026-12-02T09:00:00Z" }), &["bob@globex.com"]));
    }
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let (oauth_url, api) = (oauth_server.url(), calendar_server.url());
    let env = [
        ("OUTPOST_GOOGLE_OAUTH_URL", oauth_url.as_str()),
        ("OUTPOST_GOOGLE_CLIENT_ID", CLIENT_ID),
        ("OUTPOST_GOOGLE_API_URL", api.as_str()),
    ];
    let ada = keychain.json(&ws, &["contacts", "add", "--first-name", "Ada", "--email", "ada@acme.com"], &[])?;
    connect_provider(&keychain, &ws, "google", &oauth_url)?;

    let first = keychain.json(&ws, &["calendar", "sync"], &env)?;
    assert_eq!(counts(&first), (true, 3, 0, 0));
    let meetings = keychain.json(&ws, &["meetings", "list"], &[])?;
    assert_eq!(meetings.as_array().map(Vec::len), Some(3));
    let demo = by_title(&meetings, "Acme demo");
    assert_eq!(
        (demo["starts_at"].as_str(), demo["ends_at"].as_str()),
        (Some("2026-12-01T09:00:00.000Z"), Some("2026-12-01T10:00:00.000Z"))
    );
    let ada_attendee =
        demo["attendees"].as_array().and_then(|a| a.iter().find(|a| a["email"] == "ada@acme.com")).cloned();
    assert_eq!(
        ada_attendee.map(|a| a["contact_id"].clone()),
        Some(ada["id"].clone()),
        "attendees are linked to contacts"
    );
    assert_eq!(by_title(&meetings, "Offsite")["starts_at"], "2026-12-03T00:00:00.000Z");
    {
        let c = calendar.lock().expect("calendar");
        assert_eq!(c.requests.len(), 2, "two pages");
        assert!(c.requests.iter().all(|r| r.query.contains_key("timeMin") && !r.query.contains_key("syncToken")));
    }

    // Incremental: a move, a cancellation and a new event; only the changes are fetched.
    {
        let mut c = calendar.lock().expect("calendar");
        c.put(event(
            "e1",
            "Acme demo",
            json!({ "dateTime": "2026-12-01T14:00:00+01:00" }),
            &["ada@acme.com", "me@ourco.com"],
        ));
        c.cancel("e3");
        c.put(event("e4", "Initech follow-up", json!({ "dateTime": "2026-12-04T15:00:00Z" }), &[]));
    }
    // The same sync the desktop app runs in the background: every connected Google account.
    let all = keychain.json(&ws, &["calendar", "sync", "--all"], &env)?;
    assert_eq!(all.as_array().map(Vec::len), Some(1), "one report per connected account: {all}");
    let second = all[0].clone();
    assert_eq!(counts(&second), (false, 1, 1, 1));
    assert_eq!(
        calendar.lock().expect("calendar").requests[2].query.get("syncToken").map(String::as_str),
        Some("sync-3")
    );
    let meetings = keychain.json(&ws, &["meetings", "list"], &[])?;
    assert_eq!(by_title(&meetings, "Acme demo")["starts_at"], "2026-12-01T13:00:00.000Z");
    assert_eq!(by_title(&meetings, "Globex intro")["status"], "cancelled");
    assert_eq!(by_title(&meetings, "Initech follow-up")["status"], "scheduled");

    // A quiet calendar changes nothing.
    assert_eq!(counts(&keychain.json(&ws, &["calendar", "sync"], &env)?), (false, 0, 0, 0));

    // The token expires; meanwhile e4 is deleted for good and e2 renamed: full resync.
    {
        let mut c = calendar.lock().expect("calendar");
        c.expire_tokens();
        c.purge("e4");
        c.put(event("e2", "Team offsite", json!({ "date": "2026-12-03" }), &[]));
    }
    let resync = keychain.json(&ws, &["calendar", "sync"], &env)?;
    assert_eq!(counts(&resync), (true, 0, 1, 1));
    assert_eq!(resync["unchanged"], 1);
    let meetings = keychain.json(&ws, &["meetings", "list"], &[])?;
    assert_eq!(meetings.as_array().map(Vec::len), Some(4), "no duplicates after the resync");
    assert_eq!(by_title(&meetings, "Initech follow-up")["status"], "cancelled");
    assert_eq!(by_title(&meetings, "Team offsite")["status"], "scheduled");
    let c = calendar.lock().expect("calendar");
    let last: Vec<bool> = c.requests.iter().rev().take(2).map(|r| r.query.contains_key("syncToken")).collect();
    assert_eq!(last, [false, true], "410 on the token, then a full listing (e1 and e2: one page)");
    assert!(c.requests.last().is_some_and(|r| r.query.contains_key("timeMin")));
    Ok(())
}
