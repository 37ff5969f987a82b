//! [`EntityKind`]: the typed name of each replicated entity, so code naming a kind is checked by
//! the compiler (a misspelt kind does not compile) while the wire keeps the strings.

use super::{copilot, crm, Entity};

/// One replicated entity kind. Its [`Entity`] definition is the single source of its columns,
/// replication, validation and erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// `company`.
    Company,
    /// `contact`.
    Contact,
    /// `deal`.
    Deal,
    /// `meeting`.
    Meeting,
    /// `task`.
    Task,
    /// `activity`.
    Activity,
    /// `brief`.
    Brief,
    /// `brief_comment`.
    BriefComment,
    /// `copilot_memory`.
    CopilotMemory,
    /// `copilot_conversation`.
    CopilotConversation,
}

impl EntityKind {
    /// Every kind, parents before children (the order of a device's initial backfill).
    pub const ALL: [EntityKind; 10] = [
        EntityKind::Company,
        EntityKind::Contact,
        EntityKind::Deal,
        EntityKind::Meeting,
        EntityKind::Task,
        EntityKind::Activity,
        EntityKind::Brief,
        EntityKind::BriefComment,
        EntityKind::CopilotMemory,
        EntityKind::CopilotConversation,
    ];

    /// Its definition.
    pub fn entity(self) -> &'static Entity {
        const fn def(kind: EntityKind) -> &'static Entity {
            match kind {
                EntityKind::Company => &crm::COMPANY,
                EntityKind::Contact => &crm::CONTACT,
                EntityKind::Deal => &crm::DEAL,
                EntityKind::Meeting => &crm::MEETING,
                EntityKind::Task => &crm::TASK,
                EntityKind::Activity => &crm::ACTIVITY,
                EntityKind::Brief => &crm::BRIEF,
                EntityKind::BriefComment => &crm::BRIEF_COMMENT,
                EntityKind::CopilotMemory => &copilot::MEMORY,
                EntityKind::CopilotConversation => &copilot::CONVERSATION,
            }
        }
        def(self)
    }

    /// The document kind as sent to the server and stored in `sync_docs`, `sync_outbox` and the
    /// audit log (`contact`, `deal`, …).
    pub fn name(self) -> &'static str {
        self.entity().kind
    }

    /// The local table holding its rows.
    pub fn table(self) -> &'static str {
        self.entity().table
    }

    /// The kind called `name` on the wire or in a stored row; `None` for a kind this version
    /// does not replicate.
    pub fn parse(name: &str) -> Option<EntityKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_has_exactly_one_kind_in_backfill_order() {
        let names: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
        let defined: Vec<&str> = super::super::entities().iter().map(|e| e.kind).collect();
        assert_eq!(names, defined);
        for (index, kind) in EntityKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, index, "ALL lists the kinds in declaration order");
            assert_eq!(EntityKind::parse(kind.name()), Some(kind));
            assert_eq!(super::super::entity(kind.name()), Some(kind.entity()));
        }
        assert_eq!(EntityKind::parse("spaceship"), None);
    }
}
