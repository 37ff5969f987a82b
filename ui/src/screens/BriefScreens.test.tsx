import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Brief } from "../bindings/Brief";
import type { Meeting } from "../bindings/Meeting";
import type { Notification } from "../bindings/Notification";
import { emitAlerts } from "../test/memoryBriefs";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

const meeting: Meeting = {
  id: "m-1", title: "Acme pilot review", starts_at: "2099-01-05T11:00:00Z", ends_at: null, location: null, description: null, notes: null,
  status: "scheduled", company_id: null, deal_id: "d-1", attendees: [{ email: "bob@acme.io", name: "Bob", contact_id: "c-1", is_internal: false }],
  created_at: "2099-01-01T00:00:00Z", updated_at: "2099-01-01T00:00:00Z", all_day: false, calendar_uid: null, suggested_contacts: [],
};

const brief = (): Brief => ({
  id: "b-1", meeting_id: "m-1", status: "ready", fingerprint: "f", generated_at: "2099-01-05T09:00:00Z", reviewed_at: null, reviewed_by: null, comments: [],
  content: {
    meeting_id: "m-1", meeting_title: "Acme pilot review", starts_at: "2099-01-05T11:00:00Z",
    attendees: [{ email: "bob@acme.io", name: "Bob Builder", is_internal: false, contact_id: "c-1", title: "Buyer", company: "Acme", health: 41, health_label: "fair", last_interaction: null }],
    company: { id: "co-1", name: "Acme", domain: null, industry: "Logistics", location: null, size: null, health: 55, open_deals: 1 },
    deals: [{ id: "d-1", title: "Acme pilot", stage: "Proposal", value: 12000, currency: "USD", days_in_stage: 23, days_idle: 21, next_step: "Send the revised quote", expected_close: null, temperature: "cold", bant: { budget: "40k" } }],
    timeline: [], tasks: [], commitments: [{ memory_id: "mem-2", category: "commitment", content: "Security questionnaire by Friday", confidence: 1, score: 0.8 }],
    memories: [{ memory_id: "mem-1", category: "preference", content: "Prefers a one-page summary", confidence: 0.9, score: 0.7 }],
    risks: [
      { kind: "deal_stalled", text: "Acme pilot has had no activity for 21 days (stale after 7).", sources: [{ entity_type: "deal", id: "d-1" }] },
      { kind: "contact_opted_out", text: "Bob Builder has opted out of email; do not follow up that way.", sources: [{ entity_type: "contact", id: "c-1" }] },
    ],
    questions: [{ kind: "authority", text: "Who signs off on Acme pilot, and can they join the next call?", sources: [{ entity_type: "deal", id: "d-1" }] }],
    competitors: [{ competitor: "Initech", excerpt: "also trialling Initech", sources: [{ entity_type: "deal", id: "d-1" }] }],
    talking_points: [],
  },
});

const alert = (id: string, kind: string, title: string, link: string): Notification => ({
  id, kind, dedupe_key: `${kind}:${id}`, title, body: `${title} — details`, entity_type: null, entity_id: null, link, created_at: "2099-01-05T09:00:00Z", read_at: null,
});

describe("brief screen", () => {
  it("opens from the meetings list, shows risks with their sources, and records a manager review", async () => {
    const api = memoryApi();
    api.meetings.push(meeting);
    api.briefing.briefs.push(brief());
    renderApp(api, "#/meetings");

    const row = await screen.findByTestId("meeting-row");
    fireEvent.click(within(row).getByTestId("meeting-brief"));
    await screen.findByTestId("brief");
    expect(window.location.hash).toBe("#/meetings/m-1/brief");

    const risks = screen.getAllByTestId("brief-risk");
    expect(risks.map((r) => r.dataset.kind)).toEqual(["deal_stalled", "contact_opted_out"]);
    expect(within(risks[0]!).getByRole("link", { name: "deal" }).getAttribute("href")).toBe("#/deals/d-1");
    expect(within(risks[1]!).getByRole("link", { name: "contact" }).getAttribute("href")).toBe("#/contacts/c-1");
    expect(screen.getByTestId("brief-attendee").textContent).toContain("health 41/100 (fair)");
    expect(screen.getByTestId("brief-deal").textContent).toContain("23 days in stage");
    const memories = screen.getAllByTestId("brief-memory").map((m) => m.textContent ?? "");
    expect(memories).toHaveLength(2);
    expect(memories[0]).toContain("Security questionnaire by Friday");
    expect(memories[1]).toContain("Prefers a one-page summary");
    expect(screen.getByTestId("brief-competitor").textContent).toContain("Initech");
    expect(screen.getByTestId("brief-status").textContent).toBe("ready");

    fireEvent.change(screen.getByTestId("brief-comment-input"), { target: { value: "Get the CFO in the room" } });
    fireEvent.click(screen.getByTestId("brief-review"));
    await waitFor(() => expect(screen.getByTestId("brief-status").textContent).toBe("reviewed"));
    expect(screen.getByTestId("brief-comment").textContent).toContain("Get the CFO in the room");
    expect(api.calls.filter(([m]) => m === "reviewBrief")).toEqual([["reviewBrief", { id: "b-1", comment: "Get the CFO in the room" }]]);
  });
});

