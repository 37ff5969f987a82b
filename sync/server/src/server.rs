//! The sync server: axum over tokio, storage behind [`crate::store::Store`].
//!
//! Endpoints (see [`outpost_sync::protocol`] for the messages):
//! - `POST /v1/hello` (body [`outpost_sync::protocol::Hello`]) → `Welcome`;
//! - `POST /v1/push` (body `Push`) → `PushAck`, idempotent by (device, client_seq);
//! - `GET /v1/pull?since=N&limit=M` or `POST /v1/pull` (body `Pull`) → `PullResponse`;
//! - `GET /v1/ws`: WebSocket; hello first, then push/pull/subscribe; subscribed devices get
//!   `update` messages with new updates they may read, as they are stored (in this process or,
//!   on PostgreSQL, in any process sharing the database);
//! - `GET /healthz` → `ok`.
//!
//! Every request and WebSocket message is authenticated again (a revoked token fails on the next
//! one), authorised with [`crate::authz`], and rate-limited per device ([`rate_limit`]).
//!
//! **Resource limits.** Request bodies are capped at [`outpost_sync::protocol::MAX_PUSH_BODY_BYTES`] (one
//! maximal update plus framing; HTTP 413 beyond). A WebSocket whose upgrade request carries no
//! valid device token may send messages of at most [`outpost_sync::protocol::PRE_AUTH_MESSAGE_BYTES`]
//! and must say hello within [`ServerConfig::hello_timeout`], or it is closed. Pushes count
//! against per-user [`Quotas`]. Compaction and the scrub after erasures (VACUUM) run in the
//! background every [`ServerConfig::compact_every`], never on the request path: erased bytes stay
//! in the store's files for at most one interval plus the run's own duration.

mod http;
pub mod rate_limit;
mod ws;

pub use ws::MAX_SESSIONS_PER_DEVICE;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};

use crate::authz::Principal;
use crate::store::{hash_token, Quotas, Store};
use outpost_sync::protocol::{check_version, ErrorCode, ErrorMessage, Hello};

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Requests per second each device may make on average.
    pub rate_per_sec: f64,
    /// Burst size of each device's token bucket.
    pub rate_burst: f64,
    /// The rate limiter's clock (the system clock; tests may hold it still).
    pub rate_clock: rate_limit::RateClock,
    /// How often the background maintenance runs: compaction, and the scrub of the store's
    /// files after erasures and requested compactions (`None`: never automatically; then only
    /// `outpost-server compact` does it). Also the bound on how long erased bytes stay on disk.
    pub compact_every: Option<Duration>,
    /// Documents with at least this many stored updates are compacted.
    pub compact_min_updates: u32,
    /// How long a WebSocket may stay open without a hello.
    pub hello_timeout: Duration,
    /// How long a request's head may take to arrive (also how long an idle keep-alive
    /// connection stays open), and separately its body: a slow-loris client trickling either is
    /// disconnected instead of holding a connection forever.
    pub read_timeout: Duration,
    /// Per-user quotas.
    pub quotas: Quotas,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            rate_per_sec: 50.0,
            rate_burst: 200.0,
            rate_clock: rate_limit::RateClock::System,
            compact_every: Some(Duration::from_secs(60)),
            compact_min_updates: 32,
            hello_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            quotas: Quotas::default(),
        }
    }
}

/// Errors starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The listening socket failed.
    #[error("cannot listen on {addr}: {source}; pick a free port or address")]
    Listen {
        /// The address.
        addr: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Shared state of the request handlers.
pub(crate) struct AppState {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) changes: broadcast::Sender<i64>,
    pub(crate) limiter: rate_limit::RateLimiter,
    pub(crate) sessions: ws::SessionCount,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) hello_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) quotas: Quotas,
}

impl AppState {
    /// Authenticates a hello (version, token) without rate limiting.
    pub(crate) async fn authenticate(&self, hello: &Hello) -> Result<Principal, ErrorMessage> {
        check_version(hello.protocol_version)?;
        let principal = self.store.authenticate(&hash_token(&hello.device_token)).await.map_err(internal)?;
        principal.ok_or_else(|| {
            ErrorMessage::new(
                ErrorCode::Unauthorized,
                "this device token is unknown or was revoked; ask an admin for a new one \
                 (`outpost-server device-token --email YOU`) and sign in again",
            )
        })
    }

    /// Authenticates and takes one request from the device's rate-limit bucket.
    pub(crate) async fn admit(&self, hello: &Hello) -> Result<Principal, ErrorMessage> {
        let principal = self.authenticate(hello).await?;
        self.limiter.check(&principal.device_id)?;
        Ok(principal)
    }
}

