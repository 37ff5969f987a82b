import type { ImportJob } from "../../bindings/ImportJob";
import type { ImportProgress } from "../../bindings/ImportProgress";
import { formatCount } from "../../format";
import { downloadText, errorsCsv, fileLabel, progressPercent } from "../../importing";

/** Live progress of a running import, fed by the backend's progress channel. */
export function ImportProgressBar(props: { progress: ImportProgress | null; estimatedRows: number; onCancel?: () => void }) {
  const done = Number(props.progress?.rows_done ?? 0);
  const failed = Number(props.progress?.failed ?? 0);
  const percent = progressPercent(done, props.estimatedRows);
  return (
    <section className="panel import-running" aria-label="Importing">
      <div
        className="progress"
        role="progressbar"
        data-testid="import-progress"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${formatCount(done)} rows processed`}
        data-rows-done={done}
      >
        <div className="progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="import-note">
        {done === 0 ? "Starting…" : `${formatCount(done)} rows processed${failed ? ` · ${formatCount(failed)} rejected` : ""}`}
      </p>
      {props.onCancel && (
        <button type="button" className="button" data-testid="import-cancel" onClick={props.onCancel}>
          Cancel import
        </button>
      )}
    </section>
  );
}

const COUNTS = [
  ["imported", "Imported"],
  ["updated", "Updated"],
  ["skipped", "Skipped (duplicates)"],
  ["failed", "Failed"],
] as const;

/** What an import did: counts, rejected rows and a CSV download of them. */
export function ImportResultCard(props: { job: ImportJob; onDone: () => void }) {
  const { job } = props;
  const errors = job.errors;
  return (
    <section className="panel import-result" aria-label="Import result" data-testid="import-result" data-status={job.status}>
      <header className="panel__header">
        <h2>
          {job.status === "completed" ? "Import finished" : `Import ${job.status}`} · {fileLabel(job.source_path)}
          {job.status === "cancelled" && " — rows already imported are kept; import the file again to finish it"}
        </h2>
        <button type="button" className="button button--small" onClick={props.onDone}>
          Import another file
        </button>
      </header>
      {job.error && <p className="field__error">{job.error}</p>}
      <dl className="import-counts">
        {COUNTS.map(([key, label]) => (
          <div key={key} className={`import-count import-count--${key}`}>
            <dd data-testid={`import-count-${key}`}>{formatCount(Number(job[key]))}</dd>
            <dt>{label}</dt>
          </div>
        ))}
      </dl>
      {job.notices.map((notice) => (
        <p key={notice} className="notice notice--warning" data-testid="import-notice">
          {notice}
        </p>
      ))}
      {job.warnings.length > 0 && (
        <>
          <h3>Imported with warnings</h3>
          <ul className="import-errors" data-testid="import-warnings">
            {job.warnings.slice(0, 200).map((w) => (
              <li key={Number(w.row)} data-testid="import-warning">
                <span className="import-errors__row">Row {Number(w.row)}</span> {w.message}
              </li>
            ))}
            {job.warnings.length > 200 && <li className="muted">…and {formatCount(job.warnings.length - 200)} more.</li>}
          </ul>
        </>
      )}
      {errors.length > 0 && (
        <>
          <div className="import-errors__header">
            <h3>Rejected rows</h3>
            <button
              type="button"
              className="button button--small"
              data-testid="import-errors-download"
              onClick={() => downloadText(`import-errors-${fileLabel(job.source_path).replace(/\.[^.]*$/, "")}.csv`, errorsCsv(errors))}
            >
              Download errors as CSV
            </button>
          </div>
          <ul className="import-errors" data-testid="import-errors">
            {errors.slice(0, 200).map((e) => (
              <li key={Number(e.row)} data-testid="import-error">
                <span className="import-errors__row">Row {Number(e.row)}</span> {e.message}
              </li>
            ))}
            {errors.length > 200 && <li className="muted">…and {formatCount(errors.length - 200)} more in the CSV.</li>}
          </ul>
        </>
      )}
    </section>
  );
}

/** The same file was imported before: say so, and offer to import it again anyway. */
export function ImportConflict(props: { message: string; onForce: () => void; onCancel: () => void }) {
  return (
    <section className="panel import-conflict" role="alert" data-testid="import-conflict">
      <p>
        <strong>Already imported.</strong> {props.message.replace(/\s*—\s*pass --force.*$/, "")}.
      </p>
      <div className="form__actions form__actions--tight">
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--primary" data-testid="import-force" onClick={props.onForce}>
          Import again anyway
        </button>
      </div>
    </section>
  );
}
