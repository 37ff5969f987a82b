//! Briefs, scores, the agent, alerts, the digest, the manager view and settings through the real
//! `outpost` binary, with the clock pinned by `--now`.

use anyhow::Result;
use outpost_tests::{id_of, Workspace};
use serde_json::Value;

fn kinds(list: &Value) -> Vec<String> {
    let mut kinds: Vec<String> =
        list.as_array().into_iter().flatten().filter_map(|n| n["kind"].as_str().map(str::to_owned)).collect();
    kinds.sort();
    kinds
}

#[test]
fn brief_agent_alerts_scores_and_team_view() -> Result<()> {
    let ws = Workspace::new()?;
    let early = ["--now", "2026-11-01T10:00:00Z"];
    let at = |now: &'static str, args: &[&'static str]| -> Vec<&'static str> {
        let mut all = vec!["--now", now];
        all.extend_from_slice(args);
        all
    };
    ws.json(&["settings", "set", "competitors", "Initech, Umbrella"])?;
    ws.json(&["settings", "set", "org_domains", "ours.io"])?;
    ws.json(&["settings", "set", "agent.utc_offset", "+00:00"])?;
    let bad = ws.fails(&["settings", "set", "stale_deal_days", "soon"])?;
    assert_eq!(bad.code, Some(3), "{}", bad.stderr);
    assert!(bad.stderr.contains("stale-deal-days"), "{}", bad.stderr);

    let company = id_of(&ws.json(&[&early[..], &["companies", "add", "--name", "Acme"]].concat())?)?;
    let bob = id_of(
        &ws.json(
            &[
                &early[..],
                &["contacts", "add", "--first-name", "Bob", "--last-name", "Builder", "--email", "bob@acme.io"],
                &["--title", "Buyer", "--company-id", &company, "--email-opt-out", "true"],
            ]
            .concat(),
        )?,
    )?;
    let carol = id_of(
        &ws.json(
            &[
                &early[..],
                &["contacts", "add", "--first-name", "Carol", "--email", "carol@globex.io", "--company", "Globex"],
            ]
            .concat(),
        )?,
    )?;
    let deal = ws.json(
        &[
            &early[..],
            &["deals", "add", "--title", "Acme pilot", "--value", "12000", "--stage", "Proposal", "--contact", &bob],
            &["--company-id", &company, "--budget", "40k approved", "--notes", "Also trialling Initech."],
        ]
        .concat(),
    )?;
    assert_eq!(deal["budget"], "40k approved");
    assert_eq!(deal["need"], Value::Null);
    let deal = id_of(&deal)?;
    ws.json(&[
        "activities",
        "log",
        "--kind",
        "call",
        "--subject",
        "Discovery",
        "--contact",
        &bob,
        "--deal",
        &deal,
        "--at",
        "2026-11-03T14:00:00Z",
    ])?;
    let memory = id_of(&ws.json(&[
        "memories",
        "add",
        "--category",
        "preference",
        "--text",
        "Likes a one-page summary",
        "--contact",
        &bob,
    ])?)?;
    ws.json(&["memories", "add", "--category", "fact", "--text", "Carol renews in March", "--contact", &carol])?;
    let meeting = id_of(
        &ws.json(
            &at(
                "2026-11-24T09:00:00Z",
                &[
                    "meetings",
                    "add",
                    "--title",
                    "Acme review",
                    "--start",
                    "2026-11-24T11:00:00Z",
                    "--attendee",
                    "Bob <bob@acme.io>",
                ],
            )
            .into_iter()
            .chain(["--attendee", "me@ours.io", "--deal-id", &deal])
            .collect::<Vec<_>>(),
        )?,
    )?;

    // The brief, as JSON: risks, the right memory, the competitor, nothing about Carol.
    let brief =
        ws.json(&at("2026-11-24T09:00:00Z", &["brief"]).into_iter().chain([meeting.as_str()]).collect::<Vec<_>>())?;
    let risks: Vec<&str> =
        brief["content"]["risks"].as_array().into_iter().flatten().filter_map(|r| r["kind"].as_str()).collect();
    assert!(risks.contains(&"deal_stalled") && risks.contains(&"contact_opted_out"), "{risks:?}");
    assert_eq!(brief["content"]["memories"][0]["memory_id"], memory.as_str());
    assert_eq!(brief["content"]["competitors"][0]["competitor"], "Initech");
    assert_eq!(brief["content"]["competitors"][0]["sources"][0]["id"], deal.as_str());
    let text = brief.to_string();
    assert!(!text.contains(&carol) && !text.contains("Carol"), "nothing about unrelated contacts");
    let markdown = ws.run(&["--now", "2026-11-24T09:00:00Z", "brief", &meeting, "--markdown"])?;
    assert!(
        markdown.stdout.contains("## Risks") && markdown.stdout.contains("opted out of email"),
        "{}",
        markdown.stdout
    );

    // The agent: within 2 hours of the meeting, the brief is ready; alerts once, also on a rerun.
    let raised = ws.json(&["--now", "2026-11-24T09:30:00Z", "agent", "run", "--once"])?;
    assert_eq!(kinds(&raised), ["brief_ready", "deal_stale", "digest"]);
    assert_eq!(ws.json(&["--now", "2026-11-24T09:45:00Z", "agent", "run", "--once"])?, serde_json::json!([]));
    let briefs = ws.json(&["briefs", "list"])?;
    assert_eq!(briefs[0]["status"], "ready");
    let unread = ws.json(&["alerts", "list", "--unread"])?;
    assert_eq!(unread.as_array().map(Vec::len), Some(3));
    let read = ws.json(&["alerts", "read", &id_of(&unread[0])?])?;
    assert!(read["read_at"].is_string());
    assert_eq!(ws.json(&["alerts", "list", "--unread"])?.as_array().map(Vec::len), Some(2));

    // Manager review with a comment.
    let brief_id = id_of(&briefs[0])?;
    let reviewed =
        ws.json(&["--now", "2026-11-24T09:50:00Z", "briefs", "review", &brief_id, "--comment", "Ask for the CFO"])?;
    assert_eq!(reviewed["status"], "reviewed");
    assert_eq!(reviewed["comments"][0]["body"], "Ask for the CFO");

    // Scores with factors and an explanation.
    let scores = ws.json(&["--now", "2026-11-24T10:00:00Z", "scores", "show", "--contact", &bob])?;
    let health = scores.as_array().into_iter().flatten().find(|s| s["kind"] == "health").cloned().unwrap_or_default();
    assert!(health["explanation"].as_str().unwrap_or_default().contains("last interaction 21 days ago"), "{health}");
    assert_eq!(health["factors"].as_array().map(Vec::len), Some(4));
    let none = ws.fails(&["scores", "show"])?;
    assert_eq!(none.code, Some(3), "{}", none.stderr);

    // Digest and the manager view.
    let digest = ws.run(&["--now", "2026-11-24T10:00:00Z", "digest", "--markdown"])?;
    assert!(digest.stdout.starts_with("# Pipeline digest — 2026-11-24"), "{}", digest.stdout);
    assert!(digest.stdout.contains("Acme review") && digest.stdout.contains("brief reviewed"), "{}", digest.stdout);
    let team = ws.json(&["--now", "2026-11-24T10:00:00Z", "team", "pipeline"])?;
    assert_eq!(team["by_rep"][0]["stage"], "Proposal");
    assert_eq!(team["by_rep"][0]["value"], 12000.0);
    assert_eq!(team["forecast"][0]["weighted"], 6000.0);
    assert_eq!(team["upcoming_meetings"][0]["brief_status"], "reviewed");

    let missing = ws.fails(&["brief", "01900000-0000-7000-8000-00000000dead"])?;
    assert_eq!(missing.code, Some(4), "{}", missing.stderr);
    Ok(())
}
