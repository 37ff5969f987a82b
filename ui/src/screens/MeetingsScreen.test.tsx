import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Meeting } from "../bindings/Meeting";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

const negotiation = (over: Partial<Meeting> = {}): Meeting => ({
  id: "m1",
  title: "Globex negotiation",
  starts_at: "2020-12-02T15:00:00Z",
  ends_at: "2020-12-02T16:00:00Z",
  all_day: false,
  location: null,
  description: null,
  notes: null,
  status: "scheduled",
  company_id: null,
  deal_id: null,
  calendar_uid: "real-meeting@fixtures.outpost",
  attendees: [
    { email: "grace@globex.com", name: "Grace Hopper", contact_id: "c-grace", is_internal: false },
    { email: "hank@globex.com", name: "Hank Scorpio", contact_id: null, is_internal: false },
    { email: "rep@acme.com", name: "Rep Rogers", contact_id: null, is_internal: true },
  ],
  suggested_contacts: [{ email: "hank@globex.com", first_name: "Hank", last_name: "Scorpio", company_domain: "globex.com" }],
  created_at: "",
  updated_at: "",
  ...over,
});

async function openMeeting(title: string): Promise<HTMLElement> {
  fireEvent.click(await screen.findByRole("button", { name: title }));
  return screen.findByTestId("meeting-detail");
}

