//! Memories written by the core from business events, inside the event's own transaction: a deal
//! moving stage or changing value, a task completed, a meeting logged on the timeline. They are
//! owned by the acting user, have source `event` and full confidence, and decay like any other
//! memory in [`super::recall`].

use super::{insert, EntityRef, MemoryCategory, MemorySource};
use crate::{store::ctx::Tx, Result};

/// Records `content` as an event memory about `links` (links without a record are skipped).
pub(crate) fn record_event(
    tx: &Tx<'_>,
    category: MemoryCategory,
    content: String,
    links: &[Option<EntityRef>],
) -> Result<()> {
    let links: Vec<EntityRef> = links.iter().flatten().cloned().collect();
    if links.is_empty() {
        return Ok(());
    }
    insert(tx, category, content, 1.0, MemorySource::Event, &links)?;
    Ok(())
}

/// A link to record `id` of kind `entity_type`, when there is one.
pub(crate) fn link(entity_type: &str, id: Option<impl ToString>) -> Option<EntityRef> {
    id.map(|id| EntityRef::new(entity_type, id))
}

/// The calendar date of a transaction, for memory texts.
pub(crate) fn day(tx: &Tx<'_>) -> String {
    tx.now.format("%Y-%m-%d").to_string()
}
