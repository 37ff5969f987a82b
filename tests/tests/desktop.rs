//! End-to-end test of the real desktop window: `outpost-desktop` under Xvfb, driven through
//! WebDriver (tauri-driver + WebKitWebDriver). A deal created and moved in the UI must be visible
//! through the CLI on the same data dir. Also saves a screenshot of the board with sample data.
//!
//! Needs a display, D-Bus and tauri-driver, so it is `#[ignore]`d in plain `cargo test`;
//! `make test-e2e` (part of `make test`) provides them and runs it with `--ignored`.

use std::time::Duration;

use anyhow::Result;
use fantoccini::{Client, Locator};
use outpost_tests::{
    id_of,
    webdriver::{connect, save_screenshot, start_driver, wait_for, wait_for_cli},
    Workspace,
};
use serde_json::json;

fn seed_sample_pipeline(ws: &Workspace) -> Result<()> {
    let ada = id_of(&ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--email",
        "ada@engines.io",
        "--company",
        "Analytical Engines",
        "--title",
        "Head of Research",
    ])?)?;
    let grace = id_of(&ws.json(&[
        "contacts",
        "add",
        "--first-name",
        "Grace",
        "--last-name",
        "Hopper",
        "--email",
        "grace@cobol.dev",
        "--company",
        "Compiler Works",
    ])?)?;
    for (title, value, stage, contact) in [
        ("Analytical Engines — pilot", "12000", "Qualified", &ada),
        ("Compiler Works — team licence", "48000", "Negotiation", &grace),
        ("Analytical Engines — expansion", "30000", "Lead", &ada),
        ("Difference Works — renewal", "8500", "Won", &grace),
    ] {
        ws.json(&[
            "deals",
            "add",
            "--title",
            title,
            "--value",
            value,
            "--currency",
            "GBP",
            "--stage",
            stage,
            "--contact",
            contact,
        ])?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn create_and_move_a_deal_in_the_window_then_see_it_in_the_cli() -> Result<()> {
    let ws = Workspace::new()?;
    seed_sample_pipeline(&ws)?;
    let driver = start_driver()?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = drive(&client, &ws).await;
    let _ = client.close().await;
    outcome
}

async fn drive(client: &Client, ws: &Workspace) -> Result<()> {
    wait_for(client, "[data-testid=stage-column][data-stage=Lead]").await?;

    // Bad input is refused inline and creates nothing.
    wait_for(client, "[data-testid=new-deal]").await?.click().await?;
    let form = wait_for(client, "[data-testid=deal-form]").await?;
    form.find(Locator::Css("input[name=title]")).await?.send_keys("E2E pilot").await?;
    let value = form.find(Locator::Css("input[name=value]")).await?;
    value.send_keys("-5").await?;
    form.find(Locator::Css("[data-testid=deal-submit]")).await?.click().await?;
    let error = wait_for(client, "[data-testid=error-value]").await?;
    assert!(error.text().await?.contains("negative"), "inline error should explain the value");
    assert_eq!(ws.json(&["deals", "list", "--search", "E2E"])?, json!([]));

    value.clear().await?;
    value.send_keys("4200").await?;
    form.find(Locator::Css("[data-testid=deal-submit]")).await?.click().await?;

    let deals =
        wait_for_cli(ws, &["deals", "list", "--search", "E2E pilot"], |v| v.as_array().is_some_and(|a| a.len() == 1))?;
    let deal_id = id_of(&deals[0])?;
    assert_eq!(deals[0]["stage"], "Lead");
    assert_eq!(deals[0]["value"], 4200.0);

    // Move it on the board with the card's stage picker.
    let card_css = format!("[data-testid=deal-card][data-deal-id='{deal_id}']");
    let card = wait_for(client, &card_css).await?;
    card.find(Locator::Css("[data-testid=deal-move-select]")).await?.select_by_value("Proposal").await?;
    wait_for(client, &format!("[data-testid=stage-column][data-stage=Proposal] {card_css}")).await?;
    let moved = wait_for_cli(ws, &["deals", "show", &deal_id], |v| v["stage"] == "Proposal")?;
    assert_eq!(moved["title"], "E2E pilot");
    let board = ws.json(&["pipeline"])?;
    assert_eq!(board["stages"][2]["stage"]["name"], "Proposal");
    assert_eq!(board["stages"][2]["deal_count"], 1);
    let count = wait_for(client, "[data-testid=stage-column][data-stage=Proposal] [data-testid=stage-count]").await?;
    assert_eq!(count.text().await?.trim(), "1");

    // WebKitGTK paints asynchronously; give it a moment so the screenshot shows the final board.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let path = save_screenshot(client, "pipeline-board.png").await?;
    eprintln!("saved {}", path.display());
    Ok(())
}
