//! Anthropic `POST {base_url}/messages` (Messages API, `anthropic-version: 2023-06-01`) with tool
//! use and streaming (`stream: true`: `message_start`, `content_block_start/delta/stop` with
//! `text_delta` and `input_json_delta`, `message_delta` usage, `message_stop`; an `error` event
//! ends the turn with a clear error). A server answering with one JSON message is understood too.
//! Consecutive tool results are sent together in one user message, as the API requires.
//! One of the two API flavours behind the core's `LanguageModel` port (moved here from
//! `outpost-core` so the core links no HTTP client).

use serde_json::{json, Value};

use outpost_core::assist::copilot::{
    llm::{ChatMessage, LlmError, ModelToolCall, ModelTurn, OnText},
    tools::ToolDefinition,
};

use super::{map_body_error, sse, HttpModel};

const VERSION: &str = "2023-06-01";
const MAX_TOKENS: u32 = 2048;

fn wire(messages: &[ChatMessage]) -> (String, Vec<Value>) {
    let mut system = Vec::new();
    let mut out: Vec<Value> = Vec::new();
    for message in messages {
        match message {
            ChatMessage::System(text) => system.push(text.clone()),
            ChatMessage::User(text) => out.push(json!({ "role": "user", "content": text })),
            ChatMessage::Assistant { content, tool_calls } => {
                let mut blocks = Vec::new();
                if !content.is_empty() {
                    blocks.push(json!({ "type": "text", "text": content }));
                }
                for call in tool_calls {
                    let input: Value = serde_json::from_str(&call.arguments).unwrap_or_else(|_| json!({}));
                    blocks.push(json!({ "type": "tool_use", "id": call.id, "name": call.name, "input": input }));
                }
                out.push(json!({ "role": "assistant", "content": blocks }));
            }
            ChatMessage::ToolResult { call_id, content, .. } => {
                let block = json!({ "type": "tool_result", "tool_use_id": call_id, "content": content });
                match out.last_mut() {
                    Some(last)
                        if last["role"] == "user"
                            && last["content"]
                                .as_array()
                                .is_some_and(|b| b.iter().all(|x| x["type"] == "tool_result")) =>
                    {
                        if let Some(blocks) = last["content"].as_array_mut() {
                            blocks.push(block);
                        }
                    }
                    _ => out.push(json!({ "role": "user", "content": [block] })),
                }
            }
        }
    }
    (system.join("\n\n"), out)
}

/// One content block being streamed.
enum Block {
    Text,
    ToolUse { id: String, name: String, input: String },
}

/// Accumulates the events of one streamed message into a turn.
#[derive(Default)]
struct Stream {
    turn: ModelTurn,
    blocks: Vec<Block>,
    stopped: bool,
}

impl Stream {
    fn block_at(&mut self, event: &Value) -> Result<usize, LlmError> {
        let index = event.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
        if index > 64 {
            return Err(LlmError::Malformed(format!("content block index {index} is out of range")));
        }
        while self.blocks.len() <= index {
            self.blocks.push(Block::Text);
        }
        Ok(index)
    }

