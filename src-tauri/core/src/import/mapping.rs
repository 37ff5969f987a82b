//! Column mapping: which lead field (if any) each CSV column fills.
//!
//! [`auto_map`] guesses a mapping from header names via [`super::synonyms`]; users fix it in the
//! import dialog or pass `--mapping FILE.json` ([`Mapping::from_json`]). Saved mappings are keyed
//! by [`header_fingerprint`], so the next export from the same tool maps itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{
    canonical::text::{compact_key, words},
    error::import::ImportError,
    import::{
        numbered::{self, Numbered},
        sensitive::is_secret,
        synonyms::{lookup, lookup_qualified, Strength},
        Field,
    },
};

/// What one column becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportTarget")]
pub enum Target {
    /// Fills a lead field.
    Field(Field),
    /// Kept as a custom field, keyed by the column's original header.
    Custom(String),
    /// Dropped on purpose.
    Ignore,
}

/// One [`Target`] per header, by index.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportMapping")]
pub struct Mapping {
    /// `columns[i]` is what header `i` becomes.
    pub columns: Vec<Target>,
}

impl Mapping {
    /// Index of the column mapped to `field`, if any.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|t| *t == Target::Field(field))
    }

    /// Checks the mapping fits `headers`: one target per header, each field at most once (consent
    /// flags may come from several columns), no empty custom-field names.
    pub fn validate(&self, headers: &[String]) -> Result<(), ImportError> {
        if self.columns.len() != headers.len() {
            return Err(ImportError::Mapping(format!(
                "it has {} columns but the file has {}: re-create it for this file",
                self.columns.len(),
                headers.len()
            )));
        }
        let mut seen: BTreeMap<Field, usize> = BTreeMap::new();
        for (i, target) in self.columns.iter().enumerate() {
            match target {
                Target::Field(field) if !field.is_flag() => {
                    if let Some(first) = seen.insert(*field, i) {
                        return Err(ImportError::Mapping(format!(
                            "field '{field}' is mapped from both '{}' and '{}': map it from one column only",
                            headers[first], headers[i]
                        )));
                    }
                }
                Target::Custom(name) if name.trim().is_empty() => {
                    return Err(ImportError::Mapping(format!(
                        "column '{}' is mapped to a custom field with an empty name",
                        headers[i]
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads a mapping from JSON, in either form:
    ///
    /// - the serialized [`Mapping`]: `{"columns": [{"field": "email"}, {"custom": "Score"}, "ignore"]}`;
    /// - the friendly form keyed by header: `{"Header Name": "email", "Other": "custom", "X": "ignore"}`.
    ///   Field names may be keys or labels (`"first_name"`, `"First name"`); headers not
    ///   listed are auto-mapped, except to a field some listed header already takes.
    ///
    /// Unknown headers or fields, and fields mapped twice, are errors naming the culprit.
    pub fn from_json(headers: &[String], json: &str) -> Result<Mapping, ImportError> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| ImportError::Mapping(format!("not valid JSON ({e}): fix the mapping file")))?;
        let serde_json::Value::Object(object) = value else {
            return Err(ImportError::Mapping(
                "expected a JSON object such as {\"Email Address\": \"email\", \"Notes\": \"custom\"}".to_string(),
            ));
        };
        let mapping = match object.get("columns") {
            Some(serde_json::Value::Array(_)) if !headers.iter().any(|h| h == "columns") => {
                serde_json::from_value(serde_json::Value::Object(object))
                    .map_err(|e| ImportError::Mapping(format!("bad \"columns\" list: {e}")))?
            }
            _ => friendly(headers, &object)?,
        };
        mapping.validate(headers)?;
        Ok(mapping)
    }
}

/// Builds a mapping from the `{"Header": "field"}` form.
fn friendly(headers: &[String], object: &serde_json::Map<String, serde_json::Value>) -> Result<Mapping, ImportError> {
    let mut explicit: Vec<Option<Target>> = vec![None; headers.len()];
    for (key, value) in object {
        let index = headers
            .iter()
            .position(|h| h == key)
            .or_else(|| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(key.trim())))
            .ok_or_else(|| {
                ImportError::Mapping(format!("unknown column '{key}'; the file's columns are: {}", headers.join(", ")))
            })?;
        let serde_json::Value::String(name) = value else {
            return Err(ImportError::Mapping(format!("column '{key}' must map to a string such as \"email\"")));
        };
        let target = match compact_key(name).as_str() {
            "ignore" | "skip" => Target::Ignore,
            "custom" => Target::Custom(headers[index].clone()),
            _ => Target::Field(Field::parse(name).ok_or_else(|| {
                let all: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
                ImportError::Mapping(format!(
                    "unknown field '{name}' for column '{key}'; use one of: {}, custom, ignore",
                    all.join(", ")
                ))
            })?),
        };
        explicit[index] = Some(target);
    }
    let claimed: Vec<Field> = explicit
        .iter()
        .filter_map(|t| match t {
            Some(Target::Field(f)) => Some(*f),
            _ => None,
        })
        .collect();
    let auto = auto_map(headers);
    let columns = explicit
        .into_iter()
        .zip(auto.columns)
        .zip(headers)
        .map(|((explicit, auto), header)| match (explicit, auto) {
            (Some(target), _) => target,
            (None, Target::Field(f)) if claimed.contains(&f) => Target::Custom(header.clone()),
            (None, auto) => auto,
        })
        .collect();
    Ok(Mapping { columns })
}

/// Guesses a mapping from header names.
///
/// Passes, each over the headers in order: strong synonyms, then synonyms after dropping
/// qualifier words ("Work Email"; a home qualifier makes an address field a home one), then weak
/// synonyms. A field goes to the first column that matches it; later matches stay custom.
/// Numbered multi-value columns (`E-mail 1 - Value`, `Organization 1 - Title`) are read through
/// [`super::numbered`]. Unmatched columns become `Custom(header)`: kept, not dropped. Context
/// rules: LinkedIn's "URL" (next to "Connected On") is the profile; a bare "Name" next to a
/// first-name column ("Vorname" + "Name") is the last name; a bare "Title" next to a "Job Title"
/// is an honorific (Outlook), not the job. Columns holding secrets (passwords, card and
/// national ID numbers, see [`super::sensitive`]) are ignored.
pub fn auto_map(headers: &[String]) -> Mapping {
    let mut fields: Vec<Option<Field>> = vec![None; headers.len()];
    let mut skip = vec![false; headers.len()];
    let mut texts: Vec<String> = headers.to_vec();
    for (i, header) in headers.iter().enumerate() {
        match numbered::canonical(header) {
            Some(Numbered::Like(text)) => texts[i] = text,
            Some(Numbered::AddressKind) if !fields.contains(&Some(Field::AddressKind)) => {
                fields[i] = Some(Field::AddressKind);
            }
            Some(Numbered::AddressKind | Numbered::Label) => skip[i] = true,
            None => {}
        }
    }
    let linkedin_export = headers.iter().any(|h| compact_key(h) == "connectedon");
    if linkedin_export {
        if let Some(i) = headers.iter().position(|h| compact_key(h) == "url") {
            fields[i] = Some(Field::LinkedIn);
        }
    }
    let specific_title =
        texts.iter().any(|t| compact_key(t) != "title" && lookup(t, Strength::Strong) == Some(Field::Title));
    if specific_title {
        for (i, text) in texts.iter().enumerate() {
            skip[i] |= compact_key(text) == "title";
        }
    }
    for pass in 0..3 {
        for (i, text) in texts.iter().enumerate() {
            if fields[i].is_some() || skip[i] {
                continue;
            }
            if let Some(field) = matching(pass, text).filter(|f| f.is_flag() || !fields.contains(&Some(*f))) {
                fields[i] = Some(field);
            }
        }
    }
    if fields.contains(&Some(Field::FirstName)) && !fields.contains(&Some(Field::LastName)) {
        if let Some(i) = fields.iter().position(|f| *f == Some(Field::FullName)) {
            if compact_key(&headers[i]) == "name" {
                fields[i] = Some(Field::LastName);
            }
        }
        // "Nombre" / "Nome" alone is the whole name (Spanish, Italian, Portuguese lists).
        if let Some(i) = fields.iter().position(|f| *f == Some(Field::FirstName)) {
            if matches!(compact_key(&texts[i]).as_str(), "nombre" | "nome") && !fields.contains(&Some(Field::FullName))
            {
                fields[i] = Some(Field::FullName);
            }
        }
    }
    let columns = fields
        .into_iter()
        .zip(headers)
        .map(|(field, header)| match field {
            _ if is_secret(header) => Target::Ignore,
            Some(field) => Target::Field(field),
            None => Target::Custom(header.clone()),
        })
        .collect();
    Mapping { columns }
}

/// The field a header names on its own (numbered, strong, qualified and weak synonyms), whatever
/// other columns claimed: how a row finds a second email or phone column to fall back on.
pub(crate) fn header_field(header: &str) -> Option<Field> {
    let text = match numbered::canonical(header) {
        Some(Numbered::Like(text)) => text,
        Some(_) => return None,
        None => header.to_owned(),
    };
    (0..3).find_map(|pass| matching(pass, &text))
}

/// Pass `pass` of [`auto_map`]: strong synonyms, qualified strong synonyms, weak synonyms.
fn matching(pass: usize, header: &str) -> Option<Field> {
    match pass {
        0 => lookup(header, Strength::Strong),
        1 => lookup_qualified(header),
        _ => lookup(header, Strength::Weak),
    }
}

/// Stable, order-sensitive sha256 hex of the normalised headers (case, accents, punctuation and
/// spacing ignored): the key under which mapping templates are saved.
pub fn header_fingerprint(headers: &[String]) -> String {
    let mut hasher = Sha256::new();
    for header in headers {
        hasher.update(words(header).as_bytes());
        hasher.update([0x1F]);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
