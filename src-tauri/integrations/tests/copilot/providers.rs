//! The real OpenAI-compatible and Anthropic clients against the scripted server: multi-step tool
//! loops with SSE streaming, malformed model output, timeouts, 429/5xx with retries, the monthly
//! usage limit — each ends in a clear answer (offline when the model cannot answer), and nothing
//! is executed without confirmation.

use serde_json::{json, Value};

use outpost_core::{
    assist::copilot::{
        self, actions,
        llm_config::{self, ProviderConfig, ProviderKind},
        usage, AskRequest,
    },
    Ctx,
};
use outpost_integrations::Net;

use super::{
    script_server::{text_stream, tool_stream, Reply, ScriptServer},
    support::{count, workspace, Workspace},
};

pub(super) const KEY: &str = "test-key";

pub(super) fn configure(ctx: &Ctx, kind: ProviderKind, base_url: String, timeout_secs: u64) {
    // Headless override of the keychain; every test sets the same value.
    std::env::set_var(llm_config::API_KEY_ENV, KEY);
    let config = ProviderConfig {
        kind,
        base_url,
        model: "scripted-1".into(),
        timeout_secs,
        max_retries: 2,
        retry_backoff_ms: 10,
    };
    let status = llm_config::set(ctx, config, None).expect("set provider");
    assert_eq!(status.api_key, "environment");
}

pub(super) fn ask_about_deal(ws: &Workspace) -> AskRequest {
    AskRequest { question: "What should I do next?".into(), deal_id: Some(ws.stale.id), ..Default::default() }
}

fn messages(body: &Value) -> Vec<Value> {
    body["messages"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn openai_multi_step_tool_loop_streams_and_only_proposes() {
    let ws = workspace();
    let deal = ws.stale.id.to_string();
    let create_args = json!({ "title": "Send revised pricing", "deal_id": deal }).to_string();
    let (head, tail) = create_args.split_at(10);
    let final_json = json!({
        "summary": "Acme is stalling; follow up today.",
        "why": [{ "text": "No activity for 20 days", "record_ids": [deal] }],
    })
    .to_string();
    let (a, b) = final_json.split_at(20);
    let server = ScriptServer::start(vec![
        Reply::Sse(tool_stream(&[("call_1", "search_entities", &["{\"query\":", "\"Acme\"}"])], 120, 15)),
        Reply::Sse(tool_stream(&[("call_2", "create_task", &[head, tail])], 130, 20)),
        Reply::Sse(text_stream(&[a, b], 140, 25)),
    ])
    .await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let tasks_before = count(ws.dir.path(), "tasks");

    let mut streamed = String::new();
    let response = copilot::ask_streaming(&ws.ctx, &Net::new(), ask_about_deal(&ws), &mut |t| streamed.push_str(t))
        .await
        .expect("ask");
    assert_eq!(response.engine, "openai");
    assert_eq!(response.summary, "Acme is stalling; follow up today.");
    assert_eq!(response.why[0].record_ids, vec![deal.clone()]);
    assert_eq!(streamed, final_json, "text arrives as it streams");
    assert_eq!(response.next_actions.len(), 1);
    let action = &response.next_actions[0];
    assert_eq!(action.tool_call.name, "create_task");
    assert_eq!(action.preview, "Create task \"Send revised pricing\" on deal \"Acme expansion\"");
    assert_eq!(count(ws.dir.path(), "tasks"), tasks_before, "nothing executed before confirmation");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].path, "/v1/chat/completions");
    assert_eq!(requests[0].header("authorization"), Some("Bearer test-key"));
    assert_eq!(requests[0].body["stream"], true);
    assert_eq!(requests[0].body["tools"].as_array().map(Vec::len), Some(14));
    let system = messages(&requests[0].body)[0]["content"].as_str().unwrap_or_default().to_owned();
    assert!(system.contains("\"today\":\"2026-11-24\"") && system.contains("\"email_opt_out\":false"), "{system}");
    assert!(!system.contains(KEY), "the API key never enters the prompt");
    let search_result = messages(&requests[1].body).into_iter().find(|m| m["role"] == "tool").expect("tool result");
    assert_eq!(search_result["tool_call_id"], "call_1");
    assert!(search_result["content"].as_str().unwrap_or_default().contains("Acme expansion"));
    let proposal = messages(&requests[2].body).into_iter().rev().find(|m| m["role"] == "tool").expect("tool result");
    assert!(proposal["content"].as_str().unwrap_or_default().contains("pending_confirmation"));

    let used = usage::current(&ws.ctx).expect("usage");
    assert_eq!((used.requests, used.input_tokens, used.output_tokens), (3, 390, 60));

    actions::confirm(&ws.ctx, action.id).expect("confirm");
    assert_eq!(count(ws.dir.path(), "tasks"), tasks_before + 1);
}

