import type { ImportMapping } from "../../bindings/ImportMapping";
import type { ImportMode } from "../../bindings/ImportMode";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ImportRecordType } from "../../bindings/ImportRecordType";
import { formatCount } from "../../format";
import { WorkbookFacts, WorkbookNotes } from "./WorkbookFacts";
import { CUSTOM_LABEL, FIELDS, IGNORE_LABEL, delimiterName, estimateRows, targetOf, targetValue } from "../../importing";

/** Encodings offered when detection guessed wrong (WHATWG labels the core accepts). */
const ENCODINGS = ["utf-8", "windows-1250", "windows-1252", "windows-1251", "iso-8859-2", "iso-8859-15", "utf-16le", "utf-16be"];

const RECORD_LABELS: Record<ImportRecordType, string> = { contacts: "People", companies: "Companies", deals: "Deals" };

/** The file as it would be imported: detected format, one mapping select per column, first rows. */
export function PreviewPanel(props: {
  name: string;
  preview: ImportPreview;
  mode: ImportMode;
  busy: boolean;
  /** The encoding picked by the user, "" when detected. */
  encoding: string;
  onEncoding: (encoding: string) => void;
  onMapping: (mapping: ImportMapping) => void;
  onSheet: (sheet: string) => void;
  onMode: (mode: ImportMode) => void;
  onStart: () => void;
  onCancel: () => void;
}) {
  const { preview } = props;
  const estimate = estimateRows(preview);
  const rowCount = `${estimate.exact ? "" : "~"}${formatCount(estimate.rows)} ${estimate.rows === 1 ? "row" : "rows"}`;
  const setColumn = (index: number, value: string) => {
    const columns = preview.headers.map((header, i) => (i === index ? targetOf(value, header) : (preview.mapping.columns[i] ?? "ignore")));
    props.onMapping({ columns });
  };
  const failing = preview.rows.filter((r) => r.error).length;
  const book = preview.workbook;

  return (
    <section className="panel import-preview" aria-label="Preview" data-testid="import-preview">
      <header className="panel__header">
        <h2>{props.name}</h2>
        <button type="button" className="button button--small" onClick={props.onCancel} disabled={props.busy}>
          Choose another file
        </button>
      </header>
      <dl className="import-facts">
        {book ? (
          <WorkbookFacts book={book} busy={props.busy} onSheet={props.onSheet} />
        ) : (
          <>
            <div>
              <dt>Encoding</dt>
              <dd data-testid="preview-encoding">{preview.encoding}</dd>
            </div>
            <div>
              <dt>Delimiter</dt>
              <dd data-testid="preview-delimiter">{delimiterName(preview.delimiter)}</dd>
            </div>
          </>
        )}
        <div>
          <dt>Records</dt>
          <dd data-testid="preview-record-type">{RECORD_LABELS[preview.record_type]}</dd>
        </div>
        {!book && (
          <div>
            <dt>Read as</dt>
            <dd>
              <select
                aria-label="Encoding"
                data-testid="preview-encoding-select"
                value={props.encoding}
                disabled={props.busy}
                onChange={(e) => props.onEncoding(e.target.value)}
              >
                <option value="">Detected</option>
                {ENCODINGS.map((label) => (
                  <option key={label} value={label}>
                    {label}
                  </option>
                ))}
              </select>
            </dd>
          </div>
        )}
        <div>
          <dt>Phone region</dt>
          <dd data-testid="preview-phone-region" title={preview.phone_region.reason}>
            {preview.phone_region.region}
          </dd>
        </div>
        <div>
          <dt>{book ? "Header on row" : "Header on line"}</dt>
          <dd data-testid="preview-header-line">{Number(preview.header_line)}</dd>
        </div>
        <div>
          <dt>Mapping</dt>
          <dd>{preview.mapping_source === "template" ? "saved for these columns" : preview.mapping_source === "auto" ? "guessed from headers" : "yours"}</dd>
        </div>
      </dl>
      {preview.notices.map((notice) => (
        <p key={notice} className="notice notice--warning" data-testid="preview-notice">
          {notice}
        </p>
      ))}
      <div className="table-wrap import-preview__table">
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col" className="import-preview__rownum">
                Row
              </th>
              {preview.headers.map((header, i) => (
                <th scope="col" key={i}>
                  <div className="import-preview__header">{header}</div>
                  <select
                    className="input import-preview__select"
                    data-testid="mapping-select"
                    data-column={header}
                    aria-label={`${header} becomes`}
                    value={targetValue(preview.mapping.columns[i])}
                    disabled={props.busy}
                    onChange={(e) => setColumn(i, e.target.value)}
                  >
                    {FIELDS.map(([field, label]) => (
                      <option key={field} value={`field:${field}`}>
                        {label}
                      </option>
                    ))}
                    <option value="custom">{CUSTOM_LABEL}</option>
                    <option value="ignore">{IGNORE_LABEL}</option>
                  </select>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={Number(row.row)} data-testid="preview-row" className={row.error ? "import-preview__bad" : undefined} title={row.error ?? undefined}>
                <td className="muted">{Number(row.row)}</td>
                {preview.headers.map((_, i) => (
                  <td key={i}>{row.fields[i] ?? ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {book && <WorkbookNotes book={book} />}
      {failing > 0 && (
        <p className="import-note" data-testid="preview-problems">
          {failing} of the first {preview.rows.length} rows would be rejected (hover a red row to see why); the rest import normally.
        </p>
      )}
      <div className="import-actions">
        <fieldset className="import-mode" disabled={props.busy}>
          <legend>Existing contacts with the same email or phone</legend>
          {(
            [
              ["skip", "Skip them"],
              ["update", "Update them"],
            ] as const
          ).map(([mode, label]) => (
            <label key={mode} className="check">
              <input type="radio" name="import-mode" value={mode} data-testid={`import-mode-${mode}`} checked={props.mode === mode} onChange={() => props.onMode(mode)} />
              {label}
            </label>
          ))}
        </fieldset>
        <button type="button" className="button button--primary" data-testid="import-start" disabled={props.busy} onClick={props.onStart}>
          Import {rowCount}
        </button>
      </div>
    </section>
  );
}
