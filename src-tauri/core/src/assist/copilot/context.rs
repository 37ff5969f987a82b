//! The context pack sent with every copilot turn: who is asking, today's date, the entity in view
//! with a timeline summary, open tasks, deals, relevant memories and consent flags — with
//! anything that looks like a secret (API keys, tokens, passwords) redacted from every text.

use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

use crate::{
    crm::activities::{self, Activity, ActivityQuery},
    crm::contacts::{self, Contact},
    crm::deals::{self, Deal, DealQuery},
    crm::pipeline::StageKind,
    crm::tasks::{self, Task, TaskQuery},
    meetings,
    memories::{self, EntityRef, RecallQuery},
    store::ids::{ContactId, DealId, MeetingId},
    Ctx, Result,
};

/// The record the rep is looking at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Focus {
    /// A contact.
    pub contact_id: Option<ContactId>,
    /// A deal.
    pub deal_id: Option<DealId>,
    /// A meeting.
    pub meeting_id: Option<MeetingId>,
}

/// Consent flags of one contact.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Consent {
    /// Contact id.
    pub contact_id: ContactId,
    /// Display name.
    pub name: String,
    /// No emails.
    pub email_opt_out: bool,
    /// No text messages.
    pub sms_opt_out: bool,
    /// No calls.
    pub do_not_call: bool,
}

/// Everything the copilot knows for one turn.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ContextPack {
    /// The acting user.
    pub user: String,
    /// Today (YYYY-MM-DD, UTC).
    pub today: String,
    /// The record in view (redacted JSON), if any.
    #[ts(type = "unknown")]
    pub entity: Option<Value>,
    /// Timeline of the record in view, newest first, one line per entry with its id.
    pub timeline: Vec<String>,
    /// Open tasks in scope.
    pub open_tasks: Vec<Task>,
    /// Deals in scope.
    pub deals: Vec<Deal>,
    /// Relevant memories: id, category, content.
    #[ts(type = "Array<Record<string, unknown>>")]
    pub memories: Vec<Value>,
    /// Consent flags of the contacts in scope.
    pub consent: Vec<Consent>,
    /// Records in scope (for memory recall and the offline engine).
    #[serde(skip)]
    #[ts(skip)]
    pub scope: Vec<EntityRef>,
    /// Whether a record is in view (otherwise the whole workspace is in scope).
    #[serde(skip)]
    #[ts(skip)]
    pub focused: bool,
}

fn consent_of(contact: &Contact) -> Consent {
    Consent {
        contact_id: contact.id,
        name: contact.display_name(),
        email_opt_out: contact.email_opt_out,
        sms_opt_out: contact.sms_opt_out,
        do_not_call: contact.do_not_call,
    }
}

fn timeline_line(a: &Activity) -> String {
    let direction = a.direction.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
    format!(
        "{} {}{direction}: {} [activity {}]",
        a.occurred_at.get(..10).unwrap_or(&a.occurred_at),
        a.kind.as_str(),
        a.subject,
        a.id
    )
}

