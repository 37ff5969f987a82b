//! The shape check against the updates that broke or could break a replica: values nested deep
//! enough to overflow the stack, nested shared types, sub-documents and counts no update can hold.

use serde_json::json;
use yrs::{Map, MapPrelim, Transact};

use super::super::{merge_updates, DocError, RecordDoc};
use super::{check_update_shape, ShapeError, MAX_VALUE_DEPTH};

/// A real update setting field `x` to an array nested `depth` levels deep around a null (built
/// from one nested a single level deep, as a hostile peer would splice it).
fn nested_value_update(depth: usize) -> Vec<u8> {
    let one = RecordDoc::new(7).set_field("x", json!([null])).expect("set");
    let at = one.windows(3).position(|w| w == [117, 1, 126]).expect("the encoded [null]");
    let mut update = one[..at].to_vec();
    for _ in 0..depth {
        update.extend_from_slice(&[117, 1]);
    }
    update.extend_from_slice(&one[at + 2..]);
    update
}

#[test]
fn a_value_nested_200k_deep_is_refused_instead_of_overflowing_the_stack() {
    // Before the check, applying this aborted the process (yrs decodes values by recursion).
    // The apply runs on a thread with a 256 KiB stack, so even a shallow recursion would show.
    let update = nested_value_update(200_000);
    let applied = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || RecordDoc::new(9).apply_update(&update).map_err(|e| e.to_string()))
        .expect("thread")
        .join()
        .expect("no panic");
    let error = applied.expect_err("refused");
    assert!(error.contains(&format!("nested more than {MAX_VALUE_DEPTH} levels")), "{error}");
}

#[test]
fn values_up_to_the_depth_limit_still_apply() {
    let doc = RecordDoc::new(9);
    doc.apply_update(&nested_value_update(MAX_VALUE_DEPTH)).expect("at the limit");
    assert!(doc.fields().contains_key("x"));
    let deeper = RecordDoc::new(9).apply_update(&nested_value_update(MAX_VALUE_DEPTH + 1));
    assert!(matches!(deeper, Err(DocError::RefusedShape(_))), "{deeper:?}");
}

#[test]
fn a_nested_shared_type_is_refused_and_changes_nothing() {
    let doc = yrs::Doc::new();
    let fields = doc.get_or_insert_map("fields");
    let update = {
        let mut txn = doc.transact_mut();
        fields.insert(&mut txn, "name", MapPrelim::default());
        txn.encode_update_v1()
    };
    let target = RecordDoc::new(9);
    let refused = target.apply_update(&update);
    assert!(
        matches!(refused, Err(DocError::RefusedShape(ref why)) if why.contains("nested shared type")),
        "{refused:?}"
    );
    assert!(target.fields().is_empty());
    assert!(merge_updates(&[update]).is_err(), "compaction refuses it too");
}

#[test]
fn counts_larger_than_the_bytes_left_are_refused() {
    // 1,000,000 clients announced in 4 bytes.
    let refused = check_update_shape(&[0xc0, 0x84, 0x3d, 0x00]);
    assert!(matches!(refused, Err(ShapeError::Refused(ref why)) if why.contains("1000000 clients")), "{refused:?}");
    let truncated = check_update_shape(&[0x01, 0x01, 0x05, 0x00, 0x04]);
    assert!(matches!(truncated, Err(ShapeError::Malformed(_))), "{truncated:?}");
}

#[test]
fn every_update_a_record_writes_passes() {
    let doc = RecordDoc::new(3);
    let updates = [
        doc.set_fields([("name", &json!("Acme")), ("value", &json!(12.5)), ("won", &json!(true))]).expect("set"),
        doc.set_text("notes", "hello wörld 👋").expect("text"),
        doc.set_text("notes", "hello world").expect("text"),
        doc.remove_field("won").expect("remove"),
        doc.set_creation_key("acme.example").expect("key"),
        doc.delete(),
        doc.snapshot(),
        doc.state_vector(),
    ];
    for update in &updates[..7] {
        check_update_shape(update).expect("a record's own update");
    }
}

#[test]
fn content_outside_the_record_model_is_refused() {
    use yrs::{Text, WriteTxn};
    let write = |edit: &dyn Fn(&mut yrs::TransactionMut)| {
        let doc = yrs::Doc::new();
        let mut txn = doc.transact_mut();
        edit(&mut txn);
        txn.encode_update_v1()
    };
    let junk_root = write(&|txn| {
        txn.get_or_insert_map("exfil").insert(txn, "data", "x".repeat(1000));
    });
    let meta_key = write(&|txn| {
        txn.get_or_insert_map("meta").insert(txn, "owner", "mallory@acme.test");
    });
    let keyed_text = write(&|txn| {
        txn.get_or_insert_map("text:notes").insert(txn, "k", "v");
    });
    let plain_text_root = write(&|txn| {
        txn.get_or_insert_text("notes").insert(txn, 0, "hidden");
    });
    for (what, update) in
        [("exfil", junk_root), ("meta owner", meta_key), ("keyed text", keyed_text), ("root notes", plain_text_root)]
    {
        let refused = RecordDoc::new(9).apply_update(&update);
        assert!(matches!(refused, Err(DocError::RefusedShape(_))), "{what}: {refused:?}");
    }
}
