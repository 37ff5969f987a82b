//! The live session: `outpost sync run` and the desktop app's background sync share
//! [`run_until`]; [`background`] supervises it while the device is connected.

use std::collections::HashSet;
use std::time::Duration;

use outpost_sync::client::SubscriptionEvent;

use super::{
    apply_page, client, cursor, push_local, record_outcome, set_setting, setting, sync_now, SyncReport, CONNECTED_AT,
    LAST_ERROR, ONLINE, SERVER_URL,
};
use crate::{Ctx, Error, Result};

/// The connection this device is configured for (server URL and when it connected), if any.
/// Read from the settings only (no keychain access), so it is cheap to poll.
fn configured(ctx: &Ctx) -> Option<(String, Option<String>)> {
    ctx.read(|conn| Ok(setting(conn, SERVER_URL)?.map(|server| (server, setting(conn, CONNECTED_AT).ok().flatten()))))
        .ok()
        .flatten()
}

/// The desktop app's background sync: while this device is connected, runs the same live loop as
/// `outpost sync run` ([`run_until`]); restarts it when the settings change (connect, disconnect,
/// another server) and after failures, with exponential backoff (1 s doubling to 60 s). Never
/// returns; `on_event` receives progress lines for the log.
pub async fn background(ctx: std::sync::Arc<Ctx>, mut on_event: impl FnMut(String)) {
    const CHECK_EVERY: Duration = Duration::from_secs(2);
    let mut backoff = Duration::from_secs(1);
    loop {
        let Some(connection) = configured(&ctx) else {
            tokio::time::sleep(CHECK_EVERY).await;
            continue;
        };
        let settings_changed = {
            let ctx = std::sync::Arc::clone(&ctx);
            async move {
                loop {
                    tokio::time::sleep(CHECK_EVERY).await;
                    if configured(&ctx).as_ref() != Some(&connection) {
                        return;
                    }
                }
            }
        };
        match run_until(&ctx, CHECK_EVERY, settings_changed, &mut on_event).await {
            Ok(()) => backoff = Duration::from_secs(1),
            Err(e) => {
                let _ = ctx.write(|tx| set_setting(&tx.sql, ONLINE, "0"));
                on_event(format!("sync stopped ({e}); retrying in {backoff:?}"));
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// Stays connected until Ctrl-C (`outpost sync run`); see [`run_until`].
pub async fn run(ctx: &Ctx, push_every: Duration, on_event: impl FnMut(String)) -> Result<()> {
    run_until(
        ctx,
        push_every,
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
        on_event,
    )
    .await
}

/// Records whether the live connection is up (`sync.online`), writing only on a change. Coming
/// online clears the last error: the server is reachable and accepted the token again.
fn set_online(ctx: &Ctx, online: bool, last: &mut Option<bool>) {
    if *last == Some(online) {
        return;
    }
    *last = Some(online);
    let written = ctx.write(|tx| {
        if online {
            tx.sql.execute("DELETE FROM settings WHERE key = ?1", [LAST_ERROR])?;
        }
        set_setting(&tx.sql, ONLINE, if online { "1" } else { "0" })
    });
    if let Err(e) = written {
        tracing::warn!("cannot record the sync connection state: {e}");
    }
}

/// Stays connected: syncs once, then applies live updates as they arrive and pushes local
/// changes every `push_every` (through [`push_local`], the same push path as `sync now`, so
/// records imported without their documents leave too), reconnecting with backoff, until `stop` completes. `on_event`
/// receives one-line progress messages. The live connection's state is kept in the settings
/// (`sync.online`) for [`status`].
pub async fn run_until(
    ctx: &Ctx,
    push_every: Duration,
    stop: impl std::future::Future<Output = ()>,
    mut on_event: impl FnMut(String),
) -> Result<()> {
    let mut online = None;
    match sync_now(ctx).await {
        Ok(report) => {
            set_online(ctx, true, &mut online);
            on_event(format!("synced: pushed {}, applied {}", report.pushed, report.applied));
        }
        Err(Error::Sync(e)) => on_event(format!("first sync failed ({e}); retrying live")),
        Err(other) => return Err(other),
    }
    let client = client(ctx)?;
    let mut subscription = client.subscribe(cursor(ctx)?);
    let mut tick = tokio::time::interval(push_every);
    tokio::pin!(stop);
    let mut report = SyncReport::default();
    loop {
        tokio::select! {
            _ = &mut stop => {
                on_event("stopped".into());
                return Ok(());
            }
            event = subscription.next() => match event {
                Some(SubscriptionEvent::Connected) => {
                    set_online(ctx, true, &mut online);
                    on_event("connected".into());
                }
                Some(SubscriptionEvent::Reconnecting(after)) => {
                    set_online(ctx, false, &mut online);
                    on_event(format!("connection lost; reconnecting in {after:?}"));
                }
                Some(SubscriptionEvent::Updates(page)) => {
                    let (applied_before, erased_before) = (report.applied, report.erased);
                    apply_page(ctx, &page.updates, page.next_cursor, &mut report, &HashSet::new())?;
                    if report.erased > erased_before {
                        crate::replica::erase::scrub(ctx)?;
                    }
                    on_event(format!("applied {} update(s)", report.applied - applied_before));
                }
                Some(SubscriptionEvent::Stopped(e)) => {
                    let error = Error::Sync(format!("the sync server ended the session: {}", e.message));
                    record_outcome(ctx, Err(&error));
                    return Err(error);
                }
                None => return Err(Error::Sync("the live sync session ended unexpectedly; run it again".into())),
            },
            _ = tick.tick() => {
                if ctx.read(|conn| setting(conn, SERVER_URL))?.is_none() {
                    on_event("disconnected".into());
                    return Ok(());
                }
                let mut pushed = SyncReport::default();
                let pushed_result = push_local(ctx, &client, &mut pushed).await;
                if pushed.erased > 0 {
                    crate::replica::erase::scrub(ctx)?;
                }
                match pushed_result {
                    Ok(()) => {
                        if pushed.pushed > 0 {
                            on_event(format!("pushed {} change(s)", pushed.pushed));
                        }
                        if pushed.pushed > 0 && pushed.rejected == 0 {
                            record_outcome(ctx, Ok(&pushed));
                        }
                    }
                    Err(e) => {
                        record_outcome(ctx, Err(&e));
                        on_event(format!("push failed ({e}); will retry"));
                    }
                }
            }
        }
    }
}
