import { useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton";
import { Panel } from "../components/Detail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { formatDateTime } from "../format";
import { useLoad } from "../hooks";
import type { Connection } from "../bindings/Connection";
import type { PendingSignIn } from "../bindings/PendingSignIn";
import type { Provider } from "../bindings/Provider";

const PROVIDERS: Record<string, string> = { google: "Google (Drive, Calendar)", dropbox: "Dropbox" };

function statusText(c: Connection): string {
  if (c.status === "reconnect") return "Sign in again";
  if (c.status === "error") return "Problem";
  return "Connected";
}

function Row(props: { connection: Connection; onChanged: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [checking, setChecking] = useState(false);
  const c = props.connection;
  const check = () => {
    setChecking(true);
    api
      .testConnection(c.id)
      .then(props.onChanged, report)
      .finally(() => setChecking(false));
  };
  return (
    <li className="watched__item" data-testid="connection" data-provider={c.provider}>
      <div>
        <div className="strong">
          {PROVIDERS[c.provider] ?? c.provider} · {c.account ?? "unknown account"}
        </div>
        <div className="muted watched__meta">
          <span className={`badge ${c.status === "connected" ? "" : "badge--lost"}`} data-testid="connection-status">
            {statusText(c)}
          </span>{" "}
          <span data-testid="connection-last-sync">{c.last_sync_at ? `last sync ${formatDateTime(c.last_sync_at)}` : "never synced"}</span>
        </div>
        {c.status === "reconnect" && (
          <div className="muted watched__meta" data-testid="connection-reconnect">
            Access was revoked or has expired. Connect the account again: <code>outpost connections add {c.provider}</code>
          </div>
        )}
        {c.last_error && (
          <div className="watched__error" data-testid="connection-error">
            {c.last_error}
          </div>
        )}
      </div>
      <div className="row-actions">
        <button type="button" className="button" data-testid="connection-test" disabled={checking} onClick={check}>
          {checking ? "Checking…" : "Check"}
        </button>
        <ConfirmButton
          label="Disconnect"
          confirmLabel="Disconnect"
          question="Revoke Outpost's access and forget this account?"
          testId="connection-remove"
          onConfirm={() => api.removeConnection(c.id).then(props.onChanged, report)}
        />
      </div>
    </li>
  );
}

/** A started sign-in: the system browser was opened on its address; the app waits for it. */
function SignIn(props: { pending: PendingSignIn }) {
  return (
    <div className="panel panel--flat" data-testid="sign-in">
      <p>
        Sign in in the browser window Outpost opened; Outpost continues by itself when you are done (within 5
        minutes). If no browser opened, open this address yourself:
      </p>
      <p>
        <code className="sign-in__url" data-testid="sign-in-url">
          {props.pending.authorize_url}
        </code>
      </p>
    </div>
  );
}

/** Connected accounts (Google, Dropbox): connect, status, last sync, last error; check or disconnect. */
export function ConnectionsScreen() {
  const api = useApi();
  const { report } = useBanner();
  const connections = useLoad(() => api.listConnections(), [api]);
  const list = connections.data;
  const [pending, setPending] = useState<PendingSignIn | null>(null);
  const connect = (provider: Provider) => {
    api
      .beginConnect(provider)
      .then((started) => {
        setPending(started);
        return api.finishConnect(started.attempt_id);
      })
      .then(connections.reload, report)
      .finally(() => setPending(null));
  };
  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Connections</h1>
          <p className="page-header__meta">
            Accounts Outpost reads lead lists and meetings from. Sign-in happens in your browser; tokens are kept in your
            system keychain, never in Outpost's database.
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" data-testid="connect-google" disabled={pending !== null} onClick={() => connect("google")}>
            Connect Google
          </button>
          <button type="button" className="button" data-testid="connect-dropbox" disabled={pending !== null} onClick={() => connect("dropbox")}>
            Connect Dropbox
          </button>
        </div>
      </header>
      {pending && <SignIn pending={pending} />}
      {!list && connections.loading && <SkeletonRows rows={2} />}
      {!list && connections.failed && <LoadFailed what="connections" onRetry={connections.reload} />}
      {list && list.length === 0 && <div className="empty-note empty-note--panel">No accounts connected yet.</div>}
      {list && list.length > 0 && (
        <Panel title="Accounts" count={list.length}>
          <ul className="watched">
            {list.map((c) => (
              <Row key={c.id} connection={c} onChanged={connections.reload} />
            ))}
          </ul>
        </Panel>
      )}
    </div>
  );
}
