//! The LLM HTTP clients behind the core's `LanguageModels` port: a client with timeouts and
//! retries (429 and 5xx answers and connection failures are retried with exponential backoff,
//! honouring `Retry-After` up to 10 s), and one adapter per API flavour ([`openai`],
//! [`anthropic`]) reading streamed answers with [`sse`].

mod anthropic;
mod openai;
mod sse;

use std::time::Duration;

use outpost_core::{
    assist::copilot::{
        llm::{ChatMessage, LanguageModel, LanguageModels, LlmError, ModelTurn, OnText},
        llm_config::{ProviderConfig, ProviderKind},
        tools::ToolDefinition,
    },
    BoxFuture,
};

use crate::Net;

impl LanguageModels for Net {
    fn client(&self, config: ProviderConfig, api_key: Option<String>) -> Result<Box<dyn LanguageModel>, LlmError> {
        Ok(Box::new(HttpModel::new(config, api_key)?))
    }
}

/// An HTTP client for the configured provider.
#[derive(Debug, Clone)]
pub struct HttpModel {
    http: reqwest::Client,
    config: ProviderConfig,
    api_key: Option<String>,
}

impl HttpModel {
    /// A client for `config` authenticating with `api_key` (if any).
    pub fn new(config: ProviderConfig, api_key: Option<String>) -> Result<Self, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_secs))
            .connect_timeout(Duration::from_secs(config.timeout_secs.min(10)))
            .build()
            .map_err(|e| LlmError::Network(e.to_string()))?;
        Ok(HttpModel { http, config, api_key })
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

impl LanguageModel for HttpModel {
    fn chat<'a>(
        &'a self,
        messages: &'a [ChatMessage],
        tools: &'a [ToolDefinition],
        on_text: OnText<'a>,
    ) -> BoxFuture<'a, Result<ModelTurn, LlmError>> {
        Box::pin(async move {
            match self.config.kind {
                ProviderKind::Openai => openai::chat(self, messages, tools, on_text).await,
                ProviderKind::Anthropic => anthropic::chat(self, messages, tools, on_text).await,
            }
        })
    }
}

fn map_body_error(error: reqwest::Error, timeout: u64) -> LlmError {
    if error.is_timeout() {
        LlmError::Timeout(timeout)
    } else {
        LlmError::Network(error.to_string())
    }
}
