//! A small sync client: push and pull over HTTP (reqwest), live updates over a WebSocket
//! (tokio-tungstenite) that reconnects with exponential backoff.
//!
//! Why these crates: reqwest is the standard async HTTP client on hyper (already in the
//! workspace's lock file through Tauri) and tokio-tungstenite is the WebSocket implementation
//! axum itself uses, so client and server share one WebSocket stack. TLS (`https://`, `wss://`)
//! is behind this crate's `tls` feature (rustls) so loopback builds and tests stay light.
//!
//! The CRM core owns its outbox and documents: it calls [`SyncClient::push`] with
//! (doc id, kind, visibility, update bytes, client_seq) items, applies what [`SyncClient::pull`]
//! and [`Subscription::next`] return with [`crate::doc::RecordDoc::apply_update`], and persists
//! the cursor (`next_cursor`) so the next pull continues where it stopped.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use crate::protocol::{
    decode, encode, ClientMessage, ErrorCode, ErrorMessage, Hello, Pull, PullResponse, Push, PushAck, PushItem,
    ServerMessage, Subscribe, Welcome, HEADER_CLIENT, HEADER_PROTOCOL,
};

/// Errors of the sync client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or the connection broke.
    #[error("cannot reach the sync server: {0}; check the server address and your network, changes stay queued")]
    Transport(String),
    /// The server refused the request.
    #[error("the sync server refused the request: {0}")]
    Server(ErrorMessage),
    /// The server's answer is not understood.
    #[error("unexpected answer from the sync server: {0}; check that client and server versions match")]
    Unexpected(String),
}

impl ClientError {
    /// The server's error code, if the server refused.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Server(e) => Some(e.code),
            _ => None,
        }
    }
}

/// A client for one device of one server.
#[derive(Debug, Clone)]
pub struct SyncClient {
    base: String,
    token: String,
    protocol_version: u32,
    client_version: String,
    http: reqwest::Client,
}

impl SyncClient {
    /// A client of the server at `base_url` (`http://host:port`) using `device_token`.
    pub fn new(base_url: &str, device_token: &str) -> Self {
        SyncClient {
            base: base_url.trim_end_matches('/').to_string(),
            token: device_token.to_string(),
            protocol_version: crate::PROTOCOL_VERSION,
            client_version: env!("CARGO_PKG_VERSION").to_string(),
            http: http_client(base_url),
        }
    }

    /// Overrides the protocol version sent (diagnostics and tests of version refusal).
    pub fn with_protocol_version(mut self, version: u32) -> Self {
        self.protocol_version = version;
        self
    }

    fn hello_message(&self) -> Hello {
        Hello {
            protocol_version: self.protocol_version,
            client_version: self.client_version.clone(),
            device_token: self.token.clone(),
        }
    }

    async fn call<T: serde::de::DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, ClientError> {
        let resp = req
            .header("authorization", format!("Bearer {}", self.token))
            .header(HEADER_PROTOCOL, self.protocol_version.to_string())
            .header(HEADER_CLIENT, &self.client_version)
            .send()
            .await
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let ok = resp.status().is_success();
        let body = resp.bytes().await.map_err(|e| ClientError::Transport(e.to_string()))?;
        if ok {
            decode(&body).map_err(|e| ClientError::Unexpected(e.message))
        } else {
            Err(decode::<ErrorMessage>(&body)
                .map(ClientError::Server)
                .unwrap_or_else(|e| ClientError::Unexpected(e.message)))
        }
    }

    /// Checks version and token; returns who the server thinks this device is.
    pub async fn hello(&self) -> Result<Welcome, ClientError> {
        self.call(self.http.post(format!("{}/v1/hello", self.base)).body(encode(&self.hello_message()))).await
    }

    /// Pushes a batch of local changes (idempotent by client_seq: retry freely).
    pub async fn push(&self, items: Vec<PushItem>) -> Result<PushAck, ClientError> {
        self.call(self.http.post(format!("{}/v1/push", self.base)).body(encode(&Push { items }))).await
    }

    /// Pulls at most `limit` updates after cursor `since`.
    pub async fn pull(&self, since: u64, limit: Option<u32>) -> Result<PullResponse, ClientError> {
        self.call(self.http.post(format!("{}/v1/pull", self.base)).body(encode(&Pull { since, limit }))).await
    }

    /// Pulls page after page until nothing more waits; returns all updates and the final cursor.
    pub async fn pull_all(&self, since: u64) -> Result<(Vec<crate::protocol::DocUpdate>, u64), ClientError> {
        let (mut all, mut cursor) = (Vec::new(), since);
        loop {
            let page = self.pull(cursor, None).await?;
            all.extend(page.updates);
            cursor = page.next_cursor;
            if !page.more {
                return Ok((all, cursor));
            }
        }
    }

    fn ws_url(&self) -> String {
        let rest = self.base.strip_prefix("http").unwrap_or(&self.base);
        format!("ws{rest}/v1/ws")
    }

