//! The desktop app's background sync ([`sync::background`]) against a real sync server on
//! 127.0.0.1: idle while not connected; once connected it pushes local changes on its own, shows
//! offline while the server is down and synced again after it restarts on the same store; a
//! disconnect stops it. The device token comes from `OUTPOST_SYNC_TOKEN` (headless override of
//! the keychain); no other test in this binary uses it. The server runs in this process (the
//! `outpost-server` library), so this test lives here and the core never links the server, not
//! even as a dev-dependency.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use outpost_core::{
    crm::contacts::{self, NewContact},
    sync::{self, SyncState, SyncStatus},
    Ctx,
};
use outpost_server::server::{bind_and_serve, ServerConfig, ServerHandle};
use outpost_server::store::{self, hash_token, new_device_token, Store};
use outpost_sync::client::SyncClient;
use outpost_sync::protocol::Role;

/// Polls the device's sync status every 100 ms until `check` holds (at most 30 s, a hang guard).
async fn wait_for_status(ctx: &Ctx, what: &str, check: impl Fn(&SyncStatus) -> bool) -> Result<SyncStatus> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = sync::status(ctx)?;
        if check(&status) {
            return Ok(status);
        }
        if Instant::now() > deadline {
            bail!("gave up waiting for {what}; last status {status:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn serve(store: &Arc<dyn Store>, addr: &str) -> Result<ServerHandle> {
    let config = ServerConfig { compact_every: None, ..ServerConfig::default() };
    Ok(bind_and_serve(addr, Arc::clone(store), config).await?)
}

async fn token(store: &dyn Store) -> Result<String> {
    let token = new_device_token()?;
    store.create_device("ann@acme.test", "test", &hash_token(&token)).await?;
    Ok(token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_sync_pushes_goes_offline_and_recovers_and_stops_on_disconnect() -> Result<()> {
    let server_dir = tempfile::tempdir()?;
    let url = format!("sqlite:{}", server_dir.path().join("server.db").display());
    let store: Arc<dyn Store> = store::open(&url).await?;
    store.create_org("acme").await?;
    store.add_user("acme", "ann@acme.test", Role::Rep).await?;
    let (desktop_token, observer_token) = (token(&*store).await?, token(&*store).await?);
    std::env::set_var("OUTPOST_SYNC_TOKEN", &desktop_token);

    let server = serve(&store, "127.0.0.1:0").await?;
    let addr = server.addr.to_string();
    let base = format!("http://{addr}");
    let data = tempfile::tempdir()?;
    let ctx = Arc::new(Ctx::open(data.path())?);
    let (events_tx, mut events) = tokio::sync::mpsc::unbounded_channel::<String>();
    let task = tokio::spawn(sync::background(Arc::clone(&ctx), move |event| {
        let _ = events_tx.send(event);
    }));

    assert_eq!(sync::status(&ctx)?.state, SyncState::NotConnected);
    sync::connect(&ctx, &base, &desktop_token).await?;
    let ada = NewContact { first_name: Some("Ada".into()), email: Some("ada@engines.io".into()), ..Default::default() };
    let ada = contacts::add(&ctx, ada)?;
    wait_for_status(&ctx, "the background push", |s| s.state == SyncState::Synced && s.pending == 0).await?;
    let (seen, _) = SyncClient::new(&base, &observer_token).pull_all(0).await?;
    assert!(seen.iter().any(|u| u.doc_id.to_string() == ada.id.to_string()), "the server never got the contact");

    server.shutdown().await;
    let offline = wait_for_status(&ctx, "offline", |s| s.state == SyncState::Offline).await?;
    assert_eq!(offline.online, Some(false));
    let edit = contacts::ContactUpdate { id: ada.id, title: Some("Countess".into()), ..Default::default() };
    contacts::update(&ctx, edit)?;

    let server = serve(&store, &addr).await?;
    wait_for_status(&ctx, "back online with the edit pushed", |s| s.state == SyncState::Synced && s.pending == 0)
        .await?;

    // Disconnecting stops the live session: wait for it to say so (it checks the settings every
    // 2 s; the 60 s timeout is a hang guard), then edit. Only a new session could push the
    // edit, and the supervisor starts one only while the device is connected.
    while events.try_recv().is_ok() {}
    sync::disconnect(&ctx)?;
    assert_eq!(sync::status(&ctx)?.state, SyncState::NotConnected);
    let mut seen = Vec::new();
    let stopped = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(event) = events.recv().await {
            // The session's last words: its push tick saw the disconnect, its supervisor did, or
            // it failed (and the supervisor, finding no connection, idles).
            let done = event == "disconnected" || event == "stopped" || event.starts_with("sync stopped");
            seen.push(event);
            if done {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(stopped.ok(), Some(true), "the live session never stopped after the disconnect; events: {seen:?}");
    contacts::update(&ctx, contacts::ContactUpdate { id: ada.id, title: Some("Lady".into()), ..Default::default() })?;
    assert_eq!(sync::status(&ctx)?.pending, 1, "the edit is waiting, not pushed");
    assert!(!task.is_finished(), "the supervisor died instead of idling");
    assert!(events.try_recv().is_err(), "the supervisor did something after stopping");
    task.abort();
    server.shutdown().await;
    Ok(())
}
