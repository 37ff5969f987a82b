import { ConfirmButton } from "../components/ConfirmButton";
import { Panel } from "../components/Detail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { formatDateTime } from "../format";
import { useLoad } from "../hooks";
import type { Delivery } from "../bindings/Delivery";

const STATUS: Record<string, string> = {
  pending: "Waiting",
  sending: "Sending",
  delivered: "Delivered",
  failed: "Failed",
  cancelled: "Cancelled",
};

function when(d: Delivery): string {
  if (d.status === "pending" && d.next_attempt_at) return `next try ${formatDateTime(d.next_attempt_at)}`;
  if (d.status === "delivered" && d.delivered_at) return `delivered ${formatDateTime(d.delivered_at)}`;
  return `queued ${formatDateTime(d.created_at)}`;
}

function Row(props: { delivery: Delivery; onChanged: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const d = props.delivery;
  const canRetry = d.status === "failed" || d.status === "cancelled";
  const canCancel = d.status === "pending" || d.status === "failed";
  return (
    <li className="watched__item" data-testid="delivery" data-status={d.status}>
      <div>
        <div className="strong">{d.text}</div>
        <div className="muted watched__meta">
          <span className={`badge ${d.status === "failed" ? "badge--lost" : ""}`} data-testid="delivery-status">
            {STATUS[d.status] ?? d.status}
          </span>{" "}
          {d.channel === "slack" ? "Slack" : "Webhook"} · {d.target} ·{" "}
          <span data-testid="delivery-attempts">
            {d.attempts} of {d.max_attempts} attempts
          </span>{" "}
          · {when(d)}
        </div>
        {d.last_error && d.status !== "delivered" && (
          <div className="watched__error" data-testid="delivery-error">
            {d.last_error}
          </div>
        )}
      </div>
      <div className="row-actions">
        {canRetry && (
          <button type="button" className="button" data-testid="delivery-retry" onClick={() => api.retryOutbound(d.id).then(props.onChanged, report)}>
            Retry
          </button>
        )}
        {canCancel && (
          <ConfirmButton
            label="Cancel"
            confirmLabel="Cancel it"
            question="Never send this message?"
            testId="delivery-cancel"
            onConfirm={() => api.cancelOutbound(d.id).then(props.onChanged, report)}
          />
        )}
      </div>
    </li>
  );
}

/** The outbound queue: Slack and webhook messages with their delivery state; retry or cancel. */
export function OutboundScreen() {
  const api = useApi();
  const deliveries = useLoad(() => api.listOutbound({}), [api]);
  const list = deliveries.data;
  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Outbound</h1>
          <p className="page-header__meta">
            Digests and alerts sent to Slack and webhooks. Failed attempts are retried with growing pauses; each message is
            delivered once.
          </p>
        </div>
        <button type="button" className="button" data-testid="outbound-refresh" onClick={deliveries.reload}>
          Refresh
        </button>
      </header>
      {!list && deliveries.loading && <SkeletonRows rows={3} />}
      {!list && deliveries.failed && <LoadFailed what="the outbound queue" onRetry={deliveries.reload} />}
      {list && list.length === 0 && <div className="empty-note empty-note--panel">Nothing sent yet.</div>}
      {list && list.length > 0 && (
        <Panel title="Messages" count={list.length}>
          <ul className="watched">
            {list.map((d) => (
              <Row key={d.id} delivery={d} onChanged={deliveries.reload} />
            ))}
          </ul>
        </Panel>
      )}
    </div>
  );
}
