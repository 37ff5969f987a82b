import { useState } from "react";
import type { Task } from "../bindings/Task";
import { useApi, useBanner } from "../context";
import { formatDate, isOverdue } from "../format";
import { toHash } from "../router";

const KIND_LABEL: Record<string, string> = { contact: "Contact", deal: "Deal", company: "Company", meeting: "Meeting" };

/** What a task is linked to: `Deal · Acme renewal`, a link where the record has a page. */
export function linkOf(task: Pick<Task, "entity_type" | "entity_id" | "entity_name">): { href: string | null; kind: string; name: string } | null {
  if (!task.entity_id || !task.entity_type) return null;
  const kind = KIND_LABEL[task.entity_type];
  if (!kind) return null;
  const name = task.entity_name ?? `(deleted ${kind.toLowerCase()})`;
  const id = task.entity_id;
  switch (task.entity_type) {
    case "contact":
      return { href: task.entity_name ? toHash({ name: "contact", id }) : null, kind, name };
    case "deal":
      return { href: task.entity_name ? toHash({ name: "deal", id }) : null, kind, name };
    case "company":
      return { href: task.entity_name ? toHash({ name: "company", id }) : null, kind, name };
    default:
      return { href: null, kind, name };
  }
}

/** Open tasks with a "done" control each; overdue ones are highlighted. */
export function TaskList(props: { tasks: readonly Task[]; onChanged: () => void; showLinks?: boolean; empty?: string }) {
  const api = useApi();
  const { report } = useBanner();
  const [completing, setCompleting] = useState<ReadonlySet<string>>(new Set());

  const complete = (task: Task) => {
    setCompleting((s) => new Set(s).add(task.id));
    api
      .completeTask(task.id)
      .then(props.onChanged, report)
      .finally(() =>
        setCompleting((s) => {
          const next = new Set(s);
          next.delete(task.id);
          return next;
        }),
      );
  };

  if (props.tasks.length === 0) return <p className="empty-note">{props.empty ?? "No open tasks."}</p>;
  return (
    <ul className="task-list">
      {props.tasks.map((task) => {
        const overdue = !task.done_at && isOverdue(task.due_date);
        const link = props.showLinks ? linkOf(task) : null;
        return (
          <li key={task.id} className={`task ${overdue ? "task--overdue" : ""}`} data-testid="task-row" data-overdue={overdue || undefined}>
            <input
              type="checkbox"
              className="task__check"
              aria-label={`Mark “${task.title}” done`}
              checked={!!task.done_at || completing.has(task.id)}
              disabled={!!task.done_at || completing.has(task.id)}
              onChange={() => complete(task)}
            />
            <span className="task__title">{task.title}</span>
            {task.priority !== "normal" && <span className={`badge badge--${task.priority}`}>{task.priority}</span>}
            {link &&
              (link.href ? (
                <a className="task__link" href={link.href} title={`${link.kind}: ${link.name}`} data-testid="task-link">
                  <span className="task__link-kind">{link.kind}</span> {link.name}
                </a>
              ) : (
                <span className="task__link" title={`${link.kind}: ${link.name}`} data-testid="task-link">
                  <span className="task__link-kind">{link.kind}</span> {link.name}
                </span>
              ))}
            <span className="task__due">
              {task.due_date ? (overdue ? `Overdue · ${formatDate(task.due_date)}` : formatDate(task.due_date)) : "No due date"}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
