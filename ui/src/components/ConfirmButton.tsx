import { useState } from "react";

/** A destructive button that asks once more, inline, before acting. */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => Promise<unknown>;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button--danger-quiet" data-testid={props.testId} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={props.question}>
      <span className="confirm__question">{props.question}</span>
      <button
        type="button"
        className="button button--danger"
        autoFocus
        disabled={busy}
        data-testid={props.testId ? `${props.testId}-confirm` : undefined}
        onClick={() => {
          setBusy(true);
          props.onConfirm().finally(() => setBusy(false));
        }}
      >
        {busy ? "Deleting…" : props.confirmLabel}
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
