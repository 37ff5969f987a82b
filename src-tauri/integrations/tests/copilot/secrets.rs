//! Credentials typed into a question never reach the provider, the stored thread or the sync
//! outbox, and the rep is told; provider URLs carrying credentials are refused before they reach
//! the settings or the audit log.

use serde_json::json;

use outpost_core::{
    assist::copilot::{
        self,
        llm_config::{self, ProviderConfig, ProviderKind},
        AskRequest,
    },
    Ctx,
};
use outpost_integrations::Net;

use super::{
    providers::configure,
    script_server::{text_stream, Reply, ScriptServer},
    support::workspace,
};

const SECRETS: &[&str] = &[
    "hunter2-Correct-Horse",
    "sk-proj-4f9KXq2LmNp7Rt8Vw3Yz6Ab1Cd5Ef0Gh",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
];

fn question() -> String {
    format!(
        "Set up the webhook. password: {} and the key is {} . AWS {} with secret {} , bearer {} , github {}\n\
         -----BEGIN PRIVATE KEY-----\n{}\nAbCdEf==\n-----END PRIVATE KEY-----\nthanks",
        SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3], SECRETS[4], SECRETS[5], SECRETS[6]
    )
}

fn open(ctx: &Ctx) -> rusqlite::Connection {
    rusqlite::Connection::open(ctx.data_dir().join("outpost.db")).expect("open db")
}

fn stored_text(ctx: &Ctx) -> String {
    let c = open(ctx);
    let read = || -> rusqlite::Result<String> {
        let messages: String = c.query_row(
            "SELECT group_concat(content || coalesce(response, ''), ' ') FROM copilot_messages",
            [],
            |r| r.get(0),
        )?;
        let titles: String = c.query_row("SELECT group_concat(title, ' ') FROM copilot_threads", [], |r| r.get(0))?;
        let mut stmt = c.prepare(
            "SELECT state FROM sync_docs WHERE kind = 'copilot_conversation'
             UNION ALL SELECT \"update\" FROM sync_outbox WHERE \"update\" IS NOT NULL",
        )?;
        let blobs = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let docs: Vec<u8> = blobs.concat();
        Ok(format!("{messages} {titles} {}", String::from_utf8_lossy(&docs)))
    };
    read().expect("read")
}

#[tokio::test]
async fn secrets_typed_into_a_copilot_question_are_redacted_before_provider_storage_and_sync() {
    let ws = workspace();
    let final_json = json!({ "summary": "Done.", "why": [] }).to_string();
    let server = ScriptServer::start(vec![Reply::Sse(text_stream(&[&final_json], 10, 5))]).await;
    configure(&ws.ctx, ProviderKind::Openai, server.v1(), 30);
    let response = copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: question(), ..Default::default() })
        .await
        .expect("ask");
    assert!(
        response.warnings.iter().any(|w| w.code == "credentials_redacted"),
        "the rep is told: {:?}",
        response.warnings
    );
    let sent: String = server.requests().iter().map(|r| r.body.to_string()).collect();
    assert!(!sent.is_empty(), "the provider was called");
    let stored = stored_text(&ws.ctx);
    for secret in SECRETS {
        assert!(!sent.contains(secret), "sent to the provider: {secret}");
        assert!(!stored.contains(secret), "stored or queued for sync: {secret}");
    }
    assert!(stored.contains("Set up the webhook"), "the question itself is kept");
}

#[test]
fn provider_urls_carrying_credentials_are_refused_before_storage_and_audit() {
    let ws = workspace();
    for url in [
        "https://user:s3cr3t-pass@api.example.com/v1",
        "https://api.example.com/v1?key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
        "https://api.example.com/v1?api-version=2024&x_token=abc",
        "https://api.example.com/v1?q=sk-proj-4f9KXq2LmNp7Rt8Vw3Yz6Ab1Cd5Ef0Gh",
    ] {
        let config = ProviderConfig {
            kind: ProviderKind::Openai,
            base_url: url.into(),
            model: "m".into(),
            timeout_secs: 5,
            max_retries: 0,
            retry_backoff_ms: 10,
        };
        let err = llm_config::set(&ws.ctx, config, None).expect_err(url);
        let message = err.to_string();
        assert!(message.contains("base_url") && message.contains("credential"), "{url}: {message}");
        assert!(!message.contains("s3cr3t") && !message.contains("AIza") && !message.contains("sk-proj"), "{message}");
    }
    let leaked: i64 = open(&ws.ctx)
        .query_row(
            "SELECT (SELECT count(*) FROM audit_log WHERE changes LIKE '%api.example.com%')
                  + (SELECT count(*) FROM settings WHERE value LIKE '%api.example.com%')",
            [],
            |r| r.get(0),
        )
        .expect("read");
    assert_eq!(leaked, 0);
    let fine = ProviderConfig {
        kind: ProviderKind::Openai,
        base_url: "https://api.example.com/v1?api-version=2024-06-01".into(),
        model: "m".into(),
        timeout_secs: 5,
        max_retries: 0,
        retry_backoff_ms: 10,
    };
    llm_config::set(&ws.ctx, fine, None).expect("a plain query parameter is fine");
}

/// Every document a device writes satisfies its entity definition (`outpost_sync::entity`):
/// otherwise the server would refuse it and peers would quarantine it.
#[tokio::test]
async fn local_writes_of_every_kind_satisfy_the_entity_definitions() {
    use outpost_core::{assist::briefs, memories};
    use outpost_sync::{doc::RecordDoc, entity};

    let ws = workspace();
    copilot::ask(&ws.ctx, &Net::new(), AskRequest { question: "What next for Acme?".into(), ..Default::default() })
        .await
        .expect("ask");
    let memory = memories::NewMemory {
        category: memories::MemoryCategory::Preference,
        content: "Prefers calls after 4pm".into(),
        confidence: Some(0.8),
        source: None,
        contact_id: Some(ws.sarah_lee.id),
        company_id: None,
        deal_id: Some(ws.stale.id),
        meeting_id: None,
    };
    memories::add(&ws.ctx, memory).expect("memory");
    let brief = briefs::for_meeting(&ws.ctx, ws.meeting).expect("brief");
    briefs::review(&ws.ctx, briefs::ReviewBrief { id: brief.id, comment: Some("Looks right".into()) }).expect("review");

    let c = open(&ws.ctx);
    let mut stmt = c.prepare("SELECT doc_id, kind, state FROM sync_docs").expect("docs");
    let docs: Vec<(String, String, Vec<u8>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mut kinds: Vec<&str> = docs.iter().map(|(_, kind, _)| kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for expected in [
        "activity",
        "brief",
        "brief_comment",
        "company",
        "contact",
        "copilot_conversation",
        "copilot_memory",
        "deal",
        "meeting",
        "task",
    ] {
        assert!(kinds.contains(&expected), "no {expected} document was written: {kinds:?}");
    }
    for (id, kind, state) in &docs {
        let view = RecordDoc::from_updates(1, &[state]).expect("doc").view();
        assert_eq!(entity::validate_record(kind, &view.fields), Ok(()), "{kind} {id}: {:?}", view.fields);
    }
}
