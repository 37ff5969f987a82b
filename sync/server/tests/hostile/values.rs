//! A malformed value for every field type of every kind: each is refused as `invalid`, naming the
//! field, and the record keeps its last valid value.

use anyhow::Result;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::entity::entities;
use outpost_sync::protocol::{PushOutcome, Visibility};

use super::peer::{item, Peer};
use super::probes::Probes;
use super::records::{fields, malformed_values, set, valid_record};
use super::server::{HostileServer, MAX};

/// Runs the value probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    // A manager probes: they may set every field, the owner field included.
    let ann = Peer::new(&server.base, &server.token(MAX)?, 0xfa1);
    let mut seq = 0u64;
    for entity in entities() {
        let visibility = if entity.owner_only() { Visibility::Private } else { Visibility::Org };
        let doc = valid_record(entity, 600, MAX)?;
        let id = DocId::new_random();
        seq += 1;
        let created = ann.push_one(item(id, entity.kind, visibility, doc.snapshot(), seq, ann.epoch)).await?;
        probes.check(&format!("a valid {} with every field set", entity.kind), "stored", &created);
        for (name, field) in fields(entity) {
            for (label, value) in malformed_values(field) {
                let attempt = RecordDoc::from_updates(700 + seq, &[doc.snapshot()])?;
                let update = set(&attempt, &name, field, &value)?;
                seq += 1;
                let ack = ann.push(vec![item(id, entity.kind, visibility, update, seq, ann.epoch)]).await?;
                let observed = match ack.results.first().map(|r| &r.outcome) {
                    Some(PushOutcome::Rejected { error }) => format!(
                        "{}:{}",
                        serde_json::to_value(error.code)?.as_str().unwrap_or_default(),
                        error.field.as_deref().unwrap_or("-")
                    ),
                    Some(PushOutcome::Stored { .. }) => "stored".into(),
                    Some(PushOutcome::Duplicate { .. }) => "duplicate".into(),
                    None => "no result".into(),
                };
                probes.check(&format!("{}.{name}: {label}", entity.kind), &format!("invalid:{name}"), &observed);
            }
        }
        let kept = ann.pull_all().await?.into_iter().filter(|u| u.doc_id == id).count();
        probes.check(
            &format!("every malformed {} update was refused, none stored", entity.kind),
            "1",
            &kept.to_string(),
        );
    }
    Ok(())
}
