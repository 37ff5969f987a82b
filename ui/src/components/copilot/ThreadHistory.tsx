import { useState } from "react";
import type { Thread } from "../../bindings/Thread";
import type { ThreadSummary } from "../../bindings/ThreadSummary";
import { useApi, useBanner } from "../../context";
import { formatDateTime } from "../../format";

/** How many previous threads the list shows. */
const SHOWN = 20;

/** "Previous conversations": lists the rep's copilot threads on demand and opens one. */
export function ThreadHistory(props: { onOpen: (thread: Thread) => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [threads, setThreads] = useState<ThreadSummary[] | null>(null);
  const toggle = () => {
    if (threads) return setThreads(null);
    api.listCopilotThreads(SHOWN).then(setThreads, report);
  };
  const open = (id: string) => {
    api.getCopilotThread(id).then((thread) => {
      setThreads(null);
      props.onOpen(thread);
    }, report);
  };
  return (
    <div className="copilot__history">
      <button type="button" className="button button--small" aria-expanded={threads !== null} data-testid="copilot-history" onClick={toggle}>
        Previous conversations
      </button>
      {threads && threads.length === 0 && <p className="muted" data-testid="copilot-no-threads">No previous conversations yet.</p>}
      {threads && threads.length > 0 && (
        <ul className="copilot__threads">
          {threads.map((t) => (
            <li key={t.id}>
              <button type="button" className="button button--small" data-testid="copilot-thread-item" onClick={() => open(t.id)}>
                {t.title}
              </button>{" "}
              <span className="muted">{formatDateTime(t.updated_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** An opened thread: the summary of its compacted turns, then its messages. */
export function ThreadTranscript(props: { thread: Thread }) {
  const t = props.thread;
  return (
    <div className="copilot__transcript" data-testid="copilot-thread" data-thread-id={t.id}>
      <p className="strong">{t.title}</p>
      {t.summary && <p className="muted copilot__thread-summary">Earlier: {t.summary}</p>}
      <ol className="copilot__messages">
        {t.messages.map((m, i) => (
          <li key={i} data-testid="copilot-message" data-role={m.role}>
            <span className="muted">{m.role === "user" ? "You" : "Copilot"}:</span> {m.content}
          </li>
        ))}
      </ol>
    </div>
  );
}