/// Builds the context pack for a question about `focus`.
pub fn build(ctx: &Ctx, focus: Focus, question: &str) -> Result<ContextPack> {
    let mut pack = ContextPack {
        user: ctx.actor().to_owned(),
        today: ctx.now().format("%Y-%m-%d").to_string(),
        entity: None,
        timeline: Vec::new(),
        open_tasks: Vec::new(),
        deals: Vec::new(),
        memories: Vec::new(),
        consent: Vec::new(),
        scope: Vec::new(),
        focused: focus != Focus::default(),
    };
    let mut contacts_in_scope: Vec<ContactId> = Vec::new();
    if let Some(id) = focus.meeting_id {
        let meeting = meetings::get(ctx, id)?;
        pack.scope.push(EntityRef::new("meeting", id));
        contacts_in_scope.extend(meeting.attendees.iter().filter_map(|a| a.contact_id));
        if let Some(deal) = meeting.deal_id {
            pack.deals.push(deals::get(ctx, deal)?);
            pack.scope.push(EntityRef::new("deal", deal));
        }
        if let Some(company) = meeting.company_id {
            pack.scope.push(EntityRef::new("company", company));
        }
        pack.open_tasks = tasks::list(ctx, TaskQuery { entity_id: Some(id.to_string()), ..Default::default() })?;
        pack.entity = Some(json!({ "type": "meeting", "record": meeting }));
    }
    if let Some(id) = focus.deal_id {
        let deal = deals::get(ctx, id)?;
        pack.scope.push(EntityRef::new("deal", id));
        contacts_in_scope.extend(deal.contact_id);
        pack.scope.extend(deal.company_id.map(|c| EntityRef::new("company", c)));
        let timeline =
            activities::list(ctx, ActivityQuery { deal_id: Some(id), limit: Some(15), ..Default::default() })?;
        pack.timeline = timeline.iter().map(timeline_line).collect();
        pack.open_tasks = tasks::list(ctx, TaskQuery { entity_id: Some(id.to_string()), ..Default::default() })?;
        pack.entity = Some(json!({ "type": "deal", "record": deal }));
        pack.deals.push(deal);
    }
    if let Some(id) = focus.contact_id {
        let contact = contacts::get(ctx, id)?;
        pack.scope.extend(contact.company_id.map(|c| EntityRef::new("company", c)));
        let timeline =
            activities::list(ctx, ActivityQuery { contact_id: Some(id), limit: Some(15), ..Default::default() })?;
        pack.timeline = timeline.iter().map(timeline_line).collect();
        let deals = deals::list(ctx, DealQuery { contact_id: Some(id), ..Default::default() })?;
        pack.open_tasks = tasks::list(ctx, TaskQuery { entity_id: Some(id.to_string()), ..Default::default() })?;
        for deal in deals.into_iter().filter(|d| d.stage_kind == StageKind::Open) {
            pack.scope.push(EntityRef::new("deal", deal.id));
            pack.open_tasks
                .extend(tasks::list(ctx, TaskQuery { entity_id: Some(deal.id.to_string()), ..Default::default() })?);
            pack.deals.push(deal);
        }
        pack.entity = Some(json!({ "type": "contact", "record": contact }));
        contacts_in_scope.push(id);
    }
    if focus == Focus::default() {
        pack.open_tasks = tasks::list(ctx, TaskQuery { limit: Some(25), ..Default::default() })?;
        pack.deals = deals::list(ctx, DealQuery { limit: Some(50), ..Default::default() })?
            .into_iter()
            .filter(|d| d.stage_kind == StageKind::Open)
            .take(25)
            .collect();
        contacts_in_scope.extend(pack.deals.iter().filter_map(|d| d.contact_id));
    }
    contacts_in_scope.sort();
    contacts_in_scope.dedup();
    for id in contacts_in_scope {
        pack.scope.push(EntityRef::new("contact", id));
        pack.consent.push(consent_of(&contacts::get(ctx, id)?));
    }
    let recalled = memories::recall(
        ctx,
        RecallQuery { text: Some(question.to_owned()), entities: pack.scope.clone(), limit: Some(6) },
    )?;
    pack.memories = recalled
        .iter()
        .map(|r| json!({ "id": r.memory.id, "category": r.memory.category, "content": redact(&r.memory.content) }))
        .collect();
    pack.entity = pack.entity.map(redact_value);
    pack.timeline = pack.timeline.iter().map(|line| redact(line)).collect();
    for task in &mut pack.open_tasks {
        task.title = redact(&task.title);
        task.notes = task.notes.as_deref().map(redact);
    }
    for deal in &mut pack.deals {
        deal.notes = deal.notes.as_deref().map(redact);
        deal.next_step = deal.next_step.as_deref().map(redact);
    }
    Ok(pack)
}

/// Whether one whitespace-free word looks like a credential.
fn looks_secret(word: &str) -> bool {
    let core = word.trim_matches(|c: char| "\"'`,;()[]{}<>".contains(c));
    const PREFIXES: &[&str] = &[
        "sk-",
        "sk_",
        "pk_live",
        "rk_",
        "xox",
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "AKIA",
        "ASIA",
        "AIza",
        "ya29.",
        "eyJ",
        "hf_",
        "npm_",
        "shpat_",
        "SG.",
    ];
    if PREFIXES.iter().any(|p| core.starts_with(p)) && core.len() >= 12 {
        return true;
    }
    if uuid::Uuid::parse_str(core).is_ok() {
        return false;
    }
    let tokenish = core.chars().all(|c| c.is_ascii_alphanumeric() || "-_+/=.".contains(c));
    let digits = core.chars().filter(char::is_ascii_digit).count();
    let letters = core.chars().filter(char::is_ascii_alphabetic).count();
    let mixed_case = core.chars().any(|c| c.is_ascii_uppercase()) && core.chars().any(|c| c.is_ascii_lowercase());
    // Random keys (AWS secret keys, base64 blobs) mix cases with digits or slashes.
    let random = digits >= 4 || (mixed_case && (digits >= 1 || core.contains(['/', '+'])));
    tokenish && core.len() >= 32 && letters >= 4 && random && !core.contains('@')
}

