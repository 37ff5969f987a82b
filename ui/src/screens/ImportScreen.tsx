import { useRef, useState } from "react";
import type { ImportJob } from "../bindings/ImportJob";
import type { ImportMapping } from "../bindings/ImportMapping";
import type { ImportMode } from "../bindings/ImportMode";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { StagedFile } from "../bindings/StagedFile";
import { ImportConflict, ImportProgressBar, ImportResultCard } from "../components/import/ImportResult";
import { ImportHistory, MergePanel } from "../components/import/ImportSide";
import { PreviewPanel } from "../components/import/PreviewPanel";
import { FileButton, useFileDrop } from "../components/FileInput";
import { useApi, useBanner } from "../context";
import { toErrorPayload } from "../errors";
import { useLoad } from "../hooks";
import { estimateRows, readBytes } from "../importing";

type Step =
  | { name: "pick" }
  | { name: "preview" }
  | { name: "importing"; progress: ImportProgress | null }
  | { name: "conflict"; message: string }
  | { name: "done"; job: ImportJob };

/** CSV and workbook import: drop or pick a file, check the preview, sheet and mapping, import, review the result. */
export function ImportScreen() {
  const api = useApi();
  const { report, clear } = useBanner();
  const [step, setStep] = useState<Step>({ name: "pick" });
  const [staged, setStaged] = useState<StagedFile | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mode, setMode] = useState<ImportMode>("skip");
  // "" = detected; otherwise the encoding the user picked for this file.
  const [encoding, setEncoding] = useState("");
  const [busy, setBusy] = useState(false);
  const previewSeq = useRef(0);
  const history = useLoad(() => api.listImports(20), [api]);
  const merges = useLoad(() => api.listMerges(), [api]);

  const reset = () => {
    setStep({ name: "pick" });
    setStaged(null);
    setPreview(null);
    setEncoding("");
  };

  const loadPreview = async (file: StagedFile, mapping?: ImportMapping, sheet?: string, enc = encoding) => {
    const seq = ++previewSeq.current;
    const next = await api.previewImport({
      path: file.path,
      ...(mapping ? { mapping } : {}),
      ...(sheet ? { sheet } : {}),
      ...(enc ? { encoding: enc } : {}),
    });
    if (seq === previewSeq.current) setPreview(next);
  };

  const accept = async (file: File) => {
    clear();
    setBusy(true);
    try {
      const bytes = await readBytes(file);
      const stagedFile = await api.stageUpload(file.name, bytes);
      setStaged(stagedFile);
      setPreview(null);
      setEncoding("");
      await loadPreview(stagedFile, undefined, undefined, "");
      setStep({ name: "preview" });
    } catch (error) {
      report(error);
      reset();
    } finally {
      setBusy(false);
    }
  };

  const changeMapping = (mapping: ImportMapping) => {
    if (!staged || !preview) return;
    setPreview({ ...preview, mapping });
    loadPreview(staged, mapping, preview.workbook?.sheet).catch(report);
  };

  // Another sheet has other columns: its mapping is the saved or guessed one for them.
  const changeSheet = (sheet: string) => {
    if (!staged) return;
    clear();
    loadPreview(staged, undefined, sheet).catch(report);
  };

  const changeEncoding = (next: string) => {
    if (!staged || !preview) return;
    setEncoding(next);
    loadPreview(staged, preview.mapping, preview.workbook?.sheet, next).catch(report);
  };

  const start = (force: boolean) => {
    if (!staged || !preview) return;
    clear();
    setStep({ name: "importing", progress: null });
    const sheet = preview.workbook?.sheet;
    const req = {
      path: staged.path,
      mapping: preview.mapping,
      mode,
      force,
      source_kind: "drop",
      ...(sheet ? { sheet } : {}),
      ...(encoding ? { encoding } : {}),
    };
    api
      .runImport(req, (progress) => setStep((s) => (s.name === "importing" ? { name: "importing", progress } : s)))
      .then(
        (job) => setStep({ name: "done", job }),
        (error: unknown) => {
          const payload = toErrorPayload(error);
          if (payload.kind === "conflict") {
            setStep({ name: "conflict", message: payload.message });
          } else {
            report(payload);
            setStep({ name: "preview" });
          }
        },
      )
      .finally(() => {
        history.reload();
        merges.reload();
      });
  };

  const { dragging, handlers } = useFileDrop((file) => {
    if (step.name === "pick" || step.name === "preview" || step.name === "done") void accept(file);
  });

  return (
    <div className={`screen import-screen ${dragging ? "import-screen--dragging" : ""}`} data-testid="import-dropzone" {...handlers}>
      <header className="page-header">
        <div>
          <h1>Import</h1>
          <p className="page-header__meta">Bring leads in from a CSV export or a workbook (HubSpot, Salesforce, Apollo, LinkedIn, Excel, Google Sheets, LibreOffice…)</p>
        </div>
        <div className="page-header__actions">
          <FileButton
            primary
            label="Choose a file…"
            accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods"
            testId="import-file-input"
            disabled={busy || step.name === "importing"}
            onFile={(file) => void accept(file)}
          />
        </div>
      </header>

      {step.name === "pick" && (
        <div className="import-drop" aria-busy={busy}>
          <p className="import-drop__title">{busy ? "Reading the file…" : "Drop a CSV file or a workbook anywhere on this screen"}</p>
          <p className="muted">
            Contacts, companies or deals, as CSV (comma, semicolon, tab or pipe separated; any encoding, detected or picked) or
            a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods). Nothing is imported until you confirm.
          </p>
        </div>
      )}
      {step.name !== "pick" && staged && preview && step.name !== "done" && (
        <PreviewPanel
          name={staged.name}
          preview={preview}
          mode={mode}
          busy={busy || step.name !== "preview"}
          encoding={encoding}
          onEncoding={changeEncoding}
          onMapping={changeMapping}
          onSheet={changeSheet}
          onMode={setMode}
          onStart={() => start(false)}
          onCancel={reset}
        />
      )}
      {step.name === "importing" && preview && <ImportProgressBar progress={step.progress} estimatedRows={estimateRows(preview).rows} onCancel={() => void api.cancelImports().catch(report)} />}
      {step.name === "conflict" && <ImportConflict message={step.message} onForce={() => start(true)} onCancel={reset} />}
      {step.name === "done" && <ImportResultCard job={step.job} onDone={reset} />}

      <MergePanel merges={merges.data} onChanged={merges.reload} />
      <ImportHistory jobs={history.data} />
      {dragging && (
        <div className="import-overlay" aria-hidden="true">
          Drop to preview
        </div>
      )}
    </div>
  );
}
