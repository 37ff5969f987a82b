//! End-to-end test of the copilot in the real desktop window (Xvfb + tauri-driver): on a deal's
//! page, ask "What should I do next?", see the proposed action as a card, press Apply, and see the
//! task appear — in the window and through the CLI on the same data dir. Nothing is written before
//! Apply.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored`.

use anyhow::Result;
use fantoccini::{Client, Locator};
use outpost_tests::{
    id_of,
    webdriver::{connect, save_screenshot, start_driver, wait_for, wait_for_cli},
    Workspace,
};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn ask_the_copilot_apply_an_action_and_see_the_task() -> Result<()> {
    let ws = Workspace::new()?;
    let sam = id_of(&ws.json(&["contacts", "add", "--first-name", "Sam", "--email", "sam@acme.com"])?)?;
    // No value, close date or next step: the offline engine proposes a qualification task.
    let deal = id_of(&ws.json(&["deals", "add", "--title", "Acme pilot", "--contact", &sam])?)?;
    let driver = start_driver()?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = drive(&client, &ws, &deal).await;
    let _ = client.close().await;
    outcome
}

async fn drive(client: &Client, ws: &Workspace, deal: &str) -> Result<()> {
    wait_for(client, "[data-testid=stage-column]").await?;
    client.execute("window.location.hash = arguments[0]", vec![json!(format!("#/deals/{deal}"))]).await?;
    wait_for(client, "[data-testid=deal-name]").await?;
    wait_for(client, "[data-testid=copilot-ask]").await?.click().await?;
    let card = wait_for(client, "[data-testid=copilot-action][data-tool=create_task][data-status=pending]").await?;
    let preview = card.text().await?;
    assert!(preview.contains("Qualify Acme pilot"), "card shows the proposed task: {preview}");
    assert_eq!(ws.json(&["tasks", "list", "--entity", deal])?, json!([]), "nothing written before Apply");

    card.find(Locator::Css("[data-testid=copilot-apply]")).await?.click().await?;
    wait_for(client, "[data-testid=copilot-action][data-status=executed]").await?;
    let row = wait_for(client, "[data-testid=task-row]").await?;
    assert!(row.text().await?.contains("Qualify Acme pilot"));
    let tasks = wait_for_cli(ws, &["tasks", "list", "--entity", deal], |v| v.as_array().is_some_and(|a| a.len() == 1))?;
    assert!(tasks[0]["title"].as_str().unwrap_or_default().starts_with("Qualify Acme pilot"));
    let path = save_screenshot(client, "copilot-panel.png").await?;
    eprintln!("saved {}", path.display());
    Ok(())
}
