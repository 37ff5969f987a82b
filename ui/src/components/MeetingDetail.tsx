import { useEffect, useState } from "react";
import type { FollowUps } from "../bindings/FollowUps";
import type { Meeting } from "../bindings/Meeting";
import { useApi, useBanner } from "../context";
import { toHash } from "../router";
import { Panel } from "./Detail";

/**
 * One meeting after (or before) it happens: who was there (internal or external, linked
 * contacts), unknown external attendees to add as contacts, the notes editor and
 * "Create follow-ups", which turns the notes' action lines into tasks.
 */
export function MeetingDetail(props: { meeting: Meeting; onChanged: (meeting: Meeting) => void }) {
  const api = useApi();
  const { report } = useBanner();
  const m = props.meeting;
  const [notes, setNotes] = useState(m.notes ?? "");
  const [busy, setBusy] = useState<"notes" | "follow-ups" | "contacts" | null>(null);
  const [result, setResult] = useState<FollowUps | null>(null);
  useEffect(() => setNotes(m.notes ?? ""), [m.id, m.notes]);
  useEffect(() => setResult(null), [m.id]);
  const dirty = notes !== (m.notes ?? "");

  const run = async (what: typeof busy, action: () => Promise<void>) => {
    setBusy(what);
    try {
      await action();
    } catch (error) {
      report(error);
    } finally {
      setBusy(null);
    }
  };
  const saveNotes = () =>
    run("notes", async () => {
      props.onChanged(await api.setMeetingNotes({ meeting_id: m.id, notes }));
    });
  const followUps = () =>
    run("follow-ups", async () => {
      if (dirty) props.onChanged(await api.setMeetingNotes({ meeting_id: m.id, notes }));
      setResult(await api.meetingFollowUps(m.id));
    });
  const addContacts = (emails: string[]) =>
    run("contacts", async () => {
      await api.addMeetingContacts({ meeting_id: m.id, emails });
      props.onChanged(await api.getMeeting(m.id));
    });

  return (
    <div className="meeting-detail" data-testid="meeting-detail">
      {m.description?.trim() && (
        <Panel title="Agenda">
          <p className="meeting-detail__agenda" data-testid="meeting-agenda-full">
            {m.description.trim()}
          </p>
        </Panel>
      )}
      <Panel title="Attendees" count={m.attendees.length}>
        <ul className="attendees">
          {m.attendees.map((a) => (
            <li key={a.email} className="attendee" data-testid="attendee">
              <span className="strong">{a.name ?? a.email}</span>
              {a.name && <span className="muted"> {a.email}</span>}
              <span className={`badge ${a.is_internal ? "badge--stage-open" : "badge--high"}`} data-testid="attendee-side">
                {a.is_internal ? "Internal" : "External"}
              </span>
              {a.contact_id && (
                <a className="attendee__contact" href={toHash({ name: "contact", id: a.contact_id })}>
                  Contact
                </a>
              )}
            </li>
          ))}
        </ul>
        {m.suggested_contacts.length > 0 && (
          <div className="suggestions" data-testid="suggested-contacts">
            <p className="muted">Not in your contacts yet:</p>
            <ul>
              {m.suggested_contacts.map((s) => (
                <li key={s.email}>
                  {[s.first_name, s.last_name].filter(Boolean).join(" ") || s.email} <span className="muted">{s.email}</span>{" "}
                  <button type="button" className="button button--small" disabled={busy !== null} onClick={() => addContacts([s.email])}>
                    Add contact
                  </button>
                </li>
              ))}
            </ul>
            {m.suggested_contacts.length > 1 && (
              <button type="button" className="button button--small" disabled={busy !== null} onClick={() => addContacts([])}>
                Add all as contacts
              </button>
            )}
          </div>
        )}
      </Panel>
      <Panel
        title="Notes"
        actions={
          <div className="meeting-detail__actions">
            <button type="button" className="button" disabled={!dirty || busy !== null} onClick={saveNotes}>
              {busy === "notes" ? "Saving…" : "Save notes"}
            </button>
            <button type="button" className="button button--primary" disabled={busy !== null || !notes.trim()} onClick={followUps}>
              {busy === "follow-ups" ? "Creating…" : "Create follow-ups"}
            </button>
          </div>
        }
      >
        <textarea
          aria-label="Meeting notes"
          className="input meeting-notes"
          rows={10}
          value={notes}
          placeholder={"What was said, and what happens next:\n- [ ] Send the proposal by 2026-12-01\nTODO: book the demo\n@sam will share pricing"}
          onChange={(e) => setNotes(e.target.value)}
        />
        <p className="muted meeting-notes__hint">
          Lines starting with “- [ ]”, “TODO:”, “Action:”, “AI:”, “Follow up:” or “@name will …” become tasks; “by YYYY-MM-DD” sets the due date.
        </p>
        {result && (
          <div className="follow-ups" data-testid="follow-ups-result" role="status">
            <p>
              {result.tasks_created.length === 0
                ? `No new tasks (${result.already_created} created before).`
                : `${result.tasks_created.length} task${result.tasks_created.length === 1 ? "" : "s"} created${
                    result.already_created ? `, ${result.already_created} created before` : ""
                  }.`}{" "}
              {result.activities_logged.length > 0 && `Meeting logged on ${result.activities_logged.length} timeline${result.activities_logged.length === 1 ? "" : "s"}.`}
            </p>
            <ul>
              {result.tasks_created.map((t) => (
                <li key={t.id} data-testid="follow-up-task">
                  {t.title}
                  {t.due_date && <span className="muted"> · due {t.due_date}</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Panel>
    </div>
  );
}
