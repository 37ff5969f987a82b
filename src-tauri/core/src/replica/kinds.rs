//! Which tables and columns are replicated, per record kind.
//!
//! A column listed here is one field of the record's CRDT document, under the column's name.
//! Long free text (notes, bodies, descriptions) goes into yrs texts so concurrent edits merge
//! character by character. Everything else in the row is local and derived, and stays out of the
//! CRDT: search keys (`name_key`, `phone_e164`), `last_contacted_at` (recomputed from activities),
//! FTS indexes (kept by triggers). Meeting attendees live in their own table and travel as one
//! JSON field, `attendees`.

/// The replication mapping of one record kind.
#[derive(Debug)]
pub(crate) struct Kind {
    /// Document kind as sent to the server (`contact`, `deal`, …).
    pub name: &'static str,
    /// The table holding the materialised rows (primary key `id`).
    pub table: &'static str,
    /// Scalar columns, one CRDT field each.
    pub columns: &'static [&'static str],
    /// Long text columns, one CRDT text each.
    pub texts: &'static [&'static str],
    /// Columns referencing another replicated table: set to NULL on materialisation when the
    /// referenced row is absent here (not synced yet, or deleted), as `ON DELETE SET NULL` would.
    pub refs: &'static [(&'static str, &'static str)],
}

/// Every replicated kind, parents before children (the order of the initial backfill).
pub(crate) const KINDS: &[Kind] = &[
    Kind {
        name: "company",
        table: "companies",
        columns: &["name", "domain", "industry", "location", "size", "custom_fields", "created_at", "updated_at"],
        texts: &[],
        refs: &[],
    },
    Kind {
        name: "contact",
        table: "contacts",
        columns: &[
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "company_id",
            "email_opt_out",
            "sms_opt_out",
            "do_not_call",
            "lead_source",
            "custom_fields",
            "created_at",
            "updated_at",
        ],
        texts: &["notes"],
        refs: &[("company_id", "companies")],
    },
    Kind {
        name: "deal",
        table: "deals",
        columns: &[
            "title",
            "value_minor",
            "currency",
            "pipeline_id",
            "stage_id",
            "stage_entered_at",
            "expected_close",
            "owner",
            "contact_id",
            "company_id",
            "next_step",
            "closed_at",
            "budget",
            "authority",
            "need",
            "timeline",
            "created_at",
            "updated_at",
        ],
        texts: &["notes"],
        refs: &[("contact_id", "contacts"), ("company_id", "companies")],
    },
    Kind {
        name: "meeting",
        table: "meetings",
        columns: &[
            "title",
            "starts_at",
            "ends_at",
            "location",
            "status",
            "external_uid",
            "all_day",
            "calendar_uid",
            "calendar_sequence",
            "calendar_stamp",
            "company_id",
            "deal_id",
            "created_at",
            "updated_at",
        ],
        texts: &["description", "notes"],
        refs: &[("company_id", "companies"), ("deal_id", "deals")],
    },
    Kind {
        name: "task",
        table: "tasks",
        columns: &["title", "due_date", "priority", "entity_type", "entity_id", "done_at", "created_at", "updated_at"],
        texts: &["notes"],
        refs: &[],
    },
    Kind {
        name: "activity",
        table: "activities",
        columns: &[
            "kind",
            "subject",
            "occurred_at",
            "contact_id",
            "company_id",
            "deal_id",
            "meeting_id",
            "direction",
            "created_at",
        ],
        texts: &["body"],
        refs: &[
            ("contact_id", "contacts"),
            ("company_id", "companies"),
            ("deal_id", "deals"),
            ("meeting_id", "meetings"),
        ],
    },
];

/// The mapping of `kind`, if it is replicated.
pub(crate) fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// Name of the meeting field carrying the attendee list.
pub(crate) const ATTENDEES: &str = "attendees";
