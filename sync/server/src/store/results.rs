//! Building push results shared by both backends: epochs as stored, refusals, and the
//! sequence-number check that tells a retry (same bytes) from a restored database (other bytes).

use outpost_sync::protocol::{ErrorCode, ErrorMessage, PushItem, PushOutcome, PushResult};

fn seq_u64(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

/// An epoch as stored (the random 64 bits, reinterpreted as a signed integer).
pub(crate) fn epoch_i64(epoch: u64) -> i64 {
    i64::from_ne_bytes(epoch.to_ne_bytes())
}

pub(crate) fn rejected(item: &PushItem, error: ErrorMessage) -> PushResult {
    PushResult { client_seq: item.client_seq, digest: None, outcome: PushOutcome::Rejected { error } }
}

pub(crate) fn done(item: &PushItem, outcome: PushOutcome, digest: &str) -> PushResult {
    PushResult { client_seq: item.client_seq, digest: Some(digest.to_string()), outcome }
}

/// The sequence-number check: `Some` result when (device, epoch, client_seq) was used before,
/// a duplicate when with the same bytes, a refusal otherwise (a restored or copied database).
pub(crate) fn receipt_outcome(item: &PushItem, earlier: Option<(i64, String)>, digest: &str) -> Option<PushResult> {
    let (seq, stored) = earlier?;
    if stored == digest {
        return Some(done(item, PushOutcome::Duplicate { seq: seq_u64(seq) }, digest));
    }
    Some(rejected(
        item,
        ErrorMessage::new(
            ErrorCode::SequenceReused,
            format!(
                "sequence number {} of epoch {} of this device was already used for other bytes: this device's \
                 database was restored or copied; nothing was stored, draw a new epoch and push again",
                item.client_seq, item.epoch
            ),
        ),
    ))
}
