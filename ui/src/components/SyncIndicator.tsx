import { useEffect, useState } from "react";
import type { SyncStatus } from "../bindings/SyncStatus";
import { useApi } from "../context";
import { navigate } from "../router";
import { SYNC_POLL_MS, syncExplanation, syncLabel } from "../sync";

/** The sync status in the sidebar (synced / pending N / offline / error); opens the Sync screen. */
export function SyncIndicator() {
  const api = useApi();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let alive = true;
    const read = () =>
      api.syncStatus().then(
        (s) => alive && setStatus(s),
        () => alive && setStatus(null),
      );
    void read();
    const timer = window.setInterval(read, SYNC_POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [api]);
  if (!status) return null;
  return (
    <button
      type="button"
      className={`sync-indicator sync-indicator--${status.state}`}
      data-testid="sync-indicator"
      data-state={status.state}
      title={syncExplanation(status)}
      onClick={() => navigate({ name: "sync" })}
    >
      <span className="sync-indicator__dot" aria-hidden="true" />
      {syncLabel(status)}
    </button>
  );
}
