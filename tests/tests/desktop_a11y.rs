//! Accessibility of the real desktop window: axe-core (pinned npm package, injected over
//! WebDriver) runs on every screen, detail screen and modal of the showcase store at both window
//! sizes in the light theme and at 1280×800 in the dark theme, and any serious or critical violation fails the test with its screen, rule, node and
//! axe's explanation. Issue 17 found 152 serious nodes, all the muted text colour at 3.1-3.4:1
//! (1.85:1 on the alert buttons) where WCAG AA needs 4.5:1.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored`.

use anyhow::{bail, Result};
use fantoccini::Client;
use outpost_tests::{
    a11y, screens,
    showcase::{self, Showcase},
    webdriver::{connect, start_driver_via},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn axe_finds_no_serious_or_critical_violation_on_any_screen_or_modal() -> Result<()> {
    audit(showcase::app_env(), &[(1280, 800), (1024, 640)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn axe_finds_no_serious_or_critical_violation_in_the_dark_theme() -> Result<()> {
    audit(showcase::app_env_dark(), &[(1280, 800)]).await
}

/// Seeds the showcase, opens the app with `env` and runs axe on every screen at every size.
async fn audit(env: [(&str, &str); 6], sizes: &[(u32, u32)]) -> Result<()> {
    let source = a11y::axe_source()?;
    let showcase = showcase::seed()?;
    let driver = start_driver_via(|mut command| {
        command.envs(env);
        command
    })?;
    let client = connect(&driver, showcase.ws.data_dir()).await?;
    let outcome = audit_every_screen(&client, &showcase, &source, sizes).await;
    let _ = client.close().await;
    let (checked, found) = outcome?;
    if !found.is_empty() {
        bail!(
            "axe found {} serious or critical violation(s) on {checked} screens:\n  {}",
            found.len(),
            found.join("\n  ")
        );
    }
    Ok(())
}

async fn audit_every_screen(
    client: &Client,
    showcase: &Showcase,
    source: &str,
    sizes: &[(u32, u32)],
) -> Result<(usize, Vec<String>)> {
    screens::wait_for_app(client).await?;
    screens::hold_still(client).await?;
    let all = screens::all(showcase);
    let mut found = Vec::new();
    for &(width, height) in sizes {
        screens::set_viewport(client, width, height).await?;
        for screen in &all {
            screens::open(client, screen).await?;
            for violation in a11y::serious_violations(client, source).await? {
                found.push(format!("{}@{width}x{height}: {violation}", screen.name));
            }
        }
    }
    Ok((all.len() * sizes.len(), found))
}
