//! Pending actions: nothing is written until the rep confirms; confirmation runs through the core
//! API once and is audit-logged; dismissed actions never run; drafts for opted-out contacts,
//! records outside the workspace and deals owned by someone else are refused; ambiguous names
//! become a clarifying question.

use outpost_core::{
    assist::copilot::{self, actions, AskRequest},
    crm::contacts::{self, ContactUpdate},
    crm::tasks::{self, TaskQuery},
    store::audit,
    Error,
};
use outpost_integrations::Net;

use super::support::{count, other_user, workspace};

#[tokio::test]
async fn no_write_happens_until_the_rep_confirms_and_then_exactly_once() {
    let ws = workspace();
    let tasks_before = count(ws.dir.path(), "tasks");
    let response = copilot::ask(
        &ws.ctx,
        &Net::new(),
        AskRequest { question: "What should I do next?".into(), deal_id: Some(ws.stale.id), ..Default::default() },
    )
    .await
    .expect("ask");
    let follow_up = response
        .next_actions
        .iter()
        .find(|a| a.tool_call.name == "create_task" && a.preview.contains("Follow up on Acme expansion"))
        .expect("a follow-up task is proposed for the stale deal");
    assert_eq!(follow_up.status, "pending");
    assert_eq!(follow_up.tool_call.arguments["deal_id"], ws.stale.id.to_string());
    assert_eq!(count(ws.dir.path(), "tasks"), tasks_before, "proposing writes nothing");

    let executed = actions::confirm(&ws.ctx, follow_up.id).expect("confirm");
    assert_eq!(executed.action.status, "executed");
    assert_eq!(executed.result.as_ref().and_then(|r| r["title"].as_str()), Some("Follow up on Acme expansion"));
    let open = tasks::list(&ws.ctx, TaskQuery { entity_id: Some(ws.stale.id.to_string()), ..Default::default() })
        .expect("tasks");
    assert!(open
        .iter()
        .any(|t| t.title == "Follow up on Acme expansion" && t.due_date.as_deref() == Some("2026-11-24")));
    assert_eq!(count(ws.dir.path(), "tasks"), tasks_before + 1);
    let trail = audit::list(&ws.ctx, Some(follow_up.id.to_string()), 5).expect("audit");
    assert_eq!(trail[0].action, "execute");
    assert_eq!(trail[0].changes["status"], "executed");

    assert!(matches!(actions::confirm(&ws.ctx, follow_up.id), Err(Error::Conflict { .. })));
    assert_eq!(count(ws.dir.path(), "tasks"), tasks_before + 1, "never twice");
    // Another user cannot see or confirm alice's actions.
    let bob = other_user(&ws);
    assert!(matches!(actions::confirm(&bob, response.next_actions[0].id), Err(Error::NotFound { .. })));
    assert!(actions::list(&bob, true).expect("list").is_empty());
}

#[tokio::test]
async fn dismissed_actions_never_run() {
    let ws = workspace();
    let response =
        copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: "email Sarah Lee".into(), ..Default::default() })
            .await
            .expect("ask");
    let draft = &response.drafts[0];
    assert_eq!(draft.to, "sarah.lee@acme.com");
    assert_eq!(draft.channel, "email");
    let activities = count(ws.dir.path(), "activities");
    let dismissed = actions::dismiss(&ws.ctx, draft.action_id).expect("dismiss");
    assert_eq!(dismissed.action.status, "dismissed");
    assert!(matches!(actions::confirm(&ws.ctx, draft.action_id), Err(Error::Conflict { .. })));
    assert_eq!(count(ws.dir.path(), "activities"), activities);
    assert!(actions::list(&ws.ctx, true).expect("pending").iter().all(|a| a.action.id != draft.action_id));
}

