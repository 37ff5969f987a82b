//! OpenAI-compatible `POST {base_url}/chat/completions` with function tools and SSE streaming
//! (`stream: true`, usage in the last chunk). Works with hosted APIs and local servers (Ollama,
//! LM Studio); a server that ignores `stream` and answers with one JSON body is understood too.
//! One of the two API flavours behind the core's `LanguageModel` port (moved here from
//! `outpost-core` so the core links no HTTP client).

use serde_json::{json, Value};

use outpost_core::assist::copilot::{
    llm::{ChatMessage, LlmError, ModelToolCall, ModelTurn, OnText},
    tools::ToolDefinition,
};

use super::{map_body_error, sse, HttpModel};

fn wire_messages(messages: &[ChatMessage]) -> Vec<Value> {
    messages
        .iter()
        .map(|m| match m {
            ChatMessage::System(text) => json!({ "role": "system", "content": text }),
            ChatMessage::User(text) => json!({ "role": "user", "content": text }),
            ChatMessage::Assistant { content, tool_calls } if tool_calls.is_empty() => {
                json!({ "role": "assistant", "content": content })
            }
            ChatMessage::Assistant { content, tool_calls } => json!({
                "role": "assistant",
                "content": if content.is_empty() { Value::Null } else { Value::String(content.clone()) },
                "tool_calls": tool_calls.iter().map(|c| json!({
                    "id": c.id, "type": "function", "function": { "name": c.name, "arguments": c.arguments },
                })).collect::<Vec<_>>(),
            }),
            ChatMessage::ToolResult { call_id, content, .. } => {
                json!({ "role": "tool", "tool_call_id": call_id, "content": content })
            }
        })
        .collect()
}

/// Accumulates streamed deltas into one turn.
#[derive(Default)]
struct Accumulator {
    turn: ModelTurn,
    calls: Vec<(String, String, String)>,
}

impl Accumulator {
    fn apply(&mut self, chunk: &Value, on_text: &mut (dyn FnMut(&str) + Send)) -> Result<(), LlmError> {
        if let Some(error) = chunk.get("error") {
            return Err(LlmError::Malformed(format!("the stream carried an error: {error}")));
        }
        if let Some(usage) = chunk.get("usage").filter(|u| !u.is_null()) {
            self.turn.input_tokens = usage.get("prompt_tokens").and_then(Value::as_u64).unwrap_or(0);
            self.turn.output_tokens = usage.get("completion_tokens").and_then(Value::as_u64).unwrap_or(0);
        }
        let Some(choice) = chunk.get("choices").and_then(|c| c.get(0)) else { return Ok(()) };
        let delta = choice.get("delta").or_else(|| choice.get("message")).unwrap_or(&Value::Null);
        if let Some(text) = delta.get("content").and_then(Value::as_str) {
            self.turn.content.push_str(text);
            on_text(text);
        }
        if let Some(calls) = delta.get("tool_calls").and_then(Value::as_array) {
            for (position, call) in calls.iter().enumerate() {
                let index = call.get("index").and_then(Value::as_u64).map_or(position, |i| i as usize);
                if index > 64 {
                    return Err(LlmError::Malformed(format!("tool call index {index} is out of range")));
                }
                while self.calls.len() <= index {
                    self.calls.push(Default::default());
                }
                let slot = &mut self.calls[index];
                if let Some(id) = call.get("id").and_then(Value::as_str) {
                    slot.0 = id.to_owned();
                }
                let function = call.get("function").unwrap_or(&Value::Null);
                if let Some(name) = function.get("name").and_then(Value::as_str) {
                    slot.1.push_str(name);
                }
                match function.get("arguments") {
                    Some(Value::String(part)) => slot.2.push_str(part),
                    Some(Value::Object(map)) => slot.2.push_str(&Value::Object(map.clone()).to_string()),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ModelTurn, LlmError> {
        for (index, (id, name, arguments)) in self.calls.into_iter().enumerate() {
            if name.is_empty() {
                return Err(LlmError::Malformed(format!("tool call {index} has no function name")));
            }
            let id = if id.is_empty() { format!("call_{index}") } else { id };
            self.turn.tool_calls.push(ModelToolCall { id, name, arguments });
        }
        Ok(self.turn)
    }
}

/// Handles one SSE event's data; returns false at `[DONE]`.
fn event(data: &str, acc: &mut Accumulator, on_text: &mut (dyn FnMut(&str) + Send)) -> Result<bool, LlmError> {
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(false);
    }
    if data.is_empty() {
        return Ok(true);
    }
    let chunk: Value = serde_json::from_str(data).map_err(|e| {
        LlmError::Malformed(format!("a stream event is not JSON ({e}): {}", data.chars().take(120).collect::<String>()))
    })?;
    acc.apply(&chunk, on_text)?;
    Ok(true)
}

pub(super) async fn chat(
    client: &HttpModel,
    messages: &[ChatMessage],
    tools: &[ToolDefinition],
    on_text: OnText<'_>,
) -> Result<ModelTurn, LlmError> {
    let body = json!({
        "model": client.config.model,
        "messages": wire_messages(messages),
        "tools": tools.iter().map(|t| json!({
            "type": "function",
            "function": { "name": t.name, "description": t.description, "parameters": t.parameters },
        })).collect::<Vec<_>>(),
        "stream": true,
        "stream_options": { "include_usage": true },
    });
    let mut headers = Vec::new();
    if let Some(key) = &client.api_key {
        headers.push(("authorization", format!("Bearer {key}")));
    }
    let url = format!("{}/chat/completions", client.config.base_url);
    let response = client.post(&url, &headers, &body).await?;
    let timeout = client.config.timeout_secs;
    let mut acc = Accumulator::default();
    if !sse::is_event_stream(&response) {
        let text = response.text().await.map_err(|e| map_body_error(e, timeout))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| LlmError::Malformed(format!("the body is not JSON ({e})")))?;
        if value.get("choices").and_then(|c| c.get(0)).is_none() {
            return Err(LlmError::Malformed("the body has no choices".into()));
        }
        acc.apply(&value, on_text)?;
        return acc.finish();
    }
    let mut events = sse::Events::new(response, timeout);
    while let Some(data) = events.next_data().await? {
        if !event(&data, &mut acc, on_text)? {
            return acc.finish();
        }
    }
    Err(LlmError::Malformed("the stream ended before [DONE]".into()))
}
