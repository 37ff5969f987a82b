import { useState } from "react";
import { Panel } from "../Detail";
import { Field, TextField } from "../Field";
import { LoadFailed, SkeletonRows } from "../States";
import { useApi, useBanner } from "../../context";
import { isFieldError, toErrorPayload } from "../../errors";
import { useLoad } from "../../hooks";
import type { ProviderConfig } from "../../bindings/ProviderConfig";
import type { ProviderKind } from "../../bindings/ProviderKind";
import type { ProviderStatus } from "../../bindings/ProviderStatus";
import type { Usage } from "../../bindings/Usage";

const KINDS: Record<ProviderKind, string> = { openai: "OpenAI-compatible", anthropic: "Anthropic" };

const KEY_PLACES: Record<string, string> = {
  keychain: "API key: kept in your system keychain",
  environment: "API key: taken from OUTPOST_LLM_API_KEY",
  none: "API key: none saved",
};

/** The core's defaults for a new provider. ts-rs types these u64 fields as bigint, but they
 * travel as JSON numbers, so they are kept as numbers here. */
const NEW_PROVIDER_DEFAULTS = { timeout_secs: 60, max_retries: 2, retry_backoff_ms: 500 } as unknown as Pick<
  ProviderConfig,
  "timeout_secs" | "max_retries" | "retry_backoff_ms"
>;

/** Field errors of a rejected call, by field; anything else goes to the banner. */
function useFieldErrors(): [Record<string, string>, (e: unknown) => void, () => void] {
  const { report } = useBanner();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const fail = (e: unknown) => {
    const p = toErrorPayload(e);
    if (isFieldError(p)) setErrors({ [p.field]: p.message });
    else report(e);
  };
  return [errors, fail, () => setErrors({})];
}

/** Provider kind, base URL and model; the API key goes to the keychain and is never shown back. */
function ProviderForm(props: { status: ProviderStatus | null; onSaved: (s: ProviderStatus) => void }) {
  const api = useApi();
  const current = props.status?.config;
  const [kind, setKind] = useState<ProviderKind>(current?.kind ?? "openai");
  const [baseUrl, setBaseUrl] = useState(current?.base_url ?? "");
  const [model, setModel] = useState(current?.model ?? "");
  const [apiKey, setApiKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, fail, clear] = useFieldErrors();
  const save = () => {
    setBusy(true);
    clear();
    const base = current ?? NEW_PROVIDER_DEFAULTS;
    const config: ProviderConfig = {
      kind,
      base_url: baseUrl,
      model,
      timeout_secs: base.timeout_secs,
      max_retries: base.max_retries,
      retry_backoff_ms: base.retry_backoff_ms,
    };
    api
      .setCopilotProvider(config, apiKey.trim() ? apiKey : null)
      .then((saved) => {
        setApiKey("");
        props.onSaved(saved);
      }, fail)
      .finally(() => setBusy(false));
  };
  return (
    <form
      className="form copilot-settings__form"
      data-testid="provider-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <Field label="Provider" name="kind" error={errors.kind}>
        {(control) => (
          <select {...control} className="input" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ProviderKind)}>
            {Object.entries(KINDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField label="Base URL" name="base_url" value={baseUrl} onChange={setBaseUrl} error={errors.base_url} placeholder="https://api.openai.com/v1" />
      <TextField label="Model" name="model" value={model} onChange={setModel} error={errors.model} />
      <Field label="API key" name="api_key" error={errors.api_key} hint={props.status?.api_key === "keychain" ? "Leave empty to keep the saved key" : "Saved to your system keychain, never shown again"}>
        {(control) => (
          <input {...control} className="input" name="api_key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
        )}
      </Field>
      {props.status && (
        <p className="muted" data-testid="provider-key">
          {KEY_PLACES[props.status.api_key] ?? props.status.api_key}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy} data-testid="provider-save">
        {busy ? "Saving…" : "Save provider"}
      </button>
    </form>
  );
}

/** This month's requests and tokens, and the monthly limit (empty: no limit). The field starts
 * from the saved limit. */
function UsagePanel(props: { usage: Usage; onChanged: () => void }) {
  const api = useApi();
  const u = props.usage;
  const [limit, setLimit] = useState(u.limit === null ? "" : String(u.limit));
  const [errors, fail, clear] = useFieldErrors();
  const used = u.input_tokens + u.output_tokens;
  const save = () => {
    clear();
    const text = limit.trim();
    const tokens = text === "" ? null : Number(text);
    if (tokens !== null && (!Number.isInteger(tokens) || tokens < 0)) {
      fail({ kind: "invalid", field: "limit", message: "must be a whole number of tokens (0 or more), or empty for no limit" });
      return;
    }
    api.setCopilotLimit(tokens).then(props.onChanged, fail);
  };
  return (
    <div data-testid="copilot-usage">
      <p data-testid="usage-summary">
        {u.month}: {u.requests} requests · {used.toLocaleString("en")} tokens ({u.input_tokens.toLocaleString("en")} in,{" "}
        {u.output_tokens.toLocaleString("en")} out){u.limit !== null && ` of ${u.limit.toLocaleString("en")}`}
      </p>
      <form
        className="form copilot-settings__form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <TextField label="Monthly token limit" name="limit" inputMode="decimal" value={limit} onChange={setLimit} error={errors.limit} placeholder="no limit" />
        <button type="submit" className="button" data-testid="limit-save">
          Save limit
        </button>
      </form>
    </div>
  );
}

/** The copilot's model provider, and its monthly usage and limit. */
export function CopilotSettings() {
  const api = useApi();
  const provider = useLoad(() => api.copilotProvider(), [api]);
  const usage = useLoad(() => api.copilotUsage(), [api]);
  const [saved, setSaved] = useState<ProviderStatus | null>(null);
  const status = saved ?? provider.data ?? null;
  return (
    <>
      <Panel title="Copilot provider">
        {provider.loading && provider.data === undefined && <SkeletonRows rows={2} />}
        {provider.failed && <LoadFailed what="the copilot provider" onRetry={provider.reload} />}
        {provider.data !== undefined && (
          <>
            <p className="muted" data-testid="provider-status">
              {status ? `${KINDS[status.config.kind]} · ${status.config.model} at ${status.config.base_url}` : "No provider: the copilot answers with its offline engine."}
            </p>
            <ProviderForm status={status} onSaved={setSaved} />
          </>
        )}
      </Panel>
      <Panel title="Copilot usage">
        {usage.loading && !usage.data && <SkeletonRows rows={1} />}
        {usage.failed && <LoadFailed what="copilot usage" onRetry={usage.reload} />}
        {/* Keyed by the limit, so the field restarts from the saved value after a change. */}
        {usage.data && <UsagePanel key={String(usage.data.limit)} usage={usage.data} onChanged={usage.reload} />}
      </Panel>
    </>
  );
}
