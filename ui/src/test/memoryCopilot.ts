// The copilot and memories half of the in-memory backend (see memoryApi.ts). It mirrors the core's
// observable contract the UI relies on: an answer with summary, reasons, next actions (pending,
// never executed by asking), drafts refused for opted-out contacts with a warning; confirming runs
// the action through the same backend (a task appears); dismissing never runs it; memories are
// listed per linked record, edited, and forgotten for good. The one signal mirrored from the
// offline engine: an open deal in view with no open task gets a follow-up task proposed.
import type { Api } from "../api";
import type { Contact } from "../bindings/Contact";
import type { CopilotResponse } from "../bindings/CopilotResponse";
import type { Deal } from "../bindings/Deal";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { Memory } from "../bindings/Memory";
import type { NewTask } from "../bindings/NewTask";
import type { PendingAction } from "../bindings/PendingAction";
import type { Task } from "../bindings/Task";

type CopilotMethods = Pick<
  Api,
  | "copilotAsk" | "listCopilotActions" | "confirmCopilotAction" | "dismissCopilotAction"
  | "listMemories" | "addMemory" | "updateMemory" | "forgetMemory"
>;

export interface CopilotState {
  actions: PendingAction[];
  memories: Memory[];
}

export function copilotState(): CopilotState {
  return { actions: [], memories: [] };
}

const notFound = (entity: string, id: string): ErrorPayload => ({ kind: "not_found", field: null, message: `${entity} ${id} not found` });
const invalid = (field: string, message: string): ErrorPayload => ({ kind: "invalid", field, message });

export function copilotMethods(
  st: CopilotState,
  deps: {
    nextId: () => string;
    now: string;
    deals: () => Deal[];
    contacts: () => Contact[];
    tasks: () => Task[];
    addTask: (req: NewTask) => Promise<Task>;
  },
): CopilotMethods {
  const findAction = (id: string) => {
    const action = st.actions.find((a) => a.id === id);
    if (!action) throw notFound("action", id);
    if (action.status !== "pending") throw { kind: "conflict", field: null, message: `action ${id} is already ${action.status}` } satisfies ErrorPayload;
    return action;
  };
  const findMemory = (id: string) => {
    const memory = st.memories.find((m) => m.id === id);
    if (!memory) throw notFound("memory", id);
    return memory;
  };
  return {
    async copilotAsk(req) {
      const response: CopilotResponse = {
        thread_id: deps.nextId(), engine: "offline", summary: "", why: [], next_actions: [], drafts: [], questions: [], warnings: [], memory_ids: [],
      };
      const inView = deps.deals().filter((d) => d.stage_kind === "open" && (d.id === req.deal_id || (req.contact_id && d.contact_id === req.contact_id)));
      for (const deal of inView) {
        if (deps.tasks().some((t) => t.entity_id === deal.id && !t.done_at)) continue;
        const action: PendingAction = {
          id: deps.nextId(), thread_id: response.thread_id, result: null, error: null, created_at: deps.now, resolved_at: null,
          tool_call: { name: "create_task", arguments: { title: `Follow up on ${deal.title}`, deal_id: deal.id } },
          preview: `Create task "Follow up on ${deal.title}" on deal "${deal.title}"`,
          impact: "Adds one open task; nothing is sent to anyone.",
          status: "pending",
        };
        st.actions.push(action);
        response.why.push({ text: `Deal "${deal.title}" has no open task`, record_ids: [deal.id] });
        response.next_actions.push(action);
      }
      const contact = deps.contacts().find((c) => c.id === req.contact_id);
      if (contact?.email_opt_out && req.question.toLowerCase().startsWith("email")) {
        response.warnings.push({ code: "opted_out", message: `${contact.first_name} has opted out of email; no email draft was made`, record_ids: [contact.id] });
      }
      response.memory_ids = st.memories.filter((m) => m.links.some((l) => l.entity_id === req.contact_id || l.entity_id === req.deal_id)).map((m) => m.id);
      response.summary = response.next_actions.length ? "Next best actions below." : "Nothing needs your attention right now.";
      return response;
    },
    async listCopilotActions(pendingOnly) {
      return st.actions.filter((a) => !pendingOnly || a.status === "pending");
    },
    async confirmCopilotAction(id) {
      const action = findAction(id);
      const args = action.tool_call.arguments as { title: string; deal_id?: string };
      action.result = await deps.addTask({ title: args.title, deal_id: args.deal_id });
      action.status = "executed";
      action.resolved_at = deps.now;
      return action;
    },
    async dismissCopilotAction(id) {
      const action = findAction(id);
      action.status = "dismissed";
      action.resolved_at = deps.now;
      return action;
    },
    async listMemories(q) {
      return st.memories.filter((m) => !q.entity_id || m.links.some((l) => l.entity_id === q.entity_id));
    },
    async addMemory(req) {
      if (!req.content.trim()) throw invalid("content", "is required and cannot be blank");
      const links = (["contact", "company", "deal", "meeting"] as const)
        .map((kind) => [kind, req[`${kind}_id`]] as const)
        .filter((pair): pair is readonly [typeof pair[0], string] => Boolean(pair[1]))
        .map(([entity_type, entity_id]) => ({ entity_type, entity_id }));
      if (!links.length) throw invalid("contact_id", "link the memory to a contact, company, deal or meeting");
      const memory: Memory = {
        id: deps.nextId(), category: req.category, content: req.content.trim(), confidence: req.confidence ?? 1, source: req.source ?? "user",
        owner: "me", access_count: 0, last_accessed_at: null, links, created_at: deps.now, updated_at: deps.now,
      };
      st.memories.unshift(memory);
      return memory;
    },
    async updateMemory(req) {
      const memory = findMemory(req.id);
      if (req.content !== undefined) {
        if (!req.content.trim()) throw invalid("content", "cannot be blank; forget the memory instead");
        memory.content = req.content.trim();
      }
      if (req.category) memory.category = req.category;
      return memory;
    },
    async forgetMemory(id) {
      findMemory(id);
      st.memories = st.memories.filter((m) => m.id !== id);
      return { id, deleted: true };
    },
  };
}
