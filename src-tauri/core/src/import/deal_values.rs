//! Reading a deal export's values: amounts written every way spreadsheets and CRMs write them
//! (`$12,500.00`, `12.500,00 €`, `EUR 5000`, `1.5E+06`), close dates in ISO, US, European and
//! Excel-serial form, and stage names mapped onto the pipeline's stages.

use chrono::NaiveDate;

use crate::canonical::text::compact_key;
use crate::crm::pipeline::{Stage, StageKind};

/// Currency symbols and the code each stands for.
const SYMBOLS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("R$", "BRL"),
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("zł", "PLN"),
    ("Kč", "CZK"),
    ("Fr.", "CHF"),
    ("₽", "RUB"),
    ("kr", "SEK"),
];

/// An amount in major units and the currency written with it, if any.
pub(crate) fn parse_amount(raw: &str) -> Option<(f64, Option<String>)> {
    let mut text = raw.trim().to_owned();
    let mut currency = None;
    for (symbol, code) in SYMBOLS {
        if text.contains(symbol) {
            text = text.replace(symbol, " ");
            currency = Some((*code).to_owned());
            break;
        }
    }
    let code: String = text.chars().filter(char::is_ascii_alphabetic).collect();
    if code.len() == 3 && !code.eq_ignore_ascii_case("e") {
        currency = Some(code.to_uppercase());
        text.retain(|c| !c.is_ascii_alphabetic());
    }
    let mut compact: String =
        text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '\u{a0}')).collect();
    // A lone dot before exactly three digits groups thousands (`€ 3.000`, `1.500 €`), as a lone
    // comma does: money is not written to three decimals.
    if let Some((whole, part)) = compact.split_once('.') {
        let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        let whole_digits = whole.strip_prefix('-').unwrap_or(whole);
        if part.len() == 3 && digits(part) && digits(whole_digits) && whole_digits != "0" && !compact.contains(',') {
            compact = format!("{whole}{part}");
        }
    }
    if let Ok(value) = compact.parse::<f64>() {
        return value.is_finite().then_some((value, currency));
    }
    let (dots, commas) = (compact.matches('.').count(), compact.matches(',').count());
    let normalised = match (dots, commas) {
        (0, 0) => compact,
        // Both: the last one is the decimal separator.
        (_, _) if dots > 0 && commas > 0 => {
            if compact.rfind('.') > compact.rfind(',') {
                compact.replace(',', "")
            } else {
                compact.replace('.', "").replace(',', ".")
            }
        }
        (0, 1) => {
            let decimals = compact.len() - compact.rfind(',').map_or(0, |i| i + 1);
            if decimals == 3 {
                compact.replace(',', "")
            } else {
                compact.replace(',', ".")
            }
        }
        (0, _) => compact.replace(',', ""),
        (_, 0) => compact.replace('.', ""),
        _ => compact,
    };
    let value: f64 = normalised.parse().ok()?;
    value.is_finite().then_some((value, currency))
}

/// A close date as `YYYY-MM-DD`: ISO dates and timestamps, `DD.MM.YYYY`, `MM/DD/YYYY` (or
/// `DD/MM/YYYY` when the first number cannot be a month), `5 Jan 2024`, `Jan 5, 2024` and Excel
/// serial numbers.
pub(crate) fn parse_date(raw: &str) -> Option<String> {
    let text = raw.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
    let formats = ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d.%m.%y", "%Y%m%d"];
    let mut parsed = formats.iter().find_map(|f| NaiveDate::parse_from_str(date_part, f).ok());
    if parsed.is_none() {
        if let Some((a, rest)) = date_part.split_once(['/', '-']) {
            let first: u32 = a.parse().unwrap_or(0);
            let us = if first > 12 { "%d/%m/%Y" } else { "%m/%d/%Y" };
            let unified = format!("{a}/{}", rest.replace('-', "/"));
            parsed = NaiveDate::parse_from_str(&unified, us).ok();
        }
    }
    if parsed.is_none() {
        let long = ["%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y"];
        parsed = long.iter().find_map(|f| NaiveDate::parse_from_str(text, f).ok());
    }
    if parsed.is_none() {
        if let Ok(serial) = text.parse::<f64>() {
            if (20_000.0..80_000.0).contains(&serial) {
                // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included).
                #[allow(clippy::cast_possible_truncation)]
                let days = serial.trunc() as i64;
                parsed = NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|d| d.checked_add_signed(chrono::Duration::days(days)));
            }
        }
    }
    parsed.filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d))).map(|d| d.to_string())
}

/// How far along a stage name sounds (win probability in percent), or won / lost.
enum Progress {
    Open(i64),
    Won,
    Lost,
}

