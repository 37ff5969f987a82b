//! End-to-end test of meetings and briefs in the real desktop window: a meeting seeded through the
//! real `outpost` CLI on the app's data dir is opened from the Meetings list (its attendees show),
//! then its Brief, which must render the facts the core gathered: who is in the room, the open
//! deal, the remembered preference and the competitor named in the deal's notes.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored`.

use anyhow::Result;
use fantoccini::{Client, Locator};
use outpost_tests::{
    id_of,
    webdriver::{connect, save_screenshot, start_driver, wait_for},
    Workspace,
};

/// A contact, a deal, a memory and an upcoming meeting with the contact and a colleague.
fn seed_meeting(ws: &Workspace) -> Result<()> {
    ws.json(&["settings", "set", "competitors", "Initech, Umbrella"])?;
    ws.json(&["settings", "set", "org_domains", "ours.io"])?;
    let bob = id_of(&ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Bob",
        "--last-name",
        "Builder",
        "--email",
        "bob@acme.io",
        "--title",
        "Buyer",
        "--company",
        "Acme",
    ])?)?;
    let deal = id_of(&ws.json(&[
        "deals",
        "add",
        "--title",
        "Acme pilot",
        "--value",
        "12000",
        "--stage",
        "Proposal",
        "--contact",
        &bob,
        "--notes",
        "Also trialling Initech.",
    ])?)?;
    ws.json(&["memories", "add", "--category", "preference", "--text", "Likes a one-page summary", "--contact", &bob])?;
    ws.json(&[
        "meetings",
        "add",
        "--title",
        "Acme review",
        "--start",
        "2030-01-15T11:00:00Z",
        "--attendee",
        "Bob Builder <bob@acme.io>",
        "--attendee",
        "me@ours.io",
        "--deal-id",
        &deal,
    ])?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn open_a_meeting_then_its_brief_from_the_meetings_list() -> Result<()> {
    let ws = Workspace::new()?;
    seed_meeting(&ws)?;
    let driver = start_driver()?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = drive(&client).await;
    let _ = client.close().await;
    outcome
}

/// The texts of every element matching `css`.
async fn texts(client: &Client, css: &str) -> Result<Vec<String>> {
    let mut all = Vec::new();
    for element in client.find_all(Locator::Css(css)).await? {
        all.push(element.text().await?);
    }
    Ok(all)
}

async fn drive(client: &Client) -> Result<()> {
    wait_for(client, "[data-testid=stage-column]").await?;
    client.execute("window.location.hash = '#/meetings'", vec![]).await?;
    let row = wait_for(client, "[data-testid=meeting-row]").await?;
    assert!(row.text().await?.contains("Acme review"));
    row.find(Locator::Css("button.meeting__title")).await?.click().await?;
    wait_for(client, "[data-testid=meeting-detail] [data-testid=attendee]").await?;
    let attendees = texts(client, "[data-testid=attendee]").await?;
    assert!(attendees.iter().any(|a| a.contains("Bob Builder")), "{attendees:?}");

    row.find(Locator::Css("[data-testid=meeting-brief]")).await?.click().await?;
    wait_for(client, "[data-testid=brief] [data-testid=brief-attendee]").await?;
    let heading = client.find(Locator::Css("[data-testid=brief] h1")).await?.text().await?;
    assert_eq!(heading.trim(), "Acme review");
    let people = texts(client, "[data-testid=brief-attendee]").await?;
    assert!(people.iter().any(|p| p.contains("Bob Builder") && p.contains("Buyer")), "{people:?}");
    let deals = texts(client, "[data-testid=brief-deal]").await?;
    assert!(deals.iter().any(|d| d.contains("Acme pilot") && d.contains("Proposal")), "{deals:?}");
    let memories = texts(client, "[data-testid=brief-memory]").await?;
    assert!(memories.iter().any(|m| m.contains("Likes a one-page summary")), "{memories:?}");
    let competitors = texts(client, "[data-testid=brief-competitor]").await?;
    assert!(competitors.iter().any(|c| c.contains("Initech")), "{competitors:?}");
    let path = save_screenshot(client, "meeting-brief.png").await?;
    eprintln!("saved {}", path.display());
    Ok(())
}
