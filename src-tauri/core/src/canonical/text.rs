//! Text folding shared by header matching and company-name normalisation: lower-casing,
//! accent folding (Latin scripts, no extra Unicode tables needed) and punctuation collapsing,
//! implemented in `outpost_sync::entity::natural_key` (company ids derive from it).

/// Lower-casing, accent folding and punctuation collapsing (`words("  E-Mail_Adresse ")` is
/// `"e mail adresse"`) come from the sync crate, where company natural-key ids need them: one
/// implementation for the device and the server.
pub(crate) use outpost_sync::entity::natural_key::words;

/// [`words`] without the spaces: the lookup key for header synonyms (`"E-Mail"` → `"email"`).
pub(crate) fn compact_key(text: &str) -> String {
    words(text).chars().filter(|c| *c != ' ').collect()
}
