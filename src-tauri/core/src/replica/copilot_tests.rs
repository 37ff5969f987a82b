//! Unit tests of the owner-only copilot kinds on real SQLite files: a memory and a conversation
//! written on one device materialise on another device of the same user, private visibility is
//! queued, access statistics stay out of the CRDT, and forgetting queues an erasure.

use crate::assist::copilot::threads;
use crate::memories::{self, MemoryCategory, NewMemory, RecallQuery};
use crate::replica::*;
use crate::{crm::contacts, crm::contacts::NewContact, Ctx};

/// Every queued (doc_id, kind, visibility, update) of `kind`, oldest first.
fn outbox(ctx: &Ctx, kind: &str) -> Vec<(String, String, Vec<u8>, bool)> {
    ctx.read(|c| {
        let mut stmt = c.prepare(
            "SELECT o.doc_id, o.visibility, coalesce(o.\"update\", d.state, x''), o.erase
             FROM sync_outbox o LEFT JOIN sync_docs d ON d.doc_id = o.doc_id WHERE o.kind = ?1 ORDER BY o.seq",
        )?;
        let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
    .expect("outbox")
}

/// Ships `kind`'s queued updates of `from` to `to` as a server would (owner-only kinds reach
/// only the owner's devices; both contexts here are devices of one user).
fn ship(from: &Ctx, to: &Ctx, kind: &str) {
    for (doc_id, _, update, erase) in outbox(from, kind) {
        to.write(|tx| {
            if erase {
                crate::erasure::erase_remote(tx, kind, &doc_id)?;
            } else {
                apply_remote(tx, kind, &doc_id, &update)?;
            }
            Ok(())
        })
        .expect("apply");
    }
    from.write(|tx| Ok(tx.sql.execute("DELETE FROM sync_outbox WHERE kind = ?1", [kind])?)).expect("ack");
}

#[test]
fn a_memory_and_its_links_reach_the_owners_other_device_without_access_statistics() {
    let (d1, d2) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let desk = Ctx::open(d1.path()).expect("open").with_actor("ann");
    let laptop = Ctx::open(d2.path()).expect("open").with_actor("ann.laptop");
    let contact =
        contacts::add(&desk, NewContact { first_name: Some("Pat".into()), ..Default::default() }).expect("contact");
    let memory = memories::add(
        &desk,
        NewMemory {
            category: MemoryCategory::Preference,
            content: "Prefers calls after 4pm".into(),
            confidence: Some(0.8),
            source: None,
            contact_id: Some(contact.id),
            company_id: None,
            deal_id: None,
            meeting_id: None,
        },
    )
    .expect("memory");
    let query = RecallQuery { text: Some("calls".into()), entities: Vec::new(), limit: None };
    memories::recall(&desk, query).expect("recall");
    let queued = outbox(&desk, "copilot_memory");
    assert_eq!(queued.len(), 1, "recall must not queue anything: access statistics are local");
    assert_eq!(queued[0].1, "private", "owner-only kinds are pushed private");
    let fields = RecordDoc::from_updates(1, &[queued[0].2.clone()]).expect("doc").fields();
    assert!(!fields.contains_key("access_count") && !fields.contains_key("owner"), "{fields:?}");

    ship(&desk, &laptop, "copilot_memory");
    let got = memories::get(&laptop, memory.id).expect("the memory on the laptop");
    assert_eq!((got.content.as_str(), got.confidence, got.access_count), ("Prefers calls after 4pm", 0.8, 0));
    assert_eq!(got.links, memory.links);
    assert_eq!(got.owner, "ann.laptop", "a received owner-only record belongs to this device's user");

    memories::forget(&laptop, memory.id).expect("forget");
    let erase = outbox(&laptop, "copilot_memory");
    assert_eq!((erase.len(), erase[0].1.as_str(), erase[0].3), (1, "private", true), "erasure queued");
    ship(&laptop, &desk, "copilot_memory");
    assert!(memories::get(&desk, memory.id).is_err(), "the memory survived its erasure");
    let left: i64 = desk
        .read(|c| Ok(c.query_row("SELECT count(*) FROM memory_links WHERE memory_id = ?1", [memory.id], |r| r.get(0))?))
        .expect("links");
    assert_eq!(left, 0);
}

#[test]
fn messages_appended_on_two_devices_both_survive_in_the_conversation() {
    let (d1, d2) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let desk = Ctx::open(d1.path()).expect("open").with_actor("ann");
    let laptop = Ctx::open(d2.path()).expect("open").with_actor("ann");
    let thread = threads::open(&desk, None, "What next for Acme?").expect("thread");
    threads::append(&desk, thread, "user", "What next for Acme?", None).expect("append");
    ship(&desk, &laptop, "copilot_conversation");
    // Both devices append offline; then each ships to the other.
    threads::append(&desk, thread, "assistant", "Call the buyer", None).expect("append");
    threads::append(&laptop, thread, "user", "And then?", None).expect("append");
    let desk_out = outbox(&desk, "copilot_conversation");
    ship(&laptop, &desk, "copilot_conversation");
    for (doc_id, _, update, _) in desk_out {
        laptop.write(|tx| apply_remote(tx, "copilot_conversation", &doc_id, &update)).expect("apply");
    }
    for ctx in [&desk, &laptop] {
        let got = threads::get(ctx, thread).expect("thread");
        let mut texts: Vec<&str> = got.messages.iter().map(|m| m.content.as_str()).collect();
        texts.sort_unstable();
        assert_eq!(texts, ["And then?", "Call the buyer", "What next for Acme?"]);
    }
}