    /// Opens a WebSocket (authenticating in the upgrade request too, which lifts the server's
    /// pre-authentication message limit), sends the hello and returns the connection after the
    /// welcome.
    pub async fn connect(&self) -> Result<(WsConnection, Welcome), ClientError> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
        let transport = |e: &dyn std::fmt::Display| ClientError::Transport(e.to_string());
        let mut request = self.ws_url().into_client_request().map_err(|e| transport(&e))?;
        let headers = request.headers_mut();
        for (name, value) in [
            ("authorization", format!("Bearer {}", self.token)),
            (HEADER_PROTOCOL, self.protocol_version.to_string()),
            (HEADER_CLIENT, self.client_version.clone()),
        ] {
            let value = value.parse().map_err(|_| transport(&format!("`{name}` is not a valid header value")))?;
            headers.insert(name, value);
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await.map_err(|e| match e {
            // A refused upgrade carries the protocol's JSON error (revoked token, old protocol).
            tokio_tungstenite::tungstenite::Error::Http(response) => {
                match response.body().as_deref().map(crate::protocol::decode::<crate::protocol::ErrorMessage>) {
                    Some(Ok(error)) => ClientError::Server(error),
                    _ => transport(&format!("the server refused the WebSocket (HTTP {})", response.status())),
                }
            }
            other => transport(&other),
        })?;
        let mut conn = WsConnection { stream };
        conn.send(&ClientMessage::Hello(self.hello_message())).await?;
        match conn.recv().await? {
            ServerMessage::Welcome(w) => Ok((conn, w)),
            ServerMessage::Error(e) => Err(ClientError::Server(e)),
            other => Err(ClientError::Unexpected(format!("{other:?} instead of a welcome"))),
        }
    }

    /// Subscribes to live updates after cursor `since`, in a background task that reconnects with
    /// exponential backoff (100 ms doubling to 30 s) and resumes from the last delivered cursor.
    /// It stops for good on errors a retry cannot fix (revoked token, protocol mismatch).
    pub fn subscribe(&self, since: u64) -> Subscription {
        let (tx, rx) = mpsc::channel(256);
        let client = self.clone();
        let task = tokio::spawn(async move { subscription_loop(client, since, tx).await });
        Subscription { rx, task }
    }
}

/// The HTTP client for `base_url`. An `https://` server gets reqwest's default TLS: the OS's trusted
/// roots (read from disk, ~3 ms, every one of them parsed) and full verification. A plain `http://`
/// server needs no roots, so its client trusts none: it never reads them, and any TLS connection
/// it might still be sent to (a redirect to `https://`) fails verification instead of being
/// trusted.
#[cfg_attr(not(feature = "https"), allow(unused_variables))]
fn http_client(base_url: &str) -> reqwest::Client {
    #[cfg(feature = "https")]
    if !base_url.trim_start().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")) {
        if let Ok(client) = reqwest::Client::builder().tls_certs_only(Vec::new()).build() {
            return client;
        }
    }
    reqwest::Client::new()
}

/// An open WebSocket speaking the protocol.
pub struct WsConnection {
    stream: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl WsConnection {
    /// Sends one message.
    pub async fn send(&mut self, message: &ClientMessage) -> Result<(), ClientError> {
        let text = String::from_utf8(encode(message)).unwrap_or_default();
        self.stream.send(Message::Text(text.into())).await.map_err(|e| ClientError::Transport(e.to_string()))
    }

    /// Receives the next protocol message (skipping pings).
    pub async fn recv(&mut self) -> Result<ServerMessage, ClientError> {
        loop {
            match self.stream.next().await {
                None => return Err(ClientError::Transport("the server closed the connection".into())),
                Some(Err(e)) => return Err(ClientError::Transport(e.to_string())),
                Some(Ok(Message::Text(t))) => {
                    return decode(t.as_bytes()).map_err(|e| ClientError::Unexpected(e.message))
                }
                Some(Ok(Message::Binary(b))) => return decode(&b).map_err(|e| ClientError::Unexpected(e.message)),
                Some(Ok(Message::Close(_))) => {
                    return Err(ClientError::Transport("the server closed the connection".into()))
                }
                Some(Ok(_)) => continue,
            }
        }
    }
}

/// What a subscription reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionEvent {
    /// (Re)connected and subscribed.
    Connected,
    /// New updates; persist `next_cursor` after applying them.
    Updates(PullResponse),
    /// The connection broke; reconnecting after the given delay.
    Reconnecting(Duration),
    /// The server refused for good (revoked token, protocol mismatch); the subscription ended.
    Stopped(ErrorMessage),
}

/// A live subscription; dropping it stops the background task.
pub struct Subscription {
    rx: mpsc::Receiver<SubscriptionEvent>,
    task: tokio::task::JoinHandle<()>,
}

impl Subscription {
    /// The next event, or `None` once the subscription ended.
    pub async fn next(&mut self) -> Option<SubscriptionEvent> {
        self.rx.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn permanent(e: &ErrorMessage) -> bool {
    matches!(e.code, ErrorCode::Unauthorized | ErrorCode::ProtocolTooOld | ErrorCode::ProtocolTooNew)
}

async fn subscription_loop(client: SyncClient, mut cursor: u64, tx: mpsc::Sender<SubscriptionEvent>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let failure = match client.connect().await {
            Ok((mut conn, _)) => {
                backoff = Duration::from_millis(100);
                match conn.send(&ClientMessage::Subscribe(Subscribe { since: cursor })).await {
                    Err(e) => e,
                    Ok(()) => {
                        if tx.send(SubscriptionEvent::Connected).await.is_err() {
                            return;
                        }
                        loop {
                            match conn.recv().await {
                                Ok(ServerMessage::Update(page)) => {
                                    cursor = cursor.max(page.next_cursor);
                                    if tx.send(SubscriptionEvent::Updates(page)).await.is_err() {
                                        return;
                                    }
                                }
                                Ok(ServerMessage::Error(e)) => break ClientError::Server(e),
                                Ok(_) => {}
                                Err(e) => break e,
                            }
                        }
                    }
                }
            }
            Err(e) => e,
        };
        if let ClientError::Server(e) = &failure {
            if permanent(e) {
                let _ = tx.send(SubscriptionEvent::Stopped(e.clone())).await;
                return;
            }
        }
        tracing::debug!("sync subscription interrupted: {failure}; retrying in {backoff:?}");
        if tx.send(SubscriptionEvent::Reconnecting(backoff)).await.is_err() {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}
