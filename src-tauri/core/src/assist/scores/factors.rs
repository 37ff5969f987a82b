//! Pure scoring: factor values from gathered facts, and the weighted scores built from them.
//! Nothing here reads the database or the clock, so every number is reproducible in a test.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Days of history the frequency and responsiveness factors look at.
pub const WINDOW_DAYS: i64 = 90;
/// Days after which recency reaches 0.
pub const RECENCY_HORIZON_DAYS: i64 = 90;
/// Interactions in the window that count as full frequency.
pub const FULL_FREQUENCY: i64 = 8;
/// Days of deal activity counted as current engagement for heat.
pub const HEAT_WINDOW_DAYS: i64 = 14;

/// One input to a score, with its weight and the plain-language reason for its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Factor {
    /// recency, frequency, responsiveness, fit, engagement or bant.
    pub name: String,
    /// 0–100.
    pub value: u8,
    /// Share of the score (weights of one score sum to 1).
    pub weight: f64,
    /// Why the factor has this value, e.g. "last interaction 3 days ago".
    pub detail: String,
}

/// A logged interaction: a call, email or meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interaction {
    /// Day it happened.
    pub on: NaiveDate,
    /// Call or meeting (a conversation) rather than a one-way email.
    pub two_way: bool,
}

/// What is known about a relationship (a contact, or everyone at a company).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Engagement {
    /// Interactions in the last [`WINDOW_DAYS`] days.
    pub recent: Vec<Interaction>,
    /// The last interaction ever (or the contact's last-contacted date).
    pub last: Option<NaiveDate>,
    /// Meetings with them in the window (past or upcoming).
    pub meetings: u32,
    /// Their open deals.
    pub open_deals: u32,
}

/// What makes a contact a good prospect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fit {
    /// Job title.
    pub title: Option<String>,
    /// Works at a known company.
    pub company: Option<String>,
    /// The company's industry or size is known.
    pub company_profiled: bool,
    /// Has an email address.
    pub has_email: bool,
    /// Has a phone number.
    pub has_phone: bool,
    /// Opted out of email, or asked not to be called.
    pub opted_out: bool,
}

/// What drives a deal's temperature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealSignals {
    /// Which of budget, authority, need and timeline are known.
    pub known: Vec<&'static str>,
    /// Activities on the deal in the last [`HEAT_WINDOW_DAYS`] days.
    pub recent_activities: u32,
    /// Days since the deal's last activity (or since it entered its stage).
    pub idle_days: i64,
}

/// Whether a job title names someone who can usually sign or decide.
pub fn is_decision_maker(title: &str) -> bool {
    let title = title.to_lowercase();
    let words: Vec<&str> = title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let senior = [
        "ceo",
        "cfo",
        "cto",
        "coo",
        "cmo",
        "cio",
        "cro",
        "chief",
        "founder",
        "cofounder",
        "owner",
        "president",
        "vp",
        "director",
        "head",
        "partner",
        "principal",
    ];
    words.iter().any(|w| senior.contains(w)) || title.contains("vice president") || title.contains("managing")
}