describe("meeting detail", () => {
  it("shows attendees as internal or external, linking known contacts", async () => {
    const api = memoryApi();
    api.meetings = [negotiation()];
    renderApp(api, "#/meetings");
    const detail = await openMeeting("Globex negotiation");
    const rows = within(detail).getAllByTestId("attendee");
    expect(rows.map((r) => [r.querySelector(".strong")?.textContent, within(r).getByTestId("attendee-side").textContent])).toEqual([
      ["Grace Hopper", "External"],
      ["Hank Scorpio", "External"],
      ["Rep Rogers", "Internal"],
    ]);
    expect(within(rows[0]!).getByRole("link", { name: "Contact" }).getAttribute("href")).toBe("#/contacts/c-grace");
    expect(within(rows[1]!).queryByRole("link", { name: "Contact" })).toBeNull();
  });

  it("adds a suggested external attendee as a contact", async () => {
    const api = memoryApi();
    api.meetings = [negotiation()];
    renderApp(api, "#/meetings");
    const detail = await openMeeting("Globex negotiation");
    fireEvent.click(within(within(detail).getByTestId("suggested-contacts")).getByRole("button", { name: "Add contact" }));
    await waitFor(() => expect(screen.queryByTestId("suggested-contacts")).toBeNull());
    expect(api.calls).toContainEqual(["addMeetingContacts", { meeting_id: "m1", emails: ["hank@globex.com"] }]);
    expect(api.contacts.map((c) => [c.first_name, c.last_name, c.email])).toEqual([["Hank", "Scorpio", "hank@globex.com"]]);
    const hank = screen.getAllByTestId("attendee")[1]!;
    expect(within(hank).getByRole("link", { name: "Contact" })).toBeTruthy();
  });

  it("saves notes and creates follow-ups once", async () => {
    const api = memoryApi();
    api.meetings = [negotiation()];
    renderApp(api, "#/meetings");
    const detail = await openMeeting("Globex negotiation");
    const follow = within(detail).getByRole("button", { name: "Create follow-ups" }) as HTMLButtonElement;
    expect(follow.disabled).toBe(true);
    fireEvent.change(within(detail).getByLabelText("Meeting notes"), {
      target: { value: "Budget agreed.\n- [ ] send the SOW\nTODO: book the demo\n" },
    });
    fireEvent.click(within(detail).getByRole("button", { name: "Save notes" }));
    await waitFor(() => expect(api.meetings[0]!.notes).toContain("send the SOW"));
    expect((within(detail).getByRole("button", { name: "Save notes" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(detail).getByRole("button", { name: "Create follow-ups" }));
    const result = await screen.findByTestId("follow-ups-result");
    expect(within(result).getAllByTestId("follow-up-task").map((t) => t.textContent)).toEqual(["Send the SOW", "Book the demo"]);
    expect(result.textContent).toContain("2 tasks created");
    expect(api.tasks.map((t) => t.title)).toEqual(["Send the SOW", "Book the demo"]);

    fireEvent.click(within(detail).getByRole("button", { name: "Create follow-ups" }));
    await waitFor(() => expect(screen.getByTestId("follow-ups-result").textContent).toContain("No new tasks (2 created before)"));
    expect(api.tasks).toHaveLength(2);
  });

  it("saves unsaved notes before creating follow-ups", async () => {
    const api = memoryApi();
    api.meetings = [negotiation()];
    renderApp(api, "#/meetings");
    const detail = await openMeeting("Globex negotiation");
    fireEvent.change(within(detail).getByLabelText("Meeting notes"), { target: { value: "Action: send the MSA" } });
    fireEvent.click(within(detail).getByRole("button", { name: "Create follow-ups" }));
    const result = await screen.findByTestId("follow-ups-result");
    expect(within(result).getAllByTestId("follow-up-task").map((t) => t.textContent)).toEqual(["Send the MSA"]);
    expect(api.meetings[0]!.notes).toBe("Action: send the MSA");
    expect(api.calls.map(([name]) => name).filter((n) => n === "setMeetingNotes" || n === "meetingFollowUps")).toEqual([
      "setMeetingNotes",
      "meetingFollowUps",
    ]);
  });

  it("shows a failed follow-up run in the banner", async () => {
    const api = memoryApi();
    api.meetings = [negotiation({ notes: "TODO: call back" })];
    renderApp(api, "#/meetings");
    const detail = await openMeeting("Globex negotiation");
    api.failNext("meetingFollowUps", { kind: "invalid", field: "notes", message: "the meeting has no notes yet" });
    fireEvent.click(within(detail).getByRole("button", { name: "Create follow-ups" }));
    expect((await screen.findByTestId("error-banner")).textContent).toContain("no notes yet");
    expect(screen.queryByTestId("follow-ups-result")).toBeNull();
  });

  it("shows all-day meetings by date", async () => {
    const api = memoryApi();
    api.meetings = [negotiation({ all_day: true, starts_at: "2099-12-08T00:00:00.000Z", ends_at: "2099-12-10T00:00:00.000Z" })];
    renderApp(api, "#/meetings");
    const row = await screen.findByTestId("meeting-row");
    expect(row.querySelector("time")?.textContent).toContain("(all day)");
    expect(row.querySelector("time")?.textContent).toContain("–");
  });
});

const ICS = (title: string) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "BEGIN:VEVENT",
    "UID:kickoff-1@calendar.example",
    `SUMMARY:${title}`,
    "DTSTART:20301202T150000Z",
    "DTEND:20301202T160000Z",
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");

describe("calendar import", () => {
  it("imports a picked .ics file into meetings, and re-importing updates instead of duplicating", async () => {
    const api = memoryApi();
    renderApp(api, "#/meetings");
    await screen.findByText(/No meetings yet/);
    fireEvent.change(screen.getByTestId("calendar-file"), { target: { files: [new File([ICS("Kickoff")], "team.ics", { type: "text/calendar" })] } });
    expect((await screen.findByTestId("calendar-result")).textContent).toBe("team.ics: 1 events · 1 created, 0 updated, 0 cancelled, 0 unchanged");
    expect(await screen.findByRole("button", { name: "Kickoff" })).toBeTruthy();
    const [, staged] = api.calls.find(([m]) => m === "importCalendar") ?? [];
    expect((staged as { path: string }).path).toMatch(/^\/data\/inbox\/.*team\.ics$/);

    fireEvent.change(screen.getByTestId("calendar-file"), { target: { files: [new File([ICS("Kickoff (moved)")], "team.ics")] } });
    await waitFor(() => expect(screen.getByTestId("calendar-result").textContent).toContain("0 created, 1 updated"));
    expect(await screen.findByRole("button", { name: "Kickoff (moved)" })).toBeTruthy();
    expect(screen.getAllByTestId("meeting-row")).toHaveLength(1);
  });

  it("imports a dropped .ics file and reports a file the core refuses", async () => {
    const api = memoryApi();
    renderApp(api, "#/meetings");
    const zone = await screen.findByTestId("calendar-dropzone");
    fireEvent.drop(zone, { dataTransfer: { files: [new File(["BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT"], "broken.ics")], types: ["Files"] } });
    expect((await screen.findByRole("alert")).textContent).toContain("no UID or DTSTART");
    expect(api.meetings).toHaveLength(0);

    fireEvent.drop(zone, { dataTransfer: { files: [new File([ICS("Dropped review")], "drop.ics")], types: ["Files"] } });
    expect(await screen.findByRole("button", { name: "Dropped review" })).toBeTruthy();
  });
});

describe("meetings list", () => {
  it("flags a meeting starting in 75 minutes, shows its agenda, and links Brief and the named Deal once each", async () => {
    const api = memoryApi();
    const deal = await api.addDeal({ title: "Globex renewal" });
    const soon = new Date(Date.now() + 75 * 60_000 - 20_000);
    api.meetings.push(
      negotiation({
        starts_at: soon.toISOString(),
        ends_at: new Date(soon.getTime() + 3_600_000).toISOString(),
        deal_id: deal.id,
        description: "1. Pricing\n2. Security review\n3. Next steps",
      }),
      negotiation({ id: "m2", title: "Later call", starts_at: "2099-01-01T10:00:00Z", ends_at: "2099-01-01T11:00:00Z", calendar_uid: "later" }),
    );
    renderApp(api, "#/meetings");
    const rows = await screen.findAllByTestId("meeting-row");
    const row = rows.find((r) => r.textContent?.includes("Globex negotiation"))!;
    expect(within(row).getByTestId("meeting-soon").textContent).toBe("Starts in 75 min");
    expect(within(rows.find((r) => r.textContent?.includes("Later call"))!).queryByTestId("meeting-soon")).toBeNull();
    expect(within(row).getByTestId("meeting-agenda").textContent).toBe("Agenda 1. Pricing · 2. Security review");
    // Separate links, the deal once and by name.
    await waitFor(() => expect(within(row).getByTestId("meeting-deal").textContent).toBe("Deal: Globex renewal"));
    expect(within(row).getAllByRole("link").map((a) => a.textContent)).toEqual(["Brief", "Deal: Globex renewal"]);
    expect(within(row).getByTestId("meeting-deal").getAttribute("href")).toBe(`#/deals/${deal.id}`);
    // Opened, the whole agenda.
    fireEvent.click(within(row).getByRole("button", { name: "Globex negotiation" }));
    expect((await screen.findByTestId("meeting-agenda-full")).textContent).toBe("1. Pricing\n2. Security review\n3. Next steps");
  });
});
