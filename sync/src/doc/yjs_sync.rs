//! Doc-level sync in the standard Yjs sync protocol encoding (`yrs::sync::Message`), so a stock
//! Yjs peer can join a single record: sync step 1 (state vector), step 2 (missing updates) and
//! incremental updates. Pure functions over bytes; no sockets.

use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, Transact};

use super::{DocError, RecordDoc};

/// The Yjs "sync step 1" message for `doc` (its state vector): send it when a peer connects.
pub fn yjs_sync_step1(doc: &RecordDoc) -> Vec<u8> {
    let sv = doc.yrs_doc().transact().state_vector();
    Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()
}

/// Handles one Yjs sync message from a peer: step 1 is answered with step 2 (what the peer
/// lacks); step 2 and updates are applied to `doc`. Returns the reply to send, if any. Other
/// message types (awareness, auth) are ignored.
pub fn handle_yjs_sync_message(doc: &RecordDoc, bytes: &[u8]) -> Result<Option<Vec<u8>>, DocError> {
    let message = Message::decode_v1(bytes).map_err(|e| DocError::BadUpdate(e.to_string()))?;
    match message {
        Message::Sync(SyncMessage::SyncStep1(sv)) => {
            let diff = doc.yrs_doc().transact().encode_diff_v1(&sv);
            Ok(Some(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1()))
        }
        Message::Sync(SyncMessage::SyncStep2(update)) | Message::Sync(SyncMessage::Update(update)) => {
            doc.apply_update(&update)?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_docs_sync_through_yjs_messages() {
        let a = RecordDoc::new(1);
        let b = RecordDoc::new(2);
        a.set_field("name", serde_json::json!("Ann")).expect("set");
        b.set_text("notes", "hello").expect("set");
        let step2_for_b = handle_yjs_sync_message(&a, &yjs_sync_step1(&b)).expect("step1").expect("reply");
        handle_yjs_sync_message(&b, &step2_for_b).expect("step2");
        let step2_for_a = handle_yjs_sync_message(&b, &yjs_sync_step1(&a)).expect("step1").expect("reply");
        handle_yjs_sync_message(&a, &step2_for_a).expect("step2");
        assert_eq!(a.fields(), b.fields());
        assert_eq!(a.fields()["name"], "Ann");
        assert_eq!(a.fields()["notes"], "hello");
    }
}
