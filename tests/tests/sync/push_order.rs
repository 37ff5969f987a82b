//! The push sends a backlog sorted by kind, parents first, then by document id, each document's
//! entries in the order they were made (`src-tauri/core/src/sync/push.rs`): the server keeps
//! updates under id-keyed indexes, and an edit list in any other order scattered every batch over
//! all their pages; parents first, so a receiving device rarely holds a reference aside. This test
//! reads the server's own store to see the order the updates arrived in, and checks that nothing
//! of the backlog is lost or reordered within a record.

use std::collections::BTreeMap;

use anyhow::{ensure, Context, Result};

use super::support::{s, Device, Server};

/// Imports `count` leads `order{i}@push-order.example` (at 20 companies) on `device`, then
/// retitles all of them with an update import, so every contact has two entries in the outbox.
fn import_and_retitle(device: &Device, count: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (leads, titles) = (dir.path().join("leads.csv"), dir.path().join("titles.csv"));
    let mut first = String::from("First Name,Last Name,Email,Job Title,Company\n");
    let mut second = String::from("Email,Job Title\n");
    for i in 0..count {
        first.push_str(&format!("Lead,Order {i},order{i}@push-order.example,First title {i},Client {}\n", i % 20));
        second.push_str(&format!("order{i}@push-order.example,Second title {i}\n"));
    }
    std::fs::write(&leads, first)?;
    std::fs::write(&titles, second)?;
    let imported = device.cli(&["import", &leads.to_string_lossy()])?;
    ensure!(imported["imported"].as_u64() == Some(count as u64), "import: {imported}");
    let updated = device.cli(&["import", &titles.to_string_lossy(), "--mode", "update"])?;
    ensure!(updated["updated"].as_u64() == Some(count as u64), "update import: {updated}");
    Ok(())
}

/// (kind, document id, the device's sequence number) of every stored update, in the order the
/// server stored them.
fn stored_updates(server: &Server) -> Result<Vec<(String, String, i64)>> {
    let db = rusqlite::Connection::open_with_flags(
        server.store_dir().join("server.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let mut stmt = db.prepare(
        "SELECT d.kind, u.doc_id, r.client_seq FROM updates u JOIN push_receipts_v4 r ON r.seq = u.seq
         JOIN docs d ON d.org_id = u.org_id AND d.doc_id = u.doc_id ORDER BY u.seq",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[test]
fn an_offline_backlog_arrives_in_document_order_with_each_records_edits_in_the_order_made() -> Result<()> {
    let server = Server::start()?;
    let (laptop, phone) = (server.device()?, server.device()?);
    // 700 contacts created and retitled offline: 1,400 contact entries plus the update import's
    // activities, more than one push batch (1,000).
    import_and_retitle(&laptop, 700)?;
    let pushed = laptop.sync(&["now"])?;
    ensure!(pushed["pushed"].as_u64().is_some_and(|n| n > 1_400), "push: {pushed}");

    let stored = stored_updates(&server)?;
    ensure!(stored.len() as u64 == pushed["pushed"].as_u64().unwrap_or(0), "stored {} updates", stored.len());
    let mut kinds: Vec<&str> = stored.iter().map(|(kind, _, _)| kind.as_str()).collect();
    kinds.dedup();
    ensure!(kinds == ["company", "contact", "activity"], "the kinds arrived in the order {kinds:?}");
    let out_of_order: Vec<_> = stored.windows(2).filter(|w| w[0].0 == w[1].0 && w[0].1 > w[1].1).take(3).collect();
    ensure!(out_of_order.is_empty(), "the backlog arrived out of document order, e.g. {out_of_order:?}");
    let mut per_doc: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for (_, doc, client_seq) in &stored {
        per_doc.entry(doc).or_default().push(*client_seq);
    }
    let twice = per_doc.values().filter(|seqs| seqs.len() >= 2).count();
    ensure!(twice >= 700, "only {twice} records arrived with both of their edits");
    let reordered: Vec<_> = per_doc.iter().filter(|(_, seqs)| seqs.windows(2).any(|w| w[0] >= w[1])).take(3).collect();
    ensure!(reordered.is_empty(), "a record's edits arrived out of the order made: {reordered:?}");

    phone.sync(&["now"])?;
    for i in [0, 349, 699] {
        let email = format!("order{i}@push-order.example");
        let found = phone.cli(&["contacts", "list", "--limit", "1", "--search", &email])?;
        let contact = found.as_array().and_then(|a| a.first()).context("the phone misses a contact")?;
        ensure!(s(contact, "title") == format!("Second title {i}"), "{email} on the phone: {contact}");
    }
    ensure!(laptop.dump()? == phone.dump()?, "the replicas differ");
    Ok(())
}
