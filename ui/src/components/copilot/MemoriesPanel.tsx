import { useState, type FormEvent } from "react";
import type { Memory } from "../../bindings/Memory";
import type { MemoryCategory } from "../../bindings/MemoryCategory";
import type { NewMemory } from "../../bindings/NewMemory";
import { useApi, useBanner } from "../../context";
import { useLoad } from "../../hooks";
import { ConfirmButton } from "../ConfirmButton";
import { Panel } from "../Detail";

const CATEGORIES: MemoryCategory[] = ["fact", "preference", "relationship", "commitment", "deal"];
type Link = Pick<NewMemory, "contact_id" | "company_id" | "deal_id">;

function MemoryRow(props: { memory: Memory; onChanged: () => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.memory.content);
  const m = props.memory;
  const save = (event: FormEvent) => {
    event.preventDefault();
    api.updateMemory({ id: m.id, content: text }).then(() => (setEditing(false), props.onChanged()), report);
  };
  if (editing) {
    return (
      <li className="memory">
        <form className="inline-form" onSubmit={save}>
          <input className="input grow" aria-label="Memory" data-testid="memory-edit-text" value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="button button--primary button--small" data-testid="memory-save">Save</button>
        </form>
      </li>
    );
  }
  return (
    <li className="memory" data-testid="memory-row" data-source={m.source}>
      <span className="badge">{m.category}</span> <span data-testid="memory-text">{m.content}</span>
      {m.source !== "user" && <span className="muted"> · {m.source}</span>}
      <button type="button" className="button button--small" data-testid="memory-edit" onClick={() => setEditing(true)}>
        Edit
      </button>
      <ConfirmButton
        label="Forget"
        confirmLabel="Forget"
        question="Forget this memory for good?"
        testId="memory-forget"
        onConfirm={() => api.forgetMemory(m.id).then(props.onChanged, report)}
      />
    </li>
  );
}

/** What the copilot remembers about a contact or deal (private to you): add, edit, forget. */
export function MemoriesPanel(props: { entityId: string; link: Link }) {
  const api = useApi();
  const { report } = useBanner();
  const memories = useLoad(() => api.listMemories({ entity_id: props.entityId }), [api, props.entityId]);
  const [category, setCategory] = useState<MemoryCategory>("fact");
  const [text, setText] = useState("");
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    api.addMemory({ category, content: text.trim(), ...props.link }).then(() => (setText(""), memories.reload()), report);
  };
  return (
    <Panel title="Memories" count={memories.data?.length}>
      <form className="inline-form" data-testid="memory-form" onSubmit={add}>
        <select className="input" aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value as MemoryCategory)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <input className="input grow" aria-label="Remember" data-testid="memory-text-input" placeholder="e.g. Prefers calls after 4pm" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button button--primary" data-testid="memory-add">Remember</button>
      </form>
      {memories.data && memories.data.length === 0 && <p className="empty-note empty-note--panel">Nothing remembered yet.</p>}
      <ul className="memories">
        {memories.data?.map((m) => <MemoryRow key={m.id} memory={m} onChanged={memories.reload} />)}
      </ul>
    </Panel>
  );
}
