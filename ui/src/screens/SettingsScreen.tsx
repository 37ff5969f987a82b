import { useState } from "react";
import { Panel } from "../components/Detail";
import { TextField } from "../components/Field";
import { LoadFailed, SkeletonRows } from "../components/States";
import { CopilotSettings } from "../components/copilot/CopilotSettings";
import { useApi, useBanner } from "../context";
import { isFieldError, toErrorPayload } from "../errors";
import { useLoad } from "../hooks";
import type { Setting } from "../bindings/Setting";

/** One setting: its current value (or "default"), an input, Save; the core's error shows inline. */
function SettingRow(props: { setting: Setting; onSaved: (s: Setting) => void }) {
  const api = useApi();
  const { report } = useBanner();
  const s = props.setting;
  const [value, setValue] = useState(s.value ?? "");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const save = () => {
    setBusy(true);
    setError(undefined);
    api
      .setSetting({ name: s.name, value })
      .then(
        (saved) => {
          setValue(saved.value ?? "");
          props.onSaved(saved);
        },
        (e: unknown) => {
          const p = toErrorPayload(e);
          if (isFieldError(p)) setError(p.message);
          else report(e);
        },
      )
      .finally(() => setBusy(false));
  };
  return (
    <li className="watched__item" data-testid="setting" data-name={s.name}>
      <form
        className="setting"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <TextField label={s.name} name={s.name} value={value} onChange={setValue} error={error} hint={s.description} placeholder="default" />
        <div className="muted" data-testid="setting-current">
          {s.value === null ? "Using the default" : `Current: ${s.value}`}
        </div>
        <button type="submit" className="button" disabled={busy} data-testid="setting-save">
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
    </li>
  );
}

/** The rep's settings (as `outpost settings`), then the copilot's provider, usage and limit. */
export function SettingsScreen() {
  const api = useApi();
  const settings = useLoad(() => api.listSettings(), [api]);
  const [saved, setSaved] = useState<Record<string, Setting>>({});
  const list = settings.data?.map((s) => saved[s.name] ?? s);
  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="page-header__meta">
            Stored on this device. Leave a value empty and save to go back to the default. (Also: <code>outpost settings</code>.)
          </p>
        </div>
      </header>
      {!list && settings.loading && <SkeletonRows rows={4} />}
      {!list && settings.failed && <LoadFailed what="settings" onRetry={settings.reload} />}
      {list && (
        <Panel title="General" count={list.length}>
          <ul className="watched">
            {list.map((s) => (
              <SettingRow key={s.name} setting={s} onSaved={(next) => setSaved((all) => ({ ...all, [next.name]: next }))} />
            ))}
          </ul>
        </Panel>
      )}
      <CopilotSettings />
    </div>
  );
}
