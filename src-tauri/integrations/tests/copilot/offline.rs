//! The offline next-best-action engine on the fixture workspace: every signal found with the
//! records it comes from, scoped to the entity in view, with memories recalled — and the same
//! structured response as an LLM turn.

use outpost_core::{
    assist::copilot::{self, AskRequest},
    memories::{self, MemoryCategory, NewMemory},
};
use outpost_integrations::Net;

use super::support::{at, other_user, workspace};

fn cites(response: &copilot::CopilotResponse, needle: &str, id: &str) -> bool {
    response.why.iter().any(|r| r.text.contains(needle) && r.record_ids.iter().any(|r| r == id))
}

#[tokio::test]
async fn the_offline_engine_answers_for_the_whole_workspace() {
    let ws = workspace();
    let response = copilot::ask(
        &ws.ctx,
        &Net::new(),
        AskRequest { question: "What should I do next?".into(), ..Default::default() },
    )
    .await
    .expect("ask");
    assert_eq!(response.engine, "offline");
    assert!(response.thread_id.is_some());
    assert!(cites(
        &response,
        "\"Acme expansion\" (Proposal) has had no activity for 20 days",
        &ws.stale.id.to_string()
    ));
    assert!(cites(&response, "\"Send Acme case study\" is 3 day(s) overdue", &ws.overdue.id.to_string()));
    assert!(cites(
        &response,
        "\"Initech pilot\" is missing BANT: budget, authority (no contact), need, timeline",
        &ws.unqualified.id.to_string()
    ));
    assert!(cites(&response, "Meeting \"Acme QBR\" on 2026-11-25 has no agenda", &ws.meeting.to_string()));
    assert!(cites(
        &response,
        "Bob Stone's email \"Question about pricing\" has not been answered",
        &ws.bob.id.to_string()
    ));
    assert!(!response.why.iter().any(|r| r.text.contains("Globex renewal")), "the active deal raises nothing");
    let previews: Vec<&str> = response.next_actions.iter().map(|a| a.preview.as_str()).collect();
    assert!(
        previews.contains(&"Create task \"Follow up on Acme expansion\" due 2026-11-24 on deal \"Acme expansion\""),
        "{previews:?}"
    );
    assert!(
        previews.contains(&"Create task \"Prepare for Acme QBR\" due 2026-11-24 on meeting \"Acme QBR\""),
        "{previews:?}"
    );
    let reply = response.drafts.iter().find(|d| d.contact_id == ws.bob.id).expect("reply draft to Bob");
    assert_eq!(reply.subject.as_deref(), Some("Re: Question about pricing"));
    assert!(response.next_actions.iter().all(|a| a.status == "pending"));
    assert!(response.summary.starts_with("Next best actions below:"), "{}", response.summary);
}

#[tokio::test]
async fn the_offline_engine_stays_within_the_entity_in_view_and_recalls_its_memories() {
    let ws = workspace();
    let memory = memories::add(
        &ws.ctx,
        NewMemory {
            category: MemoryCategory::Preference,
            content: "Sarah wants pricing in EUR".into(),
            confidence: None,
            source: None,
            contact_id: Some(ws.sarah_lee.id),
            company_id: None,
            deal_id: None,
            meeting_id: None,
        },
    )
    .expect("memory");
    let response = copilot::ask(
        &ws.ctx,
        &Net::new(),
        AskRequest { question: "What about pricing?".into(), contact_id: Some(ws.sarah_lee.id), ..Default::default() },
    )
    .await
    .expect("ask");
    assert_eq!(response.memory_ids.first(), Some(&memory.id.to_string()));
    assert!(cites(&response, "Acme expansion", &ws.stale.id.to_string()));
    assert!(!response.why.iter().any(|r| r.text.contains("Bob") || r.text.contains("Initech")), "{:?}", response.why);
    assert!(response.drafts.is_empty());

    // A workspace with nothing to do says so.
    let (empty, _clock, _dir) = super::support::empty();
    let calm = copilot::ask(&empty, &Net::new(), AskRequest { question: "Anything?".into(), ..Default::default() })
        .await
        .expect("ask");
    assert!(calm.summary.starts_with("Nothing needs your attention"));
    assert!(calm.next_actions.is_empty() && calm.why.is_empty());
}

