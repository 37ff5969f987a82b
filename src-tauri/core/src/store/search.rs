//! List queries, and turning what a user types into an FTS5 query: every word becomes a quoted
//! prefix term, so search-as-you-type matches "ada lov" to "Ada Lovelace" and FTS syntax
//! characters are inert.

pub mod deferred;

use serde::Deserialize;
use ts_rs::TS;

/// Default page size for list calls.
pub const DEFAULT_LIMIT: u32 = 100;
/// Largest page a list call returns.
pub const MAX_LIMIT: u32 = 10_000;

/// Parameters shared by list calls.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct ListQuery {
    /// Free text; words match as prefixes (FTS-backed where the entity has an index).
    #[serde(default)]
    pub search: Option<String>,
    /// Maximum rows (default 100, at most 10 000).
    #[serde(default)]
    pub limit: Option<u32>,
}

impl ListQuery {
    /// The effective limit, validated.
    pub fn limit(&self) -> crate::Result<u32> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(0) => Err(crate::Error::invalid("limit", "must be at least 1")),
            Some(n) if n > MAX_LIMIT => Err(crate::Error::invalid("limit", format!("must be at most {MAX_LIMIT}"))),
            Some(n) => Ok(n),
        }
    }

    /// The FTS expression for the search text, if any.
    pub(crate) fn fts(&self) -> Option<String> {
        self.search.as_deref().and_then(fts_prefix_query)
    }
}

/// Builds a safe FTS5 MATCH expression, or `None` when the input has no searchable words.
pub(crate) fn fts_prefix_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{word}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The `LIKE` pattern for plain substring search on entities without an FTS index.
pub(crate) fn like_pattern(input: &str) -> String {
    let escaped = input.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_prefix_terms_and_syntax_is_neutralised() {
        assert_eq!(fts_prefix_query("ada lov").as_deref(), Some("\"ada\"* \"lov\"*"));
        assert_eq!(fts_prefix_query("ada@eng").as_deref(), Some("\"ada\"* \"eng\"*"));
        assert_eq!(fts_prefix_query("\"a\" OR NEAR(").as_deref(), Some("\"a\"* \"OR\"* \"NEAR\"*"));
        assert_eq!(fts_prefix_query("  -- "), None);
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(ListQuery::default().limit().ok(), Some(DEFAULT_LIMIT));
        assert!(ListQuery { limit: Some(0), ..Default::default() }.limit().is_err());
        assert!(ListQuery { limit: Some(MAX_LIMIT + 1), ..Default::default() }.limit().is_err());
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern(" 50%_off "), "%50\\%\\_off%");
    }
}
