//! Typed record ids: UUIDv7 (time-ordered) newtypes, so a contact id can never be passed where a
//! deal id is expected.

use std::{fmt, str::FromStr};

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $entity:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(export, type = "string")]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The underlying UUID.
            pub fn uuid(&self) -> Uuid {
                self.0
            }

            /// What kind of record this id names, for error messages.
            pub const ENTITY: &'static str = $entity;
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| {
                    crate::Error::invalid(
                        concat!($entity, "_id"),
                        format!("'{s}' is not a valid {} id (expected a UUID such as 0190a1b2-…)", $entity),
                    )
                })
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0.to_string()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                Uuid::parse_str(text).map(Self).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

define_id!(
    /// Id of a company.
    CompanyId, "company"
);
define_id!(
    /// Id of a contact.
    ContactId, "contact"
);
define_id!(
    /// Id of a deal.
    DealId, "deal"
);
define_id!(
    /// Id of a pipeline.
    PipelineId, "pipeline"
);
define_id!(
    /// Id of a pipeline stage.
    StageId, "stage"
);
define_id!(
    /// Id of a task.
    TaskId, "task"
);
define_id!(
    /// Id of a timeline activity.
    ActivityId, "activity"
);
define_id!(
    /// Id of a meeting.
    MeetingId, "meeting"
);
define_id!(
    /// Id of an import job.
    ImportJobId, "import"
);
define_id!(
    /// Id of a watched source (folder or bucket).
    SourceId, "watch"
);
define_id!(
    /// Id of a copilot memory.
    MemoryId, "memory"
);
define_id!(
    /// Id of a copilot conversation thread.
    ThreadId, "thread"
);
define_id!(
    /// Id of a copilot action awaiting (or past) the rep's confirmation.
    ActionId, "action"
);
define_id!(
    /// Id of an outbound delivery (a webhook or Slack message in the outbound queue).
    DeliveryId, "outbound"
);
define_id!(
    /// Id of a connection to a provider account (Google, Dropbox, …).
    ConnectionId, "connection"
);
define_id!(
    /// Id of a pre-meeting brief.
    BriefId, "brief"
);
define_id!(
    /// Id of a manager's comment on a brief.
    CommentId, "comment"
);
define_id!(
    /// Id of an agent notification.
    NotificationId, "notification"
);

/// Whether `table` holds a row with this `id`.
pub(crate) fn row_exists(conn: &rusqlite::Connection, table: &str, id: impl rusqlite::ToSql) -> crate::Result<bool> {
    Ok(conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?.exists([id])?)
}

/// Refuses a reference to a `table` row this replica does not hold, naming the `entity` kind.
/// Checked on the table alone, so a module can validate links to records whose module builds on it.
pub(crate) fn require_row(
    conn: &rusqlite::Connection,
    table: &'static str,
    entity: &'static str,
    id: &impl std::fmt::Display,
) -> crate::Result<()> {
    let id = id.to_string();
    if row_exists(conn, table, &id)? {
        Ok(())
    } else {
        Err(crate::Error::NotFound { entity, id })
    }
}
