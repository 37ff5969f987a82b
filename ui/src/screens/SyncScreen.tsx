import { useEffect, useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton";
import { Panel } from "../components/Detail";
import { Field } from "../components/Field";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { formatDateTime } from "../format";
import { useLoad, useSubmit } from "../hooks";
import { SYNC_POLL_MS, connectErrors, syncExplanation, syncLabel } from "../sync";
import type { Connected } from "../bindings/Connected";
import type { Quarantined } from "../bindings/Quarantined";
import type { SyncStatus } from "../bindings/SyncStatus";

function ConnectForm(props: { onConnected: (c: Connected) => void }) {
  const api = useApi();
  const [server, setServer] = useState("");
  const [token, setToken] = useState("");
  const form = useSubmit({
    fields: ["server", "token"],
    validate: () => connectErrors(server, token),
    save: () => api.syncConnect({ server: server.trim(), token: token.trim() }),
    onSaved: (connected) => {
      // The token now lives in the OS keychain; it is never shown again.
      setToken("");
      props.onConnected(connected);
    },
  });
  return (
    <Panel title="Connect this device">
      <form className="sync-form" onSubmit={form.onSubmit} data-testid="sync-connect-form" noValidate>
        <Field label="Server URL" name="server" error={form.errors.server}>
          {(control) => (
            <input {...control} className="input" name="server" placeholder="https://sync.example.com" value={server} onChange={(e) => setServer(e.target.value)} />
          )}
        </Field>
        <Field label="Device token" name="token" error={form.errors.token}>
          {(control) => (
            <input {...control} className="input" name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
          )}
        </Field>
        <p className="muted">The token is checked with the server and kept in your system keychain, never shown again.</p>
        <button type="submit" className="button button--primary" data-testid="sync-connect" disabled={form.saving}>
          Connect
        </button>
      </form>
    </Panel>
  );
}

function ConnectedPanel(props: { status: SyncStatus; onChanged: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [syncing, setSyncing] = useState(false);
  const s = props.status;
  const syncNow = () => {
    setSyncing(true);
    api.syncNow().then(props.onChanged, report).finally(() => setSyncing(false));
  };
  return (
    <Panel
      title="Sync server"
      actions={
        <div className="sync-actions">
          <button type="button" className="button" data-testid="sync-now" disabled={syncing} onClick={syncNow}>
            {syncing ? "Syncing…" : "Sync now"}
          </button>
          <ConfirmButton
            label="Disconnect"
            confirmLabel="Disconnect"
            question="Stop syncing this device? Local data and unsent changes stay here."
            testId="sync-disconnect"
            onConfirm={() => api.syncDisconnect().then(props.onChanged, report)}
          />
        </div>
      }
    >
      <dl className="sync-facts">
        <dt>Server</dt>
        <dd data-testid="sync-server">{s.server}</dd>
        <dt>State</dt>
        <dd data-testid="sync-state">{syncLabel(s)}</dd>
        <dt>Last sync</dt>
        <dd data-testid="sync-last">{s.last_sync_at ? formatDateTime(s.last_sync_at) : "Never"}</dd>
        <dt>Waiting to send</dt>
        <dd data-testid="sync-pending">{s.pending}</dd>
      </dl>
      <p className={s.state === "error" ? "sync-error" : "muted"} data-testid="sync-explanation">
        {syncExplanation(s)}
      </p>
    </Panel>
  );
}

/** Values other devices sent that this device refused: the records kept their last valid values. */
function QuarantinePanel(props: { count: number; items: Quarantined[] }) {
  return (
    <Panel title="Refused changes">
      <p className="muted" data-testid="sync-quarantined">
        {props.count === 1 ? "1 value" : `${props.count} values`} received from other devices broke the rules of its field and
        {props.count === 1 ? " was" : " were"} not saved; the records keep their last valid values. Correcting the field on any device clears it.
      </p>
      <table className="table" data-testid="sync-quarantine">
        <thead>
          <tr>
            <th>Record</th>
            <th>Field</th>
            <th>Why</th>
            <th>Received</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((q) => (
            <tr key={`${q.doc_id}/${q.field}`}>
              <td>
                {q.kind} <span className="muted">{q.doc_id}</span>
              </td>
              <td>{q.field}</td>
              <td>{q.reason}</td>
              <td>{formatDateTime(q.received_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

/** Sync settings: connect this device to a sync server (URL + token), see its state, disconnect. */
export function SyncScreen() {
  const api = useApi();
  const status = useLoad(() => api.syncStatus(), [api]);
  const [welcome, setWelcome] = useState<string | null>(null);
  // The background sync changes the status while the screen is open: keep it current.
  const { reload } = status;
  useEffect(() => {
    const timer = window.setInterval(reload, SYNC_POLL_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const s = status.data;
  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Sync</h1>
          <p className="page-header__meta">Keep this device in step with your team through a sync server. Edits made offline are sent when the server is back.</p>
        </div>
      </header>
      {welcome && (
        <div className="sync-welcome" data-testid="sync-welcome">
          {welcome}
        </div>
      )}
      {!s && status.loading && <SkeletonRows rows={2} />}
      {!s && status.failed && <LoadFailed what="the sync status" onRetry={status.reload} />}
      {s && s.state === "not_connected" && (
        <ConnectForm
          onConnected={(c) => {
            setWelcome(`Connected to ${c.server} as ${c.email} (${c.org}).`);
            status.reload();
          }}
        />
      )}
      {s && s.state !== "not_connected" && (
        <ConnectedPanel
          status={s}
          onChanged={() => {
            setWelcome(null);
            status.reload();
          }}
        />
      )}
      {s && s.quarantined > 0 && <QuarantinePanel count={s.quarantined} items={s.quarantine} />}
    </div>
  );
}
