// The briefs, alerts and team half of the in-memory backend (see memoryApi.ts). Briefs are built
// by the Rust core; here a test stores the brief a meeting should have (`briefs`), and the UI's
// calls are applied to it the way the core does: review sets the status and appends a comment,
// reading an alert stamps it, the unread count follows, and `emitAlerts` plays the agent's event.
import type { Api } from "../api";
import type { Brief } from "../bindings/Brief";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { Notification } from "../bindings/Notification";
import type { Score } from "../bindings/Score";
import type { TeamPipeline } from "../bindings/TeamPipeline";

type BriefMethods = Pick<
  Api,
  | "briefForMeeting" | "getBrief" | "listBriefs" | "reviewBrief" | "listAlerts" | "readAlert" | "unreadAlerts"
  | "showScores" | "teamPipeline" | "teamMeetings" | "digest"
>;

export interface BriefState {
  briefs: Brief[];
  alerts: Notification[];
  scores: Score[];
  team: TeamPipeline;
  /** Subscribers of the agent's `alerts` event. */
  listeners: Set<(raised: Notification[]) => void>;
}

export function briefState(): BriefState {
  return {
    briefs: [],
    alerts: [],
    scores: [],
    team: { by_rep: [], by_stage: [], forecast: [], win_rates: [], activities_per_week: [], upcoming_meetings: [] },
    listeners: new Set(),
  };
}

const notFound = (entity: string, id: string): ErrorPayload => ({ kind: "not_found", field: null, message: `no ${entity} with id ${id}` });

export function briefMethods(state: BriefState, now: string): BriefMethods {
  const byId = (id: string) => {
    const b = state.briefs.find((x) => x.id === id);
    if (!b) throw notFound("brief", id);
    return b;
  };
  return {
    async briefForMeeting(meetingId) {
      const b = state.briefs.find((x) => x.meeting_id === meetingId);
      if (!b) throw notFound("meeting", meetingId);
      return b;
    },
    async getBrief(id) {
      return byId(id);
    },
    async listBriefs(q) {
      return state.briefs
        .filter((b) => !q.status || b.status === q.status)
        .map((b) => ({
          id: b.id, meeting_id: b.meeting_id, meeting_title: b.content.meeting_title, starts_at: b.content.starts_at,
          status: b.status, generated_at: b.generated_at, comments: b.comments.length,
        }));
    },
    async reviewBrief(req) {
      const b = byId(req.id);
      b.status = "reviewed";
      b.reviewed_at = now;
      b.reviewed_by = "manager";
      if (req.comment) b.comments.push({ id: `comment-${b.comments.length + 1}`, author: "manager", body: req.comment, created_at: now });
      return structuredClone(b);
    },
    async listAlerts(q) {
      return state.alerts.filter((n) => !q.unread || !n.read_at);
    },
    async readAlert(id) {
      const n = state.alerts.find((x) => x.id === id);
      if (!n) throw notFound("notification", id);
      n.read_at ??= now;
      return n;
    },
    async unreadAlerts() {
      return state.alerts.filter((n) => !n.read_at).length;
    },
    async showScores(q) {
      const id = q.contact_id ?? q.company_id ?? q.deal_id;
      return state.scores.filter((s) => s.entity_id === id);
    },
    async teamPipeline() {
      return state.team;
    },
    async teamMeetings() {
      return state.team.upcoming_meetings;
    },
    async digest() {
      const day = now.slice(0, 10);
      return { date: day, pipeline: [], meetings: [], overdue_tasks: [], stale_deals: [], close_date_passed: [], closing_this_week: [] };
    },
  };
}

/** Plays the agent raising `raised`: stores them and tells every subscriber. */
export function emitAlerts(state: BriefState, raised: Notification[]): void {
  state.alerts.unshift(...raised);
  for (const listener of state.listeners) listener(raised);
}
