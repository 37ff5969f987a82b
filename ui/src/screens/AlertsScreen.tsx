import { useEffect } from "react";
import type { Notification } from "../bindings/Notification";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { formatDateTime } from "../format";
import { useLoad } from "../hooks";
import { linkToRoute, navigate } from "../router";

/** Tells the nav badge to recount (it also listens to the agent's own events). */
export const ALERTS_CHANGED = "outpost:alerts-changed";

/** The notification centre: the agent's alerts, newest first; opening one marks it read. */
export function AlertsScreen() {
  const api = useApi();
  const { report } = useBanner();
  const alerts = useLoad(() => api.listAlerts({ limit: 200 }), [api]);
  const { reload } = alerts;
  useEffect(() => api.subscribeAlerts(() => reload()), [api, reload]);

  const open = (n: Notification) => {
    const go = () => navigate(linkToRoute(n.link));
    if (n.read_at) return go();
    api.readAlert(n.id).then(() => {
      window.dispatchEvent(new Event(ALERTS_CHANGED));
      go();
    }, report);
  };
  const markRead = (n: Notification) =>
    api.readAlert(n.id).then(() => {
      window.dispatchEvent(new Event(ALERTS_CHANGED));
      reload();
    }, report);

  const list = alerts.data;
  const unread = (list ?? []).filter((n) => !n.read_at).length;
  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Alerts</h1>
          <p className="page-header__meta">{list ? `${unread} unread · ${list.length} total` : "Loading…"}</p>
        </div>
      </header>
      {!list && alerts.loading && <SkeletonRows />}
      {!list && alerts.failed && <LoadFailed what="alerts" onRetry={reload} />}
      {list && list.length === 0 && <div className="empty-note empty-note--panel">No alerts yet. The agent checks every minute.</div>}
      {list && list.length > 0 && (
        <ul className="alerts">
          {list.map((n) => (
            <li key={n.id} className={`alert ${n.read_at ? "" : "alert--unread"}`} data-testid="alert-row" data-kind={n.kind} data-unread={!n.read_at || undefined}>
              <button type="button" className="alert__open" onClick={() => open(n)}>
                <span className="strong">{n.title}</span>
                <span className="muted">{n.body}</span>
              </button>
              <time className="muted" dateTime={n.created_at}>
                {formatDateTime(n.created_at)}
              </time>
              {!n.read_at && (
                <button type="button" className="button" onClick={() => void markRead(n)} data-testid="alert-mark-read">
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