    fn apply(&mut self, event: &Value, on_text: &mut (dyn FnMut(&str) + Send)) -> Result<(), LlmError> {
        match event.get("type").and_then(Value::as_str) {
            Some("message_start") => {
                let usage = &event["message"]["usage"];
                self.turn.input_tokens = usage.get("input_tokens").and_then(Value::as_u64).unwrap_or(0);
                self.turn.output_tokens = usage.get("output_tokens").and_then(Value::as_u64).unwrap_or(0);
            }
            Some("content_block_start") => {
                let index = self.block_at(event)?;
                let block = &event["content_block"];
                self.blocks[index] = match block.get("type").and_then(Value::as_str) {
                    Some("tool_use") => Block::ToolUse {
                        id: block.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
                        name: block.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
                        input: String::new(),
                    },
                    _ => {
                        let text = block.get("text").and_then(Value::as_str).unwrap_or("");
                        self.text(text, on_text);
                        Block::Text
                    }
                };
            }
            Some("content_block_delta") => {
                let index = self.block_at(event)?;
                let delta = &event["delta"];
                match (&mut self.blocks[index], delta.get("type").and_then(Value::as_str)) {
                    (Block::ToolUse { input, .. }, Some("input_json_delta")) => {
                        input.push_str(delta.get("partial_json").and_then(Value::as_str).unwrap_or(""));
                    }
                    (Block::Text, Some("text_delta")) => {
                        let text = delta.get("text").and_then(Value::as_str).unwrap_or("");
                        self.text(text, on_text);
                    }
                    _ => {}
                }
            }
            Some("message_delta") => {
                if let Some(output) = event["usage"].get("output_tokens").and_then(Value::as_u64) {
                    self.turn.output_tokens = output;
                }
            }
            Some("message_stop") => self.stopped = true,
            Some("error") => {
                return Err(LlmError::Malformed(format!("the stream carried an error: {}", event["error"])));
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str, on_text: &mut (dyn FnMut(&str) + Send)) {
        if !text.is_empty() {
            self.turn.content.push_str(text);
            on_text(text);
        }
    }

    fn finish(mut self) -> Result<ModelTurn, LlmError> {
        if !self.stopped {
            return Err(LlmError::Malformed("the stream ended before message_stop".into()));
        }
        for block in self.blocks {
            let Block::ToolUse { id, name, input } = block else { continue };
            if name.is_empty() {
                return Err(LlmError::Malformed("a tool_use block has no name".into()));
            }
            let arguments = if input.trim().is_empty() { "{}".to_owned() } else { input };
            self.turn.tool_calls.push(ModelToolCall { id, name, arguments });
        }
        Ok(self.turn)
    }
}

/// A whole (non-streamed) message, for servers that ignore `stream`.
fn from_message(value: &Value) -> Result<ModelTurn, LlmError> {
    let blocks = value
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| LlmError::Malformed("the body has no content blocks".into()))?;
    let mut turn = ModelTurn::default();
    for block in blocks {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => turn.content.push_str(block.get("text").and_then(Value::as_str).unwrap_or("")),
            Some("tool_use") => turn.tool_calls.push(ModelToolCall {
                id: block.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
                name: block
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| LlmError::Malformed("a tool_use block has no name".into()))?
                    .to_owned(),
                arguments: block.get("input").cloned().unwrap_or_else(|| json!({})).to_string(),
            }),
            _ => {}
        }
    }
    let usage = value.get("usage").unwrap_or(&Value::Null);
    turn.input_tokens = usage.get("input_tokens").and_then(Value::as_u64).unwrap_or(0);
    turn.output_tokens = usage.get("output_tokens").and_then(Value::as_u64).unwrap_or(0);
    Ok(turn)
}

pub(super) async fn chat(
    client: &HttpModel,
    messages: &[ChatMessage],
    tools: &[ToolDefinition],
    on_text: OnText<'_>,
) -> Result<ModelTurn, LlmError> {
    let (system, messages) = wire(messages);
    let body = json!({
        "model": client.config.model,
        "max_tokens": MAX_TOKENS,
        "system": system,
        "messages": messages,
        "tools": tools.iter().map(|t| json!({
            "name": t.name, "description": t.description, "input_schema": t.parameters,
        })).collect::<Vec<_>>(),
        "stream": true,
    });
    let mut headers = vec![("anthropic-version", VERSION.to_owned())];
    if let Some(key) = &client.api_key {
        headers.push(("x-api-key", key.clone()));
    }
    let url = format!("{}/messages", client.config.base_url);
    let response = client.post(&url, &headers, &body).await?;
    let timeout = client.config.timeout_secs;
    if !sse::is_event_stream(&response) {
        let text = response.text().await.map_err(|e| map_body_error(e, timeout))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| LlmError::Malformed(format!("the body is not JSON ({e})")))?;
        let turn = from_message(&value)?;
        if !turn.content.is_empty() {
            on_text(&turn.content);
        }
        return Ok(turn);
    }
    let mut events = sse::Events::new(response, timeout);
    let mut stream = Stream::default();
    while let Some(data) = events.next_data().await? {
        let event: Value = serde_json::from_str(&data).map_err(|e| {
            LlmError::Malformed(format!(
                "a stream event is not JSON ({e}): {}",
                data.chars().take(120).collect::<String>()
            ))
        })?;
        stream.apply(&event, on_text)?;
        if stream.stopped {
            break;
        }
    }
    stream.finish()
}
