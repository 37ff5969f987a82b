//! End-to-end test of meetings and briefs in the real desktop window: a meeting seeded through the
//! real `outpost` CLI on the app's data dir is opened from the Meetings list (its attendees show),
//! then its Brief, which must render the facts the core gathered: who is in the room, the open
//! deal, the remembered preference and the competitor named in the deal's notes. An .ics file
//! picked with the Meetings screen's Import button becomes a meeting (and a newer export of it
//! updates the same meeting), as the CLI sees on the same data dir.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored`.

use anyhow::{Context, Result};
use fantoccini::{Client, Locator};
use outpost_tests::{
    fixture, id_of,
    webdriver::{connect, save_screenshot, start_driver, wait_for, wait_for_cli},
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
    // WebKitGTK paints asynchronously; give it a moment so the screenshot shows the brief.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let path = save_screenshot(client, "meeting-brief.png").await?;
    eprintln!("saved {}", path.display());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn import_an_ics_file_from_the_meetings_screen() -> Result<()> {
    let ws = Workspace::new()?;
    let driver = start_driver()?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = import_calendars(&client, &ws).await;
    let _ = client.close().await;
    outcome
}

/// Picks `name` (a fixture) in the Meetings screen's file input and waits for its result line.
async fn pick_calendar(client: &Client, name: &str, expect: &str) -> Result<()> {
    let input = wait_for(client, "[data-testid=calendar-file]").await?;
    input.send_keys(&fixture(&format!("ics/{name}")).display().to_string()).await.context("pick the .ics file")?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let shown = match client.find(Locator::Css("[data-testid=calendar-result]")).await {
            Ok(result) => result.text().await?,
            Err(_) => String::new(),
        };
        if shown.starts_with(&format!("{name}:")) && shown.contains(expect) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            anyhow::bail!("the import of {name} never showed '{expect}' (last: '{shown}')");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn import_calendars(client: &Client, ws: &Workspace) -> Result<()> {
    wait_for(client, "[data-testid=nav-meetings]").await?.click().await?;
    pick_calendar(client, "update_v1.ics", "1 created").await?;
    let row = wait_for(client, "[data-testid=meeting-row]").await?;
    assert!(row.text().await?.contains("Pricing call"));
    let meetings = wait_for_cli(ws, &["meetings", "list"], |v| v.as_array().is_some_and(|a| a.len() == 1))?;
    assert_eq!(meetings[0]["title"], "Pricing call");

    // A newer export of the same event updates the meeting rather than adding one.
    pick_calendar(client, "update_v2.ics", "1 updated").await?;
    let meetings = wait_for_cli(ws, &["meetings", "list"], |v| v[0]["title"] == "Pricing call (rescheduled)")?;
    assert_eq!(meetings.as_array().map(Vec::len), Some(1));
    client
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::XPath(
            "//button[contains(@class, 'meeting__title')][text()='Pricing call (rescheduled)']",
        ))
        .await
        .context("the list never showed the rescheduled meeting")?;
    let titles = texts(client, "[data-testid=meeting-row] .meeting__title").await?;
    assert_eq!(titles, ["Pricing call (rescheduled)"]);
    Ok(())
}
