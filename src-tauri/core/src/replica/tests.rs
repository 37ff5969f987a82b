//! Unit tests of the local write path and materialisation on real SQLite files.

use outpost_sync::doc::{natural_key_doc_id, RecordDoc};
use serde_json::json;

use crate::replica::*;
use crate::{crm::contacts, crm::contacts::ContactUpdate, crm::contacts::NewContact, Ctx};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(f)
}

fn count(ctx: &Ctx, table: &str) -> i64 {
    ctx.read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)).expect("count")
}

/// The document ids of the lazy-document markers, oldest first.
fn markers(ctx: &Ctx) -> Vec<String> {
    ctx.read(|c| {
        let mut stmt = c.prepare("SELECT doc_id FROM sync_pending ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
    .expect("markers")
}

fn ada() -> NewContact {
    NewContact { first_name: Some("Ada".into()), email: Some(" Ada@Engines.io ".into()), ..Default::default() }
}

#[test]
fn a_mutation_writes_row_doc_and_outbox_together_and_a_failed_one_writes_none() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let contact = contacts::add(&ctx, ada()).expect("add");
    assert_eq!((count(&ctx, "sync_outbox"), count(&ctx, "sync_docs")), (1, 1));
    let bad = ContactUpdate { id: contact.id, email: Some("not an email".into()), ..Default::default() };
    assert!(contacts::update(&ctx, bad).is_err());
    assert_eq!(count(&ctx, "sync_outbox"), 1, "a rejected mutation queued an update");
    let same = ContactUpdate { id: contact.id, title: Some("Countess".into()), ..Default::default() };
    contacts::update(&ctx, same).expect("update");
    assert_eq!(count(&ctx, "sync_outbox"), 2);
}

#[test]
fn contacts_with_an_email_get_the_natural_key_id_on_every_device() {
    let (d1, d2) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let a = contacts::add(&Ctx::open(d1.path()).expect("open"), ada()).expect("add");
    let b = contacts::add(&Ctx::open(d2.path()).expect("open"), ada()).expect("add");
    assert_eq!(a.id, b.id);
    let expected = natural_key_doc_id(NATURAL_KEY_SCOPE, "contact", "ada@engines.io");
    assert_eq!(a.id.uuid(), expected.0);
}

#[test]
fn remote_updates_materialise_rows_and_deletes_remove_them_without_queueing() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let remote = RecordDoc::new(42);
    let id = "0190a1b2-0000-7000-8000-000000000abc";
    let mut updates = vec![remote.set_field("name", json!("Acme")).expect("set")];
    updates.push(remote.set_field("created_at", json!("2026-01-01T00:00:00.000Z")).expect("set"));
    updates.push(remote.set_field("updated_at", json!("2026-01-01T00:00:00.000Z")).expect("set"));
    for update in &updates {
        ctx.write(|tx| apply_remote(tx, "company", id, update)).expect("apply");
    }
    let name: String =
        ctx.read(|c| Ok(c.query_row("SELECT name FROM companies WHERE id = ?1", [id], |r| r.get(0))?)).expect("row");
    assert_eq!(name, "Acme");
    let again = ctx.write(|tx| apply_remote(tx, "company", id, &updates[0])).expect("apply");
    assert_eq!(again, Applied::Unchanged);
    let gone = ctx.write(|tx| apply_remote(tx, "company", id, &remote.delete())).expect("apply");
    assert_eq!(gone, Applied::Deleted);
    assert_eq!((count(&ctx, "companies"), count(&ctx, "sync_outbox")), (0, 0));
}

/// Imports `csv` with documents left to the next sync (`import-document-max` 0), as a big list is.
fn import_csv(ctx: &Ctx, dir: &std::path::Path, csv: &str) {
    let lazy = crate::store::settings::SetSetting { name: "import-document-max".into(), value: "0".into() };
    crate::store::settings::set(ctx, lazy).expect("setting");
    let path = dir.join("leads.csv");
    std::fs::write(&path, csv).expect("write csv");
    let req = crate::import::jobs::ImportRequest { path, ..Default::default() };
    let never = std::sync::atomic::AtomicBool::new(false);
    block_on(crate::import::jobs::import_file(ctx, req, &|_| {}, &never)).expect("import");
}

#[test]
fn imported_records_are_documented_lazily_and_a_remote_edit_merges_with_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    import_csv(&ctx, dir.path(), "First Name,Email,Company,Title\nAda,ada@engines.io,Engines Ltd,Countess\n");
    // The import queued markers, not documents: company first, then the contact.
    assert_eq!((count(&ctx, "sync_pending"), count(&ctx, "sync_docs"), count(&ctx, "sync_outbox")), (2, 0, 0));
    // A remote device edits the same lead (same natural id) before this one ever pushed.
    let id = natural_key_doc_id(NATURAL_KEY_SCOPE, "contact", "ada@engines.io").0.to_string();
    let remote = RecordDoc::new(77);
    let update = remote.set_field("last_name", json!("Lovelace")).expect("set");
    ctx.write(|tx| apply_remote(tx, "contact", &id, &update)).expect("apply");
    let (first, last, title): (String, String, String) = ctx
        .read(|c| {
            Ok(c.query_row("SELECT first_name, last_name, title FROM contacts WHERE id = ?1", [&id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?)
        })
        .expect("row");
    assert_eq!((first.as_str(), last.as_str(), title.as_str()), ("Ada", "Lovelace", "Countess"));
    // The markers were flushed into documents and queued for the next push.
    assert_eq!((count(&ctx, "sync_pending"), count(&ctx, "sync_docs"), count(&ctx, "sync_outbox")), (0, 2, 2));
}

#[test]
fn a_small_import_builds_its_documents_before_it_finishes() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let path = dir.path().join("leads.csv");
    std::fs::write(&path, "First Name,Email,Company\nAda,ada@engines.io,Engines Ltd\n").expect("write csv");
    let req = crate::import::jobs::ImportRequest { path, ..Default::default() };
    let never = std::sync::atomic::AtomicBool::new(false);
    block_on(crate::import::jobs::import_file(&ctx, req, &|_| {}, &never)).expect("import");
    // Under the default `import-document-max`: the company and the contact are documented and
    // queued, nothing is left for the next sync to build.
    assert_eq!((count(&ctx, "sync_pending"), count(&ctx, "sync_docs"), count(&ctx, "sync_outbox")), (0, 2, 2));
}

#[test]
fn flushing_documents_every_marked_record_once_and_reports_them_as_pending() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    import_csv(&ctx, dir.path(), "First Name,Email\nAda,ada@engines.io\nGrace,grace@navy.example\n");
    let status = crate::sync::status(&ctx).expect("status");
    assert_eq!(status.pending, 2, "marked records count as pending changes");
    assert_eq!(flush_pending(&ctx).expect("flush"), 2);
    assert_eq!((count(&ctx, "sync_pending"), count(&ctx, "sync_docs"), count(&ctx, "sync_outbox")), (0, 2, 2));
    assert_eq!(flush_pending(&ctx).expect("flush again"), 0);
}