fn clamp(value: i64) -> u8 {
    u8::try_from(value.clamp(0, 100)).unwrap_or(100)
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Recency: 100 today, falling linearly to 0 after [`RECENCY_HORIZON_DAYS`].
pub fn recency(today: NaiveDate, last: Option<NaiveDate>, weight: f64) -> Factor {
    let (value, detail) = match last {
        Some(day) => {
            let days = (today - day).num_days().max(0);
            let ago = if days == 0 { "today".to_owned() } else { format!("{} ago", plural(days, "day", "days")) };
            (clamp(100 - days * 100 / RECENCY_HORIZON_DAYS), format!("last interaction {ago}"))
        }
        None => (0, "no interaction recorded".to_owned()),
    };
    Factor { name: "recency".into(), value, weight, detail }
}

/// Frequency: interactions in the window, [`FULL_FREQUENCY`] or more is 100.
pub fn frequency(engagement: &Engagement, weight: f64) -> Factor {
    let n = i64::try_from(engagement.recent.len()).unwrap_or(i64::MAX);
    Factor {
        name: "frequency".into(),
        value: clamp(n * 100 / FULL_FREQUENCY),
        weight,
        detail: format!("{} in the last {WINDOW_DAYS} days", plural(n, "interaction", "interactions")),
    }
}

/// Responsiveness: the share of recent interactions that were conversations (calls, meetings).
pub fn responsiveness(engagement: &Engagement, weight: f64) -> Factor {
    let total = i64::try_from(engagement.recent.len()).unwrap_or(i64::MAX);
    let two_way = i64::try_from(engagement.recent.iter().filter(|i| i.two_way).count()).unwrap_or(0);
    let (value, detail) = if total == 0 {
        (0, format!("no interactions in the last {WINDOW_DAYS} days to respond to"))
    } else {
        (clamp(two_way * 100 / total), format!("{two_way} of {total} recent interactions were calls or meetings"))
    };
    Factor { name: "responsiveness".into(), value, weight, detail }
}

/// Engagement: meetings in the window and open deals, 25 points each.
pub fn engagement(engagement: &Engagement, weight: f64) -> Factor {
    let meetings = i64::from(engagement.meetings);
    let deals = i64::from(engagement.open_deals);
    Factor {
        name: "engagement".into(),
        value: clamp((meetings + deals) * 25),
        weight,
        detail: format!(
            "{} in the last {WINDOW_DAYS} days or upcoming, {}",
            plural(meetings, "meeting", "meetings"),
            plural(deals, "open deal", "open deals")
        ),
    }
}

/// Fit: decision-making title 35, known company 20, email 15, phone 10, company profile 10,
/// still reachable (no opt-out) 10.
pub fn fit(fit: &Fit, weight: f64) -> Factor {
    let mut value = 0;
    let mut reasons = Vec::new();
    match fit.title.as_deref() {
        Some(title) if is_decision_maker(title) => {
            value += 35;
            reasons.push(format!("'{title}' is a decision-maker title"));
        }
        Some(title) => reasons.push(format!("'{title}' is not a decision-maker title")),
        None => reasons.push("no job title".to_owned()),
    }
    match fit.company.as_deref() {
        Some(company) => {
            value += 20;
            reasons.push(format!("works at {company}"));
        }
        None => reasons.push("no company".to_owned()),
    }
    if fit.has_email {
        value += 15;
    }
    if fit.has_phone {
        value += 10;
    }
    reasons.push(match (fit.has_email, fit.has_phone) {
        (true, true) => "email and phone known".to_owned(),
        (true, false) => "email known, no phone".to_owned(),
        (false, true) => "phone known, no email".to_owned(),
        (false, false) => "no email or phone".to_owned(),
    });
    if fit.company_profiled {
        value += 10;
        reasons.push("company industry or size known".to_owned());
    }
    if fit.opted_out {
        reasons.push("opted out of contact".to_owned());
    } else {
        value += 10;
    }
    Factor { name: "fit".into(), value: clamp(value), weight, detail: reasons.join("; ") }
}

/// BANT completeness: 25 points per known field.
pub fn bant(signals: &DealSignals, weight: f64) -> Factor {
    let known = i64::try_from(signals.known.len()).unwrap_or(0);
    let missing: Vec<&str> =
        ["budget", "authority", "need", "timeline"].into_iter().filter(|f| !signals.known.contains(f)).collect();
    let detail = if missing.is_empty() {
        "budget, authority, need and timeline all known".to_owned()
    } else {
        format!("{known} of 4 BANT fields known; missing {}", missing.join(", "))
    };
    Factor { name: "bant".into(), value: clamp(known * 25), weight, detail }
}

/// Deal engagement: activities in the last [`HEAT_WINDOW_DAYS`] days, 25 points each.
pub fn deal_engagement(signals: &DealSignals, weight: f64) -> Factor {
    let n = i64::from(signals.recent_activities);
    Factor {
        name: "engagement".into(),
        value: clamp(n * 25),
        weight,
        detail: format!(
            "{} in the last {HEAT_WINDOW_DAYS} days; last activity {}",
            plural(n, "activity", "activities"),
            if signals.idle_days == 0 {
                "today".to_owned()
            } else {
                format!("{} ago", plural(signals.idle_days, "day", "days"))
            }
        ),
    }
}

/// The weighted sum of `factors`, rounded, 0–100.
pub fn weighted(factors: &[Factor]) -> u8 {
    let total: f64 = factors.iter().map(|f| f64::from(f.value) * f.weight).sum();
    clamp(total.round() as i64)
}

/// "Relationship health 72/100 (strong): recency 95 (last interaction 3 days ago) × 40%; …"
pub fn explain(what: &str, value: u8, label: &str, factors: &[Factor]) -> String {
    let parts: Vec<String> =
        factors.iter().map(|f| format!("{} {} ({}) × {:.0}%", f.name, f.value, f.detail, f.weight * 100.0)).collect();
    format!("{what} {value}/100 ({label}): {}", parts.join("; "))
}

/// Relationship health: recency 40%, frequency 25%, responsiveness 15%, engagement 20%.
pub fn health(today: NaiveDate, e: &Engagement) -> Vec<Factor> {
    vec![recency(today, e.last, 0.40), frequency(e, 0.25), responsiveness(e, 0.15), engagement(e, 0.20)]
}

/// Lead score: fit 40%, engagement 25%, recency 20%, frequency 15%.
pub fn lead(today: NaiveDate, e: &Engagement, f: &Fit) -> Vec<Factor> {
    vec![fit(f, 0.40), engagement(e, 0.25), recency(today, e.last, 0.20), frequency(e, 0.15)]
}

/// Heat: BANT completeness 50%, recent deal activity 50%.
pub fn heat(signals: &DealSignals) -> Vec<Factor> {
    vec![bant(signals, 0.5), deal_engagement(signals, 0.5)]
}

/// The band name of a health or lead score.
pub fn health_label(value: u8) -> &'static str {
    match value {
        70..=100 => "strong",
        40..=69 => "fair",
        _ => "at risk",
    }
}
