//! One copilot turn: thread bookkeeping, the context pack, then either the model's tool loop or
//! the offline engine — and the offline engine again whenever the model cannot answer (not
//! configured, unreachable, timed out, rate limited past the retries, malformed output, monthly
//! limit reached), with a warning saying why.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    actions::{self, Proposal},
    context::{self, ContextPack, Focus},
    llm::{ChatMessage, LanguageModel, LanguageModels, LlmError},
    llm_config, offline, threads, tools, usage, CopilotResponse, Question, Reason, ToolCall, Warning,
};
use crate::{
    store::ids::{ContactId, DealId, MeetingId, ThreadId},
    Ctx, Error, Result,
};

/// Most model calls in one turn (tool results go back to the model after each).
pub const MAX_STEPS: usize = 6;
/// Largest tool result sent back to the model, in characters.
const MAX_TOOL_RESULT: usize = 12_000;

/// A question to the copilot.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct AskRequest {
    /// What the rep asks ("What should I do next?").
    pub question: String,
    /// Contact in view.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Deal in view.
    #[serde(default)]
    pub deal_id: Option<DealId>,
    /// Meeting in view.
    #[serde(default)]
    pub meeting_id: Option<MeetingId>,
    /// Continue this thread (default: a new one).
    #[serde(default)]
    pub thread_id: Option<ThreadId>,
}

const INSTRUCTIONS: &str = "You are Outpost's sales copilot, a teammate of the rep. Use the read-only tools to look \
things up. Use the write tools (create_task, log_activity, move_deal_stage, update_fields, remember, draft_email, \
draft_sms) to PROPOSE actions: they are not executed until the rep confirms them. Never invent record ids; cite \
the ids your statements come from. When a name matches several records, ask which one. Finish with a JSON \
object: {\"summary\": string, \"why\": [{\"text\": string, \"record_ids\": [string]}], \"questions\": \
[{\"text\": string, \"options\": []}]}.";

/// Answers `req` (see the module docs); a configured provider is reached through `models` (the
/// HTTP clients of `outpost-integrations`).
pub async fn ask(ctx: &Ctx, models: &dyn LanguageModels, req: AskRequest) -> Result<CopilotResponse> {
    ask_streaming(ctx, models, req, &mut |_| {}).await
}

/// [`ask`], passing the model's text to `on_text` as it streams in.
pub async fn ask_streaming(
    ctx: &Ctx,
    models: &dyn LanguageModels,
    req: AskRequest,
    on_text: &mut (dyn FnMut(&str) + Send),
) -> Result<CopilotResponse> {
    let question = req.question.trim().to_owned();
    if question.is_empty() {
        return Err(Error::invalid("question", "ask something, e.g. \"What should I do next?\""));
    }
    // A message must fit its conversation's definition (outpost_sync::entity) to replicate.
    let question =
        crate::store::validate::text("question", Some(question), crate::store::validate::MAX_LONG)?.unwrap_or_default();
    // Credentials typed into a question never reach the provider, the stored thread or sync.
    let redacted = context::redact(&question);
    let secrets_removed = redacted != question;
    let question = redacted;
    let focus = Focus { contact_id: req.contact_id, deal_id: req.deal_id, meeting_id: req.meeting_id };
    let pack = context::build(ctx, focus, &question)?;
    let thread = threads::open(ctx, req.thread_id, &question)?;
    threads::append(ctx, thread, "user", &question, None)?;
    let mut warnings = Vec::new();
    if secrets_removed {
        warnings.push(Warning::new(
            "credentials_redacted",
            "your question contained what looks like a credential (a key, token or password); it was replaced by \
             [redacted] before being stored, sent to the model or synced — rotate it if it was real",
            vec![],
        ));
    }
    let mut answer = None;
    if let Some(config) = llm_config::get(ctx)? {
        let used = usage::current(ctx)?;
        if used.exhausted() {
            warnings.push(Warning::new(
                "usage_limit",
                format!(
                    "your monthly copilot limit ({} tokens) is reached for {}; answering offline until next month \
                     (raise it with `outpost copilot limit --tokens N`)",
                    used.limit.unwrap_or_default(),
                    used.month
                ),
                vec![],
            ));
        } else {
            let key = llm_config::api_key(ctx.data_dir());
            let bookmark = actions::bookmark(ctx)?;
            let engine = config.kind.as_str();
            let outcome = match models.client(config, key) {
                Ok(client) => model_turn(ctx, client.as_ref(), engine, thread, &pack, on_text).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(response) => answer = Some(response),
                Err(e) => {
                    let discarded = actions::discard_after(ctx, thread, bookmark)?;
                    let note = if discarded > 0 {
                        format!("; {discarded} action(s) it had proposed were withdrawn")
                    } else {
                        String::new()
                    };
                    warnings.push(Warning::new(
                        "provider_unavailable",
                        format!("{e}; answered offline instead (nothing was executed{note})"),
                        vec![],
                    ));
                }
            }
        }
    }
    let mut response = match answer {
        Some(response) => response,
        None => offline_turn(ctx, thread, &pack, &question)?,
    };
    response.warnings.splice(0..0, warnings);
    response.thread_id = Some(thread);
    response.memory_ids =
        pack.memories.iter().filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_owned)).collect();
    threads::append(ctx, thread, "assistant", &response.summary, Some(&response))?;
    for content in threads::compact(ctx, thread)? {
        if actions::remember_proposed(ctx, &content)? {
            continue;
        }
        if let Some((kind, id)) =
            pack.entity.as_ref().and_then(|e| Some((e.get("type")?.as_str()?, e.pointer("/record/id")?)))
        {
            let call = ToolCall {
                name: "remember".into(),
                arguments: json!({ "category": "fact", "content": content, format!("{kind}_id"): id }),
            };
            collect(ctx, thread, call, &mut response)?;
        }
    }
    Ok(response)
}

