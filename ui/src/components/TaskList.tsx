import { useState } from "react";
import type { Task } from "../bindings/Task";
import { useApi, useBanner } from "../context";
import { formatDate, isOverdue } from "../format";
import { toHash } from "../router";

function linkOf(task: Task): { href: string; label: string } | null {
  if (!task.entity_id) return null;
  switch (task.entity_type) {
    case "contact":
      return { href: toHash({ name: "contact", id: task.entity_id }), label: "Contact" };
    case "deal":
      return { href: toHash({ name: "deal", id: task.entity_id }), label: "Deal" };
    case "company":
      return { href: toHash({ name: "company", id: task.entity_id }), label: "Company" };
    default:
      return null;
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
            {link && (
              <a className="task__link" href={link.href}>
                {link.label}
              </a>
            )}
            <span className="task__due">
              {task.due_date ? (overdue ? `Overdue · ${formatDate(task.due_date)}` : formatDate(task.due_date)) : "No due date"}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
