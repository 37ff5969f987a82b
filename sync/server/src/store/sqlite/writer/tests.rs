//! Group commit on a real SQLite file: pushes queued while the database's write lock is held by
//! another connection are committed together, each still decided on its own against the state
//! left by the earlier pushes of its group, a refused push sparing the others.

use std::path::Path;

use rusqlite::Connection;
use serde_json::json;

use super::super::SqliteStore;
use crate::authz::Principal;
use crate::store::{hash_token, DocCache, Quotas, Store, StoreError};
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{ErrorCode, PushItem, PushOutcome, PushResult, Role, Visibility};

fn item(doc_id: DocId, kind: &str, update: Vec<u8>, client_seq: u64) -> PushItem {
    PushItem {
        doc_id,
        kind: kind.into(),
        visibility: Visibility::Org,
        update,
        client_seq,
        epoch: 7,
        erase: false,
        compact: false,
    }
}

async fn principal(store: &SqliteStore, email: &str, token: &str) -> Result<Principal, StoreError> {
    store.add_user("acme", email, Role::Manager).await?;
    store.create_device(email, "laptop", &hash_token(token)).await?;
    store.authenticate(&hash_token(token)).await?.ok_or_else(|| StoreError::NotFound(email.into()))
}

fn stored_seq(result: &PushResult) -> Option<u64> {
    match result.outcome {
        PushOutcome::Stored { seq } => Some(seq),
        _ => None,
    }
}

/// A store in a new file `name` under `dir` with the organisation `acme` and its manager Ann.
async fn acme_store(dir: &Path, name: &str) -> anyhow::Result<(std::path::PathBuf, SqliteStore, Principal)> {
    let path = dir.join(name);
    let store = SqliteStore::open(&path)?;
    store.create_org("acme").await?;
    let ann = principal(&store, "ann@acme.test", "opd_ann").await?;
    Ok((path, store, ann))
}

/// Holds SQLite's write lock on `path` from another connection until dropped.
fn hold_write_lock(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    Ok(conn)
}

#[tokio::test]
async fn pushes_queued_together_commit_once_each_decided_against_the_earlier_ones() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (path, store, ann) = acme_store(dir.path(), "group.db").await?;
    let bob = principal(&store, "bob@acme.test", "opd_bob").await?;
    let quotas = Quotas::default();

    // Ann creates a contact and, in a second push, edits it (building on the first); Bob pushes
    // a deal whose value is text (refused) and a valid deal.
    let contact = RecordDoc::new(1);
    let create = contact.set_fields([("first_name", &json!("Ann")), ("email", &json!("x@acme.test"))])?;
    let edit = contact.set_field("first_name", json!("Anna"))?;
    let contact_id = DocId::new_random();
    let bad_deal = RecordDoc::new(2).set_field("value_minor", json!("a lot"))?;
    let good_deal = RecordDoc::new(3).set_field("value_minor", json!(5000))?;

    let pushes = [
        vec![item(contact_id, "contact", create, 1)],
        vec![item(DocId::new_random(), "deal", bad_deal, 1)],
        vec![item(contact_id, "contact", edit, 2)],
        vec![item(DocId::new_random(), "deal", good_deal, 2)],
    ];
    let before = store.push_commits();
    let lock = hold_write_lock(&path)?;
    // Every push is queued now (submission is eager), while nothing can commit.
    let first = store.push(&ann, &pushes[0], &quotas);
    let bad = store.push(&bob, &pushes[1], &quotas);
    let second = store.push(&ann, &pushes[2], &quotas);
    let good = store.push(&bob, &pushes[3], &quotas);
    lock.execute_batch("ROLLBACK")?;
    drop(lock);
    let (first, bad, second, good) = tokio::join!(first, bad, second, good);
    let (first, bad, second, good) = (first?, bad?, second?, good?);

    // At most the push the writer had already taken commits alone; the rest commit together.
    let commits = store.push_commits() - before;
    assert!(commits <= 2, "4 queued pushes took {commits} commits");
    let first_seq = stored_seq(&first[0]).ok_or_else(|| anyhow::anyhow!("create not stored: {first:?}"))?;
    let second_seq = stored_seq(&second[0]).ok_or_else(|| anyhow::anyhow!("edit not stored: {second:?}"))?;
    assert!(second_seq > first_seq, "the edit was ordered after the create it builds on");
    match &bad[0].outcome {
        PushOutcome::Rejected { error } => assert_eq!(error.code, ErrorCode::Invalid, "{error:?}"),
        other => anyhow::bail!("a text deal value was not refused: {other:?}"),
    }
    assert!(stored_seq(&good[0]).is_some(), "the refused push took its group's valid push with it: {good:?}");

    // Everything answered as stored is durable and readable; the refused deal is not there.
    let pulled = store.pull(&ann, 0, 100).await?;
    let seqs: Vec<u64> = pulled.updates.iter().map(|u| u.seq).collect();
    assert_eq!(seqs.len(), 3, "{seqs:?}");
    let merged: Vec<&[u8]> =
        pulled.updates.iter().filter(|u| u.doc_id == contact_id).map(|u| u.update.as_slice()).collect();
    let doc = RecordDoc::from_updates(9, &merged)?;
    assert_eq!(doc.fields().get("first_name"), Some(&json!("Anna")));
    Ok(())
}