/// Proposes a write call, adding the action (and draft) or the refusal to `response`.
fn collect(ctx: &Ctx, thread: ThreadId, call: ToolCall, response: &mut CopilotResponse) -> Result<Value> {
    Ok(match actions::propose(ctx, Some(thread), call)? {
        Proposal::Proposed(action, draft) => {
            let result = json!({ "status": "pending_confirmation", "action_id": action.id, "preview": action.preview });
            response.drafts.extend(draft);
            response.next_actions.push(action);
            result
        }
        Proposal::Refused(warning) => {
            let result = json!({ "status": "refused", "reason": warning.message });
            response.warnings.push(warning);
            result
        }
    })
}

fn offline_turn(ctx: &Ctx, thread: ThreadId, pack: &ContextPack, question: &str) -> Result<CopilotResponse> {
    let suggestions = offline::suggest(ctx, pack, question)?;
    let mut response = CopilotResponse {
        engine: "offline".into(),
        summary: suggestions.summary,
        why: suggestions.why,
        questions: suggestions.questions,
        warnings: suggestions.warnings,
        ..Default::default()
    };
    for call in suggestions.calls {
        collect(ctx, thread, call, &mut response)?;
    }
    Ok(response)
}

fn system_prompt(pack: &ContextPack, summary: Option<&str>) -> Result<String> {
    let mut prompt = format!("{INSTRUCTIONS}\n\nContext (JSON):\n{}", serde_json::to_string(pack)?);
    if let Some(summary) = summary {
        prompt.push_str(&format!("\n\nEarlier in this conversation:\n{}", context::redact(summary)));
    }
    Ok(prompt)
}

/// Keeps only citations of records that exist here; an invented id is dropped with a warning.
fn cited(ctx: &Ctx, why: Vec<Reason>, warnings: &mut Vec<Warning>) -> Result<Vec<Reason>> {
    let mut checked = Vec::with_capacity(why.len());
    for mut reason in why {
        let mut kept = Vec::new();
        for id in reason.record_ids {
            if record_exists(ctx, &id)? {
                kept.push(id);
            } else {
                warnings.push(Warning::new(
                    "model_output",
                    format!("the model cited a record that does not exist ({id}); the citation was removed"),
                    vec![],
                ));
            }
        }
        reason.record_ids = kept;
        checked.push(reason);
    }
    Ok(checked)
}

