//! The Anthropic client streaming (`stream: true`) against the scripted server's named SSE
//! events: text arrives as it streams, tool input split across `input_json_delta` events is
//! reassembled, usage comes from `message_start` + `message_delta`, and a stream that carries an
//! `error` event or stops before `message_stop` ends in a clear offline answer, nothing executed.

use outpost_core::assist::copilot::{self, actions, llm_config::ProviderKind, usage};
use outpost_integrations::Net;
use serde_json::json;

use super::{
    providers::{ask_about_deal, configure, KEY},
    script_server::{anthropic_stream, Block, Reply, ScriptServer},
    support::{count, workspace},
};

#[tokio::test]
async fn anthropic_streams_text_and_reassembles_tool_input() {
    let ws = workspace();
    let deal = ws.stale.id.to_string();
    let input = json!({ "title": "Call Acme about pricing", "deal_id": deal }).to_string();
    let (head, tail) = input.split_at(12);
    let answer =
        json!({ "summary": "Call Acme today.", "why": [{ "text": "Stalled", "record_ids": [deal] }] }).to_string();
    let (a, b) = answer.split_at(15);
    let server = ScriptServer::start(vec![
        Reply::Events(anthropic_stream(
            &[Block::Text(&["Checking ", "the deal."]), Block::ToolUse("tu_1", "create_task", &[head, tail])],
            70,
            12,
        )),
        Reply::Events(anthropic_stream(&[Block::Text(&[a, b])], 90, 20)),
    ])
    .await;
    configure(&ws.ctx, ProviderKind::Anthropic, server.v1(), 30);
    let tasks = count(ws.dir.path(), "tasks");

    let mut streamed = String::new();
    let response = copilot::ask_streaming(&ws.ctx, &Net::new(), ask_about_deal(&ws), &mut |t| streamed.push_str(t))
        .await
        .expect("ask");
    assert_eq!(response.engine, "anthropic");
    assert_eq!(response.summary, "Call Acme today.");
    assert_eq!(streamed, format!("Checking the deal.{answer}"), "text is passed on as it streams");
    assert_eq!(response.next_actions.len(), 1, "{response:?}");
    let action = &response.next_actions[0];
    assert_eq!(action.tool_call.name, "create_task");
    assert_eq!(action.tool_call.arguments["title"], "Call Acme about pricing", "input reassembled from its parts");
    assert_eq!(count(ws.dir.path(), "tasks"), tasks, "nothing executed before confirmation");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body["stream"], true);
    assert_eq!(requests[0].header("x-api-key"), Some(KEY));
    let used = usage::current(&ws.ctx).expect("usage");
    assert_eq!((used.requests, used.input_tokens, used.output_tokens), (2, 160, 32));

    actions::confirm(&ws.ctx, action.id).expect("confirm");
    assert_eq!(count(ws.dir.path(), "tasks"), tasks + 1);
}

#[tokio::test]
async fn an_error_event_or_a_cut_stream_falls_back_to_the_offline_engine() {
    let ws = workspace();
    let mut cut = anthropic_stream(&[Block::Text(&["{\"summary\": \"half"])], 10, 2);
    cut.truncate(cut.len() - 2);
    let overloaded = vec![
        json!({ "type": "message_start", "message": { "usage": { "input_tokens": 5, "output_tokens": 1 } } }),
        json!({ "type": "error", "error": { "type": "overloaded_error", "message": "Overloaded" } }),
    ];
    let server = ScriptServer::start(vec![Reply::Events(overloaded), Reply::Events(cut)]).await;
    configure(&ws.ctx, ProviderKind::Anthropic, server.v1(), 30);
    let tasks = count(ws.dir.path(), "tasks");

    for expected in ["overloaded_error", "ended before message_stop"] {
        let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
        assert_eq!(response.engine, "offline");
        let warning = response.warnings.iter().find(|w| w.code == "provider_unavailable").expect("warning");
        assert!(warning.message.contains(expected), "{}", warning.message);
        assert!(response.why.iter().any(|r| r.record_ids.contains(&ws.stale.id.to_string())), "still answers");
    }
    assert_eq!(server.requests().len(), 2, "a 200 with a broken stream is not retried");
    assert_eq!(count(ws.dir.path(), "tasks"), tasks);
}
