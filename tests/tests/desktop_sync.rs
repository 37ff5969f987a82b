//! End-to-end test of sync in the real desktop window: `outpost-desktop` under Xvfb, driven
//! through WebDriver, connected on its Sync screen to a real `outpost-server` on 127.0.0.1. A
//! CLI device's new contact reaches the window's data dir through the background sync (no "sync
//! now" in the window), a change made on the desktop's data dir reaches the CLI device, and the
//! sidebar indicator goes from "Not syncing" to "Synced".
//!
//! The device token comes from `OUTPOST_SYNC_TOKEN` (the headless override of the keychain: the
//! test session has no Secret Service). Needs a display, D-Bus and tauri-driver, so it is
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it.

#[allow(dead_code)]
#[path = "sync/support.rs"]
mod support;

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use fantoccini::{Client, Locator};
use outpost_tests::{
    webdriver::{connect, save_screenshot, start_driver, wait_for, wait_for_cli},
    Workspace,
};
use serde_json::Value;
use support::{Device, Server};

fn has_email(list: &Value, email: &str) -> bool {
    list.as_array().is_some_and(|a| a.iter().any(|c| c["email"] == email))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run like `make test-e2e` with --test desktop_sync"]
async fn the_window_connects_on_its_sync_screen_and_syncs_in_the_background() -> Result<()> {
    let server = Server::start()?;
    let phone = server.device()?;
    let token = server.new_token()?;
    // Inherited by tauri-driver, WebKitWebDriver and the app.
    std::env::set_var("OUTPOST_SYNC_TOKEN", &token);
    let ws = Workspace::new()?;
    let driver = start_driver()?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = drive(&client, &ws, &server, &phone, &token).await;
    let _ = client.close().await;
    outcome
}

async fn drive(client: &Client, ws: &Workspace, server: &Server, phone: &Device, token: &str) -> Result<()> {
    wait_for(client, "[data-testid=sync-indicator][data-state=not_connected]").await?;
    wait_for(client, "[data-testid=nav-sync]").await?.click().await?;
    wait_for(client, "input[name=server]").await?.send_keys(&server.url).await?;
    wait_for(client, "input[name=token]").await?.send_keys(token).await?;
    wait_for(client, "[data-testid=sync-connect]").await?.click().await?;
    wait_for(client, "[data-testid=sync-welcome]").await?;
    wait_for(client, "[data-testid=sync-server]").await?;
    let field = client.find(Locator::Css("input[name=token]")).await;
    assert!(field.is_err(), "the token field is still shown after connecting");

    // The phone adds a contact and syncs; the desktop's background loop applies it live.
    phone.cli(&["contacts", "add", "--first-name", "Mina", "--email", "mina@whitby.example"])?;
    phone.sync(&["now"])?;
    wait_for_cli(ws, &["contacts", "list"], |v| has_email(v, "mina@whitby.example"))?;

    // A change on the desktop's data dir goes out without anyone pressing "Sync now".
    ws.json(&["contacts", "add", "--first-name", "Lucy", "--email", "lucy@whitby.example"])?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        phone.sync(&["now"])?;
        if has_email(&phone.cli(&["contacts", "list"])?, "lucy@whitby.example") {
            break;
        }
        if Instant::now() > deadline {
            bail!("the desktop's change never reached the phone");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    wait_for(client, "[data-testid=sync-indicator][data-state=synced]").await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    save_screenshot(client, "sync-settings.png").await?;
    Ok(())
}
