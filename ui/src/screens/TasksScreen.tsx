import type { Task } from "../bindings/Task";
import { Panel } from "../components/Detail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { TaskForm } from "../components/TaskForm";
import { TaskList } from "../components/TaskList";
import { useApi } from "../context";
import { todayYmd } from "../format";
import { useLoad } from "../hooks";

type Group = { title: string; tasks: Task[] };

/** Splits open tasks into overdue / today / upcoming / undated, each sorted by due date. */
export function groupTasks(tasks: readonly Task[], now: Date = new Date()): Group[] {
  const today = todayYmd(now);
  const byDue = [...tasks].sort((a, b) => (a.due_date ?? "").localeCompare(b.due_date ?? "") || a.created_at.localeCompare(b.created_at));
  const groups: Group[] = [
    { title: "Overdue", tasks: byDue.filter((t) => t.due_date && t.due_date < today) },
    { title: "Today", tasks: byDue.filter((t) => t.due_date === today) },
    { title: "Upcoming", tasks: byDue.filter((t) => t.due_date && t.due_date > today) },
    { title: "No due date", tasks: byDue.filter((t) => !t.due_date) },
  ];
  return groups.filter((g) => g.tasks.length > 0);
}

/** Everything still to do. */
export function TasksScreen() {
  const api = useApi();
  const tasks = useLoad(() => api.listTasks({ limit: 1000 }), [api]);
  const list = tasks.data;

  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Tasks</h1>
          <p className="page-header__meta">{list ? `${list.length} open` : "Loading…"}</p>
        </div>
      </header>
      <div className="panel panel--flat">
        <TaskForm onSaved={tasks.reload} />
      </div>
      {!list && tasks.loading && <SkeletonRows />}
      {!list && tasks.failed && <LoadFailed what="tasks" onRetry={tasks.reload} />}
      {list && list.length === 0 && <div className="empty-note empty-note--panel">All clear — no open tasks. Add one above, or from a contact or deal.</div>}
      {list &&
        groupTasks(list).map((group) => (
          <Panel key={group.title} title={group.title} count={group.tasks.length} className={group.title === "Overdue" ? "panel--overdue" : ""}>
            <TaskList tasks={group.tasks} onChanged={tasks.reload} showLinks />
          </Panel>
        ))}
    </div>
  );
}
