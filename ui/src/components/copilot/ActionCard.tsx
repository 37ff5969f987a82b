import { useState } from "react";
import type { Draft } from "../../bindings/Draft";
import type { NextAction } from "../../bindings/NextAction";
import { useApi, useBanner } from "../../context";

/** One proposed action: preview, impact, the draft it carries, and Apply / Dismiss. */
export function ActionCard(props: { action: NextAction; draft: Draft | undefined; onSettled: (a: NextAction) => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [busy, setBusy] = useState(false);
  const { action, draft } = props;
  const run = (call: (id: string) => Promise<NextAction>) => {
    setBusy(true);
    call(action.id)
      .then(props.onSettled, report)
      .finally(() => setBusy(false));
  };
  return (
    <article className={`copilot__card copilot__card--${action.status}`} data-testid="copilot-action" data-status={action.status} data-tool={action.tool_call.name}>
      <p className="strong">{action.preview}</p>
      <p className="muted">{action.impact}</p>
      {draft && (
        <pre className="copilot__draft" data-testid="copilot-draft">
          {draft.subject ? `Subject: ${draft.subject}\n\n` : ""}
          {draft.body}
        </pre>
      )}
      {action.status === "pending" ? (
        <div className="copilot__buttons">
          <button type="button" className="button button--primary button--small" data-testid="copilot-apply" disabled={busy} onClick={() => run(api.confirmCopilotAction)}>
            Apply
          </button>
          <button type="button" className="button button--small" data-testid="copilot-dismiss" disabled={busy} onClick={() => run(api.dismissCopilotAction)}>
            Dismiss
          </button>
        </div>
      ) : (
        <p className="badge" data-testid="copilot-action-status">
          {action.status === "executed" ? "Applied" : action.status === "dismissed" ? "Dismissed" : "Failed"}
        </p>
      )}
    </article>
  );
}
