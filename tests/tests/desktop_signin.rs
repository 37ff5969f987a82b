//! End-to-end test of the desktop sign-in (RFC 8252) in the real window: pressing "Connect
//! Google" opens the authorisation address in the *system* browser (xdg-open, which honours
//! `$BROWSER`), never the webview. `$BROWSER` is a script that records the address it is given;
//! the test then plays the user's browser against the fake OAuth provider (the integrations
//! tests' one, on 127.0.0.1), which redirects to the app's loopback listener (whose page a browser
//! answers with one script request, which the test makes too). The Connections
//! screen must then show the account as connected, with the tokens in the real (private) keychain
//! and never in the database.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored` (needs xdg-utils).

mod integrations {
    pub mod fake_oauth;
    pub mod support;
}

use std::{
    io::{Read, Write},
    net::TcpStream,
    os::unix::fs::PermissionsExt,
    path::PathBuf,
    time::Duration,
};

use anyhow::{Context, Result};
use fantoccini::Client;
use integrations::{
    fake_oauth::{self, ACCOUNT, CLIENT_ID},
    support::{browser_get, contains, database_bytes, Keychain},
};
use outpost_tests::{
    wait_for,
    webdriver::{connect, save_screenshot, start_driver_via, wait_for as wait_for_element},
    Workspace,
};
use serde_json::json;

/// A `$BROWSER` for xdg-open: a script that appends every address it is asked to open to a file.
struct RecordingBrowser {
    dir: tempfile::TempDir,
}

impl RecordingBrowser {
    fn new() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let script = dir.path().join("browser");
        let opened = dir.path().join("opened");
        std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display()))?;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
        Ok(RecordingBrowser { dir })
    }

    fn program(&self) -> PathBuf {
        self.dir.path().join("browser")
    }

    /// The addresses opened so far.
    fn opened(&self) -> Result<Vec<String>> {
        match std::fs::read_to_string(self.dir.path().join("opened")) {
            Ok(text) => Ok(text.lines().map(str::to_owned).collect()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }
}

/// A browser's GET of `address` (127.0.0.1 only) with an optional extra header; the raw answer.
fn http_get(address: &str, header: Option<(&str, &str)>) -> Result<String> {
    let url = url::Url::parse(address)?;
    anyhow::ensure!(url.host_str() == Some("127.0.0.1"), "the test browser only visits 127.0.0.1: {address}");
    let mut stream = TcpStream::connect(("127.0.0.1", url.port().context("no port")?))?;
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let extra = header.map(|(name, value)| format!("{name}: {value}\r\n")).unwrap_or_default();
    // One write: the plugin's listener reads a request with a single read.
    stream.write_all(
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n").as_bytes(),
    )?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut answer = String::new();
    // The listener may close without answering once it has the address (the /cb request).
    let _ = stream.read_to_string(&mut answer);
    Ok(answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus, tauri-driver and xdg-utils: run with `make test-e2e`"]
async fn connect_google_opens_the_system_browser_and_keeps_the_tokens_in_the_keychain() -> Result<()> {
    let (server, oauth) = fake_oauth::start(3_600)?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let browser = RecordingBrowser::new()?;
    let driver = start_driver_via(|mut command| {
        command
            .env("BROWSER", browser.program())
            .env("OUTPOST_GOOGLE_OAUTH_URL", server.url())
            .env("OUTPOST_GOOGLE_CLIENT_ID", CLIENT_ID)
            // xdg-open's generic mode (no desktop session detected) is the one that reads $BROWSER.
            .env_remove("XDG_CURRENT_DESKTOP")
            .env_remove("DESKTOP_SESSION");
        keychain.wrap(&command)
    })?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = drive(&client, &browser).await;
    let _ = client.close().await;
    outcome?;

    // The app stored the connection and its tokens in the keychain (read back with secret-tool),
    // and no token reached the database.
    let env = [("OUTPOST_GOOGLE_OAUTH_URL", server.url()), ("OUTPOST_GOOGLE_CLIENT_ID", CLIENT_ID.to_owned())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let listed = keychain.json(&ws, &["connections", "list"], &env)?;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!((&listed[0]["account"], &listed[0]["status"]), (&json!(ACCOUNT), &json!("connected")));
    let id = listed[0]["id"].as_str().context("connection id")?;
    let stored = keychain.lookup(&format!("connection:{id}"))?.context("no keychain entry for the connection")?;
    assert!(stored.contains("Zq8xW2") && stored.contains("1//refresh-1-Kp7Vb3"), "{stored}");
    let db = database_bytes(&ws)?;
    assert!(!contains(&db, "Zq8xW2") && !contains(&db, "Kp7Vb3"), "a token leaked into SQLite");
    assert_eq!(oauth.lock().map_err(|_| anyhow::anyhow!("oauth state"))?.token_requests, ["authorization_code"]);
    Ok(())
}

async fn drive(client: &Client, browser: &RecordingBrowser) -> Result<()> {
    wait_for_element(client, "[data-testid=nav-connections]").await?.click().await?;
    wait_for_element(client, "[data-testid=connect-google]").await?.click().await?;

    // The system browser was asked to open the provider's authorisation address (PKCE + state).
    let opened =
        wait_for(Duration::from_secs(20), "xdg-open to run $BROWSER", || Ok(browser.opened()?.into_iter().next()))?;
    let authorize = url::Url::parse(&opened)?;
    assert_eq!(authorize.path(), "/o/oauth2/v2/auth", "{opened}");
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query.get("code_challenge_method").map(String::as_str), Some("S256"));
    assert!(query.get("redirect_uri").is_some_and(|r| r.starts_with("http://127.0.0.1:")), "{opened}");
    // The page also shows the address, for a machine without a browser.
    let shown = wait_for_element(client, "[data-testid=sign-in-url]").await?.text().await?;
    assert_eq!(shown.trim(), opened);

    // The user's browser: the provider answers with a redirect to the app's loopback listener.
    let (status, location) = browser_get(&opened)?;
    assert_eq!(status, 302, "the provider redirects to the loopback listener");
    let callback = location.context("no Location from the provider")?;
    let page = http_get(&callback, None)?;
    assert!(page.starts_with("HTTP/1.1 200"), "the app's loopback listener answers the browser: {page}");
    // tauri-plugin-oauth's page hands the full address back with a script; a browser runs it.
    let port = url::Url::parse(&callback)?.port().context("callback port")?;
    let script = format!("fetch(\"http://127.0.0.1:{port}/cb\",{{headers:{{\"Full-Url\":window.location.href}}}})");
    assert!(page.contains(&script), "the page reports the address back: {page}");
    http_get(&format!("http://127.0.0.1:{port}/cb"), Some(("Full-Url", &callback)))?;

    let row = wait_for_element(client, "[data-testid=connection][data-provider=google]").await?;
    let status = wait_for_element(client, "[data-testid=connection] [data-testid=connection-status]").await?;
    assert_eq!(status.text().await?.trim(), "Connected");
    assert!(row.text().await?.contains(ACCOUNT));
    assert_eq!(browser.opened()?.len(), 1, "the browser is opened once per sign-in");
    // WebKitGTK paints asynchronously; give it a moment so the screenshot shows the final screen.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let path = save_screenshot(client, "connections-signed-in.png").await?;
    eprintln!("saved {}", path.display());
    Ok(())
}