/// Stage names across CRMs (Salesforce, HubSpot, Pipedrive, Zoho…), folded, by progress.
const OPEN_STAGES: &[(i64, &[&str])] = &[
    (10, &["prospect", "lead", "new", "open", "cold", "contacted", "attempt", "inbound", "neu", "nouveau"]),
    (25, &["qualif", "discovery", "needsanalysis", "appointment", "meeting", "demo", "interest", "contactmade"]),
    (50, &["proposal", "quote", "valueproposition", "presentation", "decisionmaker", "perception", "angebot"]),
    (50, &["evaluation", "solution", "proposition", "offer", "offre", "propuesta"]),
    (75, &["negotiat", "contract", "review", "commit", "verbal", "closing", "verhandlung", "negociation"]),
];

fn progress(stage: &str) -> Option<Progress> {
    let key = compact_key(stage);
    if ["lost", "verloren", "perdu", "perdido", "dead", "rejected", "disqualified", "unqualified"]
        .iter()
        .any(|w| key.contains(w))
    {
        return Some(Progress::Lost);
    }
    if ["won", "gewonnen", "gagne", "ganado", "signed", "closedwon", "customer"].iter().any(|w| key.contains(w)) {
        return Some(Progress::Won);
    }
    OPEN_STAGES.iter().find(|(_, words)| words.iter().any(|w| key.contains(w))).map(|(p, _)| Progress::Open(*p))
}

/// Whether a deal status says how the deal ended (`won`, `lost`, `Closed Won`…), which then
/// outranks the pipeline stage it was last in (Pipedrive's `Status: won` next to `Stage:
/// Negotiation`).
pub(crate) fn is_outcome(status: &str) -> bool {
    matches!(progress(status), Some(Progress::Won | Progress::Lost))
}

/// The pipeline stage for a stage name from another CRM: the same name, else the won or lost
/// stage, else the open stage whose probability is closest to how far the name sounds. `None`
/// when the name says nothing recognisable (the caller files the deal in the first stage and warns).
pub(crate) fn map_stage<'a>(raw: &str, stages: &'a [Stage]) -> Option<&'a Stage> {
    let wanted = raw.trim();
    if let Some(stage) = stages.iter().find(|s| s.name.eq_ignore_ascii_case(wanted)) {
        return Some(stage);
    }
    match progress(wanted)? {
        Progress::Won => stages.iter().find(|s| s.kind == StageKind::Won),
        Progress::Lost => stages.iter().find(|s| s.kind == StageKind::Lost),
        Progress::Open(p) => {
            stages.iter().filter(|s| s.kind == StageKind::Open).min_by_key(|s| (s.probability - p).abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_outcome, parse_amount, parse_date};

    #[test]
    fn a_won_or_lost_status_is_an_outcome_and_open_is_not() {
        for ended in ["won", "Lost", "Closed Won", "verloren"] {
            assert!(is_outcome(ended), "{ended}");
        }
        for open in ["open", "in_progress", "Negotiation", ""] {
            assert!(!is_outcome(open), "{open}");
        }
    }

    #[test]
    fn deal_amounts_parse_in_every_common_form() {
        assert_eq!(parse_amount("$12,500.00"), Some((12_500.0, Some("USD".into()))));
        assert_eq!(parse_amount("12.500,00 €"), Some((12_500.0, Some("EUR".into()))));
        assert_eq!(parse_amount("EUR 5000"), Some((5_000.0, Some("EUR".into()))));
        assert_eq!(parse_amount("500000.0"), Some((500_000.0, None)));
        assert_eq!(parse_amount("1.5E+06"), Some((1_500_000.0, None)));
        assert_eq!(parse_amount("1 234,56"), Some((1_234.56, None)));
        assert_eq!(parse_amount("12,5"), Some((12.5, None)));
        assert_eq!(parse_amount("€ 3.000"), Some((3_000.0, Some("EUR".into()))), "a lone dot groups thousands");
        assert_eq!(parse_amount("1.500 €"), Some((1_500.0, Some("EUR".into()))));
        assert_eq!(parse_amount("0.125"), Some((0.125, None)));
        assert_eq!(parse_amount("50.0000"), Some((50.0, None)));
        assert_eq!(parse_amount("1.50"), Some((1.5, None)));
        assert_eq!(parse_amount("n/a"), None);
    }

    #[test]
    fn close_dates_parse_in_every_common_form() {
        assert_eq!(parse_date("2005-11-09").as_deref(), Some("2005-11-09"));
        assert_eq!(parse_date("2024-08-30 14:30:00").as_deref(), Some("2024-08-30"));
        assert_eq!(parse_date("2006-06-15T20:47:07.000Z").as_deref(), Some("2006-06-15"));
        assert_eq!(parse_date("14.05.2023").as_deref(), Some("2023-05-14"));
        assert_eq!(parse_date("05/14/2023").as_deref(), Some("2023-05-14"));
        assert_eq!(parse_date("14/05/2023").as_deref(), Some("2023-05-14"));
        assert_eq!(parse_date("Jan 5, 2024").as_deref(), Some("2024-01-05"));
        assert_eq!(parse_date("45292").as_deref(), Some("2024-01-01"));
        assert_eq!(parse_date("soon"), None);
    }
}
