//! The pure brief builder: [`build_brief`] turns gathered inputs into the brief's sections. No
//! database, no clock: the same inputs always give the same brief.

use chrono::NaiveDate;

use super::{
    content::{
        AttendeeBrief, BriefContent, CompanySnapshot, CompetitorMention, DealBrief, LastInteraction, MemoryItem,
        Source, Statement, TaskItem, TimelineItem,
    },
    inputs::{BriefInputs, DealFacts},
    relevant::RankedMemory,
};
use crate::{
    assist::scores::{factors::is_decision_maker, gather::day_of},
    error::UnsourcedStatement,
};

/// Timeline entries shown.
const TIMELINE_LEN: usize = 10;

fn days_since(today: NaiveDate, stamp: &str) -> i64 {
    day_of(stamp).map_or(0, |d| (today - d).num_days().max(0))
}

fn statement(kind: &str, text: String, sources: Vec<Source>) -> Statement {
    Statement { kind: kind.to_owned(), text, sources }
}

fn memory_item(m: &RankedMemory) -> MemoryItem {
    MemoryItem {
        memory_id: m.id.clone(),
        category: m.category.clone(),
        content: m.content.clone(),
        confidence: m.confidence,
        score: m.score,
    }
}

fn idle_days(today: NaiveDate, deal: &DealFacts) -> i64 {
    days_since(today, deal.last_activity_at.as_deref().unwrap_or(&deal.stage_entered_at))
}

fn risks(inputs: &BriefInputs) -> Vec<Statement> {
    let today = inputs.today;
    let mut out = Vec::new();
    for deal in &inputs.deals {
        let idle = idle_days(today, deal);
        if idle >= inputs.stale_days {
            out.push(statement(
                "deal_stalled",
                format!("{} has had no activity for {idle} days (stale after {}).", deal.title, inputs.stale_days),
                vec![Source::new("deal", &deal.id)],
            ));
        }
        if let Some(close) = deal.expected_close.as_deref().and_then(day_of).filter(|d| *d < today) {
            out.push(statement(
                "close_date_passed",
                format!("{}'s expected close date {close} has passed; agree a new date.", deal.title),
                vec![Source::new("deal", &deal.id)],
            ));
        }
    }
    for contact in inputs.attendees.iter().filter_map(|a| a.contact.as_ref()) {
        let mut channels = Vec::new();
        if contact.email_opt_out {
            channels.push("email");
        }
        if contact.sms_opt_out {
            channels.push("SMS");
        }
        if contact.do_not_call {
            channels.push("calls");
        }
        if !channels.is_empty() {
            out.push(statement(
                "contact_opted_out",
                format!("{} has opted out of {}; do not follow up that way.", contact.name, channels.join(" and ")),
                vec![Source::new("contact", &contact.id)],
            ));
        }
    }
    let external: Vec<_> =
        inputs.attendees.iter().filter(|a| !a.is_internal).filter_map(|a| a.contact.as_ref()).collect();
    let decider = external.iter().any(|c| c.title.as_deref().is_some_and(is_decision_maker));
    let authority_known = inputs.deals.iter().any(|d| d.bant.authority.is_some());
    if !inputs.deals.is_empty() && !decider && !authority_known {
        let mut sources: Vec<Source> = external.iter().map(|c| Source::new("contact", &c.id)).collect();
        sources.extend(inputs.deals.iter().map(|d| Source::new("deal", &d.id)));
        out.push(statement(
            "no_decision_maker",
            "No decision-maker identified: no attendee has a decision-making title and no deal records who has authority."
                .to_owned(),
            sources,
        ));
    }
    out
}

fn questions(inputs: &BriefInputs) -> Vec<Statement> {
    let mut out = Vec::new();
    for deal in &inputs.deals {
        let source = || vec![Source::new("deal", &deal.id)];
        let t = &deal.title;
        if deal.bant.budget.is_none() {
            out.push(statement("budget", format!("What budget is set aside for {t}, and who approved it?"), source()));
        }
        if deal.bant.authority.is_none() {
            out.push(statement(
                "authority",
                format!("Who signs off on {t}, and can they join the next call?"),
                source(),
            ));
        }
        if deal.bant.need.is_none() {
            out.push(statement(
                "need",
                format!("What problem must {t} solve, and what happens if nothing changes?"),
                source(),
            ));
        }
        if deal.bant.timeline.is_none() {
            out.push(statement(
                "timeline",
                format!("When do you need {t} in place, and what drives that date?"),
                source(),
            ));
        }
    }
    out
}

