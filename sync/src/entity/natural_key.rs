//! Natural-key document ids: the deterministic (UUIDv5) ids of contacts (from their e-mail) and
//! companies (from their domain, else their normalised name), derived in one place so every
//! device and the server agree on them byte for byte.
//!
//! The same lead or company created offline on two devices gets ONE id, so the two versions merge
//! field by field. The server checks on a record's first write that its id derives from the key
//! it carries (so nobody can pre-claim a colleague's future contact), and a receiving device does
//! the same when a record first arrives.
//!
//! **Creation keys.** A record's key may be edited after its id was derived (the id stays), and
//! once the server compacts its history a device joining later sees only the current key. So the
//! creating device records the normalised key the id derives from in the document itself
//! ([`RecordDoc::set_creation_key`](crate::doc::RecordDoc::set_creation_key)) with the first state.
//! The server accepts a first write only when its creation key derives the id AND is the record's
//! current key, and refuses a later write that changes it ([`check_creation_key_change`]); a
//! device then checks the id against the creation key ([`check_received`]), and against the
//! current key for documents created before creation keys existed. The only change allowed is the
//! GDPR scrub to [`ERASED_CREATION_KEY`] (a company named after an erased person): the first write
//! was checked when it was made, so the scrubbed record is accepted as it is.

mod text;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::doc::{natural_key_doc_id, normalise_key};

pub use text::{fold, words};

/// The `org` scope of natural-key document ids: a constant, not the organisation's name, because
/// a device may create records before it ever connected. Never change it.
pub const NATURAL_KEY_SCOPE: &str = "outpost";

/// The creation key a GDPR erasure leaves in place of one that named the erased person.
pub const ERASED_CREATION_KEY: &str = "";

/// The natural id of a record of `kind` with (normalised) key `key`; None for an empty key.
pub fn natural_id(kind: &str, key: &str) -> Option<Uuid> {
    let key = normalise_key(key);
    (!key.is_empty()).then(|| natural_key_doc_id(NATURAL_KEY_SCOPE, kind, &key).0)
}

/// The normalised key of a contact with this e-mail address (trimmed, lower-cased).
fn contact_key(email: &str) -> String {
    normalise_key(email)
}

/// The normalised key of a company with this domain, else this name ([`normalized_company_name`]).
fn company_key(domain: Option<&str>, name: &str) -> String {
    normalise_key(&match domain.map(str::trim).filter(|d| !d.is_empty()) {
        Some(domain) => format!("domain:{domain}"),
        None => format!("name:{}", normalized_company_name(name)),
    })
}

/// The natural id of a contact with this e-mail address (trimmed, lower-cased).
pub fn natural_contact_id(email: &str) -> Option<Uuid> {
    natural_id("contact", &contact_key(email))
}

/// The natural id of a company with this domain, else this name ([`normalized_company_name`]).
pub fn natural_company_id(domain: Option<&str>, name: &str) -> Option<Uuid> {
    natural_id("company", &company_key(domain, name))
}

/// The normalised keys a record of `kind` with `fields` may derive its natural id from: a
/// contact's e-mail; a company's domain and its name (a company keyed by its name may have been
/// given a domain since). Empty for kinds without natural keys and for records without a key.
pub fn natural_keys(kind: &str, fields: &Map<String, Value>) -> Vec<String> {
    let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
    let keys = match kind {
        "contact" => text("email").map(contact_key).into_iter().collect(),
        "company" => {
            let name = text("name").unwrap_or_default();
            let mut keys = vec![company_key(text("domain"), name)];
            if text("domain").is_some() {
                keys.push(company_key(None, name));
            }
            keys
        }
        _ => Vec::new(),
    };
    // The keys `natural_id` derives an id from: non-empty once normalised, i.e. once trimmed
    // (lower-casing never empties a string). Checked without hashing: callers hash the key
    // they use.
    keys.into_iter().filter(|k| !k.trim().is_empty()).collect()
}

/// The creation key to record for new record `id` of `kind` with `fields`: the one of its
/// [`natural_keys`] that derives `id`. None when the id is not a natural-key id of these fields
/// (a random id, or a record whose key was edited before it got a document).
pub fn creation_key_for(kind: &str, id: Uuid, fields: &Map<String, Value>) -> Option<String> {
    natural_keys(kind, fields).into_iter().find(|key| natural_id(kind, key) == Some(id))
}

/// Legal-form words dropped from the end of company names (after dots are removed, so
/// "S.A." is "sa" and "Co." is "co").
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "ug",
    "sa",
    "sas",
    "sarl",
    "sl",
    "srl",
    "spa",
    "bv",
    "nv",
    "plc",
    "co",
    "corp",
    "corporation",
    "company",
    "pty",
    "ab",
    "oy",
    "as",
    "aps",
    "se",
    "kk",
    "and",
    "ev",
];

