// The connections and outbound-queue half of the in-memory backend (see memoryApi.ts). It mirrors
// the core's rules the UI relies on: a delivered message cannot be retried or cancelled (conflict),
// retry resets the attempt budget, a removed connection is gone.
import type { Api } from "../api";
import type { Connection } from "../bindings/Connection";
import type { Delivery } from "../bindings/Delivery";
import type { ErrorPayload } from "../bindings/ErrorPayload";

type IntegrationMethods = Pick<
  Api,
  "listConnections" | "beginConnect" | "finishConnect" | "testConnection" | "removeConnection" | "listOutbound" | "retryOutbound" | "cancelOutbound"
>;

export interface IntegrationState {
  connections: Connection[];
  deliveries: Delivery[];
  /** Sign-ins started and not finished: attempt id → provider. */
  signIns: Map<string, string>;
  /** When set, `finishConnect` waits for it (the "browser" coming back) before connecting. */
  browserReturn: Promise<void> | null;
  /** What `testConnection` finds: the status and error to record, per connection id. */
  checks: Map<string, { status: string; error: string | null }>;
}

export function integrationState(): IntegrationState {
  return { connections: [], deliveries: [], checks: new Map(), signIns: new Map(), browserReturn: null };
}

const conflict = (message: string): ErrorPayload => ({ kind: "conflict", field: null, message });
const notFound = (what: string, id: string): ErrorPayload => ({ kind: "not_found", field: null, message: `${what} ${id} not found` });

export function integrationMethods(st: IntegrationState, now: string): IntegrationMethods {
  const connection = (id: string) => {
    const c = st.connections.find((x) => x.id === id);
    if (!c) throw notFound("connection", id);
    return c;
  };
  const delivery = (id: string) => {
    const d = st.deliveries.find((x) => x.id === id);
    if (!d) throw notFound("delivery", id);
    return d;
  };
  return {
    async listConnections() {
      return st.connections.map((c) => ({ ...c }));
    },
    async beginConnect(provider) {
      const attempt = `attempt-${st.signIns.size + 1}`;
      st.signIns.set(attempt, provider);
      return { attempt_id: attempt, authorize_url: `https://accounts.example/auth?state=${attempt}&code_challenge_method=S256` };
    },
    async finishConnect(attempt) {
      const provider = st.signIns.get(attempt);
      if (!provider) throw { kind: "remote", field: null, message: "this sign-in is no longer pending; start again" } satisfies ErrorPayload;
      st.signIns.delete(attempt);
      if (st.browserReturn) await st.browserReturn;
      const c: Connection = {
        id: `conn-${st.connections.length + 1}`, provider, account: `rep@${provider}.example`, status: "connected", scopes: "",
        token_expires_at: null, last_sync_at: null, last_error: null, created_at: now, updated_at: now,
      };
      st.connections.push(c);
      return { ...c };
    },
    async testConnection(id) {
      const c = connection(id);
      const check = st.checks.get(id) ?? { status: "connected", error: null };
      Object.assign(c, { status: check.status, last_error: check.error, last_sync_at: check.error ? c.last_sync_at : now });
      return { ...c };
    },
    async removeConnection(id) {
      connection(id);
      st.connections = st.connections.filter((c) => c.id !== id);
      return { id, revoked: true, revoke_error: null };
    },
    async listOutbound(q) {
      return st.deliveries.filter((d) => !q.status || d.status === q.status).map((d) => ({ ...d }));
    },
    async retryOutbound(id) {
      const d = delivery(id);
      if (d.status === "delivered") throw conflict(`delivery ${id} was already delivered; queue a new message instead`);
      Object.assign(d, { status: "pending", attempts: 0, next_attempt_at: now });
      return { ...d };
    },
    async cancelOutbound(id) {
      const d = delivery(id);
      if (d.status === "delivered") throw conflict(`delivery ${id} was already delivered; it cannot be cancelled`);
      Object.assign(d, { status: "cancelled", next_attempt_at: null });
      return { ...d };
    },
  };
}