#[tokio::test]
async fn a_push_with_several_changes_of_one_document_decides_each_against_the_ones_before_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (_, store, ann) = acme_store(dir.path(), "one-push.db").await?;

    // One push: a contact created then renamed, a deal whose first change is refused (a text
    // value) followed by one building on it, and enough other new contacts for the first
    // changes of the push's documents to be decided on several threads.
    let contact = RecordDoc::new(1);
    let contact_id = DocId::new_random();
    let deal = RecordDoc::new(2);
    let deal_id = DocId::new_random();
    let mut items = vec![
        item(
            contact_id,
            "contact",
            contact.set_fields([("first_name", &json!("Ann")), ("email", &json!("a@x.io"))])?,
            1,
        ),
        item(deal_id, "deal", deal.set_field("value_minor", json!("a lot"))?, 2),
    ];
    for n in 0..300u64 {
        let other = RecordDoc::new(10 + n).set_field("first_name", json!(format!("Person {n}")))?;
        items.push(item(DocId::new_random(), "contact", other, 3 + n));
    }
    items.push(item(contact_id, "contact", contact.set_field("first_name", json!("Anna"))?, 400));
    items.push(item(deal_id, "deal", deal.set_field("value_minor", json!(5000))?, 401));
    let results = store.push(&ann, &items, &Quotas::default()).await?;

    assert_eq!(results.len(), items.len());
    let create = stored_seq(&results[0]).ok_or_else(|| anyhow::anyhow!("create not stored: {:?}", results[0]))?;
    let rename = stored_seq(&results[302]).ok_or_else(|| anyhow::anyhow!("rename not stored: {:?}", results[302]))?;
    assert!(rename > create);
    assert!(results[2..302].iter().all(|r| stored_seq(r).is_some()), "a new contact of the push was not stored");
    for (n, what) in [(1, "the text value"), (303, "the change building on the refused one")] {
        match &results[n].outcome {
            PushOutcome::Rejected { .. } => {}
            other => anyhow::bail!("{what} was not refused: {other:?}"),
        }
    }
    let pulled = store.pull(&ann, 0, 1000).await?;
    assert!(pulled.updates.iter().all(|u| u.doc_id != deal_id), "a refused deal change reached the store");
    let merged: Vec<&[u8]> =
        pulled.updates.iter().filter(|u| u.doc_id == contact_id).map(|u| u.update.as_slice()).collect();
    assert_eq!(RecordDoc::from_updates(9, &merged)?.fields().get("first_name"), Some(&json!("Anna")));
    Ok(())
}

#[tokio::test]
async fn a_push_past_the_early_decision_budget_decides_the_rest_one_by_one_and_stores_it_all() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (path, store, ann) = acme_store(dir.path(), "budget.db").await?;
    let items: Vec<PushItem> = (0..200u64)
        .map(|n| {
            let update = RecordDoc::new(10 + n).set_field("first_name", json!(format!("Person {n}")))?;
            Ok(item(DocId::new_random(), "contact", update, 1 + n))
        })
        .collect::<anyhow::Result<_>>()?;

    // With a budget of about ten updates, only the first ten or so are decided early.
    let budget: usize = items[..10].iter().map(|i| i.update.len()).sum();
    let conn = Connection::open(&path)?;
    let early = super::decide_early(&conn, &DocCache::default(), &ann, &items, budget)?;
    let decided = early.iter().take_while(|d| d.is_some()).count();
    assert_eq!(decided, 10, "{decided} decided early");
    assert!(early[decided..].iter().all(Option::is_none));

    // The push as a whole stores every item, in order.
    let results = store.push(&ann, &items, &Quotas::default()).await?;
    let seqs: Vec<u64> = results.iter().filter_map(stored_seq).collect();
    assert_eq!(seqs.len(), items.len());
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    Ok(())
}
