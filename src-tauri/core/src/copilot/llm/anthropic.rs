//! Anthropic `POST {base_url}/messages` (Messages API, `anthropic-version: 2023-06-01`) with tool
//! use. Consecutive tool results are sent together in one user message, as the API requires.

use serde_json::{json, Value};

use super::{map_body_error, ChatMessage, LlmClient, LlmError, ModelToolCall, ModelTurn};
use crate::copilot::tools::ToolDefinition;

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

pub(super) async fn chat(
    client: &LlmClient,
    messages: &[ChatMessage],
    tools: &[ToolDefinition],
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
    });
    let mut headers = vec![("anthropic-version", VERSION.to_owned())];
    if let Some(key) = &client.api_key {
        headers.push(("x-api-key", key.clone()));
    }
    let url = format!("{}/messages", client.config.base_url);
    let response = client.post(&url, &headers, &body).await?;
    let text = response.text().await.map_err(|e| map_body_error(e, client.config.timeout_secs))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| LlmError::Malformed(format!("the body is not JSON ({e})")))?;
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