#[tokio::test]
async fn malformed_tool_calls_are_reported_back_and_never_run() {
    let ws = workspace();
    let server = ScriptServer::start(vec![
        Reply::Sse(tool_stream(
            &[("call_1", "create_task", &["{\"title\": oops"]), ("call_2", "delete_everything", &["{}"])],
            10,
            5,
        )),
        Reply::Sse(text_stream(&["I could not create the task."], 10, 5)),
    ])
    .await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "openai");
    assert_eq!(response.summary, "I could not create the task.");
    assert!(response.next_actions.is_empty());
    assert!(response.warnings.iter().any(|w| w.code == "model_output" && w.message.contains("create_task")));
    assert_eq!(count(ws.dir.path(), "copilot_actions"), 0);
    let replies: Vec<String> = messages(&server.requests()[1].body)
        .into_iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| m["content"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(replies[0].contains("not valid JSON"), "{replies:?}");
    assert!(replies[1].contains("unknown tool 'delete_everything'"), "{replies:?}");
}

#[tokio::test]
async fn a_garbled_stream_falls_back_to_the_offline_engine() {
    let ws = workspace();
    let server = ScriptServer::start(vec![Reply::Sse(vec!["{not json".into()])]).await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "offline");
    let warning = response.warnings.iter().find(|w| w.code == "provider_unavailable").expect("warning");
    assert!(warning.message.contains("could not be understood"), "{}", warning.message);
    assert!(response.why.iter().any(|r| r.record_ids.contains(&ws.stale.id.to_string())), "still answers");
    assert_eq!(server.requests().len(), 1, "a 200 with bad content is not retried");
}

#[tokio::test]
async fn a_silent_provider_times_out_into_an_offline_answer() {
    let ws = workspace();
    let server = ScriptServer::start(vec![Reply::Hang]).await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 1);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "offline");
    let warning = response.warnings.iter().find(|w| w.code == "provider_unavailable").expect("warning");
    assert!(warning.message.contains("did not answer within 1 s"), "{}", warning.message);
    assert!(!response.next_actions.is_empty());
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried() {
    let ws = workspace();
    let answer = json!({ "choices": [{ "index": 0, "message": { "role": "assistant", "content": "All good." } }],
                         "usage": { "prompt_tokens": 7, "completion_tokens": 3 } });
    let server =
        ScriptServer::start(vec![Reply::Status(429, Some(0)), Reply::Status(503, None), Reply::Json(200, answer)])
            .await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "openai");
    assert_eq!(response.summary, "All good.");
    assert_eq!(server.requests().len(), 3);

    let failing =
        ScriptServer::start(vec![Reply::Status(500, None), Reply::Status(502, None), Reply::Status(503, None)]).await;
    configure(&ws.ctx, ProviderKind::Openai, failing.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "offline");
    let warning = response.warnings.iter().find(|w| w.code == "provider_unavailable").expect("warning");
    assert!(warning.message.contains("HTTP 503 after 3 attempt(s)"), "{}", warning.message);
    assert_eq!(failing.requests().len(), 3);
}

#[tokio::test]
async fn the_monthly_usage_limit_stops_provider_calls() {
    let ws = workspace();
    let server = ScriptServer::start(vec![Reply::Sse(text_stream(&["should not be asked"], 1, 1))]).await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    usage::set_limit(&ws.ctx, Some(100)).expect("limit");
    usage::record(&ws.ctx, 80, 30).expect("record");
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "offline");
    let warning = response.warnings.iter().find(|w| w.code == "usage_limit").expect("warning");
    assert!(warning.message.contains("(100 tokens) is reached for 2026-11"), "{}", warning.message);
    assert!(server.requests().is_empty());
    // Next month the budget is fresh.
    ws.clock.set(super::support::at(1, 12));
    assert!(!usage::current(&ws.ctx).expect("usage").exhausted());
}

