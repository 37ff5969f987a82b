//! Splitting a "Full Name" column into first and last name.

/// Courtesy titles dropped from the front of a full name.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "herr", "frau", "mme", "mlle", "sr", "sra", "srta", "don",
    "dona",
];

/// Surname particles: from the first of these on, the rest is the last name ("Ludwig van
/// Beethoven" → "Ludwig" / "van Beethoven").
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "des", "la", "le", "dos", "das", "do", "ten",
    "ter", "zu", "st", "bin", "al",
];

/// Generational and degree suffixes dropped from the end of a full name ("Jane Smith PhD",
/// "John Smith, Jr.").
const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "esq", "cpa", "dds", "dvm", "rn", "msc", "bsc", "jd", "llm",
    "mphil", "dphil", "frcs", "obe", "mbe", "cbe",
];

/// Splits a full name into `(first, last)`.
///
/// `"Last, First"` is honoured; otherwise the last word (or the particle-led tail) is the last
/// name and the rest the first name. A single word is a first name.
pub fn split_full_name(full: &str) -> (Option<String>, Option<String>) {
    let non_empty = |s: &str| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!s.is_empty()).then_some(s)
    };
    let mut full = full.trim();
    // "John Smith, Jr." / "Jane Smith, PhD": the part after the comma is a suffix, not a first name.
    while let Some((head, tail)) = full.rsplit_once(',') {
        if tail.split_whitespace().count() == 1 && is_in(tail.trim(), SUFFIXES) {
            full = head.trim();
        } else {
            break;
        }
    }
    if let Some((last, first)) = full.split_once(',') {
        let (first, last) = (non_empty(first), non_empty(last));
        if first.is_some() && last.is_some() {
            return (first, last);
        }
    }
    let mut tokens: Vec<&str> = full.split_whitespace().collect();
    while tokens.len() > 2 && is_in(tokens[0], HONORIFICS) {
        tokens.remove(0);
    }
    while tokens.len() > 2 && tokens.last().is_some_and(|t| is_in(t.trim_end_matches(','), SUFFIXES)) {
        tokens.pop();
    }
    match tokens.len() {
        0 => (None, None),
        1 => (Some(tokens[0].to_string()), None),
        n => {
            let split = (1..n - 1).find(|&i| is_in(tokens[i], PARTICLES)).unwrap_or(n - 1);
            (Some(tokens[..split].join(" ")), Some(tokens[split..].join(" ")))
        }
    }
}

/// Whether `word` (ignoring case and a trailing dot) is in `list`.
fn is_in(word: &str, list: &[&str]) -> bool {
    let word = word.trim_end_matches('.').to_lowercase();
    list.contains(&word.as_str())
}

/// Lower-cased "first last" key, or `None` when the lead has no name.
pub fn name_key(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let key = [first, last].into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>();
    (!key.is_empty()).then(|| key.join(" ").to_lowercase())
}
