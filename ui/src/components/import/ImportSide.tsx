import { useState } from "react";
import type { Contact } from "../../bindings/Contact";
import type { ImportJob } from "../../bindings/ImportJob";
import type { MergeSuggestion } from "../../bindings/MergeSuggestion";
import { useApi, useBanner } from "../../context";
import { contactName, formatDateTime } from "../../format";
import { useLoad } from "../../hooks";
import { fileLabel } from "../../importing";
import { toHash } from "../../router";
import { Panel } from "../Detail";

/** Earlier imports, newest first. */
export function ImportHistory(props: { jobs: ImportJob[] | undefined }) {
  const jobs = props.jobs;
  return (
    <Panel title="Import history" count={jobs?.length}>
      {jobs && jobs.length === 0 && <p className="empty-note">No imports yet.</p>}
      {jobs && jobs.length > 0 && (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                New
              </th>
              <th scope="col" className="num">
                Updated
              </th>
              <th scope="col" className="num">
                Skipped
              </th>
              <th scope="col" className="num">
                Failed
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-testid="import-history-row" data-job-id={job.id}>
                <td>{formatDateTime(job.created_at)}</td>
                <td title={job.source_path}>{fileLabel(job.source_path)}</td>
                <td>
                  <span className={`badge ${job.status === "failed" ? "badge--lost" : ""}`}>{job.status}</span>
                </td>
                <td className="num">{Number(job.imported)}</td>
                <td className="num">{Number(job.updated)}</td>
                <td className="num">{Number(job.skipped)}</td>
                <td className="num">{Number(job.failed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function Who(props: { contact: Contact | null | undefined; id: string }) {
  if (props.contact === undefined) return <span className="muted">…</span>;
  if (props.contact === null) return <span className="muted">(deleted contact)</span>;
  const c = props.contact;
  return (
    <a href={toHash({ name: "contact", id: props.id })} className="strong">
      {contactName(c)}
      {c.email && <span className="muted"> · {c.email}</span>}
    </a>
  );
}

/** One near-duplicate pair the import found: accept folds the second into the first. */
function Suggestion(props: { s: MergeSuggestion; onResolved: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [busy, setBusy] = useState(false);
  const { s } = props;
  const people = useLoad(
    () => Promise.all([s.keep_id, s.merge_id].map((id) => api.getContact(id).catch(() => null))),
    [api, s.keep_id, s.merge_id],
  );
  const act = (call: () => Promise<unknown>) => {
    setBusy(true);
    call().then(props.onResolved, (error: unknown) => {
      setBusy(false);
      report(error);
    });
  };
  return (
    <li className="merge" data-testid="merge-suggestion" data-suggestion-id={s.id}>
      <div className="merge__people">
        <Who contact={people.data?.[0]} id={s.keep_id} />
        <span className="muted"> and </span>
        <Who contact={people.data?.[1]} id={s.merge_id} />
        <div className="muted merge__reason">
          {s.reason} · {Math.round(s.score * 100)}% similar
        </div>
      </div>
      <div className="merge__actions">
        <button type="button" className="button button--small" data-testid="merge-dismiss" disabled={busy} onClick={() => act(() => api.dismissMerge(s.id))}>
          Keep both
        </button>
        <button type="button" className="button button--small button--primary" data-testid="merge-accept" disabled={busy} onClick={() => act(() => api.acceptMerge(s.id))}>
          Merge
        </button>
      </div>
    </li>
  );
}

/** Possible duplicates left for the rep to decide. */
export function MergePanel(props: { merges: MergeSuggestion[] | undefined; onChanged: () => void }) {
  const merges = props.merges;
  if (!merges || merges.length === 0) return null;
  return (
    <Panel title="Possible duplicates" count={merges.length}>
      <ul className="merges">
        {merges.map((s) => (
          <Suggestion key={s.id} s={s} onResolved={props.onChanged} />
        ))}
      </ul>
    </Panel>
  );
}
