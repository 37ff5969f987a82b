//! A scripted LLM server on 127.0.0.1: real HTTP/1.1 over a tokio `TcpListener`, one scripted
//! reply per request (SSE streams, JSON bodies, error statuses, or silence), every request
//! recorded (path, headers, JSON body) for assertions. It is the other end of the real clients.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// One scripted reply.
#[derive(Debug, Clone)]
pub enum Reply {
    /// `200 text/event-stream` with one `data:` event per string.
    Sse(Vec<String>),
    /// `200 text/event-stream` with named events (`event:` then `data:`), as Anthropic streams.
    Events(Vec<Value>),
    /// A JSON body with this status.
    Json(u16, Value),
    /// An error status with an optional `Retry-After` (seconds).
    Status(u16, Option<u64>),
    /// Reads the request and never answers.
    Hang,
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub struct ScriptServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl ScriptServer {
    /// Starts serving `script` in order; requests beyond it get a 500.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.into_iter()));
        let seen = requests.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let seen = seen.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, seen, script).await;
                });
            }
        });
        ScriptServer { url, requests }
    }

    /// Base URL of the OpenAI-style API (`…/v1`).
    pub fn v1(&self) -> String {
        format!("{}/v1", self.url)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<Recorded>>>,
    script: Arc<Mutex<std::vec::IntoIter<Reply>>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.lines();
    let path = lines.next().and_then(|l| l.split_whitespace().nth(1)).unwrap_or("").to_owned();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))).collect();
    let length: usize =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&buffer[head_end..]).unwrap_or(Value::Null);
    seen.lock().expect("lock").push(Recorded { path, headers, body });
    let reply = script.lock().expect("lock").next().unwrap_or(Reply::Status(500, None));
    let response = match reply {
        Reply::Sse(events) => {
            let mut out = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n".to_owned();
            for event in events {
                out.push_str(&format!("data: {event}\n\n"));
            }
            out
        }
        Reply::Events(events) => {
            let mut out = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n".to_owned();
            for event in events {
                let name = event["type"].as_str().unwrap_or("message").to_owned();
                out.push_str(&format!("event: {name}\ndata: {event}\n\n"));
            }
            out
        }
        Reply::Json(status, value) => {
            let body = value.to_string();
            format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        }
        Reply::Status(status, retry_after) => {
            let body = json!({ "error": { "message": format!("scripted {status}") } }).to_string();
            let retry = retry_after.map(|s| format!("retry-after: {s}\r\n")).unwrap_or_default();
            format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{retry}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        }
        Reply::Hang => {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            return Ok(());
        }
    };
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// SSE events of a streamed text answer split into `parts`, with usage, then `[DONE]`.
pub fn text_stream(parts: &[&str], prompt_tokens: u64, completion_tokens: u64) -> Vec<String> {
    let mut events: Vec<String> =
        parts.iter().map(|p| json!({ "choices": [{ "index": 0, "delta": { "content": p } }] }).to_string()).collect();
    events.push(usage(prompt_tokens, completion_tokens));
    events.push("[DONE]".into());
    events
}

/// SSE events of tool calls `(id, name, argument parts)`, streamed as OpenAI does, then `[DONE]`.
pub fn tool_stream(calls: &[(&str, &str, &[&str])], prompt_tokens: u64, completion_tokens: u64) -> Vec<String> {
    let mut events = Vec::new();
    for (index, (id, name, parts)) in calls.iter().enumerate() {
        events.push(
            json!({ "choices": [{ "index": 0, "delta": { "tool_calls": [{ "index": index, "id": id, "type": "function",
                "function": { "name": name, "arguments": "" } }] } }] })
            .to_string(),
        );
        for part in *parts {
            events.push(
                json!({ "choices": [{ "index": 0, "delta": { "tool_calls": [{ "index": index,
                    "function": { "arguments": part } }] } }] })
                .to_string(),
            );
        }
    }
    events.push(usage(prompt_tokens, completion_tokens));
    events.push("[DONE]".into());
    events
}

fn usage(prompt_tokens: u64, completion_tokens: u64) -> String {
    json!({ "choices": [], "usage": { "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens } })
        .to_string()
}

/// One content block of an Anthropic stream: text parts, or a tool use `(id, name, input JSON parts)`.
pub enum Block<'a> {
    Text(&'a [&'a str]),
    ToolUse(&'a str, &'a str, &'a [&'a str]),
}

/// The events of one Anthropic streamed message (`message_start` … `message_stop`), with a
/// `ping` in the middle as the real API sends.
pub fn anthropic_stream(blocks: &[Block<'_>], input_tokens: u64, output_tokens: u64) -> Vec<Value> {
    let mut events = vec![
        json!({ "type": "message_start", "message": { "id": "msg_1", "type": "message", "role": "assistant",
            "content": [], "usage": { "input_tokens": input_tokens, "output_tokens": 1 } } }),
        json!({ "type": "ping" }),
    ];
    for (index, block) in blocks.iter().enumerate() {
        match block {
            Block::Text(parts) => {
                events.push(json!({ "type": "content_block_start", "index": index,
                    "content_block": { "type": "text", "text": "" } }));
                for part in *parts {
                    events.push(json!({ "type": "content_block_delta", "index": index,
                        "delta": { "type": "text_delta", "text": part } }));
                }
            }
            Block::ToolUse(id, name, parts) => {
                events.push(json!({ "type": "content_block_start", "index": index,
                    "content_block": { "type": "tool_use", "id": id, "name": name, "input": {} } }));
                for part in *parts {
                    events.push(json!({ "type": "content_block_delta", "index": index,
                        "delta": { "type": "input_json_delta", "partial_json": part } }));
                }
            }
        }
        events.push(json!({ "type": "content_block_stop", "index": index }));
    }
    events.push(json!({ "type": "message_delta", "delta": { "stop_reason": "end_turn" },
        "usage": { "output_tokens": output_tokens } }));
    events.push(json!({ "type": "message_stop" }));
    events
}
