//! Unit tests of the record document: field merges, char-wise text merges, the delete rule.

use serde_json::json;

use super::*;

fn sync(a: &RecordDoc, b: &RecordDoc) {
    let to_b = a.diff_since(&b.state_vector()).expect("diff");
    let to_a = b.diff_since(&a.state_vector()).expect("diff");
    b.apply_update(&to_b).expect("apply");
    a.apply_update(&to_a).expect("apply");
}

#[test]
fn concurrent_edits_to_different_fields_both_survive() {
    let a = RecordDoc::new(1);
    let b = RecordDoc::new(2);
    a.set_field("name", json!("Acme")).expect("set");
    sync(&a, &b);
    a.set_field("stage", json!("won")).expect("set");
    b.set_field("amount", json!(1200)).expect("set");
    sync(&a, &b);
    assert_eq!(a.fields(), b.fields());
    assert_eq!(a.fields()["stage"], "won");
    assert_eq!(a.fields()["amount"], json!(1200));
    assert_eq!(a.fields()["name"], "Acme");
}

#[test]
fn concurrent_text_edits_merge_character_by_character() {
    let a = RecordDoc::new(1);
    let b = RecordDoc::new(2);
    a.set_text("notes", "Call Ann about the renewal").expect("set");
    sync(&a, &b);
    a.set_text("notes", "Call Ann today about the renewal").expect("set");
    b.set_text("notes", "Call Ann about the renewal price").expect("set");
    sync(&a, &b);
    assert_eq!(a.fields()["notes"], "Call Ann today about the renewal price");
    assert_eq!(a.fields(), b.fields());
}

#[test]
fn minimal_edit_handles_multibyte_text() {
    let a = RecordDoc::new(1);
    a.set_text("notes", "café 😀 ok").expect("set");
    a.set_text("notes", "café 😀😀 ok!").expect("set");
    assert_eq!(a.fields()["notes"], "café 😀😀 ok!");
    assert!(a.set_text("notes", "café 😀😀 ok!").expect("noop").is_empty());
}

#[test]
fn delete_wins_over_concurrent_edit_and_is_final() {
    let a = RecordDoc::new(1);
    let b = RecordDoc::new(2);
    a.set_field("name", json!("Ann")).expect("set");
    sync(&a, &b);
    let del = a.delete();
    let edit = b.set_field("name", json!("Anne")).expect("set");
    b.apply_update(&del).expect("apply");
    a.apply_update(&edit).expect("apply");
    assert!(a.is_deleted() && b.is_deleted());
    assert_eq!(a.view(), b.view());
    assert!(matches!(b.set_field("name", json!("x")), Err(DocError::Deleted)));
    assert!(a.delete().is_empty());
}

#[test]
fn updates_apply_twice_and_out_of_order() {
    let a = RecordDoc::new(1);
    let u1 = a.set_field("x", json!(1)).expect("set");
    let u2 = a.set_text("t", "abc").expect("set");
    let u3 = a.set_text("t", "abXc").expect("set");
    let b = RecordDoc::new(2);
    for u in [&u3, &u2, &u3, &u1, &u1] {
        b.apply_update(u).expect("apply");
    }
    assert!(!b.has_missing_updates());
    assert_eq!(a.fields(), b.fields());
    let merged = merge_updates(&[u3, u1, u2]).expect("merge");
    let c = RecordDoc::from_updates(3, &[merged]).expect("load");
    assert_eq!(c.fields(), a.fields());
    assert_eq!(RecordDoc::from_updates(4, &[a.snapshot()]).expect("load").fields(), a.fields());
}

/// Whatever order updates arrive in, `apply_update_tracked` answers "unchanged" exactly when the
/// snapshot is byte-identical to the one before (the sync client skips re-encoding on it).
#[test]
fn tracked_apply_says_unchanged_exactly_when_the_state_is_unchanged() {
    let a = RecordDoc::new(1);
    let u1 = a.set_field("x", json!(1)).expect("set");
    let u2 = a.set_text("t", "abc").expect("set");
    let u3 = a.set_text("t", "ac").expect("set");
    let u4 = a.delete();
    let b = RecordDoc::new(2);
    for u in [&u3, &u1, &u3, &u2, &u1, &u2, &u3, &u4, &u4, &u1] {
        let before = b.snapshot();
        let changed = b.apply_update_tracked(u).expect("apply");
        let after = b.snapshot();
        if !changed {
            assert_eq!(before, after, "reported unchanged but the state moved");
        } else if !b.has_missing_updates() {
            assert_ne!(before, after, "reported changed with nothing pending, but the state is the same");
        }
    }
    assert!(b.is_deleted() && !b.has_missing_updates());
    assert!(!b.apply_update_tracked(&a.snapshot()).expect("apply"), "everything again changes nothing");
}

#[test]
fn corrupt_update_is_an_error_not_a_panic() {
    let a = RecordDoc::new(1);
    let err = a.apply_update(&[0xff, 0xff, 0xff]).expect_err("corrupt");
    assert!(err.to_string().contains("corrupt"));
}

#[test]
fn set_fields_writes_many_fields_as_one_update() {
    let a = RecordDoc::new(1);
    let (name, amount) = (json!("Acme"), json!(1200));
    let update = a.set_fields([("name", &name), ("amount", &amount)]).expect("set");
    assert!(!update.is_empty());
    assert!(a.set_fields([("name", &name)]).expect("set").is_empty(), "unchanged fields wrote an update");
    let b = RecordDoc::from_updates(2, &[update]).expect("load");
    assert_eq!(b.fields(), a.fields());
}
