//! The CRM entities: companies, contacts, deals, meetings, tasks, activities, briefs and brief
//! comments. Bounds are the core's (see [`super::rules`]); free text that can name a person is
//! marked personal so a GDPR erasure redacts it.

use super::rules::{MAX_LONG, MAX_SHORT, MAX_VALUE_MINOR};
use super::{Access, Entity, Field, FieldType as T};

const SHORT: T = T::Text { max: MAX_SHORT };
const LONG: T = T::Text { max: MAX_LONG };
/// Identifiers from other systems (iCalendar UIDs can be long).
const EXTERNAL_ID: T = T::Text { max: 2_000 };
/// Custom fields from imports: a JSON object of extra columns.
const CUSTOM_FIELDS: T = T::JsonObject { max_bytes: 256 * 1024 };

const fn created() -> Field {
    Field::new("created_at", T::Timestamp).required()
}

const fn updated() -> Field {
    Field::new("updated_at", T::Timestamp).required()
}

/// A company (`companies`).
pub const COMPANY: Entity = Entity {
    kind: "company",
    table: "companies",
    fields: &[
        Field::new("name", SHORT).required().personal(),
        Field::new("domain", T::Domain),
        Field::new("industry", SHORT).personal(),
        Field::new("location", SHORT).personal(),
        Field::new("size", SHORT).personal(),
        Field::new("custom_fields", CUSTOM_FIELDS).required().personal(),
        created(),
        updated(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: false,
};

/// A contact (`contacts`): a person. Their own name, e-mail, phone and LinkedIn URL are not
/// "personal free text" to scan: they go with the contact when it is erased (a namesake in
/// another contact is another person), and the erasure redacts them wherever else they appear.
pub const CONTACT: Entity = Entity {
    kind: "contact",
    table: "contacts",
    fields: &[
        Field::new("first_name", SHORT),
        Field::new("last_name", SHORT),
        Field::new("email", T::Email),
        // The importer keeps phones as given ("+44 20 7946 0000 ext. 5"), so any short text.
        Field::new("phone", SHORT),
        Field::new("title", SHORT).personal(),
        Field::new("company_id", T::Id).references("companies"),
        Field::new("email_opt_out", T::Flag).required(),
        Field::new("sms_opt_out", T::Flag).required(),
        Field::new("do_not_call", T::Flag).required(),
        Field::new("lead_source", SHORT).personal(),
        Field::new("custom_fields", CUSTOM_FIELDS).required().personal(),
        Field::new("linkedin_url", T::LinkedinUrl),
        Field::new("time_zone", T::TimeZone),
        created(),
        updated(),
        Field::new("notes", LONG).long_text().personal(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: true,
};

/// A deal (`deals`).
pub const DEAL: Entity = Entity {
    kind: "deal",
    table: "deals",
    fields: &[
        Field::new("title", SHORT).required().personal(),
        Field::new("value_minor", T::Integer { min: 0, max: MAX_VALUE_MINOR }).required(),
        Field::new("currency", T::Currency).required(),
        Field::new("pipeline_id", T::Id).required(),
        Field::new("stage_id", T::Id).required(),
        Field::new("stage_entered_at", T::Timestamp).required(),
        Field::new("expected_close", T::Date),
        Field::new("owner", SHORT),
        Field::new("contact_id", T::Id).references("contacts"),
        Field::new("company_id", T::Id).references("companies"),
        Field::new("next_step", SHORT).personal(),
        Field::new("closed_at", T::Timestamp),
        Field::new("budget", SHORT).personal(),
        Field::new("authority", SHORT).personal(),
        Field::new("need", SHORT).personal(),
        Field::new("timeline", SHORT).personal(),
        created(),
        updated(),
        Field::new("notes", LONG).long_text().personal(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: Some("owner"),
    erasable: false,
};

/// A meeting (`meetings`); its attendees travel as one JSON field.
pub const MEETING: Entity = Entity {
    kind: "meeting",
    table: "meetings",
    fields: &[
        Field::new("title", SHORT).required().personal(),
        Field::new("starts_at", T::Timestamp).required(),
        Field::new("ends_at", T::Timestamp),
        Field::new("location", SHORT).personal(),
        Field::new("status", T::Enum(&["scheduled", "cancelled"])).required(),
        Field::new("external_uid", EXTERNAL_ID),
        Field::new("all_day", T::Flag).required(),
        Field::new("calendar_uid", EXTERNAL_ID),
        Field::new("calendar_sequence", T::Integer { min: 0, max: i32::MAX as i64 }),
        Field::new("calendar_stamp", EXTERNAL_ID),
        Field::new("company_id", T::Id).references("companies"),
        Field::new("deal_id", T::Id).references("deals"),
        created(),
        updated(),
        Field::new("description", LONG).long_text().personal(),
        Field::new("notes", LONG).long_text().personal(),
        Field::new("attendees", T::Attendees).carried(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: false,
};

/// A task (`tasks`).
pub const TASK: Entity = Entity {
    kind: "task",
    table: "tasks",
    fields: &[
        Field::new("title", SHORT).required().personal(),
        Field::new("due_date", T::Date),
        Field::new("priority", T::Enum(&["low", "normal", "high"])).required(),
        Field::new("entity_type", T::Enum(&["contact", "company", "deal", "meeting"])),
        Field::new("entity_id", T::Id),
        Field::new("done_at", T::Timestamp),
        created(),
        updated(),
        Field::new("notes", LONG).long_text().personal(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: true,
};

/// An activity (`activities`): a call, e-mail, note, meeting or stage change.
pub const ACTIVITY: Entity = Entity {
    kind: "activity",
    table: "activities",
    fields: &[
        Field::new("kind", T::Enum(&["note", "call", "email", "meeting", "stage_change"])).required(),
        Field::new("subject", SHORT).required().personal(),
        Field::new("occurred_at", T::Timestamp).required(),
        Field::new("contact_id", T::Id).references("contacts"),
        Field::new("company_id", T::Id).references("companies"),
        Field::new("deal_id", T::Id).references("deals"),
        Field::new("meeting_id", T::Id).references("meetings"),
        Field::new("direction", T::Enum(&["inbound", "outbound"])),
        created(),
        Field::new("body", LONG).long_text().personal(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: true,
};

/// A brief's review record (`briefs`); its generated content is local and rebuilt on every device.
pub const BRIEF: Entity = Entity {
    kind: "brief",
    table: "briefs",
    fields: &[
        Field::new("meeting_id", T::Id).required().references("meetings"),
        Field::new("status", T::Enum(&["draft", "ready", "reviewed"])).required(),
        Field::new("reviewed_at", T::Timestamp),
        Field::new("reviewed_by", SHORT),
        created(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: false,
};

/// A comment on a brief (`brief_comments`).
pub const BRIEF_COMMENT: Entity = Entity {
    kind: "brief_comment",
    table: "brief_comments",
    fields: &[
        Field::new("brief_id", T::Id).required().references("briefs"),
        Field::new("author", SHORT).required(),
        Field::new("body", LONG).required().personal(),
        created(),
    ],
    prefixed: None,
    access: Access::Org,
    owner_field: None,
    erasable: false,
};
