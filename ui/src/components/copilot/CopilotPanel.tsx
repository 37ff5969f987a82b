import { useState, type FormEvent } from "react";
import type { AskRequest } from "../../bindings/AskRequest";
import type { CopilotResponse } from "../../bindings/CopilotResponse";
import type { NextAction } from "../../bindings/NextAction";
import type { Thread } from "../../bindings/Thread";
import { useApi, useBanner } from "../../context";
import { Panel } from "../Detail";
import { ActionCard } from "./ActionCard";
import { ThreadHistory, ThreadTranscript } from "./ThreadHistory";

type Focus = Pick<AskRequest, "contact_id" | "deal_id" | "meeting_id">;

/**
 * The copilot beside a contact, deal or meeting: ask ("What should I do next?"), then read the
 * answer as cards — summary, reasons citing records, warnings, clarifying questions, and each
 * proposed action with its impact and an Apply button. Nothing runs until Apply is pressed.
 * A previous conversation can be reopened; the next question continues it.
 */
export function CopilotPanel(props: { focus: Focus; onApplied?: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [question, setQuestion] = useState("What should I do next?");
  const [asking, setAsking] = useState(false);
  const [answer, setAnswer] = useState<CopilotResponse>();
  const [actions, setActions] = useState<NextAction[]>([]);
  const [opened, setOpened] = useState<Thread | null>(null);

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (!question.trim()) return;
    setAsking(true);
    api
      .copilotAsk({ question: question.trim(), ...props.focus, thread_id: answer?.thread_id ?? opened?.id ?? undefined })
      .then((response) => {
        setAnswer(response);
        setActions(response.next_actions);
      }, report)
      .finally(() => setAsking(false));
  };
  const reopen = (thread: Thread) => {
    setOpened(thread);
    setAnswer(undefined);
    setActions([]);
  };
  const settle = (updated: NextAction) => {
    setActions((list) => list.map((a) => (a.id === updated.id ? updated : a)));
    if (updated.status === "executed") props.onApplied?.();
  };

  return (
    <Panel title="Copilot" className="copilot">
      <form className="inline-form" data-testid="copilot-form" onSubmit={ask}>
        <input
          className="input grow"
          aria-label="Ask the copilot"
          data-testid="copilot-question"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <button type="submit" className="button button--primary" data-testid="copilot-ask" disabled={asking}>
          {asking ? "Thinking…" : "Ask"}
        </button>
      </form>
      <ThreadHistory onOpen={reopen} />
      {opened && <ThreadTranscript thread={opened} />}
      {answer && (
        <div className="copilot__answer" data-testid="copilot-answer" data-engine={answer.engine}>
          <p className="copilot__summary" data-testid="copilot-summary">
            {answer.summary}
            {answer.engine === "offline" && <span className="badge">offline</span>}
          </p>
          {answer.warnings.map((w, i) => (
            <p key={i} className="copilot__warning" role="alert" data-testid="copilot-warning" data-code={w.code}>
              {w.message}
            </p>
          ))}
          {answer.why.length > 0 && (
            <ul className="copilot__why" aria-label="Why">
              {answer.why.map((reason, i) => (
                <li key={i} data-testid="copilot-reason" data-records={reason.record_ids.join(" ")}>
                  {reason.text}
                </li>
              ))}
            </ul>
          )}
          {answer.questions.map((q, i) => (
            <div key={i} className="copilot__question" data-testid="copilot-question-card">
              <p className="strong">{q.text}</p>
              <ul>
                {q.options.map((o) => (
                  <li key={o.entity_id}>
                    <a href={`#/${o.entity_type}s/${o.entity_id}`}>{o.label}</a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          {actions.map((action) => (
            <ActionCard key={action.id} action={action} draft={answer.drafts.find((d) => d.action_id === action.id)} onSettled={settle} />
          ))}
        </div>
      )}
    </Panel>
  );
}
