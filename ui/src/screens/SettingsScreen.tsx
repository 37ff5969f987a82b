import { useState, type FormEvent } from "react";
import { Panel } from "../components/Detail";
import { TextField } from "../components/Field";
import { LoadFailed, SkeletonRows } from "../components/States";
import { CopilotSettings } from "../components/copilot/CopilotSettings";
import { useApi, useBanner } from "../context";
import { isFieldError, toErrorPayload } from "../errors";
import { useLoad } from "../hooks";
import type { Setting } from "../bindings/Setting";

/** How a setting the core knows (by its CLI name) is presented: a label and a section. */
const PRESENTATION: Record<string, { label: string; section: string }> = {
  "default-currency": { label: "Currency of new deals", section: "Pipeline" },
  "stale-deal-days": { label: "A deal is stale after this many days without activity", section: "Pipeline" },
  competitors: { label: "Competitors to look for in notes", section: "Pipeline" },
  "internal-domains": { label: "Your organisation's email domains", section: "Calendar and meetings" },
  timezone: { label: "Time zone for calendar times that have none", section: "Calendar and meetings" },
  "calendar-days-back": { label: "Show recurring events from this many days back", section: "Calendar and meetings" },
  "calendar-days-ahead": { label: "Show recurring events this many days ahead", section: "Calendar and meetings" },
  "brief-lead-hours": { label: "Prepare meeting briefs this many hours before", section: "Briefs and daily digest" },
  "digest-time": { label: "Daily pipeline digest at", section: "Briefs and daily digest" },
  "utc-offset": { label: "Your UTC offset", section: "Briefs and daily digest" },
  "import-document-max": { label: "Prepare sync data during imports of up to this many records", section: "Import and sync" },
};
const SECTIONS = ["Pipeline", "Calendar and meetings", "Briefs and daily digest", "Import and sync", "Other"];

/** `stale-deal-days` → `Stale deal days`, for a setting this screen has no label for yet. */
const fallbackLabel = (name: string) => {
  const words = name.replace(/[-_.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The core's description as a hint and its "(default …)" as the placeholder:
 * `days … (default 7)` → `{ hint: "Days …", placeholder: "Default: 7" }`.
 */
export function presentSetting(s: Pick<Setting, "name" | "description">): { label: string; section: string; hint: string; placeholder: string } {
  const known = PRESENTATION[s.name];
  const m = /\s*\((?:default:?|defaults to)\s*([^)]*)\)\s*$/i.exec(s.description);
  const rest = (m ? s.description.slice(0, m.index) : s.description).trim();
  return {
    label: known?.label ?? fallbackLabel(s.name),
    section: known?.section ?? "Other",
    hint: rest ? rest.charAt(0).toUpperCase() + rest.slice(1) + (rest.endsWith(".") ? "" : ".") : "",
    placeholder: m?.[1] ? `Default: ${m[1].trim()}` : "Not set",
  };
}

/**
 * Every setting in one form with one Save: only changed values are sent (an emptied field goes
 * back to the default); a value the core refuses shows under its field, the others still save.
 */
function SettingsForm(props: { settings: Setting[]; onSaved: (s: Setting) => void }) {
  const api = useApi();
  const { report } = useBanner();
  const stored = (s: Setting) => s.value ?? "";
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(props.settings.map((s) => [s.name, stored(s)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const changed = props.settings.filter((s) => (values[s.name] ?? "") !== stored(s));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (changed.length === 0 || saving) return;
    setSaving(true);
    setStatus(null);
    const nextErrors: Record<string, string> = {};
    let saved = 0;
    for (const s of changed) {
      try {
        const result = await api.setSetting({ name: s.name, value: values[s.name] ?? "" });
        setValues((v) => ({ ...v, [s.name]: stored(result) }));
        props.onSaved(result);
        saved += 1;
      } catch (error) {
        const p = toErrorPayload(error);
        if (isFieldError(p)) nextErrors[s.name] = p.message;
        else report(error);
      }
    }
    setErrors(nextErrors);
    setSaving(false);
    const failed = Object.keys(nextErrors).length;
    setStatus(
      failed
        ? `${saved ? `Saved ${saved}; ` : ""}${failed} ${failed === 1 ? "value needs" : "values need"} fixing.`
        : `Saved ${saved} ${saved === 1 ? "change" : "changes"}.`,
    );
  };

  const bySection = SECTIONS.map((section) => ({
    section,
    items: props.settings.map((s) => ({ s, p: presentSetting(s) })).filter((x) => x.p.section === section),
  })).filter((g) => g.items.length > 0);

  return (
    <form className="settings-form" onSubmit={submit} noValidate data-testid="settings-form">
      {bySection.map((group) => (
        <Panel key={group.section} title={group.section}>
          <div className="settings-grid">
            {group.items.map(({ s, p }) => (
              <div key={s.name} className="setting" data-testid="setting" data-name={s.name}>
                <TextField
                  label={p.label}
                  name={s.name}
                  value={values[s.name] ?? ""}
                  onChange={(v) => {
                    setValues((all) => ({ ...all, [s.name]: v }));
                    setStatus(null);
                  }}
                  error={errors[s.name]}
                  hint={p.hint}
                  placeholder={p.placeholder}
                />
              </div>
            ))}
          </div>
        </Panel>
      ))}
      <div className="settings-form__actions">
        <p className="muted settings-form__status" role="status" data-testid="settings-status">
          {status ?? (changed.length ? `${changed.length} unsaved ${changed.length === 1 ? "change" : "changes"}` : "Empty a field to go back to its default.")}
        </p>
        <button
          type="button"
          className="button"
          disabled={changed.length === 0 || saving}
          onClick={() => {
            setValues(Object.fromEntries(props.settings.map((s) => [s.name, stored(s)])));
            setErrors({});
            setStatus(null);
          }}
        >
          Discard changes
        </button>
        <button type="submit" className="button button--primary" disabled={changed.length === 0 || saving} data-testid="settings-save">
          {saving ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}

/** The rep's settings, then the copilot's provider, usage and limit. */
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
          <p className="page-header__meta">Stored on this device.</p>
        </div>
      </header>
      {!list && settings.loading && <SkeletonRows rows={4} />}
      {!list && settings.failed && <LoadFailed what="settings" onRetry={settings.reload} />}
      {list && <SettingsForm settings={list} onSaved={(next) => setSaved((all) => ({ ...all, [next.name]: next }))} />}
      <CopilotSettings />
    </div>
  );
}
