//! `outpost memories …`, `outpost copilot …` and consent flags through the real binary:
//! memories added, listed and forgotten; the offline copilot's structured JSON answer; pending
//! actions confirmed (the task appears) or dismissed; opted-out contacts get no draft.

use anyhow::{Context, Result};
use outpost_tests::{id_of, Workspace};

#[test]
fn memories_add_list_forget() -> Result<()> {
    let ws = Workspace::new()?;
    let sarah = id_of(&ws.json(&["contacts", "add", "--first-name", "Sarah", "--email", "sarah@acme.com"])?)?;
    let memory = ws.json(&[
        "memories",
        "add",
        "--contact",
        &sarah,
        "--category",
        "preference",
        "--text",
        "Prefers calls after 4pm",
    ])?;
    assert_eq!(memory["category"], "preference");
    assert_eq!(memory["source"], "user");
    assert_eq!(memory["links"][0]["entity_id"], sarah.as_str());
    let id = id_of(&memory)?;
    let list = ws.json(&["memories", "list", "--entity", &sarah])?;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["content"], "Prefers calls after 4pm");

    let recalled =
        ws.json(&["memories", "recall", "--text", "when to call", "--entity", &format!("contact:{sarah}")])?;
    assert_eq!(recalled[0]["memory"]["id"], id.as_str());
    assert_eq!(ws.json(&["memories", "list"])?[0]["access_count"], 1);

    let forgotten = ws.json(&["memories", "forget", &id])?;
    assert_eq!(forgotten["deleted"], true);
    assert_eq!(ws.json(&["memories", "list"])?, serde_json::json!([]));
    let again = ws.fails(&["memories", "forget", &id])?;
    assert_eq!(again.code, Some(4));
    let bad = ws.fails(&["memories", "add", "--contact", &sarah, "--category", "gossip", "--text", "x"])?;
    assert_eq!(bad.code, Some(3));
    assert!(bad.stderr.contains("unknown memory category"), "{}", bad.stderr);
    let unlinked = ws.fails(&["memories", "add", "--category", "fact", "--text", "x"])?;
    assert!(unlinked.stderr.contains("link the memory"), "{}", unlinked.stderr);
    Ok(())
}

#[test]
fn consent_flags_are_editable() -> Result<()> {
    let ws = Workspace::new()?;
    let id = id_of(&ws.json(&["contacts", "add", "--first-name", "Sam", "--email", "sam@acme.com"])?)?;
    let updated = ws.json(&[
        "contacts",
        "update",
        &id,
        "--email-opt-out",
        "true",
        "--sms-opt-out",
        "true",
        "--call-opt-out",
        "true",
    ])?;
    assert_eq!(updated["email_opt_out"], true);
    assert_eq!(updated["sms_opt_out"], true);
    assert_eq!(updated["do_not_call"], true);
    let back = ws.json(&["contacts", "update", &id, "--email-opt-out", "false"])?;
    assert_eq!(back["email_opt_out"], false);
    assert_eq!(back["sms_opt_out"], true);
    Ok(())
}

#[test]
fn copilot_ask_confirm_and_dismiss_offline() -> Result<()> {
    let ws = Workspace::new()?;
    let sarah = id_of(&ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Sarah",
        "--last-name",
        "Lee",
        "--email",
        "sarah@acme.com",
    ])?)?;
    let kim = id_of(&ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Kim",
        "--last-name",
        "Park",
        "--email",
        "kim@acme.com",
        "--email-opt-out",
        "true",
    ])?)?;
    let deal = id_of(&ws.json(&["deals", "add", "--title", "Acme pilot", "--contact", &sarah])?)?;

    let answer = ws.json(&["copilot", "ask", "What should I do next?", "--deal", &deal])?;
    assert_eq!(answer["engine"], "offline");
    for key in ["summary", "why", "next_actions", "drafts", "questions", "warnings"] {
        assert!(answer.get(key).is_some(), "missing {key}: {answer}");
    }
    let why = answer["why"].as_array().context("why")?;
    assert!(why
        .iter()
        .any(|r| r["text"].as_str().unwrap_or("").contains("missing BANT: budget")
            && r["record_ids"][0] == deal.as_str()));
    let action = &answer["next_actions"][0];
    let action_id = action["id"].as_str().context("action id")?.to_owned();
    assert_eq!(action["tool_call"]["name"], "create_task");
    assert_eq!(action["status"], "pending");
    assert!(action["impact"].as_str().unwrap_or("").contains("nothing is sent"));
    assert_eq!(ws.json(&["tasks", "list"])?, serde_json::json!([]), "nothing written before confirmation");

    let pending = ws.json(&["copilot", "actions"])?;
    assert!(pending.as_array().context("list")?.iter().any(|a| a["id"] == action_id.as_str()));
    let executed = ws.json(&["copilot", "confirm", &action_id])?;
    assert_eq!(executed["status"], "executed");
    let tasks = ws.json(&["tasks", "list", "--entity", &deal])?;
    assert_eq!(tasks[0]["title"], "Qualify Acme pilot: confirm budget, need, timeline");
    let twice = ws.fails(&["copilot", "confirm", &action_id])?;
    assert_eq!(twice.code, Some(5));
    let audit = ws.json(&["audit", "--entity", &action_id])?;
    assert_eq!(audit[0]["action"], "execute");

    let draft = ws.json(&["copilot", "ask", "email Sarah"])?;
    let draft_action = draft["drafts"][0]["action_id"].as_str().context("draft")?.to_owned();
    assert_eq!(draft["drafts"][0]["to"], "sarah@acme.com");
    assert_eq!(ws.json(&["copilot", "dismiss", &draft_action])?["status"], "dismissed");
    assert_eq!(ws.fails(&["copilot", "confirm", &draft_action])?.code, Some(5));

    let refused = ws.json(&["copilot", "ask", "email Kim"])?;
    assert_eq!(refused["drafts"], serde_json::json!([]));
    assert_eq!(refused["warnings"][0]["code"], "opted_out");
    assert_eq!(refused["warnings"][0]["record_ids"][0], kim.as_str());

    let empty = ws.fails(&["copilot", "ask", "  "])?;
    assert_eq!(empty.code, Some(3));
    Ok(())
}

#[test]
fn provider_settings_never_store_the_key() -> Result<()> {
    let ws = Workspace::new()?;
    let status = ws.json_env(
        &[
            "copilot",
            "provider",
            "set",
            "--kind",
            "openai",
            "--base-url",
            "http://127.0.0.1:9/v1/",
            "--model",
            "llama3.1",
        ],
        &[("OUTPOST_LLM_API_KEY", "sk-test-secret-123456")],
    )?;
    assert_eq!(status["config"]["base_url"], "http://127.0.0.1:9/v1");
    assert_eq!(status["api_key"], "environment");
    let db = std::fs::read(ws.data_dir().join("outpost.db"))?;
    assert!(!String::from_utf8_lossy(&db).contains("sk-test-secret"), "the key is not in SQLite");
    let bad =
        ws.fails(&["copilot", "provider", "set", "--kind", "gemini", "--base-url", "http://x", "--model", "m"])?;
    assert_eq!(bad.code, Some(3));
    // Nothing listens on port 9: the copilot still answers, offline, and says why.
    let answer = ws.json_env(&["copilot", "ask", "What now?"], &[("OUTPOST_LLM_API_KEY", "sk-test-secret-123456")])?;
    assert_eq!(answer["engine"], "offline");
    assert_eq!(answer["warnings"][0]["code"], "provider_unavailable");
    Ok(())
}
