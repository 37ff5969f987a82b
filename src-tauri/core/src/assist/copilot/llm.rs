//! LLM clients: the provider-neutral conversation types, the HTTP client with timeouts and
//! retries (429 and 5xx answers and connection failures are retried with exponential backoff,
//! honouring `Retry-After` up to 10 s), and one adapter per API flavour ([`openai`], [`anthropic`]).

mod anthropic;
mod openai;
mod sse;

use std::time::Duration;

use super::{llm_config::ProviderConfig, llm_config::ProviderKind, tools::ToolDefinition};

/// One message of the conversation sent to the model.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatMessage {
    /// Instructions and the context pack.
    System(String),
    /// The rep's words.
    User(String),
    /// A model turn, with the tools it called.
    Assistant {
        /// Text.
        content: String,
        /// Tool calls.
        tool_calls: Vec<ModelToolCall>,
    },
    /// The result of one tool call.
    ToolResult {
        /// The call it answers.
        call_id: String,
        /// The tool's name.
        name: String,
        /// JSON result (or error) as text.
        content: String,
    },
}

/// A tool call as the model made it (arguments still raw JSON text).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelToolCall {
    /// Call id assigned by the model.
    pub id: String,
    /// Tool name.
    pub name: String,
    /// Arguments as the model wrote them (may be malformed).
    pub arguments: String,
}

/// One model response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelTurn {
    /// Text.
    pub content: String,
    /// Tool calls, in order.
    pub tool_calls: Vec<ModelToolCall>,
    /// Prompt tokens reported.
    pub input_tokens: u64,
    /// Completion tokens reported.
    pub output_tokens: u64,
}

/// Why a model call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// No answer within the configured time.
    #[error("the model did not answer within {0} s")]
    Timeout(u64),
    /// An HTTP error status (after retries for 429 and 5xx).
    #[error("the provider answered HTTP {status} after {attempts} attempt(s): {body}")]
    Status {
        /// Status code.
        status: u16,
        /// How many requests were made.
        attempts: u32,
        /// Start of the response body.
        body: String,
    },
    /// The provider could not be reached.
    #[error("cannot reach the provider: {0}")]
    Network(String),
    /// The response did not follow the API.
    #[error("the provider's response could not be understood: {0}")]
    Malformed(String),
}

/// A client for the configured provider.
#[derive(Debug, Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    config: ProviderConfig,
    api_key: Option<String>,
}

/// A streamed piece of text, passed to the caller as it arrives.
pub type OnText<'a> = &'a mut (dyn FnMut(&str) + Send);

impl LlmClient {
    /// A client for `config` authenticating with `api_key` (if any).
    pub fn new(config: ProviderConfig, api_key: Option<String>) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_secs))
            .connect_timeout(Duration::from_secs(config.timeout_secs.min(10)))
            .build()
            .map_err(|e| LlmError::Network(e.to_string()))?;
        Ok(LlmClient { http, config, api_key })
    }

    /// The provider's kind.
    pub fn kind(&self) -> ProviderKind {
        self.config.kind
    }

    /// One model turn over `messages` with `tools`, streaming text to `on_text` when the API
    /// streams.
    pub async fn chat(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolDefinition],
        on_text: OnText<'_>,
    ) -> Result<ModelTurn, LlmError> {
        match self.config.kind {
            ProviderKind::Openai => openai::chat(self, messages, tools, on_text).await,
            ProviderKind::Anthropic => anthropic::chat(self, messages, tools, on_text).await,
        }
    }

    /// Sends a JSON POST, retrying 429/5xx answers and connection failures; returns the first
    /// successful response.
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &serde_json::Value,
    ) -> Result<reqwest::Response, LlmError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.http.post(url).json(body);
            for (name, value) in headers {
                request = request.header(*name, value);
            }
            let retry_in = |retry_after: Option<u64>| {
                let backoff = self.config.retry_backoff_ms.saturating_mul(1 << (attempt - 1).min(6));
                retry_after.map(|s| s.min(10) * 1000).unwrap_or(backoff)
            };
            match request.send().await {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    let retryable = status == 429 || status >= 500;
                    if retryable && attempt <= self.config.max_retries {
                        tokio::time::sleep(Duration::from_millis(retry_in(retry_after))).await;
                        continue;
                    }
                    let text = response.text().await.unwrap_or_default();
                    return Err(LlmError::Status { status, attempts: attempt, body: text.chars().take(300).collect() });
                }
                Err(e) if e.is_timeout() => return Err(LlmError::Timeout(self.config.timeout_secs)),
                Err(e) if attempt <= self.config.max_retries && (e.is_connect() || e.is_request()) => {
                    tokio::time::sleep(Duration::from_millis(retry_in(None))).await;
                }
                Err(e) => return Err(LlmError::Network(e.to_string())),
            }
        }
    }
}

fn map_body_error(error: reqwest::Error, timeout: u64) -> LlmError {
    if error.is_timeout() {
        LlmError::Timeout(timeout)
    } else {
        LlmError::Network(error.to_string())
    }
}
