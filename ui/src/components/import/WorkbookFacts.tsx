import type { WorkbookInfo } from "../../bindings/WorkbookInfo";

/** A workbook's format and the sheet read, with a choice of sheet when it has several. */
export function WorkbookFacts(props: { book: WorkbookInfo; busy: boolean; onSheet: (sheet: string) => void }) {
  const { book } = props;
  return (
    <>
      <div>
        <dt>Format</dt>
        <dd data-testid="preview-format">{book.format}</dd>
      </div>
      <div>
        <dt>Sheet</dt>
        <dd>
          {book.sheets.length > 1 ? (
            <select
              className="input"
              data-testid="preview-sheet"
              aria-label="Sheet to import"
              value={book.sheet}
              disabled={props.busy}
              onChange={(e) => props.onSheet(e.target.value)}
            >
              {book.sheets.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                  {s.visible ? "" : " (hidden)"}
                  {s.header_line === null ? " — no table" : ` — ${s.rows} rows`}
                </option>
              ))}
            </select>
          ) : (
            <span data-testid="preview-sheet-name">{book.sheet}</span>
          )}
          {book.sheet_source === "remembered" && <span className="muted"> (as last time)</span>}
        </dd>
      </div>
    </>
  );
}

/** What is hidden or merged in the sheet read: imported all the same, but worth knowing. */
export function WorkbookNotes(props: { book: WorkbookInfo }) {
  const { book } = props;
  const notes: string[] = [];
  if (book.hidden_row_count > 0) {
    const shown = book.hidden_rows.slice(0, 10).join(", ");
    const more = book.hidden_row_count > 10 ? ", …" : "";
    notes.push(`${book.hidden_row_count} hidden ${book.hidden_row_count === 1 ? "row" : "rows"} (sheet ${book.hidden_row_count === 1 ? "row" : "rows"} ${shown}${more}) will be imported too.`);
  }
  if (book.hidden_columns.length > 0) notes.push(`Hidden columns will be imported too: ${book.hidden_columns.join(", ")}.`);
  if (book.merged_header_cells > 0) notes.push(`${book.merged_header_cells} column names come from merged header cells.`);
  if (notes.length === 0) return null;
  return (
    <div className="import-note" data-testid="preview-workbook-notes">
      {notes.map((n) => (
        <p key={n}>{n}</p>
      ))}
    </div>
  );
}
