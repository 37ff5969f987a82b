//! Natural-key document ids: the deterministic (UUIDv5) ids of contacts (from their e-mail) and
//! companies (from their domain, else their normalised name), derived in one place so every
//! device and the server agree on them byte for byte.
//!
//! The same lead or company created offline on two devices gets ONE id, so the two versions merge
//! field by field. The server checks on a record's first write that its id derives from the key
//! it carries (so nobody can pre-claim a colleague's future contact), and a receiving device does
//! the same when a record first arrives.

mod text;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::doc::{natural_key_doc_id, normalise_key};

pub use text::{fold, words};

/// The `org` scope of natural-key document ids: a constant, not the organisation's name, because
/// a device may create records before it ever connected. Never change it.
pub const NATURAL_KEY_SCOPE: &str = "outpost";

fn natural_id(kind: &str, key: &str) -> Option<Uuid> {
    let key = normalise_key(key);
    (!key.is_empty()).then(|| natural_key_doc_id(NATURAL_KEY_SCOPE, kind, &key).0)
}

/// The natural id of a contact with this e-mail address (trimmed, lower-cased).
pub fn natural_contact_id(email: &str) -> Option<Uuid> {
    natural_id("contact", email)
}

/// The natural id of a company with this domain, else this name ([`normalized_company_name`]).
pub fn natural_company_id(domain: Option<&str>, name: &str) -> Option<Uuid> {
    let key = match domain.map(str::trim).filter(|d| !d.is_empty()) {
        Some(domain) => format!("domain:{domain}"),
        None => format!("name:{}", normalized_company_name(name)),
    };
    natural_id("company", &key)
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
    let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
    match kind {
        "contact" => {
            if text("email").and_then(natural_contact_id) == Some(id) {
                return Ok(());
            }
            Err("email")
        }
        "company" => {
            let (domain, name) = (text("domain"), text("name").unwrap_or_default());
            if [natural_company_id(domain, name), natural_company_id(None, name)].contains(&Some(id)) {
                return Ok(());
            }
            Err(if domain.is_some() { "domain" } else { "name" })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