/// The first sync's backfill documents imported rows itself (in id order, cheap for the server)
/// and drops their markers, so the flush does not document them a second time; a marker of a
/// row whose document existed before (a later change waiting for it) must stay.
#[test]
fn backfill_drops_the_markers_of_the_rows_it_documents_and_keeps_the_others() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let grace =
        NewContact { first_name: Some("Grace".into()), email: Some("grace@navy.example".into()), ..Default::default() };
    let grace = contacts::add(&ctx, grace).expect("add");
    let documented = count(&ctx, "sync_docs");
    // An update import, its documents left to the next sync, marks Grace (documented before)
    // and adds Ada (no document yet).
    let lazy = crate::store::settings::SetSetting { name: "import-document-max".into(), value: "0".into() };
    crate::store::settings::set(&ctx, lazy).expect("setting");
    let path = dir.path().join("update.csv");
    let csv = "First Name,Email,Title\nGrace,grace@navy.example,Rear Admiral\nAda,ada@engines.io,Countess\n";
    std::fs::write(&path, csv).expect("write csv");
    let mode = crate::import::apply::ImportMode::Update;
    let req = crate::import::jobs::ImportRequest { path, mode, ..Default::default() };
    let never = std::sync::atomic::AtomicBool::new(false);
    block_on(crate::import::jobs::import_file(&ctx, req, &|_| {}, &never)).expect("import");
    let marked = markers(&ctx);
    assert!(marked.contains(&grace.id.to_string()) && marked.len() >= 2, "markers: {marked:?}");
    let backfilled = ctx.write(backfill).expect("backfill");
    assert_eq!(backfilled as i64, count(&ctx, "contacts") - documented, "only rows without a document");
    let left = markers(&ctx);
    assert_eq!(left, vec![grace.id.to_string()], "Grace's change still waits for her document");
    assert_eq!(flush_pending(&ctx).expect("flush"), 1);
    let title: String = ctx
        .read(|c| Ok(c.query_row("SELECT title FROM contacts WHERE id = ?1", [grace.id.to_string()], |r| r.get(0))?))
        .expect("title");
    assert_eq!(title, "Rear Admiral");
}