#[tokio::test]
async fn remember_requests_become_pending_memories() {
    let ws = workspace();
    let response = copilot::ask(
        &ws.ctx,
        &Net::new(),
        AskRequest {
            question: "Remember that Sarah prefers calls after 4pm".into(),
            contact_id: Some(ws.sarah_lee.id),
            ..Default::default()
        },
    )
    .await
    .expect("ask");
    let action = response.next_actions.iter().find(|a| a.tool_call.name == "remember").expect("remember proposed");
    assert_eq!(action.tool_call.arguments["category"], "preference");
    assert_eq!(action.tool_call.arguments["content"], "Sarah prefers calls after 4pm");
    let before = memories::list(&ws.ctx, Default::default()).expect("list").len();
    copilot::actions::confirm(&ws.ctx, action.id).expect("confirm");
    let all = memories::list(&ws.ctx, Default::default()).expect("list");
    assert_eq!(all.len(), before + 1);
    assert_eq!(all[0].content, "Sarah prefers calls after 4pm");
    assert_eq!(all[0].source, memories::MemorySource::Copilot);
}

#[tokio::test]
async fn long_threads_are_compacted_and_remember_requests_in_them_proposed() {
    let ws = workspace();
    let first = copilot::ask(
        &ws.ctx,
        &Net::new(),
        AskRequest { question: "remember that Sarah plays golf on Sundays".into(), ..Default::default() },
    )
    .await
    .expect("first turn");
    assert_eq!(first.questions[0].text, "Which contact, deal or company is this about?");
    let thread = first.thread_id;
    let mut last = None;
    for _ in 0..10 {
        let turn = AskRequest {
            question: "What should I do next?".into(),
            contact_id: Some(ws.sarah_lee.id),
            thread_id: thread,
            ..Default::default()
        };
        last = Some(copilot::ask(&ws.ctx, &Net::new(), turn).await.expect("turn"));
    }
    let last = last.expect("ten turns");
    assert_eq!(last.thread_id, thread);
    let remember =
        last.next_actions.iter().find(|a| a.tool_call.name == "remember").expect("extracted memory proposed");
    assert_eq!(remember.tool_call.arguments["content"], "Sarah plays golf on Sundays");
    assert_eq!(remember.tool_call.arguments["contact_id"], ws.sarah_lee.id.to_string());
    let compacted = copilot::threads::get(&ws.ctx, thread.expect("thread")).expect("thread");
    assert_eq!(compacted.messages.len(), copilot::threads::KEEP_RECENT);
    let summary = compacted.summary.expect("summary");
    assert!(summary.starts_with("Q: remember that Sarah plays golf on Sundays\nA: Which contact"), "{summary}");
}

#[tokio::test]
async fn threads_are_listed_most_recent_first_and_open_with_their_messages() {
    let ws = workspace();
    let ask = |question: &str, thread_id| AskRequest {
        question: question.into(),
        contact_id: Some(ws.sarah_lee.id),
        thread_id,
        ..Default::default()
    };
    let minute = |n| ws.clock.set(at(24, 11) + chrono::Duration::minutes(n));
    let first = copilot::ask(&ws.ctx, &Net::new(), ask("What should I do next?", None)).await.expect("first thread");
    minute(1);
    let second =
        copilot::ask(&ws.ctx, &Net::new(), ask("Who should I call today?", None)).await.expect("second thread");
    assert_ne!(first.thread_id, second.thread_id);
    // Continuing the first thread makes it the most recent.
    minute(2);
    copilot::ask(&ws.ctx, &Net::new(), ask("And after that?", first.thread_id)).await.expect("follow-up");

    let listed = copilot::threads::list(&ws.ctx, 50).expect("list");
    let titles: Vec<&str> = listed.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["What should I do next?", "Who should I call today?"]);
    assert_eq!(Some(listed[0].id), first.thread_id);
    assert_eq!(copilot::threads::list(&ws.ctx, 1).expect("limited").len(), 1);
    assert!(copilot::threads::list(&other_user(&ws), 50).expect("bob's").is_empty(), "threads are private");

    let opened = copilot::threads::get(&ws.ctx, listed[0].id).expect("open");
    let questions: Vec<&str> =
        opened.messages.iter().filter(|m| m.role == "user").map(|m| m.content.as_str()).collect();
    assert_eq!(questions, ["What should I do next?", "And after that?"]);
    assert_eq!(opened.messages.len(), 4, "two questions and two answers");
}