#[tokio::test]
async fn drafts_to_opted_out_contacts_are_refused_even_at_confirmation() {
    let ws = workspace();
    let refused =
        copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: "email Sarah Kim".into(), ..Default::default() })
            .await
            .expect("ask");
    assert!(refused.drafts.is_empty());
    let warning = refused.warnings.iter().find(|w| w.code == "opted_out").expect("opt-out warning");
    assert_eq!(warning.record_ids, vec![ws.sarah_kim.id.to_string()]);
    let sms = copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: "text Bob".into(), ..Default::default() })
        .await
        .expect("ask");
    assert!(sms.drafts.is_empty() && sms.warnings.iter().any(|w| w.code == "opted_out"));

    // Proposed while allowed, then the contact opts out: confirmation refuses and sends nothing.
    let proposed =
        copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: "email Sarah Jones".into(), ..Default::default() })
            .await
            .expect("ask");
    let action = proposed.drafts[0].action_id;
    contacts::update(&ws.ctx, ContactUpdate { id: ws.sarah_jones.id, email_opt_out: Some(true), ..Default::default() })
        .expect("opt out");
    let activities = count(ws.dir.path(), "activities");
    let error = actions::confirm(&ws.ctx, action).expect_err("refused");
    assert!(error.to_string().contains("opted out of email"), "{error}");
    assert_eq!(actions::get(&ws.ctx, action).expect("get").action.status, "failed");
    assert_eq!(count(ws.dir.path(), "activities"), activities);
}

#[test]
fn actions_outside_the_org_or_on_someone_elses_deal_are_refused() {
    let ws = workspace();
    let stranger = "0190ffff-ffff-7fff-8fff-ffffffffffff";
    let call = copilot::ToolCall {
        name: "create_task".into(),
        arguments: serde_json::json!({ "title": "Call them", "deal_id": stranger }),
    };
    let warning = propose_refused(&ws, call);
    assert_eq!(warning.code, "outside_org");
    assert_eq!(warning.record_ids, vec![stranger.to_owned()]);

    let call = copilot::ToolCall {
        name: "move_deal_stage".into(),
        arguments: serde_json::json!({ "deal_id": ws.others.id, "stage": "Won" }),
    };
    assert_eq!(propose_refused(&ws, call).code, "not_permitted");
    let call = copilot::ToolCall {
        name: "update_fields".into(),
        arguments: serde_json::json!({ "entity_type": "contact", "id": ws.bob.id, "fields": { "owner": "me" } }),
    };
    assert_eq!(propose_refused(&ws, call).code, "invalid_action");
    // The copilot never opts someone back in; only the rep records that.
    let call = copilot::ToolCall {
        name: "update_fields".into(),
        arguments: serde_json::json!({ "entity_type": "contact", "id": ws.sarah_kim.id, "fields": { "email_opt_out": false } }),
    };
    assert_eq!(propose_refused(&ws, call).code, "opted_out");
    assert_eq!(count(ws.dir.path(), "copilot_actions"), 0);
}

fn propose_refused(ws: &super::support::Workspace, call: copilot::ToolCall) -> copilot::Warning {
    match actions::propose_call(&ws.ctx, None, call).expect("propose") {
        Err(warning) => warning,
        Ok(action) => panic!("expected a refusal, got {action:?}"),
    }
}

#[tokio::test]
async fn an_ambiguous_name_gets_a_clarifying_question() {
    let ws = workspace();
    let response =
        copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: "email Sarah".into(), ..Default::default() })
            .await
            .expect("ask");
    assert!(response.drafts.is_empty());
    let question = &response.questions[0];
    assert_eq!(question.text, "3 contacts match \"Sarah\". Which one did you mean?");
    let mut ids: Vec<_> = question.options.iter().map(|o| o.entity_id.clone()).collect();
    ids.sort();
    let mut expected = vec![ws.sarah_lee.id.to_string(), ws.sarah_jones.id.to_string(), ws.sarah_kim.id.to_string()];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(question.options.iter().any(|o| o.label.starts_with("Sarah Lee — Acme, VP Sales")));
}

#[test]
fn get_brief_returns_the_stored_brief_the_brief_screen_shows() {
    let ws = workspace();
    let value = copilot::tools::run_read_only(&ws.ctx, "get_brief", serde_json::json!({ "meeting_id": ws.meeting }))
        .expect("get_brief");
    let stored = outpost_core::assist::briefs::for_meeting(&ws.ctx, ws.meeting).expect("stored brief");
    assert_eq!(value["id"], stored.id.to_string(), "the tool returned another brief: {value}");
    assert_eq!(value["meeting_id"], ws.meeting.to_string());
    let attendees = value["content"]["attendees"].as_array().expect("attendees");
    assert!(
        attendees.iter().any(|a| a.to_string().contains(&ws.sarah_lee.id.to_string())),
        "Sarah Lee is not cited: {attendees:?}"
    );
}
