//! The copilot's port to a language model: the provider-neutral conversation types
//! ([`ChatMessage`], [`ModelTurn`], [`LlmError`]) and the traits ([`LanguageModels`],
//! [`LanguageModel`]) the HTTP clients of `outpost-integrations` implement (OpenAI-compatible and
//! Anthropic APIs, SSE streaming, timeouts and retries). The turn loop that uses them is
//! [`super::turn`]; no HTTP is spoken here.

use super::{llm_config::ProviderConfig, tools::ToolDefinition};
use crate::BoxFuture;

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

/// A streamed piece of text, passed to the caller as it arrives.
pub type OnText<'a> = &'a mut (dyn FnMut(&str) + Send);

/// The copilot's port to a language model: one client per configured provider (implemented over
/// HTTP by `outpost-integrations`, handed to [`super::ask`] by the app).
pub trait LanguageModels: Send + Sync {
    /// A client for `config` authenticating with `api_key` (if any).
    fn client(&self, config: ProviderConfig, api_key: Option<String>) -> Result<Box<dyn LanguageModel>, LlmError>;
}

/// One provider's model.
pub trait LanguageModel: Send + Sync {
    /// One model turn over `messages` with `tools`, streaming text to `on_text` when the API
    /// streams. Timeouts, retries (429, 5xx, connection failures) and the API's wire format are
    /// the implementation's; the outcome is a [`ModelTurn`] or an [`LlmError`].
    fn chat<'a>(
        &'a self,
        messages: &'a [ChatMessage],
        tools: &'a [ToolDefinition],
        on_text: OnText<'a>,
    ) -> BoxFuture<'a, Result<ModelTurn, LlmError>>;
}
