//! End-to-end test of the real desktop window: `outpost-desktop` under Xvfb, driven through
//! WebDriver (tauri-driver + WebKitWebDriver). A deal created and moved in the UI must be visible
//! through the CLI on the same data dir. Also saves a screenshot of the board with sample data.
//!
//! Needs a display, D-Bus and tauri-driver, so it is `#[ignore]`d in plain `cargo test`;
//! `make test-e2e` (part of `make test`) provides them and runs it with `--ignored`.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use outpost_tests::{id_of, workspace_bin, Workspace};
use serde_json::json;

/// tauri-driver as a child process, stopped with SIGTERM so it takes WebKitWebDriver down too.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start_driver() -> Result<Driver> {
    let program = std::env::var_os("TAURI_DRIVER").map(PathBuf::from).unwrap_or_else(|| "tauri-driver".into());
    let (port, native_port) = (free_port()?, free_port()?);
    let child = Command::new(&program)
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("start {} (install it with `make tauri-driver`)", program.display()))?;
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen on 127.0.0.1:{port} within 20 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(driver)
}

async fn connect(driver: &Driver, ws: &Workspace) -> Result<Client> {
    let app = workspace_bin("outpost-desktop")?;
    let mut caps = serde_json::Map::new();
    caps.insert("tauri:options".into(), json!({ "application": app, "args": ["--data-dir", ws.data_dir()] }));
    ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .context("open a WebDriver session on the app")
}

/// Waits up to 20 s for a CSS selector to match.
async fn wait_for(client: &Client, css: &str) -> Result<Element> {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("nothing matched {css} within 20 s"))
}

/// Polls the CLI until `check` accepts its JSON output.
fn wait_for_cli(
    ws: &Workspace,
    args: &[&str],
    check: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let value = ws.json(args)?;
        if check(&value) {
            return Ok(value);
        }
        if Instant::now() > deadline {
            bail!("outpost {args:?} never showed the expected state; last output: {value}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

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
    let client = connect(&driver, &ws).await?;
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
    save_screenshot(client).await
}

async fn save_screenshot(client: &Client) -> Result<()> {
    let dir = std::env::var_os("OUTPOST_ARTIFACTS").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir)?;
    let png = client.screenshot().await?;
    assert!(png.starts_with(b"\x89PNG"), "WebDriver screenshot is not a PNG");
    let path = dir.join("pipeline-board.png");
    std::fs::write(&path, png).with_context(|| format!("write {}", path.display()))?;
    eprintln!("saved {}", path.display());
    Ok(())
}