fn record_exists(ctx: &Ctx, id: &str) -> Result<bool> {
    ctx.read(|conn| {
        for table in ["contacts", "companies", "deals", "meetings", "tasks", "activities", "memories"] {
            let found = crate::store::ids::row_exists(conn, table, id)?;
            if found {
                return Ok(true);
            }
        }
        Ok(false)
    })
}

#[derive(Deserialize)]
struct FinalAnswer {
    summary: String,
    #[serde(default)]
    why: Vec<Reason>,
    #[serde(default)]
    questions: Vec<Question>,
}

/// The model's final text as a structured answer, or as a plain summary.
fn final_answer(text: &str) -> Option<FinalAnswer> {
    let trimmed = text.trim();
    let start = trimmed.find('{')?;
    let end = trimmed.rfind('}')?;
    serde_json::from_str(trimmed.get(start..=end)?).ok()
}

async fn model_turn(
    ctx: &Ctx,
    client: &dyn LanguageModel,
    engine: &str,
    thread: ThreadId,
    pack: &ContextPack,
    on_text: &mut (dyn FnMut(&str) + Send),
) -> std::result::Result<CopilotResponse, LlmError> {
    let store = |e: Error| LlmError::Malformed(format!("local store: {e}"));
    let history = threads::get(ctx, thread).map_err(store)?;
    let mut messages = vec![ChatMessage::System(system_prompt(pack, history.summary.as_deref()).map_err(store)?)];
    for message in &history.messages {
        messages.push(match message.role.as_str() {
            "user" => ChatMessage::User(message.content.clone()),
            _ => ChatMessage::Assistant { content: message.content.clone(), tool_calls: vec![] },
        });
    }
    let definitions = tools::definitions();
    let mut response = CopilotResponse { engine: engine.into(), ..Default::default() };
    let mut final_text = None;
    for _ in 0..MAX_STEPS {
        let turn = client.chat(&messages, &definitions, on_text).await?;
        usage::record(ctx, turn.input_tokens, turn.output_tokens).map_err(store)?;
        if turn.tool_calls.is_empty() {
            final_text = Some(turn.content);
            break;
        }
        messages.push(ChatMessage::Assistant { content: turn.content.clone(), tool_calls: turn.tool_calls.clone() });
        for call in turn.tool_calls {
            let result = match serde_json::from_str::<Value>(&call.arguments) {
                Err(e) => {
                    response.warnings.push(Warning::new(
                        "model_output",
                        format!(
                            "the model called {} with arguments that are not JSON ({e}); it was not run",
                            call.name
                        ),
                        vec![],
                    ));
                    json!({ "error": format!("arguments are not valid JSON: {e}") })
                }
                Ok(arguments) => match tools::is_read_only(&call.name) {
                    None => json!({ "error": format!("unknown tool '{}'", call.name) }),
                    Some(true) => match tools::run_read_only(ctx, &call.name, arguments) {
                        Ok(value) => context::redact_value(value),
                        Err(e) => json!({ "error": e.to_string() }),
                    },
                    Some(false) => {
                        let call = ToolCall { name: call.name.clone(), arguments };
                        collect(ctx, thread, call, &mut response).map_err(store)?
                    }
                },
            };
            let mut content = result.to_string();
            if content.len() > MAX_TOOL_RESULT {
                content = format!("{}… (truncated)", content.chars().take(MAX_TOOL_RESULT).collect::<String>());
            }
            messages.push(ChatMessage::ToolResult { call_id: call.id, name: call.name, content });
        }
    }
    let Some(text) = final_text else {
        response.summary = format!("I stopped after {MAX_STEPS} tool steps without a final answer.");
        response.warnings.push(Warning::new(
            "model_output",
            format!("the model kept calling tools for {MAX_STEPS} steps; review the proposed actions"),
            vec![],
        ));
        return Ok(response);
    };
    match final_answer(&text) {
        Some(answer) => {
            response.summary = answer.summary;
            response.why = cited(ctx, answer.why, &mut response.warnings).map_err(store)?;
            response.questions = answer.questions;
        }
        None if text.trim().is_empty() => {
            return Err(LlmError::Malformed("the model returned no answer text".into()));
        }
        None => response.summary = text.trim().to_owned(),
    }
    Ok(response)
}
