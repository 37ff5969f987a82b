//! "No write without confirm", for every write tool: the scripted model calls each write tool of
//! the registry (`tools::definitions()`, so a new write tool is covered — or fails this test until
//! it has example arguments here) in one real OpenAI-compatible tool turn. Every row of every
//! table outside the copilot's own bookkeeping must be exactly as before; each call must have
//! become a pending action; confirming each one must then change the user's data.

use std::collections::BTreeMap;

use rusqlite::types::Value as SqlValue;
use serde_json::{json, Value};

use outpost_core::{
    assist::copilot::{self, actions, llm_config::ProviderKind, tools},
    crm::contacts::{self, NewContact},
};
use outpost_integrations::Net;

use super::{
    providers::{ask_about_deal, configure},
    script_server::{text_stream, tool_stream, Reply, ScriptServer},
    support::{workspace, Workspace},
};

/// The copilot's own records of a conversation: its tables (threads, messages, pending actions,
/// usage) and the sync entries of the conversation document (kind `copilot_conversation`).
/// Asking writes these and nothing else.
fn is_bookkeeping(table: &str, row: &str) -> bool {
    table.starts_with("copilot_")
        || (table.starts_with("sync_") && row.contains("Text(\"copilot_conversation\")"))
        || (table == "sqlite_sequence" && row.contains("Text(\"sync_outbox\")"))
}

/// Columns a read updates by design: a memory's access statistics (recalled into the prompt).
const READ_STATISTICS: &[(&str, &str)] = &[("memories", "access_count"), ("memories", "last_accessed_at")];

fn render(value: SqlValue) -> String {
    match value {
        SqlValue::Blob(bytes) => {
            let hash =
                bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
            format!("Blob({} bytes, {hash:016x})", bytes.len())
        }
        other => format!("{other:?}"),
    }
}

/// Every row of every table except the copilot's bookkeeping, rendered and sorted.
fn user_data(ws: &Workspace) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(ws.dir.path().join("outpost.db")).expect("open db");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("tables");
    let mut all = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
            .expect("prepare")
            .query_map([&table], |r| r.get::<_, String>(0))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("columns")
            .into_iter()
            .filter(|c| !READ_STATISTICS.contains(&(table.as_str(), c.as_str())))
            .map(|c| format!("\"{c}\""))
            .collect();
        let mut stmt = conn.prepare(&format!("SELECT {} FROM \"{table}\"", columns.join(", "))).expect("prepare");
        let width = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| (0..width).map(|i| r.get::<_, SqlValue>(i).map(render)).collect::<Result<Vec<_>, _>>())
            .expect("query")
            .map(|row| row.expect("row").join(" | "))
            .filter(|row| !is_bookkeeping(&table, row))
            .collect();
        rows.sort();
        all.insert(table, rows);
    }
    all
}

fn changes(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let empty = Vec::new();
    let mut out = Vec::new();
    for (table, rows) in after {
        let old = before.get(table).unwrap_or(&empty);
        out.extend(rows.iter().filter(|r| !old.contains(r)).map(|r| format!("{table}: + {r}")));
        out.extend(old.iter().filter(|r| !rows.contains(r)).map(|r| format!("{table}: - {r}")));
    }
    out
}

/// Valid arguments for each write tool on the fixture workspace.
fn example_arguments(ws: &Workspace, texting: &str) -> BTreeMap<&'static str, Value> {
    let (deal, sarah) = (ws.stale.id.to_string(), ws.sarah_lee.id.to_string());
    BTreeMap::from([
        ("create_task", json!({ "title": "Call Sarah about pricing", "deal_id": deal })),
        ("log_activity", json!({ "kind": "note", "subject": "Pricing discussed", "contact_id": sarah })),
        ("move_deal_stage", json!({ "deal_id": deal, "stage": "Negotiation" })),
        ("update_fields", json!({ "entity_type": "deal", "id": deal, "fields": { "next_step": "Send the contract" } })),
        (
            "remember",
            json!({ "category": "preference", "content": "Sarah prefers morning calls", "contact_id": sarah }),
        ),
        ("draft_email", json!({ "contact_id": sarah, "subject": "Pricing", "body": "Hi Sarah, here is the pricing." })),
        ("draft_sms", json!({ "contact_id": texting, "body": "Running 5 minutes late." })),
    ])
}

#[tokio::test]
async fn no_write_tool_writes_anything_before_the_rep_confirms() {
    let ws = workspace();
    let texting = contacts::add(
        &ws.ctx,
        NewContact {
            first_name: Some("Tess".into()),
            phone: Some("+44 20 7946 0002".into()),
            email: Some("tess@acme.com".into()),
            ..Default::default()
        },
    )
    .expect("contact with a phone");
    let examples = example_arguments(&ws, &texting.id.to_string());
    let write_tools: Vec<&'static str> =
        tools::definitions().into_iter().filter(|t| !t.read_only).map(|t| t.name).collect();
    assert!(write_tools.len() >= 7, "the registry has write tools: {write_tools:?}");
    let calls: Vec<(String, &str, String)> = write_tools
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let args = examples
                .get(name)
                .unwrap_or_else(|| panic!("write tool {name} has no example arguments in confirm_gate.rs; add some"));
            (format!("call_{i}"), *name, args.to_string())
        })
        .collect();
    let script: Vec<(&str, &str, Vec<&str>)> =
        calls.iter().map(|(id, name, args)| (id.as_str(), *name, vec![args.as_str()])).collect();
    let script: Vec<(&str, &str, &[&str])> = script.iter().map(|(i, n, a)| (*i, *n, a.as_slice())).collect();
    let final_json = json!({ "summary": "Proposed everything.", "why": [] }).to_string();
    let server = ScriptServer::start(vec![
        Reply::Sse(tool_stream(&script, 100, 50)),
        Reply::Sse(text_stream(&[&final_json], 100, 5)),
    ])
    .await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);

    let before = user_data(&ws);
    let response = copilot::ask(&ws.ctx, &Net::new(), ask_about_deal(&ws)).await.expect("ask");
    assert_eq!(response.engine, "openai");
    let after_ask = user_data(&ws);
    assert!(
        after_ask == before,
        "proposing wrote outside the copilot's bookkeeping:\n{}",
        changes(&before, &after_ask).join("\n")
    );

    let pending = actions::list(&ws.ctx, true).expect("pending actions");
    let mut proposed: Vec<&str> = pending.iter().map(|a| a.action.tool_call.name.as_str()).collect();
    proposed.sort_unstable();
    let mut expected = write_tools.clone();
    expected.sort_unstable();
    assert_eq!(proposed, expected, "every write tool call became a pending action: {:?}", response.warnings);

    for action in &pending {
        let name = action.action.tool_call.name.clone();
        let before_confirm = user_data(&ws);
        let done = actions::confirm(&ws.ctx, action.action.id).unwrap_or_else(|e| panic!("confirm {name}: {e}"));
        assert_eq!(done.action.status, "executed", "{name}");
        let written = changes(&before_confirm, &user_data(&ws));
        assert!(!written.is_empty(), "confirming {name} wrote nothing: the gate check above would be vacuous");
    }
}