describe("notification centre", () => {
  it("badges unread alerts, follows the agent's events, and opening one marks it read and follows its link", async () => {
    const api = memoryApi();
    api.briefing.alerts.push(alert("n-1", "task_overdue", "Overdue: Call back", "outpost://task/t-1"));
    renderApp(api, "#/pipeline");
    await waitFor(() => expect(screen.getByTestId("unread-badge").textContent).toBe("1"));

    emitAlerts(api.briefing, [alert("n-2", "deal_stale", "Stalled: Acme pilot", "outpost://deal/d-9")]);
    await waitFor(() => expect(screen.getByTestId("unread-badge").textContent).toBe("2"));

    fireEvent.click(screen.getByTestId("nav-alerts"));
    const rows = await screen.findAllByTestId("alert-row");
    expect(rows.map((r) => r.dataset.kind)).toEqual(["deal_stale", "task_overdue"]);
    fireEvent.click(within(rows[0]!).getByText("Stalled: Acme pilot"));
    await waitFor(() => expect(window.location.hash).toBe("#/deals/d-9"));
    await waitFor(() => expect(screen.getByTestId("unread-badge").textContent).toBe("1"));
    expect(api.briefing.alerts.find((n) => n.id === "n-2")?.read_at).toBeTruthy();
  });
});

describe("team view", () => {
  it("shows pipeline by rep and stage, forecast, win rate and upcoming meetings with brief status", async () => {
    const api = memoryApi();
    api.briefing.team = {
      by_rep: [
        { owner: "ana", stage: "Lead", position: 1, currency: "USD", deals: 2, value: 5000 },
        { owner: "ana", stage: "Proposal", position: 3, currency: "USD", deals: 1, value: 12000 },
        { owner: "raj", stage: "Lead", position: 1, currency: "USD", deals: 1, value: 1000 },
      ],
      by_stage: [
        { stage: "Lead", position: 1, kind: "open", probability: 10, currency: "USD", deals: 3, value: 6000, weighted: 600 },
        { stage: "Proposal", position: 3, kind: "open", probability: 50, currency: "USD", deals: 1, value: 12000, weighted: 6000 },
      ],
      forecast: [{ stage: "open pipeline", position: 0, kind: "open", probability: 0, currency: "USD", deals: 4, value: 18000, weighted: 6600 }],
      win_rates: [{ owner: null, won: 3, lost: 1, rate: 0.75 }],
      activities_per_week: [{ owner: "ana", week: "2099-01-05", activities: 7 }],
      upcoming_meetings: [{ meeting_id: "m-1", title: "Acme pilot review", starts_at: "2099-01-05T11:00:00Z", owner: "ana", brief_id: "b-1", brief_status: "ready" }],
    };
    renderApp(api, "#/team");
    const reps = await screen.findAllByTestId("team-rep");
    expect(reps.map((r) => r.textContent)).toEqual(["ana2 · $5,0001 · $12,000", "raj1 · $1,000"]);
    expect(screen.getByTestId("forecast").textContent).toContain("$6,600 of $18,000 open");
    expect(screen.getByTestId("win-rates").textContent).toContain("75% (3 won, 1 lost)");
    const upcoming = screen.getByTestId("team-meeting");
    expect(upcoming.textContent).toContain("ready");
    expect(within(upcoming).getByRole("link", { name: "Review brief" }).getAttribute("href")).toBe("#/meetings/m-1/brief");
  });
});
