import { useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton";
import { Panel } from "../components/Detail";
import { Field } from "../components/Field";
import { FolderPicker } from "../components/FolderPicker";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { humanizeSystemError } from "../errors";
import { formatDateTime } from "../format";
import { useLoad, useSubmit } from "../hooks";
import type { SkippedFile } from "../bindings/SkippedFile";
import type { WatchedSource } from "../bindings/WatchedSource";

function statusText(s: WatchedSource): string {
  if (s.status === "error") return "Problem";
  if (s.status === "ok") return "Watching";
  return "Waiting for first scan";
}

function Source(props: { source: WatchedSource; onRemoved: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const s = props.source;
  const last = s.last_import;
  return (
    <li className="watched__item" data-testid="watched-source" data-location={s.location}>
      <div>
        <div className="strong">{s.location}</div>
        <div className="muted watched__meta">
          <span className={`badge ${s.status === "error" ? "badge--lost" : ""}`} data-testid="watched-status">
            {statusText(s)}
          </span>{" "}
          {s.files_processed} files handled{s.files_failed ? `, ${s.files_failed} failed` : ""}
          {s.last_scan_at && ` · last checked ${formatDateTime(s.last_scan_at)}`}
        </div>
        <div className="muted watched__meta" data-testid="watched-last-import">
          {last
            ? `Last import: ${last.key} (${formatDateTime(last.at)}) — ${last.imported} new, ${last.updated} updated, ${last.skipped} skipped, ${last.failed} failed`
            : "No file imported yet"}
        </div>
        {s.kind === "folder" && (
          <div className="muted watched__meta" data-testid="watched-subfolders">
            {s.settings.subfolders ? `Includes subfolders, ${s.settings.max_depth} levels deep` : "This folder only, not its subfolders"}
          </div>
        )}
        {s.last_error && (
          <div className="watched__error" data-testid="watched-error" title={s.last_error}>
            {humanizeSystemError(s.last_error)}
          </div>
        )}
        <SkippedFiles skipped={s.skipped} />
      </div>
      <ConfirmButton
        label="Stop watching"
        confirmLabel="Stop"
        question="Stop watching this folder?"
        testId="watched-remove"
        onConfirm={() => api.removeWatched(s.id).then(props.onRemoved, report)}
      />
    </li>
  );
}

/** Files in the folder that are not imported, each with the reason. */
function SkippedFiles(props: { skipped: SkippedFile[] }) {
  if (props.skipped.length === 0) return null;
  return (
    <details className="watched__skipped" data-testid="watched-skipped">
      <summary className="muted">
        {props.skipped.length} {props.skipped.length === 1 ? "file" : "files"} not imported
      </summary>
      <ul>
        {props.skipped.map((f) => (
          <li key={f.key} data-testid="watched-skipped-file">
            <span className="strong">{f.key}</span> — {f.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Folders (and S3 prefixes) whose new CSV files and workbooks are imported automatically. */
export function WatchedScreen() {
  const api = useApi();
  const sources = useLoad(() => api.listWatched(), [api]);
  const [location, setLocation] = useState("");
  const [subfolders, setSubfolders] = useState(true);
  const [picking, setPicking] = useState(false);
  const form = useSubmit({
    fields: ["location"],
    validate: () => (location.trim() ? {} : { location: "is required: a folder path or s3://bucket/prefix" }),
    save: () => {
      const trimmed = location.trim();
      const folder = !/^(s3|gdrive|dropbox):\/\//.test(trimmed);
      return api.addWatched(folder ? { location: trimmed, subfolders } : { location: trimmed });
    },
    onSaved: () => {
      setLocation("");
      sources.reload();
    },
  });
  const list = sources.data;

  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Watched folders</h1>
          <p className="page-header__meta">New CSV files and workbooks dropped in these folders (and their subfolders) are imported automatically, with the sheet and mapping you last chose for the same columns.</p>
        </div>
      </header>
      <div className="panel panel--flat">
        <form className="inline-form" onSubmit={form.onSubmit} data-testid="watched-form" noValidate>
          <Field label="Folder (or s3://bucket/prefix)" name="location" error={form.errors.location} className="grow" hint="Choose a folder, or type its path.">
            {(control) => (
              <input
                {...control}
                className="input"
                name="location"
                placeholder="/home/me/Downloads/leads"
                value={location}
                onChange={(e) => setLocation(e.target.value)}
              />
            )}
          </Field>
          <label className="check inline-form__check">
            <input type="checkbox" data-testid="watched-subfolders-input" checked={subfolders} onChange={(e) => setSubfolders(e.target.checked)} />
            Include subfolders
          </label>
          <button type="button" className="button inline-form__submit" data-testid="watched-choose" onClick={() => setPicking(true)}>
            Choose folder…
          </button>
          <button type="submit" className="button button--primary inline-form__submit" data-testid="watched-add" disabled={form.saving}>
            Watch
          </button>
        </form>
      </div>
      {picking && (
        <FolderPicker
          start={location.trim() || undefined}
          onClose={() => setPicking(false)}
          onChoose={(path) => {
            setLocation(path);
            setPicking(false);
          }}
        />
      )}
      {!list && sources.loading && <SkeletonRows rows={2} />}
      {!list && sources.failed && <LoadFailed what="watched folders" onRetry={sources.reload} />}
      {list && list.length === 0 && <div className="empty-note empty-note--panel">Nothing watched yet. Add a folder your CRM exports or downloads land in.</div>}
      {list && list.length > 0 && (
        <Panel title="Watching" count={list.length}>
          <ul className="watched">
            {list.map((s) => (
              <Source key={s.id} source={s} onRemoved={sources.reload} />
            ))}
          </ul>
        </Panel>
      )}
    </div>
  );
}
