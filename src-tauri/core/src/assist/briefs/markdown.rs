//! A brief as Markdown, for the terminal and for pasting into notes.

use std::fmt::Write;

use super::Brief;

fn line(out: &mut String, text: impl AsRef<str>) {
    out.push_str(text.as_ref());
    out.push('\n');
}

/// Renders `brief` as Markdown.
pub fn markdown(brief: &Brief) -> String {
    let c = &brief.content;
    let mut out = String::new();
    line(&mut out, format!("# Brief: {}", c.meeting_title));
    line(&mut out, format!("{} · status {} · generated {}", c.starts_at, brief.status, brief.generated_at));
    line(&mut out, "\n## Attendees");
    for a in &c.attendees {
        let mut text = format!("- {}", a.name.clone().unwrap_or_else(|| a.email.clone()));
        if let Some(title) = &a.title {
            let _ = write!(text, ", {title}");
        }
        if let Some(company) = &a.company {
            let _ = write!(text, " ({company})");
        }
        if a.is_internal {
            text.push_str(" — internal");
        }
        if let (Some(h), Some(label)) = (a.health, &a.health_label) {
            let _ = write!(text, " — health {h}/100 ({label})");
        }
        if let Some(last) = &a.last_interaction {
            let _ = write!(
                text,
                " — last {} {}: {}",
                last.kind,
                &last.occurred_at[..10.min(last.occurred_at.len())],
                last.subject
            );
        }
        line(&mut out, text);
    }
    if let Some(co) = &c.company {
        line(&mut out, "\n## Company");
        let details: Vec<&str> =
            [&co.domain, &co.industry, &co.location, &co.size].into_iter().flatten().map(String::as_str).collect();
        let health = co.health.map(|h| format!(" — health {h}/100")).unwrap_or_default();
        let details = if details.is_empty() { String::new() } else { format!(" ({})", details.join(" · ")) };
        line(&mut out, format!("- {}{details}{health}, {} open deal(s)", co.name, co.open_deals));
    }
    let sections: [(&str, Vec<String>); 9] = [
        (
            "Open deals",
            c.deals
                .iter()
                .map(|d| {
                    format!(
                        "- {} — {} · {:.2} {} · {} days in stage{}{}",
                        d.title,
                        d.stage,
                        d.value,
                        d.currency,
                        d.days_in_stage,
                        d.temperature.as_ref().map(|t| format!(" · {t}")).unwrap_or_default(),
                        d.next_step.as_ref().map(|s| format!(" · next: {s}")).unwrap_or_default()
                    )
                })
                .collect(),
        ),
        ("Risks", c.risks.iter().map(|r| format!("- {}", r.text)).collect()),
        ("Questions to ask", c.questions.iter().map(|q| format!("- {}", q.text)).collect()),
        ("Talking points", c.talking_points.iter().map(|t| format!("- {}", t.text)).collect()),
        (
            "Recent timeline",
            c.timeline
                .iter()
                .map(|t| {
                    format!(
                        "- {} {}{}: {}",
                        &t.occurred_at[..10.min(t.occurred_at.len())],
                        t.kind,
                        if t.milestone { " ★" } else { "" },
                        t.subject
                    )
                })
                .collect(),
        ),
        (
            "Open tasks",
            c.tasks
                .iter()
                .map(|t| {
                    format!(
                        "- {}{}{}",
                        t.title,
                        t.due_date.as_ref().map(|d| format!(" (due {d})")).unwrap_or_default(),
                        if t.overdue { " — overdue" } else { "" }
                    )
                })
                .collect(),
        ),
        ("Commitments", c.commitments.iter().map(|m| format!("- {}", m.content)).collect()),
        ("Memories", c.memories.iter().map(|m| format!("- [{}] {}", m.category, m.content)).collect()),
        (
            "Competitors mentioned",
            c.competitors.iter().map(|m| format!("- {}: “{}”", m.competitor, m.excerpt)).collect(),
        ),
    ];
    for (title, items) in sections {
        if !items.is_empty() {
            line(&mut out, format!("\n## {title}"));
            for item in items {
                line(&mut out, item);
            }
        }
    }
    if !brief.comments.is_empty() {
        line(&mut out, "\n## Manager comments");
        for comment in &brief.comments {
            line(&mut out, format!("- {} ({}): {}", comment.author, comment.created_at, comment.body));
        }
    }
    out.trim_end().to_owned()
}
