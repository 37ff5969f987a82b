//! `outpost copilot …`: ask the copilot, review its pending actions, confirm or dismiss them,
//! configure the LLM provider and the monthly usage limit.

use clap::{Args, Subcommand};
use outpost_core::{
    assist::copilot::{
        self,
        actions::{self, PendingAction},
        llm_config::{self, ProviderConfig, ProviderKind},
        usage, AskRequest, CopilotResponse,
    },
    store::ids::{ActionId, ContactId, DealId, MeetingId, ThreadId},
    Ctx, Result,
};
use outpost_integrations::Net;

use crate::secrets::SecretFlag;
use crate::stdout::emit;

/// `--api-key`: on standard input (then kept in the OS keychain), or `OUTPOST_LLM_API_KEY` at run time.
const API_KEY: SecretFlag = SecretFlag {
    field: "api_key",
    flag: "--api-key",
    env: "OUTPOST_LLM_API_KEY",
    what: "API key",
    example: "pass show openai | outpost copilot provider set … --api-key -",
};

/// `outpost copilot …`
#[derive(Debug, Subcommand)]
pub enum CopilotCmd {
    /// Ask a question; prints summary, reasons, next actions, drafts, questions and warnings.
    Ask {
        /// The question, e.g. "What should I do next?".
        question: String,
        /// Contact in view.
        #[arg(long)]
        contact: Option<ContactId>,
        /// Deal in view.
        #[arg(long)]
        deal: Option<DealId>,
        /// Meeting in view.
        #[arg(long)]
        meeting: Option<MeetingId>,
        /// Continue this conversation thread.
        #[arg(long)]
        thread: Option<ThreadId>,
    },
    /// Pending actions awaiting your confirmation (--all for resolved ones too).
    Actions {
        /// Include executed, dismissed and failed actions.
        #[arg(long)]
        all: bool,
    },
    /// Execute a pending action (through the core API, audit-logged).
    Confirm {
        /// Action id.
        id: ActionId,
    },
    /// Dismiss a pending action; it will never run.
    Dismiss {
        /// Action id.
        id: ActionId,
    },
    /// The LLM provider: set, show, clear.
    #[command(subcommand)]
    Provider(ProviderCmd),
    /// This month's usage and the monthly token limit.
    Usage,
    /// Set the monthly token limit per user (--none removes it).
    Limit(LimitArgs),
}

/// `outpost copilot limit …`
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Tokens (input + output) per user per month.
    #[arg(long, conflicts_with = "none")]
    pub tokens: Option<i64>,
    /// No limit.
    #[arg(long)]
    pub none: bool,
}

/// `outpost copilot provider …`
#[derive(Debug, Subcommand)]
pub enum ProviderCmd {
    /// Configure the provider; the API key goes to the OS keychain.
    Set {
        /// openai (any OpenAI-compatible API: hosted, Ollama, LM Studio) or anthropic.
        #[arg(long)]
        kind: String,
        /// Base URL, e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1, https://api.anthropic.com/v1.
        #[arg(long)]
        base_url: String,
        /// Model name.
        #[arg(long)]
        model: String,
        /// `-`: read the API key from stdin and keep it in the OS keychain. A key written here is
        /// refused (every user of the machine could read it in the process list). Without the
        /// flag, $OUTPOST_LLM_API_KEY is used at run time and nothing is stored.
        #[arg(long, value_name = "-")]
        api_key: Option<String>,
        /// Seconds to wait for an answer.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        /// Retries after 429/5xx answers.
        #[arg(long, default_value_t = 2)]
        retries: u32,
        /// First retry delay in milliseconds (doubles each retry).
        #[arg(long, default_value_t = 500)]
        backoff_ms: u64,
    },
    /// Show the provider (never the key).
    Show,
    /// Remove the provider and its key; the copilot answers offline.
    Clear,
}