/// Where `needle` (lower-case) occurs in `text` as a whole word, with ~60 characters either side.
fn excerpt(text: &str, needle: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(needle).map(|p| p + from) {
        let end = pos + needle.len();
        let before = lower[..pos].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after && text.len() == lower.len() {
            let start = text[..pos].char_indices().rev().nth(60).map_or(0, |(i, _)| i);
            let stop = text[end..].char_indices().nth(60).map_or(text.len(), |(i, _)| end + i);
            let mut out = text[start..stop].split_whitespace().collect::<Vec<_>>().join(" ");
            if start > 0 {
                out.insert(0, '…');
            }
            if stop < text.len() {
                out.push('…');
            }
            return Some(out);
        }
        if before && after {
            // Lower-casing changed byte offsets (rare scripts): cite the whole text.
            return Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        from = end;
    }
    None
}

fn competitors(inputs: &BriefInputs) -> Vec<CompetitorMention> {
    let mut texts: Vec<(Source, &str)> = Vec::new();
    let meeting = &inputs.meeting;
    for text in [&meeting.description, &meeting.notes].into_iter().flatten() {
        texts.push((Source::new("meeting", &meeting.id), text));
    }
    for deal in &inputs.deals {
        if let Some(notes) = &deal.notes {
            texts.push((Source::new("deal", &deal.id), notes));
        }
    }
    for contact in inputs.attendees.iter().filter_map(|a| a.contact.as_ref()) {
        if let Some(notes) = &contact.notes {
            texts.push((Source::new("contact", &contact.id), notes));
        }
    }
    for a in &inputs.activities {
        texts.push((Source::new("activity", &a.id), &a.subject));
        if let Some(body) = &a.body {
            texts.push((Source::new("activity", &a.id), body));
        }
    }
    for m in &inputs.memories {
        texts.push((Source::new("memory", &m.id), &m.content));
    }
    let mut out: Vec<CompetitorMention> = Vec::new();
    for competitor in &inputs.competitors {
        let needle = competitor.to_lowercase();
        for (source, text) in &texts {
            if let Some(found) = excerpt(text, &needle) {
                if !out.iter().any(|m| m.competitor == *competitor && m.sources.contains(source)) {
                    out.push(CompetitorMention {
                        competitor: competitor.clone(),
                        excerpt: found,
                        sources: vec![source.clone()],
                    });
                }
            }
        }
    }
    out
}

fn talking_points(
    inputs: &BriefInputs,
    tasks: &[TaskItem],
    commitments: &[MemoryItem],
    risks: &[Statement],
) -> Vec<Statement> {
    let mut out = Vec::new();
    if let Some(milestone) = inputs.activities.iter().find(|a| a.kind == "meeting" || a.kind == "stage_change") {
        out.push(statement(
            "recap",
            format!(
                "Recap since {}: {}.",
                &milestone.occurred_at[..10.min(milestone.occurred_at.len())],
                milestone.subject
            ),
            vec![Source::new("activity", &milestone.id)],
        ));
    }
    for deal in &inputs.deals {
        if let Some(step) = &deal.next_step {
            out.push(statement(
                "next_step",
                format!("Confirm the next step on {}: {step}.", deal.title),
                vec![Source::new("deal", &deal.id)],
            ));
        }
    }
    for c in commitments {
        out.push(statement(
            "commitment",
            format!("Report back on what was promised: {}", c.content),
            vec![Source::new("memory", &c.memory_id)],
        ));
    }
    for t in tasks.iter().filter(|t| t.overdue) {
        out.push(statement(
            "overdue_task",
            format!("Close out the overdue task \"{}\" (due {}).", t.title, t.due_date.as_deref().unwrap_or("")),
            vec![Source::new("task", &t.task_id)],
        ));
    }
    for r in risks.iter().filter(|r| r.kind == "deal_stalled") {
        out.push(statement("re_engage", format!("Re-engage: {}", r.text), r.sources.clone()));
    }
    out
}

/// Builds the brief from its inputs; refuses ([`UnsourcedStatement`]) to produce a brief with a
/// statement that cites no record.
pub fn build_brief(inputs: &BriefInputs) -> Result<BriefContent, UnsourcedStatement> {
    let today = inputs.today;
    let attendees = inputs
        .attendees
        .iter()
        .map(|a| AttendeeBrief {
            email: a.email.clone(),
            name: a.contact.as_ref().map(|c| c.name.clone()).or_else(|| a.name.clone()),
            is_internal: a.is_internal,
            contact_id: a.contact.as_ref().map(|c| c.id.clone()),
            title: a.contact.as_ref().and_then(|c| c.title.clone()),
            company: a.contact.as_ref().and_then(|c| c.company.clone()),
            health: a.contact.as_ref().and_then(|c| c.health.as_ref()).map(|h| h.value),
            health_label: a.contact.as_ref().and_then(|c| c.health.as_ref()).map(|h| h.label.clone()),
            last_interaction: a.last_interaction.as_ref().map(|l| LastInteraction {
                activity_id: l.id.clone(),
                kind: l.kind.clone(),
                subject: l.subject.clone(),
                occurred_at: l.occurred_at.clone(),
            }),
        })
        .collect();
    let company = inputs.company.as_ref().map(|c| CompanySnapshot {
        id: c.id.clone(),
        name: c.name.clone(),
        domain: c.domain.clone(),
        industry: c.industry.clone(),
        location: c.location.clone(),
        size: c.size.clone(),
        health: c.health.as_ref().map(|h| h.value),
        open_deals: u32::try_from(inputs.deals.iter().filter(|d| d.company_id.as_deref() == Some(&c.id)).count())
            .unwrap_or(u32::MAX),
    });
    let deals = inputs
        .deals
        .iter()
        .map(|d| DealBrief {
            id: d.id.clone(),
            title: d.title.clone(),
            stage: d.stage.clone(),
            value: d.value,
            currency: d.currency.clone(),
            days_in_stage: days_since(today, &d.stage_entered_at),
            days_idle: idle_days(today, d),
            next_step: d.next_step.clone(),
            expected_close: d.expected_close.clone(),
            temperature: d.heat.as_ref().map(|h| h.label.clone()),
            bant: d.bant.clone(),
        })
        .collect();
    let (milestones, others): (Vec<_>, Vec<_>) =
        inputs.activities.iter().partition(|a| a.kind == "meeting" || a.kind == "stage_change");
    let timeline = milestones
        .into_iter()
        .chain(others)
        .take(TIMELINE_LEN)
        .map(|a| TimelineItem {
            activity_id: a.id.clone(),
            kind: a.kind.clone(),
            subject: a.subject.clone(),
            occurred_at: a.occurred_at.clone(),
            milestone: a.kind == "meeting" || a.kind == "stage_change",
        })
        .collect();
    let tasks: Vec<TaskItem> = inputs
        .tasks
        .iter()
        .map(|t| TaskItem {
            task_id: t.id.clone(),
            title: t.title.clone(),
            due_date: t.due_date.clone(),
            overdue: t.due_date.as_deref().and_then(day_of).is_some_and(|d| d < today),
        })
        .collect();
    let (commitments, memories): (Vec<MemoryItem>, Vec<MemoryItem>) =
        inputs.memories.iter().map(memory_item).partition(|m| m.category == "commitment");
    let risks = risks(inputs);
    let talking_points = talking_points(inputs, &tasks, &commitments, &risks);
    let content = BriefContent {
        meeting_id: inputs.meeting.id.clone(),
        meeting_title: inputs.meeting.title.clone(),
        starts_at: inputs.meeting.starts_at.clone(),
        attendees,
        company,
        deals,
        timeline,
        tasks,
        commitments,
        memories,
        questions: questions(inputs),
        competitors: competitors(inputs),
        talking_points,
        risks,
    };
    content.check_sourced()?;
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn competitor_excerpts_match_whole_words_only() {
        assert_eq!(
            excerpt("They also trial Globex next month", "globex").as_deref(),
            Some("They also trial Globex next month")
        );
        assert_eq!(excerpt("Globexian plans", "globex"), None);
        let long = format!("{} Globex {}", "a ".repeat(60), "b ".repeat(60));
        let found = excerpt(&long, "globex").expect("found");
        assert!(found.starts_with('…') && found.ends_with('…') && found.contains("Globex"), "{found}");
    }
}
