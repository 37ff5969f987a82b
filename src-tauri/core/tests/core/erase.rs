//! GDPR erasure on one replica: `erasure::erase_contact` removes the person from every table,
//! the CRDT state and outbox, the audit log, the search index, import rows and merge
//! suggestions, queues the erasure for the server, and leaves none of their bytes in the
//! database files (main file, WAL, shared memory).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use outpost_core::{
    crm::activities::{self, ActivityKind, NewActivity},
    crm::contacts::{self, ContactUpdate, NewContact},
    crm::deals::{self, NewDeal},
    crm::tasks::{self, NewTask},
    erasure,
    import::jobs::{self, ImportRequest},
    Error,
};

use super::support::fixture;

const LEADS: &str = "First Name,Last Name,Email,Company,Phone\n\
    Zebulon,Quartermaine,Zebulon.Q@Erasure.example,Quarry Ltd,+44 20 7946 0991\n\
    Zebulan,Quartermaine,zq2@quarry-other.example,Quarry Ltd,\n";

/// Lower-cased needles that must not appear in any file of the data directory afterwards.
const NEEDLES: &[&str] = &["zebulon.q@erasure.example", "zebulon", "7946 0991", "2079460991"];

/// Every needle found in any file under `dir` (ASCII case-insensitive), with the file.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read data dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(leftovers(&path));
            continue;
        }
        let bytes = std::fs::read(&path).expect("read file").to_ascii_lowercase();
        for needle in NEEDLES {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{needle} in {}", path.display()));
            }
        }
    }
    found
}

fn scalar(dir: &Path, sql: &str, id: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("outpost.db")).expect("open db");
    conn.query_row(sql, [id], |r| r.get(0)).expect("query")
}

fn count(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("outpost.db")).expect("open db");
    conn.query_row(sql, [], |r| r.get(0)).expect("query")
}

#[tokio::test]
async fn erasing_a_contact_leaves_no_byte_of_them_in_the_database_files() {
    let f = fixture();
    let csv_dir = tempfile::tempdir().expect("tmp");
    let csv = csv_dir.path().join("leads.csv");
    std::fs::write(&csv, LEADS).expect("write csv");
    let req = ImportRequest { path: csv, ..Default::default() };
    jobs::import_file(&f.ctx, req, &|_| {}, &AtomicBool::new(false)).await.expect("import");

    let list = contacts::list(&f.ctx, Default::default()).expect("list");
    let zeb = list.iter().find(|c| c.email.as_deref() == Some("zebulon.q@erasure.example")).expect("imported");
    let other = list.iter().find(|c| c.first_name.as_deref() == Some("Zebulan")).expect("imported").id;
    let id = zeb.id;
    let ids = id.to_string();
    let dir = f.dir.path();
    assert_eq!(scalar(dir, "SELECT count(*) FROM merge_suggestions WHERE merge_id = ?1 OR keep_id = ?1", &ids), 1);
    assert_eq!(scalar(dir, "SELECT count(*) FROM import_rows WHERE record_id = ?1", &ids), 1);

    // Records about the person, and a deal that must survive without them.
    let update = ContactUpdate { id, title: Some("Head of Zebulon Labs".into()), ..Default::default() };
    contacts::update(&f.ctx, update).expect("update");
    let call = NewActivity {
        kind: ActivityKind::Call,
        subject: "Call with Zebulon".into(),
        body: Some("Zebulon wants a quote".into()),
        contact_id: Some(id),
        ..Default::default()
    };
    let call = activities::log(&f.ctx, call).expect("log");
    let task =
        tasks::add(&f.ctx, NewTask { title: "Email Zebulon".into(), contact_id: Some(id), ..Default::default() })
            .expect("task");
    let deal = NewDeal { title: "Quarry expansion".into(), contact_id: Some(id), ..Default::default() };
    let deal = deals::add(&f.ctx, deal).expect("deal");
    assert!(!leftovers(dir).is_empty(), "the needles should be present before the erase");

    let erased = erasure::erase_contact(&f.ctx, id).expect("erase");
    assert_eq!((erased.activities, erased.tasks, erased.deals_unlinked), (1, 1, 1), "{erased:?}");

    let found = leftovers(dir);
    assert!(found.is_empty(), "personal data left behind: {found:?}");
    assert!(matches!(contacts::get(&f.ctx, id), Err(Error::NotFound { .. })));
    let deal = deals::get(&f.ctx, deal.id).expect("the deal is kept");
    assert_eq!(deal.contact_id, None, "the kept deal still points at the erased contact");
    assert_eq!(scalar(dir, "SELECT count(*) FROM activities WHERE id = ?1", &call.id.to_string()), 0);
    assert_eq!(scalar(dir, "SELECT count(*) FROM tasks WHERE id = ?1", &task.id.to_string()), 0);
    assert_eq!(scalar(dir, "SELECT count(*) FROM merge_suggestions WHERE merge_id = ?1 OR keep_id = ?1", &ids), 0);
    assert_eq!(scalar(dir, "SELECT count(*) FROM import_rows WHERE record_id = ?1", &ids), 0);
    assert_eq!(count(dir, "SELECT count(*) FROM import_rows WHERE record_id IS NULL AND outcome = 'imported'"), 1);
    assert_eq!(scalar(dir, "SELECT count(*) FROM sync_docs WHERE doc_id = ?1", &ids), 0);
    assert_eq!(scalar(dir, "SELECT count(*) FROM sync_erased WHERE doc_id = ?1", &ids), 1);
    assert_eq!(count(dir, "SELECT count(*) FROM sync_outbox WHERE erase = 1 AND \"update\" = x''"), 3);
    assert_eq!(scalar(dir, "SELECT count(*) FROM audit_log WHERE entity_id = ?1 AND action <> 'erase'", &ids), 0);
    assert_eq!(scalar(dir, "SELECT count(*) FROM audit_log WHERE entity_id = ?1 AND action = 'erase'", &ids), 1);
    let survivor = contacts::get(&f.ctx, other).expect("the other Quartermaine stays");
    assert_eq!(survivor.last_name.as_deref(), Some("Quartermaine"));

    // The tombstone keeps the id: edits are refused and the same e-mail gets a new id.
    let again = contacts::update(&f.ctx, ContactUpdate { id, title: Some("x".into()), ..Default::default() });
    assert!(again.is_err(), "an erased contact was edited");
    let back = NewContact { email: Some("zebulon.q@erasure.example".into()), ..Default::default() };
    let back = contacts::add(&f.ctx, back).expect("re-add");
    assert_ne!(back.id, id, "a re-added person reused the erased id");
    let repeat = erasure::erase_contact(&f.ctx, id).expect("erasing twice is harmless");
    assert_eq!(repeat.activities, 0);
}