/// Maps a storage failure to a wire error (details go to the log, not to the client).
pub(crate) fn internal(e: crate::store::StoreError) -> ErrorMessage {
    tracing::error!("store error: {e}");
    ErrorMessage::new(ErrorCode::Internal, "the sync server could not reach its database; retry in a moment")
}

/// A running server: its address, and how to stop it.
pub struct ServerHandle {
    /// The bound address (useful with port 0).
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    join: tokio::task::JoinHandle<()>,
    compactor: Option<tokio::task::JoinHandle<()>>,
}

impl ServerHandle {
    /// Stops accepting connections, closes WebSockets and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(c) = self.compactor.take() {
            c.abort();
        }
        let _ = (&mut self.join).await;
    }

    /// Waits until the server stops (e.g. forever, for the binary).
    pub async fn wait(self) {
        let _ = self.join.await;
    }
}

/// The router over `state` (exposed for embedding).
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/hello", post(http::hello))
        .route("/v1/push", post(http::push))
        .route("/v1/pull", get(http::pull_get).post(http::pull_post))
        .route("/v1/ws", get(ws::upgrade))
        .layer(axum::extract::DefaultBodyLimit::max(outpost_sync::protocol::MAX_PUSH_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), http::body_deadline))
        .with_state(state)
}

/// Accepts connections until shutdown and serves each with hyper's HTTP/1 (upgrades for the
/// WebSocket). axum's own `serve` gives hyper no timer, so a request head trickled one byte at a
/// time (slow-loris) held its connection forever; here a head must arrive within `read_timeout`
/// (hyper answers 408 otherwise and closes), which also closes idle keep-alive connections.
async fn accept_loop(listener: TcpListener, app: Router, mut stop: watch::Receiver<bool>, read_timeout: Duration) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    // Every connection task holds a receiver: shutdown waits until all of them are gone.
    let (open_tx, open_rx) = watch::channel(());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|s| *s) => break,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            Err(e) => {
                // Out of file descriptors and the like: say so and keep accepting.
                tracing::warn!("accepting a connection failed: {e}");
                tokio::task::yield_now().await;
                continue;
            }
        };
        let _ = tcp.set_nodelay(true);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(read_timeout);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let (mut stop, open) = (stop.clone(), open_rx.clone());
        tokio::spawn(async move {
            let conn = http.serve_connection(TokioIo::new(tcp), service).with_upgrades();
            let mut conn = std::pin::pin!(conn);
            let mut stopping = false;
            loop {
                tokio::select! {
                    ended = conn.as_mut() => {
                        if let Err(e) = ended {
                            tracing::debug!("connection ended: {e}");
                        }
                        break;
                    }
                    _ = stop.wait_for(|s| *s), if !stopping => {
                        stopping = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(open_rx);
    open_tx.closed().await;
}

/// Binds `addr` and serves. See [`serve`].
pub async fn bind_and_serve(
    addr: &str,
    store: Arc<dyn Store>,
    config: ServerConfig,
) -> Result<ServerHandle, ServerError> {
    let listener =
        TcpListener::bind(addr).await.map_err(|source| ServerError::Listen { addr: addr.to_string(), source })?;
    serve(listener, store, config)
}

/// Serves on `listener` in a background task until [`ServerHandle::shutdown`].
pub fn serve(listener: TcpListener, store: Arc<dyn Store>, config: ServerConfig) -> Result<ServerHandle, ServerError> {
    let addr = listener.local_addr().map_err(|source| ServerError::Listen { addr: "listener".into(), source })?;
    let (changes, _) = broadcast::channel(1024);
    store.watch_changes(changes.clone());
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let state = Arc::new(AppState {
        store: Arc::clone(&store),
        changes,
        limiter: rate_limit::RateLimiter::new(config.rate_per_sec, config.rate_burst, config.rate_clock.clone()),
        sessions: ws::SessionCount::default(),
        shutdown: shutdown_rx.clone(),
        hello_timeout: config.hello_timeout,
        read_timeout: config.read_timeout,
        quotas: config.quotas,
    });
    let app = router(state);
    let join = tokio::spawn(accept_loop(listener, app, shutdown_rx, config.read_timeout));
    let compactor = config.compact_every.map(|every| {
        let min = config.compact_min_updates;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                match store.compact(min).await {
                    Ok(stats) if stats.docs > 0 || stats.scrubbed => tracing::info!(?stats, "maintenance"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("compaction failed: {e}"),
                }
            }
        })
    });
    tracing::info!(%addr, "outpost sync server listening");
    Ok(ServerHandle { addr, shutdown: shutdown_tx, join, compactor })
}
