//! Copilot memories and conversations through the real CLI and server: they reach their owner's
//! other device (memory text, links, the thread continued there) and never another user of the
//! same org — a manager and an admin get the shared deal but no byte of the memory or the
//! conversation. Forgetting the memory on one device removes it on the other and from the server,
//! down to the bytes of every file.

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{leftovers, s, Device, Server};

/// The memory's text (lower-cased needle) and the conversation's question.
const MEMORY_TEXT: &str = "Wants the Zanzibar pilot priced per seat";
const MEMORY_NEEDLE: &str = "zanzibar pilot";
const QUESTION: &str = "How do I approach the Quokka procurement team?";
const QUESTION_NEEDLE: &str = "quokka procurement";

fn sync_all(devices: &[&Device]) -> Result<()> {
    for _ in 0..2 {
        for device in devices {
            device.sync(&["now"])?;
        }
    }
    Ok(())
}

fn memories(device: &Device) -> Result<Vec<Value>> {
    device.cli(&["memories", "list"])?.as_array().cloned().context("a list of memories")
}

#[test]
fn memories_and_threads_reach_only_their_owners_devices_and_forgetting_erases_everywhere() -> Result<()> {
    let server = Server::start()?;
    server.add_user("max@acme.test", "manager")?;
    server.add_user("ada@acme.test", "admin")?;
    let (a, b) = (server.device()?, server.device()?);
    let (manager, admin) = (server.device_of("max@acme.test")?, server.device_of("ada@acme.test")?);

    let contact = a.cli(&["contacts", "add", "--first-name", "Pat", "--email", "pat@buyer.example"])?;
    let deal = a.cli(&["deals", "add", "--title", "Seat licences", "--contact", &s(&contact, "id")])?;
    let answer = a.cli(&["copilot", "ask", QUESTION])?;
    let thread = s(&answer, "thread_id");
    ensure!(!thread.is_empty(), "no thread id in {answer}");
    sync_all(&[&a, &b])?;
    // The owner's second device continues the thread (asked before the memory exists, so no
    // answer quotes it and forgetting it below has nothing else to chase).
    let follow_up = b.cli(&["copilot", "ask", "And after that?", "--thread", &thread])?;
    ensure!(s(&follow_up, "thread_id") == thread, "B did not continue the thread: {follow_up}");
    let memory = a.cli(&[
        "memories",
        "add",
        "--category",
        "preference",
        "--text",
        MEMORY_TEXT,
        "--contact",
        &s(&contact, "id"),
        "--deal",
        &s(&deal, "id"),
    ])?;
    let memory_id = s(&memory, "id");
    sync_all(&[&a, &b, &manager, &admin])?;

    // The owner's second device has the memory with its links; B's turn in the thread reached A.
    let on_b = memories(&b)?;
    let got = on_b.iter().find(|m| m["id"] == memory_id.as_str()).context("B never received the memory")?;
    ensure!(got["content"] == MEMORY_TEXT && got["category"] == "preference", "memory on B: {got}");
    let links: Vec<&str> =
        got["links"].as_array().context("links")?.iter().filter_map(|l| l["entity_id"].as_str()).collect();
    ensure!(links.contains(&s(&deal, "id").as_str()) && links.contains(&s(&contact, "id").as_str()), "links: {got}");
    ensure!(got["access_count"] == 0, "access statistics are local, not replicated: {got}");
    ensure!(!leftovers(a.ws.data_dir(), &["and after that?"])?.is_empty(), "B's turn did not reach A");

    // Other users of the org get the shared deal but never the memory or the conversation.
    for (name, device) in [("the manager", &manager), ("the admin", &admin)] {
        let deals = device.cli(&["deals", "list"])?;
        ensure!(deals.as_array().is_some_and(|d| d.iter().any(|x| x["id"] == deal["id"])), "{name} lacks the deal");
        ensure!(memories(device)?.is_empty(), "{name} sees memories");
        let found = leftovers(device.ws.data_dir(), &[MEMORY_NEEDLE, QUESTION_NEEDLE])?;
        ensure!(found.is_empty(), "{name} received owner-only data: {found:#?}");
    }

    // Forgetting on B removes the memory on A and from the server, down to the files' bytes.
    ensure!(!leftovers(server.store_dir(), &[MEMORY_NEEDLE])?.is_empty(), "the server should hold the memory");
    b.cli(&["memories", "forget", &memory_id])?;
    sync_all(&[&b, &a])?;
    for (name, device) in [("A", &a), ("B", &b)] {
        ensure!(memories(device)?.iter().all(|m| m["id"] != memory_id.as_str()), "the memory is still on {name}");
        let status = device.sync(&["status"])?;
        ensure!(status["pending"] == 0 && status["last_error"].is_null(), "{name} status: {status}");
    }
    let mut found = server.leftovers_after_scrub(&[MEMORY_NEEDLE])?;
    for dir in [a.ws.data_dir(), b.ws.data_dir()] {
        found.extend(leftovers(dir, &[MEMORY_NEEDLE])?);
    }
    ensure!(found.is_empty(), "the forgotten memory is left behind: {found:#?}");
    Ok(())
}