fn render_response(r: &CopilotResponse) -> String {
    let mut out = vec![format!("[{}] {}", r.engine, r.summary)];
    if !r.why.is_empty() {
        out.push("\nWhy".into());
        out.extend(r.why.iter().map(|w| format!("- {} ({})", w.text, w.record_ids.join(", "))));
    }
    if !r.next_actions.is_empty() {
        out.push("\nNext actions (confirm with `outpost copilot confirm ID`)".into());
        out.extend(r.next_actions.iter().map(|a| format!("- {}  {}\n  impact: {}", a.id, a.preview, a.impact)));
    }
    for draft in &r.drafts {
        out.push(format!("\nDraft {} to {}:\n{}", draft.channel, draft.to, draft.body));
    }
    for question in &r.questions {
        out.push(format!("\n? {}", question.text));
        out.extend(question.options.iter().map(|o| format!("  - {} ({} {})", o.label, o.entity_type, o.entity_id)));
    }
    for warning in &r.warnings {
        out.push(format!("\n! {}: {}", warning.code, warning.message));
    }
    out.join("\n")
}

fn render_actions(actions: &[PendingAction]) -> String {
    if actions.is_empty() {
        return "no pending actions".into();
    }
    actions
        .iter()
        .map(|a| format!("{}  {:<9}  {}", a.action.id, a.action.status, a.action.preview))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs one `outpost copilot …` command.
pub(crate) async fn run(ctx: &Ctx, net: &Net, json: bool, cmd: CopilotCmd) -> Result<()> {
    match cmd {
        CopilotCmd::Ask { question, contact, deal, meeting, thread } => {
            let req =
                AskRequest { question, contact_id: contact, deal_id: deal, meeting_id: meeting, thread_id: thread };
            emit(json, &copilot::ask(ctx, net, req).await?, render_response)
        }
        CopilotCmd::Actions { all } => emit(json, actions::list(ctx, !all)?.as_slice(), render_actions),
        CopilotCmd::Confirm { id } => {
            emit(json, &actions::confirm(ctx, id)?, |a| format!("executed {}: {}", a.action.id, a.action.preview))
        }
        CopilotCmd::Dismiss { id } => {
            emit(json, &actions::dismiss(ctx, id)?, |a| format!("dismissed {}: {}", a.action.id, a.action.preview))
        }
        CopilotCmd::Provider(ProviderCmd::Set { kind, base_url, model, api_key, timeout, retries, backoff_ms }) => {
            let config = ProviderConfig {
                kind: ProviderKind::parse(&kind)?,
                base_url,
                model,
                timeout_secs: timeout,
                max_retries: retries,
                retry_backoff_ms: backoff_ms,
            };
            let api_key = api_key.map(|given| API_KEY.value(&given)).transpose()?;
            let status = llm_config::set(ctx, config, api_key)?;
            emit(json, &status, |s| {
                format!(
                    "copilot uses {} model {} at {}; API key: {}",
                    s.config.kind.as_str(),
                    s.config.model,
                    s.config.base_url,
                    s.api_key
                )
            })
        }
        CopilotCmd::Provider(ProviderCmd::Show) => {
            let status = llm_config::status(ctx)?;
            emit(json, &status, |s| match s {
                Some(s) => format!(
                    "{} model {} at {}; API key: {}",
                    s.config.kind.as_str(),
                    s.config.model,
                    s.config.base_url,
                    s.api_key
                ),
                None => "no provider: the copilot answers offline".into(),
            })
        }
        CopilotCmd::Provider(ProviderCmd::Clear) => {
            llm_config::clear(ctx)?;
            emit(json, &serde_json::json!({ "cleared": true }), |_| {
                "provider removed; the copilot answers offline".into()
            })
        }
        CopilotCmd::Usage => emit(json, &usage::current(ctx)?, |u| {
            format!(
                "{}: {} requests, {} input + {} output tokens; limit {}",
                u.month,
                u.requests,
                u.input_tokens,
                u.output_tokens,
                u.limit.map_or("none".into(), |l| l.to_string())
            )
        }),
        CopilotCmd::Limit(LimitArgs { tokens, none }) => {
            usage::set_limit(ctx, if none { None } else { tokens })?;
            emit(json, &usage::current(ctx)?, |u| {
                format!("monthly limit: {}", u.limit.map_or("none".into(), |l| l.to_string()))
            })
        }
    }
}