#[test]
fn a_reference_to_a_record_that_arrives_later_is_relinked_when_it_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let (contact_id, activity_id) = ("0190a1b2-0000-7000-8000-0000000000c1", "0190a1b2-0000-7000-8000-0000000000a1");
    let activity = RecordDoc::new(7);
    let fields = [
        ("kind", json!("call")),
        ("subject", json!("Intro call")),
        ("occurred_at", json!("2026-01-02T00:00:00.000Z")),
        ("created_at", json!("2026-01-02T00:00:00.000Z")),
        ("contact_id", json!(contact_id)),
    ];
    let update = activity.set_fields(fields.iter().map(|(k, v)| (*k, v))).expect("set");
    ctx.write(|tx| apply_remote(tx, "activity", activity_id, &update)).expect("apply activity");
    let linked = |ctx: &Ctx| -> Option<String> {
        ctx.read(|c| Ok(c.query_row("SELECT contact_id FROM activities WHERE id = ?1", [activity_id], |r| r.get(0))?))
            .expect("activity row")
    };
    assert_eq!(linked(&ctx), None, "a reference to a missing row must be stored as NULL");

    let contact = RecordDoc::new(8);
    let fields = [
        ("first_name", json!("Ada")),
        ("created_at", json!("2026-01-01T00:00:00.000Z")),
        ("updated_at", json!("2026-01-01T00:00:00.000Z")),
    ];
    let update = contact.set_fields(fields.iter().map(|(k, v)| (*k, v))).expect("set");
    ctx.write(|tx| apply_remote(tx, "contact", contact_id, &update)).expect("apply contact");
    assert_eq!(linked(&ctx).as_deref(), Some(contact_id), "the activity was not relinked");
    assert_eq!(count(&ctx, "sync_pending_refs"), 0);
    assert_eq!(count(&ctx, "sync_outbox"), 0, "relinking is local: nothing to ship");
}

#[test]
fn the_indicator_state_prefers_not_connected_then_offline_then_error_then_pending() {
    use crate::sync::SyncState;
    let server = Some("http://127.0.0.1:7777");
    assert_eq!(SyncState::of(None, Some(false), Some("boom"), 3), SyncState::NotConnected);
    assert_eq!(SyncState::of(server, Some(false), Some("boom"), 3), SyncState::Offline);
    assert_eq!(SyncState::of(server, Some(true), Some("boom"), 3), SyncState::Error);
    assert_eq!(SyncState::of(server, None, None, 3), SyncState::Pending);
    assert_eq!(SyncState::of(server, Some(true), None, 0), SyncState::Synced);
}
