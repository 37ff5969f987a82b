//! The scripted peer: raw protocol requests, built by hand rather than through the crate's
//! client, so it can send what a well-behaved client never would (wrong versions, oversized
//! bodies, reused sequence numbers, fragments before hello).

use anyhow::{Context, Result};
use futures_util::{SinkExt, StreamExt};
use outpost_sync::doc::DocId;
use outpost_sync::protocol::{
    encode, ClientMessage, ErrorMessage, Hello, Push, PushAck, PushItem, PushOutcome, Visibility, HEADER_CLIENT,
    HEADER_PROTOCOL,
};
use outpost_sync::PROTOCOL_VERSION;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

/// One device speaking HTTP.
#[derive(Clone)]
pub struct Peer {
    base: String,
    /// The device token.
    pub token: String,
    /// The push epoch this peer uses.
    pub epoch: u64,
    http: reqwest::Client,
}

/// What the server answered to a raw request: the HTTP status and the body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    /// The protocol error code in the body (`snake_case`), or `http NNN` when there is none.
    pub fn code(&self) -> String {
        match serde_json::from_slice::<ErrorMessage>(&self.body) {
            Ok(e) => serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            Err(_) => format!("http {}", self.status),
        }
    }
}

/// The outcome of one pushed item as a short word: `stored`, `duplicate` or the error code.
pub fn outcome(ack: &PushAck, index: usize) -> String {
    match ack.results.get(index).map(|r| &r.outcome) {
        Some(PushOutcome::Stored { .. }) => "stored".into(),
        Some(PushOutcome::Duplicate { .. }) => "duplicate".into(),
        Some(PushOutcome::Rejected { error }) => {
            serde_json::to_value(error.code).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
        }
        None => "no result".into(),
    }
}

/// A push item with this peer's epoch.
pub fn item(
    doc_id: DocId,
    kind: &str,
    visibility: Visibility,
    update: Vec<u8>,
    client_seq: u64,
    epoch: u64,
) -> PushItem {
    PushItem { doc_id, kind: kind.into(), visibility, update, client_seq, epoch, erase: false, compact: false }
}

impl Peer {
    /// A peer of the server at `base` with `token`.
    pub fn new(base: &str, token: &str, epoch: u64) -> Self {
        Peer { base: base.to_string(), token: token.to_string(), epoch, http: reqwest::Client::new() }
    }

    /// POSTs `body` to `path` with this peer's headers (protocol version `version`).
    pub async fn post_raw(&self, path: &str, body: Vec<u8>, version: u32) -> Result<Answer> {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token))
            .header(HEADER_PROTOCOL, version.to_string())
            .header(HEADER_CLIENT, "hostile-suite")
            .body(body)
            .send()
            .await
            .context("send")?;
        let status = resp.status().as_u16();
        Ok(Answer { status, body: resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default() })
    }

    /// GETs `path` with this peer's headers.
    pub async fn get_raw(&self, path: &str) -> Result<Answer> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token))
            .header(HEADER_PROTOCOL, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .context("send")?;
        let status = resp.status().as_u16();
        Ok(Answer { status, body: resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default() })
    }

    /// Pushes `items` and returns the acknowledgement (an error answer becomes an Err).
    pub async fn push(&self, items: Vec<PushItem>) -> Result<PushAck> {
        let answer = self.post_raw("/v1/push", encode(&Push { items }), PROTOCOL_VERSION).await?;
        serde_json::from_slice(&answer.body)
            .with_context(|| format!("push answered {}: {}", answer.status, String::from_utf8_lossy(&answer.body)))
    }

    /// Pushes one item and returns its outcome word.
    pub async fn push_one(&self, item: PushItem) -> Result<String> {
        Ok(outcome(&self.push(vec![item]).await?, 0))
    }

    /// Every update this device may read.
    pub async fn pull_all(&self) -> Result<Vec<outpost_sync::protocol::DocUpdate>> {
        outpost_sync::client::SyncClient::new(&self.base, &self.token)
            .pull_all(0)
            .await
            .map(|(u, _)| u)
            .map_err(Into::into)
    }

    /// A WebSocket to the server, with or without this peer's token in the upgrade request.
    pub async fn websocket(&self, with_token: bool) -> Result<Ws> {
        let ws = self.base.replacen("http", "ws", 1) + "/v1/ws";
        let mut request = ws.into_client_request()?;
        if with_token {
            let headers = request.headers_mut();
            headers.insert("authorization", format!("Bearer {}", self.token).parse()?);
            headers.insert(HEADER_PROTOCOL, PROTOCOL_VERSION.to_string().parse()?);
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Ws { stream })
    }

    /// A WebSocket authenticated in its upgrade that has said hello; with the server's first answer.
    pub async fn greeted(&self) -> Result<(Ws, String)> {
        let mut ws = self.websocket(true).await?;
        let answer = ws.hello(&self.token).await?;
        Ok((ws, answer))
    }
}

/// A raw WebSocket.
pub struct Ws {
    stream: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Ws {
    /// Sends one text message.
    /// Says hello with `token`; returns the server's answer.
    pub async fn hello(&mut self, token: &str) -> Result<String> {
        let hello = ClientMessage::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            client_version: "hostile".into(),
            device_token: token.to_owned(),
        });
        self.send_text(String::from_utf8(encode(&hello))?).await?;
        Ok(self.next_event().await)
    }

    pub async fn send_text(&mut self, text: String) -> Result<()> {
        self.stream.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// Sends one binary message.
    pub async fn send_binary(&mut self, bytes: Vec<u8>) -> Result<()> {
        self.stream.send(Message::Binary(bytes.into())).await?;
        Ok(())
    }

    /// Sends `total` bytes as a fragmented text message of `chunk`-byte frames (no hello first).
    pub async fn send_fragments(&mut self, total: usize, chunk: usize) -> Result<()> {
        use tokio_tungstenite::tungstenite::protocol::frame::{coding::Data, coding::OpCode, Frame};
        let mut sent = 0;
        while sent < total {
            let n = chunk.min(total - sent);
            let opcode = if sent == 0 { OpCode::Data(Data::Text) } else { OpCode::Data(Data::Continue) };
            let fin = sent + n >= total;
            let frame = Frame::message(vec![b'a'; n], opcode, fin);
            self.stream.send(Message::Frame(frame)).await?;
            sent += n;
        }
        Ok(())
    }

    /// The next event: `text:<message>`, `closed`, or `error:<why>` (a dropped connection).
    pub async fn next_event(&mut self) -> String {
        loop {
            match self.stream.next().await {
                Some(Ok(Message::Text(t))) => return format!("text:{t}"),
                Some(Ok(Message::Close(_))) | None => return "closed".into(),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return format!("error:{e}"),
            }
        }
    }
}