/// Whether the word after a bare `password` / `secret` / `token` looks like the value rather
/// than prose ("password reset" is prose; "password Tr0ub4dor&3" is not).
fn credentialish(word: &str) -> bool {
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let has_symbol = word.chars().any(|c| !c.is_alphanumeric() && !".,;:!?'\"()".contains(c));
    let mixed_case = word.chars().skip(1).any(char::is_uppercase) && word.chars().any(char::is_lowercase);
    word.chars().count() >= 6 && (has_digit || has_symbol || mixed_case)
}

/// Replaces every PEM block (`-----BEGIN … PRIVATE KEY----- … -----END …-----`) by `[redacted]`.
fn redact_pem(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let block = &rest[start..];
        let end = block
            .find("-----END ")
            .and_then(|e| block[e + 9..].find("-----").map(|x| e + 9 + x + 5))
            .unwrap_or(block.len());
        out.push_str(&rest[..start]);
        out.push_str("[redacted]");
        rest = &block[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces credentials in `text` by `[redacted]`: PEM private keys, known key prefixes (OpenAI,
/// Stripe, Slack, GitHub, GitLab, AWS, Google, Hugging Face, npm, SendGrid, JWTs), long
/// random-looking tokens, and the value after `password`, `token`, `secret`, `api key` or
/// `bearer`.
pub fn redact(text: &str) -> String {
    let text = redact_pem(text);
    let mut out = String::with_capacity(text.len());
    let mut redact_next = false;
    let mut after_keyword = false;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        let tail = &piece[word.len()..];
        let lower = word.to_lowercase();
        if word.is_empty() {
            out.push_str(piece);
            continue;
        }
        if after_keyword && matches!(lower.as_str(), "is" | "was" | "=" | ":" | "-") {
            out.push_str(piece);
            redact_next = true;
            after_keyword = false;
            continue;
        }
        if redact_next || looks_secret(word) || (after_keyword && credentialish(word)) {
            out.push_str("[redacted]");
            out.push_str(tail);
            redact_next = false;
            after_keyword = false;
            continue;
        }
        after_keyword = false;
        let key = ["password", "passwd", "passphrase", "pwd", "token", "secret", "apikey", "api_key", "bearer", "key:"]
            .iter()
            .find(|k| lower.starts_with(*k) || lower.trim_end_matches([':', '=']).ends_with(*k));
        match (key, word.split_once(['=', ':'])) {
            (Some(_), Some((name, value))) if !value.is_empty() => {
                out.push_str(name);
                out.push_str(&word[name.len()..name.len() + 1]);
                out.push_str("[redacted]");
                out.push_str(tail);
            }
            (Some(_), _) => {
                redact_next = lower.ends_with(':') || lower.ends_with('=') || lower == "bearer";
                after_keyword = !redact_next;
                out.push_str(piece);
            }
            _ => out.push_str(piece),
        }
    }
    out
}

/// [`redact`] applied to every string in a JSON value.
pub fn redact_value(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(redact(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(redact_value).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, redact_value(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn credentials_are_redacted_and_prose_is_kept() {
        assert_eq!(redact("use key sk-abcdef1234567890XYZ please"), "use key [redacted] please");
        assert_eq!(redact("password: hunter2 then"), "password: [redacted] then");
        assert_eq!(redact("token=abc123"), "token=[redacted]");
        assert_eq!(redact("Authorization: Bearer abc.def.ghi"), "Authorization: Bearer [redacted]");
        assert_eq!(redact("Budget approved for Q3, call ada@acme.com"), "Budget approved for Q3, call ada@acme.com");
        assert_eq!(redact("id 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), "id 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    }

    #[test]
    fn aws_secret_keys_pem_blocks_and_bare_password_values_are_redacted_but_prose_is_not() {
        assert_eq!(redact("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok"), "secret [redacted] ok");
        assert_eq!(redact("the password is Tr0ub4dor&3 now"), "the password is [redacted] now");
        assert_eq!(
            redact("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIB\nxyz\n-----END RSA PRIVATE KEY-----\nb"),
            "a\n[redacted]\nb"
        );
        assert_eq!(redact("please send the password reset link"), "please send the password reset link");
        assert_eq!(redact("ghp_16C7e42F292c6912E7710c838347Ae178B4a"), "[redacted]");
    }
}
