//! The webview can call only the app's own commands, and runs only the app's own scripts (issue
//! 18): from the real window's page, a registered app command answers and the app's events can
//! be listened to, while other core-plugin commands (emitting an event included), a registered
//! plugin's command and a command that is in no registry are refused by Tauri's ACL (so the
//! capability in `src-tauri/capabilities/main.json` grants exactly the command table's sets and
//! event listening, not `core:default` or a plugin's defaults); and the CSP of
//! `tauri.conf.json` blocks an inline script, a script from another origin and a `fetch` to
//! another origin (a real server on 127.0.0.1 that would answer all of them, and counts requests).
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored`.

use std::{
    io::{BufRead, BufReader, Write},
    net::TcpListener,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

use anyhow::{ensure, Context, Result};
use fantoccini::Client;
use outpost_tests::{
    screens,
    webdriver::{connect, start_driver, Driver},
    Workspace,
};
use serde_json::{json, Value};

/// Invokes `command` with `args` from the page (the same IPC the UI's `invoke` uses); the answer
/// as `{ ok: value }` or `{ refused: message }`.
async fn invoke_from_page(client: &Client, command: &str, args: Value) -> Result<Value> {
    let script = r#"
        const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args)
            .then((ok) => done({ ok: ok === undefined ? null : ok }), (error) => done({ refused: String(error) }));
    "#;
    client.execute_async(script, vec![json!(command), args]).await.with_context(|| format!("invoke {command}"))
}

/// A server on 127.0.0.1 that answers every request (200, any origin allowed, a script body that
/// marks the page) and counts them, standing in for "another origin".
struct OtherOrigin {
    /// `http://127.0.0.1:PORT`, as a CSP violation reports the blocked address (maybe origin only).
    origin: String,
    requests: Arc<AtomicUsize>,
}

impl OtherOrigin {
    fn start() -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let origin = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let body = "window.__outpostRemoteRan = true;";
                let _ = (&stream).write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nAccess-Control-Allow-Origin: *\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                );
            }
        });
        Ok(OtherOrigin { origin, requests })
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// The app on an empty store, its page loaded.
async fn open_app(ws: &Workspace) -> Result<(Driver, Client)> {
    let driver = start_driver()?;
    let client = connect(&driver, ws.data_dir()).await?;
    screens::wait_for_app(&client).await?;
    Ok((driver, client))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn the_page_can_invoke_only_the_command_table_not_core_or_plugin_commands() -> Result<()> {
    let ws = Workspace::new()?;
    let (_driver, client) = open_app(&ws).await?;
    let outcome = async {
        // The IPC works: app commands (one read, one write) answer from the page.
        let board = invoke_from_page(&client, "board", json!({})).await?;
        ensure!(board["ok"]["stages"].is_array(), "the board command did not answer from the page: {board}");
        let added =
            invoke_from_page(&client, "add_company", json!({ "req": { "name": "Capability Probe Ltd" } })).await?;
        ensure!(added["ok"]["name"] == "Capability Probe Ltd", "add_company did not answer from the page: {added}");
        // The page may listen to the app's events (the notification centre refreshes on `alerts`).
        let listen = json!({ "event": "alerts", "target": { "kind": "Any" }, "handler": 1 });
        let listening = invoke_from_page(&client, "plugin:event|listen", listen).await?;
        ensure!(listening["ok"].is_number(), "the page cannot listen to the app's `alerts` event: {listening}");

        // Registered in the app but not granted: core plugins (in `core:default`), the
        // notification plugin (the app shows notifications from Rust) and the opener plugin (the
        // sign-in opens the browser from Rust). Each is harmless if it ran, and each would run
        // if the capability granted more than the command table.
        for (command, args) in [
            // Listening is granted, emitting (to Rust or other windows) is not.
            ("plugin:event|emit", json!({ "event": "alerts", "payload": [] })),
            ("plugin:app|version", json!({})),
            ("plugin:path|resolve_directory", json!({ "directory": 11 })),
            ("plugin:webview|get_all_webviews", json!({})),
            ("plugin:notification|is_permission_granted", json!({})),
            ("plugin:opener|open_path", json!({ "path": ws.data_dir() })),
            // In no registry at all.
            ("drop_all_tables", json!({})),
        ] {
            let answer = invoke_from_page(&client, command, args).await?;
            let refused = answer["refused"].as_str().unwrap_or_default();
            ensure!(
                refused.contains("not allowed"),
                "the page could call {command}, which the command table does not list: {answer}"
            );
        }
        Ok(())
    }
    .await;
    let _ = client.close().await;
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn the_csp_blocks_inline_scripts_and_other_origins() -> Result<()> {
    let ws = Workspace::new()?;
    let other = OtherOrigin::start()?;
    let (_driver, client) = open_app(&ws).await?;
    let outcome = async {
        // An inline script: it would run synchronously when appended; blocked, it raises a
        // `securitypolicyviolation` event instead (waited for, not timed).
        let inline = client
            .execute_async(
                r#"
                const done = arguments[arguments.length - 1];
                window.__outpostInlineRan = false;
                document.addEventListener("securitypolicyviolation",
                    (e) => done({ blocked: e.violatedDirective }), { once: true });
                const script = document.createElement("script");
                script.textContent = "window.__outpostInlineRan = true;";
                document.head.appendChild(script);
                if (window.__outpostInlineRan) done({ ran: true });
                "#,
                vec![],
            )
            .await?;
        let directive = inline["blocked"].as_str().unwrap_or_default();
        ensure!(directive.starts_with("script-src"), "an inline script was not blocked by script-src: {inline}");

        // A script from another origin: loads (and marks the page) unless script-src refuses it.
        let remote_script = client
            .execute_async(
                r#"
                const [url, done] = arguments;
                const violation = new Promise((resolve) => document.addEventListener("securitypolicyviolation",
                    (e) => { if (e.blockedURI.startsWith(url)) resolve(e.violatedDirective); }));
                const script = document.createElement("script");
                script.src = url + "/remote.js";
                script.onload = () => done({ ran: window.__outpostRemoteRan === true });
                script.onerror = () => violation.then((directive) => done({ blocked: directive }));
                document.head.appendChild(script);
                "#,
                vec![json!(other.origin)],
            )
            .await?;
        let directive = remote_script["blocked"].as_str().unwrap_or_default();
        ensure!(directive.starts_with("script-src"), "a script from another origin was not blocked: {remote_script}");

        // A fetch to another origin (which would answer it, CORS included) must be refused by connect-src.
        let fetched = client
            .execute_async(
                r#"
                const [url, done] = arguments;
                const violation = new Promise((resolve) => document.addEventListener("securitypolicyviolation",
                    (e) => { if (e.blockedURI.startsWith(url)) resolve(e.violatedDirective); }));
                fetch(url + "/data").then((r) => r.text()).then(
                    (body) => done({ fetched: body }),
                    (error) => violation.then((directive) => done({ blocked: directive, error: String(error) })));
                "#,
                vec![json!(other.origin)],
            )
            .await?;
        let directive = fetched["blocked"].as_str().unwrap_or_default();
        ensure!(directive.starts_with("connect-src"), "a fetch to another origin was not blocked: {fetched}");
        ensure!(
            other.requests() == 0,
            "the other origin received {} request(s) from the page despite the CSP",
            other.requests()
        );
        Ok(())
    }
    .await;
    let _ = client.close().await;
    outcome
}