/// Canonical form of a company name for matching: lower-case, accents folded, punctuation and
/// whitespace collapsed, trailing legal forms (Inc, LLC, Ltd, GmbH, AG, SA, SAS, BV, plc, Co…)
/// removed. `"Müller GmbH & Co. KG"` → `"muller"`, `"ACME, Inc."` → `"acme"`.
pub fn normalized_company_name(name: &str) -> String {
    let undotted: String = name.chars().filter(|c| !matches!(c, '.' | '\'' | '’')).collect();
    let folded = words(&undotted.replace('&', " and "));
    let mut tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    while tokens.len() > 1 && tokens.last().is_some_and(|t| LEGAL_SUFFIXES.contains(t)) {
        tokens.pop();
    }
    tokens.join(" ")
}

/// Whether natural-key id `id` of a record of `kind` with `fields` derives from a key the record
/// carries: a contact's e-mail, a company's domain or name (a company keyed by name may have been
/// given a domain since). Kinds without natural keys (and briefs, keyed by their meeting, which
/// the caller checks) always pass. On a mismatch, the field to name in the error.
pub fn check_natural_key(kind: &str, id: Uuid, fields: &Map<String, Value>) -> Result<(), &'static str> {
    match kind {
        "contact" | "company" if creation_key_for(kind, id, fields).is_none() => Err(key_field(kind, fields)),
        _ => Ok(()),
    }
}

/// The field naming a record's natural key in errors: a contact's e-mail, a company's domain
/// (else its name).
pub fn key_field(kind: &str, fields: &Map<String, Value>) -> &'static str {
    let has = |name: &str| fields.get(name).and_then(Value::as_str).is_some_and(|v| !v.trim().is_empty());
    match kind {
        "contact" => "email",
        _ if has("domain") => "domain",
        _ => "name",
    }
}

/// Why creation key `key` of record `id` of `kind` is refused: it must be normalised and derive
/// the id.
fn creation_key_derives(kind: &str, id: Uuid, key: &str) -> Result<(), String> {
    if normalise_key(key) == key && natural_id(kind, key) == Some(id) {
        return Ok(());
    }
    Err(format!(
        "{kind} {id} was not created with the key `{}` (its id derives from the key it was created with)",
        super::rules::preview(key)
    ))
}

/// The server's check of a record's FIRST write: a natural-key (UUIDv5) contact or company must
/// carry a key deriving its id ([`check_natural_key`]), and a creation key, when the writer
/// records one, must derive the id and be that current key. On refusal, `(field, reason)`.
pub fn check_first_write(
    kind: &str,
    id: Uuid,
    creation_key: Option<&str>,
    fields: &Map<String, Value>,
) -> Result<(), (&'static str, String)> {
    if !matches!(kind, "contact" | "company") {
        return match creation_key {
            None => Ok(()),
            Some(_) => Err((CREATION_KEY_FIELD, format!("a `{kind}` has no natural key, so it has no creation key"))),
        };
    }
    check_natural_key(kind, id, fields).map_err(|field| {
        (field, format!("does not derive {kind} {id} (a natural-key id derives from the record's key)"))
    })?;
    let Some(key) = creation_key else { return Ok(()) };
    creation_key_derives(kind, id, key).map_err(|why| (CREATION_KEY_FIELD, why))?;
    if !natural_keys(kind, fields).iter().any(|k| k == key) {
        return Err((
            CREATION_KEY_FIELD,
            format!("must be the key the new {kind} carries (its {}), normalised", key_field(kind, fields)),
        ));
    }
    Ok(())
}

/// The name of the creation key in per-field errors and the quarantine.
pub const CREATION_KEY_FIELD: &str = "creation_key";

/// The server's check of a LATER write to record `id` of `kind`: a creation key never changes.
/// It may be added to a document created without one (by an older device, or concurrently) when
/// it derives the id, and scrubbed to [`ERASED_CREATION_KEY`] by a GDPR erasure. On refusal, the
/// reason (the field is [`CREATION_KEY_FIELD`]).
pub fn check_creation_key_change(
    kind: &str,
    id: Uuid,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<(), String> {
    match (before, after) {
        (before, after) if before == after => Ok(()),
        (Some(_), Some(ERASED_CREATION_KEY)) => Ok(()),
        (None, Some(key)) => creation_key_derives(kind, id, key),
        (Some(_), _) => Err(format!(
            "the creation key of {kind} {id} is fixed when it is created and can only be erased (GDPR), never changed              or removed"
        )),
        (None, None) => Ok(()),
    }
}

/// A receiving device's check of natural-key record `id` of `kind` when it first arrives: with a
/// creation key, the id must derive from it (an erased creation key is accepted: the first write
/// was checked); without one (documents created before creation keys), from its current key
/// ([`check_natural_key`]). On refusal, the field to report.
pub fn check_received(
    kind: &str,
    id: Uuid,
    creation_key: Option<&str>,
    fields: &Map<String, Value>,
) -> Result<(), &'static str> {
    if !matches!(kind, "contact" | "company") {
        return Ok(());
    }
    match creation_key {
        Some(ERASED_CREATION_KEY) => Ok(()),
        Some(key) => creation_key_derives(kind, id, key).map_err(|_| CREATION_KEY_FIELD),
        None => check_natural_key(kind, id, fields),
    }
}

#[cfg(test)]
mod tests;