#[tokio::test]
async fn anthropic_tool_use_loop_with_consent_refusal() {
    let ws = workspace();
    let deal = ws.stale.id.to_string();
    let server = ScriptServer::start(vec![
        Reply::Json(
            200,
            json!({ "content": [{ "type": "text", "text": "Let me check." },
                                { "type": "tool_use", "id": "tu_1", "name": "get_deal", "input": { "id": deal } }],
                    "usage": { "input_tokens": 50, "output_tokens": 10 } }),
        ),
        Reply::Json(
            200,
            json!({ "content": [
                { "type": "tool_use", "id": "tu_2", "name": "draft_email",
                  "input": { "contact_id": ws.sarah_kim.id, "subject": "Pricing", "body": "Hi Sarah" } },
                { "type": "tool_use", "id": "tu_3", "name": "draft_email",
                  "input": { "contact_id": ws.sarah_lee.id, "subject": "Pricing", "body": "Hi Sarah, here is the new pricing." } }],
                "usage": { "input_tokens": 60, "output_tokens": 30 } }),
        ),
        Reply::Json(200, json!({ "content": [{ "type": "text", "text": "{\"summary\": \"Drafted a follow-up to Sarah Lee.\"}" }] })),
    ])
    .await;
    configure(&ws.ctx, ProviderKind::Anthropic, server.v1(), 30);
    let activities = count(ws.dir.path(), "activities");
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "anthropic");
    assert_eq!(response.summary, "Drafted a follow-up to Sarah Lee.");
    assert_eq!(response.drafts.len(), 1);
    assert_eq!(response.drafts[0].to, "sarah.lee@acme.com");
    assert_eq!(response.drafts[0].body, "Hi Sarah, here is the new pricing.");
    let refusal = response.warnings.iter().find(|w| w.code == "opted_out").expect("opt-out refusal");
    assert_eq!(refusal.record_ids, vec![ws.sarah_kim.id.to_string()]);
    assert_eq!(count(ws.dir.path(), "activities"), activities, "a draft is not an email until confirmed");

    let requests = server.requests();
    assert_eq!(requests[0].path, "/v1/messages");
    assert_eq!(requests[0].header("x-api-key"), Some(KEY));
    assert_eq!(requests[0].header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(requests[0].body["tools"][0]["input_schema"]["type"], "object");
    let last = messages(&requests[2].body).last().cloned().expect("last message");
    assert_eq!(last["role"], "user");
    let results = last["content"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 2, "both tool results in one user message");
    assert_eq!(results[0]["tool_use_id"], "tu_2");
    assert!(results[0]["content"].as_str().unwrap_or_default().contains("refused"));
    assert!(results[1]["content"].as_str().unwrap_or_default().contains("pending_confirmation"));

    actions::confirm(&ws.ctx, response.drafts[0].action_id).expect("confirm");
    assert_eq!(count(ws.dir.path(), "activities"), activities + 1);
}

#[tokio::test]
async fn endless_tool_calls_stop_and_invented_citations_are_dropped() {
    let ws = workspace();
    let search = || Reply::Sse(tool_stream(&[("call", "search_entities", &["{\"query\":\"Acme\"}"])], 1, 1));
    let server = ScriptServer::start((0..copilot::MAX_STEPS).map(|_| search()).collect()).await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "openai");
    assert!(response.warnings.iter().any(|w| w.code == "model_output" && w.message.contains("6 steps")));
    assert_eq!(server.requests().len(), copilot::MAX_STEPS);

    let deal = ws.stale.id.to_string();
    let invented = "0190eeee-eeee-7eee-8eee-eeeeeeeeeeee";
    let answer =
        json!({ "summary": "Chase Acme.", "why": [{ "text": "Stalled", "record_ids": [deal, invented] }] }).to_string();
    let server = ScriptServer::start(vec![Reply::Sse(text_stream(&[&answer], 1, 1))]).await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.why[0].record_ids, vec![deal]);
    assert!(response.warnings.iter().any(|w| w.code == "model_output" && w.message.contains(invented)));
}

#[tokio::test]
async fn actions_proposed_before_a_failure_are_withdrawn() {
    let ws = workspace();
    let args = json!({ "title": "Send revised pricing", "deal_id": ws.stale.id }).to_string();
    let server = ScriptServer::start(vec![
        Reply::Sse(tool_stream(&[("call_1", "create_task", &[args.as_str()])], 1, 1)),
        Reply::Status(500, None),
        Reply::Status(500, None),
        Reply::Status(500, None),
    ])
    .await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "offline");
    let warning = response.warnings.iter().find(|w| w.code == "provider_unavailable").expect("warning");
    assert!(warning.message.contains("1 action(s) it had proposed were withdrawn"), "{}", warning.message);
    let all = actions::list(&ws.ctx, false).expect("actions");
    let withdrawn = all.iter().find(|a| a.action.preview.contains("Send revised pricing")).expect("stored");
    assert_eq!(withdrawn.action.status, "dismissed");
    assert!(matches!(actions::confirm(&ws.ctx, withdrawn.action.id), Err(outpost_core::Error::Conflict { .. })));
    assert!(response.next_actions.iter().all(|a| a.status == "pending" && !a.preview.contains("Send revised pricing")));
}
