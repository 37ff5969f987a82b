import { useState } from "react";
import type { NewTask } from "../bindings/NewTask";
import type { Priority } from "../bindings/Priority";
import type { Task } from "../bindings/Task";
import { useApi } from "../context";
import { useSubmit } from "../hooks";
import { Field, TextField } from "./Field";

type Link = Pick<NewTask, "contact_id" | "company_id" | "deal_id">;

/** A one-line "add task" form, optionally linked to a record. */
export function TaskForm(props: { link?: Link; onSaved: (t: Task) => void }) {
  const api = useApi();
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const [priority, setPriority] = useState<Priority>("normal");
  const { saving, errors, onSubmit } = useSubmit({
    fields: ["title", "due_date", "priority"],
    validate: () => (title.trim() ? {} : { title: "is required" }),
    save: () => {
      const req: NewTask = { title: title.trim(), priority, ...props.link };
      if (due) req.due_date = due;
      return api.addTask(req);
    },
    onSaved: (task) => {
      setTitle("");
      setDue("");
      setPriority("normal");
      props.onSaved(task);
    },
  });
  return (
    <form className="inline-form" data-testid="task-form" noValidate onSubmit={onSubmit}>
      <TextField className="grow" label="Task" name="title" value={title} onChange={setTitle} error={errors.title} placeholder="e.g. Send proposal" />
      <TextField label="Due" name="due_date" type="date" value={due} onChange={setDue} error={errors.due_date} />
      <Field label="Priority" name="priority" error={errors.priority}>
        {(control) => (
          <select {...control} className="input" name="priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            <option value="low">Low</option>
            <option value="normal">Normal</option>
            <option value="high">High</option>
          </select>
        )}
      </Field>
      <button type="submit" className="button button--primary inline-form__submit" data-testid="task-submit" disabled={saving}>
        {saving ? "Adding…" : "Add task"}
      </button>
    </form>
  );
}
