//! Updates no record document has: values nested deep enough to overflow a decoder's stack (this
//! aborted the server), nested shared types, sub-documents, content outside the record model,
//! impossible counts, and tombstones removed or overwritten to bring a deleted record back. Each
//! is refused as `bad_request` (or `invalid`, for the tombstone) with nothing stored, and the
//! server keeps answering everyone.

use anyhow::{Context, Result};
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{PushOutcome, Visibility};
use serde_json::json;
use yrs::updates::decoder::Decode;
use yrs::{Map, MapPrelim, Transact, WriteTxn};

use super::peer::{item, outcome, Peer};
use super::probes::Probes;
use super::server::{HostileServer, EVE, MAX, ZOE};

/// A new task whose title is an array nested `depth` levels deep (spliced into a real update).
fn nested_title(depth: usize, client: u64) -> Result<Vec<u8>> {
    let one = RecordDoc::new(client).set_field("title", json!([null]))?;
    let at = one.windows(3).position(|w| w == [117, 1, 126]).context("the encoded [null]")?;
    let mut update = one[..at].to_vec();
    for _ in 0..depth {
        update.extend_from_slice(&[117, 1]);
    }
    update.extend_from_slice(&one[at + 2..]);
    Ok(update)
}

/// A plain yrs document holding `state` (to write what `RecordDoc` never would).
fn raw(state: &[u8], client: u64) -> Result<yrs::Doc> {
    let doc = yrs::Doc::with_client_id(client);
    if !state.is_empty() {
        let update = yrs::Update::decode_v1(state)?;
        doc.transact_mut().apply_update(update)?;
    }
    Ok(doc)
}

/// One raw write on a copy of `state` (roots are taken through the transaction: asking the
/// document for one while the transaction is open would wait for it forever).
fn raw_write(state: &[u8], client: u64, write: impl FnOnce(&mut yrs::TransactionMut)) -> Result<Vec<u8>> {
    let doc = raw(state, client)?;
    let mut txn = doc.transact_mut();
    write(&mut txn);
    Ok(txn.encode_update_v1())
}

fn message(ack: &outpost_sync::protocol::PushAck) -> String {
    match ack.results.first().map(|r| &r.outcome) {
        Some(PushOutcome::Rejected { error }) => error.message.clone(),
        _ => String::new(),
    }
}

/// Runs the update-shape probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let eve = Peer::new(&server.base, &server.token(EVE)?, 0xe7e);
    let zoe = Peer::new(&server.base, &server.token(ZOE)?, 0x20e);
    let max = Peer::new(&server.base, &server.token(MAX)?, 0x3a4);
    let mut seq = 0u64;
    let mut next = || {
        seq += 1;
        seq
    };

    // A shared task of Zoe's, which Eve may edit (the organisation shares records for editing).
    let task = RecordDoc::new(301);
    task.set_field("title", json!("Call Initech"))?;
    let shared = DocId::new_random();
    let got = zoe.push_one(item(shared, "task", Visibility::Org, task.snapshot(), 1, zoe.epoch)).await?;
    probes.check("Zoe's shared task to probe", "stored", &got);
    let state = task.snapshot();

    let sub_document = {
        let doc = raw(&[], 302)?;
        let fields = doc.get_or_insert_map("fields");
        let mut txn = doc.transact_mut();
        fields.insert(&mut txn, "title", yrs::Doc::new());
        txn.encode_update_v1()
    };
    let cases: Vec<(&str, DocId, Vec<u8>)> = vec![
        ("a new task whose title nests 200,000 levels deep", DocId::new_random(), nested_title(200_000, 303)?),
        ("an edit nesting Zoe's task title 200,000 levels deep", shared, nested_title(200_000, 304)?),
        ("a title nested one level past the limit", DocId::new_random(), nested_title(17, 305)?),
        (
            "a nested shared type as a field",
            shared,
            raw_write(&state, 306, |txn| {
                txn.get_or_insert_map("fields").insert(txn, "title", MapPrelim::default());
            })?,
        ),
        ("a sub-document as a field", DocId::new_random(), sub_document),
        (
            "a root outside the record model (a hidden 100 KB channel)",
            shared,
            raw_write(&state, 307, |txn| {
                txn.get_or_insert_map("exfil").insert(txn, "data", "x".repeat(100_000));
            })?,
        ),
        (
            "a meta key other than the tombstone and creation key",
            shared,
            raw_write(&state, 308, |txn| {
                txn.get_or_insert_map("meta").insert(txn, "owner", "eve@acme.test");
            })?,
        ),
        ("a million clients announced in four bytes", DocId::new_random(), vec![0xc0, 0x84, 0x3d, 0x00]),
        ("a truncated update", DocId::new_random(), vec![0x01, 0x01, 0x05, 0x00, 0x04]),
    ];
    for (name, id, update) in cases {
        let ack = eve.push(vec![item(id, "task", Visibility::Org, update, next(), eve.epoch)]).await?;
        let said = message(&ack);
        probes.check_that(
            name,
            "bad_request naming the document",
            outcome(&ack, 0) == "bad_request" && said.contains(&id.to_string()) && said.contains("nothing was stored"),
            &format!("{}: {said}", outcome(&ack, 0)),
        );
        let health = reqwest::get(format!("{}/healthz", server.base)).await.map(|r| r.status().as_u16()).unwrap_or(0);
        probes.check(&format!("the server still answers after {name}"), "200", &health.to_string());
    }
    let edit = RecordDoc::from_updates(309, &[&state])?.set_field("title", json!("Call Initech back"))?;
    let got = eve.push_one(item(shared, "task", Visibility::Org, edit, next(), eve.epoch)).await?;
    probes.check("Eve's ordinary edit after the refused shapes", "stored", &got);

    // Deletion is final: neither overwriting nor removing the tombstone brings a record back.
    let doomed = RecordDoc::new(310);
    doomed.set_field("title", json!("Old lead"))?;
    let doomed_id = DocId::new_random();
    zoe.push_one(item(doomed_id, "task", Visibility::Org, doomed.snapshot(), 2, zoe.epoch)).await?;
    let got = zoe.push_one(item(doomed_id, "task", Visibility::Org, doomed.delete(), 3, zoe.epoch)).await?;
    probes.check("Zoe deletes her task", "stored", &got);
    let deleted = doomed.snapshot();
    let overwrite = raw_write(&deleted, 311, |txn| {
        txn.get_or_insert_map("meta").insert(txn, "deleted", false);
    })?;
    let removal = raw_write(&deleted, 312, |txn| {
        txn.get_or_insert_map("meta").remove(txn, "deleted");
    })?;
    let got = eve.push_one(item(doomed_id, "task", Visibility::Org, overwrite.clone(), next(), eve.epoch)).await?;
    probes.check("Eve overwrites the tombstone of Zoe's deleted task", "invalid", &got);
    let got = zoe.push_one(item(doomed_id, "task", Visibility::Org, removal, 4, zoe.epoch)).await?;
    probes.check("the owner removes her task's tombstone", "invalid", &got);
    let got = zoe.push_one(item(doomed_id, "task", Visibility::Org, overwrite, 5, zoe.epoch)).await?;
    probes.check("the owner overwrites her task's tombstone", "invalid", &got);
    let pulled: Vec<_> =
        max.pull_all().await?.into_iter().filter(|u| u.doc_id == doomed_id).map(|u| u.update).collect();
    let still = RecordDoc::from_updates(313, &pulled)?.is_deleted();
    probes.check("the task stays deleted for the manager", "true", &still.to_string());
    Ok(())
}
