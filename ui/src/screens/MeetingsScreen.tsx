import { useState } from "react";
import type { Meeting } from "../bindings/Meeting";
import { CalendarImportScreen } from "../components/CalendarImport";
import { CopilotPanel } from "../components/copilot/CopilotPanel";
import { Panel } from "../components/Detail";
import { MeetingDetail } from "../components/MeetingDetail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi } from "../context";
import { formatDate, formatDateTime } from "../format";
import { useLoad } from "../hooks";
import { toHash } from "../router";

function timeRange(m: Meeting): string {
  if (m.all_day) {
    const last = m.ends_at ? new Date(Date.parse(m.ends_at) - 86_400_000).toISOString().slice(0, 10) : null;
    const first = m.starts_at.slice(0, 10);
    return last && last !== first ? `${formatDate(first)} – ${formatDate(last)} (all day)` : `${formatDate(first)} (all day)`;
  }
  const start = formatDateTime(m.starts_at);
  if (!m.ends_at) return start;
  const end = new Date(m.ends_at);
  const sameDay = new Date(m.starts_at).toDateString() === end.toDateString();
  return `${start} – ${sameDay ? end.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }) : formatDateTime(m.ends_at)}`;
}

function MeetingRow(props: { m: Meeting; open: boolean; onToggle: () => void; onChanged: (m: Meeting) => void }) {
  const { m } = props;
  const external = m.attendees.filter((a) => !a.is_internal);
  return (
    <li className={`meeting ${m.status === "cancelled" ? "meeting--cancelled" : ""} ${props.open ? "meeting--open" : ""}`} data-testid="meeting-row">
      <div className="meeting__summary">
        <time className="meeting__time" dateTime={m.starts_at}>
          {timeRange(m)}
        </time>
        <div className="meeting__main">
          <button type="button" className="meeting__title strong" aria-expanded={props.open} onClick={props.onToggle}>
            {m.title}
          </button>
          {m.status === "cancelled" && <span className="badge badge--lost">Cancelled</span>}
          <div className="muted">
            {[m.location, external.length ? external.map((a) => a.name ?? a.email).join(", ") : `${m.attendees.length} attendees`]
              .filter(Boolean)
              .join(" · ")}
          </div>
        </div>
        {m.deal_id && (
          <a className="meeting__link" href={toHash({ name: "deal", id: m.deal_id })}>
            Deal
          </a>
        )}
      </div>
      {props.open && <MeetingDetail meeting={m} onChanged={props.onChanged} />}
      {m.status !== "cancelled" && (
        <a className="meeting__link" href={toHash({ name: "brief", id: m.id })} data-testid="meeting-brief">
          Brief
        </a>
      )}
      {m.deal_id && (
        <a className="meeting__link" href={toHash({ name: "deal", id: m.deal_id })}>
          Deal
        </a>
      )}
    </li>
  );
}

/** Meetings, upcoming first; open one to see attendees, take notes and create follow-ups. */
export function MeetingsScreen() {
  const api = useApi();
  const meetings = useLoad(() => api.listMeetings({ limit: 500 }), [api]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [changed, setChanged] = useState<Record<string, Meeting>>({});
  const list = meetings.data?.map((m) => changed[m.id] ?? m);
  const now = Date.now();
  const upcoming = (list ?? []).filter((m) => Date.parse(m.ends_at ?? m.starts_at) >= now).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = (list ?? []).filter((m) => Date.parse(m.ends_at ?? m.starts_at) < now).sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  const row = (m: Meeting) => (
    <MeetingRow
      key={m.id}
      m={m}
      open={openId === m.id}
      onToggle={() => setOpenId(openId === m.id ? null : m.id)}
      onChanged={(updated) => setChanged((all) => ({ ...all, [updated.id]: updated }))}
    />
  );

  return (
    <CalendarImportScreen
      onImported={meetings.reload}
      heading={
        <>
          <h1>Meetings</h1>
          <p className="page-header__meta">{list ? `${upcoming.length} upcoming · ${past.length} past` : "Loading…"}</p>
        </>
      }
    >
      {!list && meetings.loading && <SkeletonRows />}
      {!list && meetings.failed && <LoadFailed what="meetings" onRetry={meetings.reload} />}
      {list && list.length === 0 && (
        <div className="empty-note empty-note--panel">No meetings yet. Import a calendar (.ics) with the button above or drop the file here, or drop .ics files into a watched folder.</div>
      )}
      {upcoming.length > 0 && (
        <Panel title="Upcoming" count={upcoming.length}>
          <ul className="meetings">{upcoming.map(row)}</ul>
        </Panel>
      )}
      {past.length > 0 && (
        <Panel title="Past" count={past.length}>
          <ul className="meetings">{past.map(row)}</ul>
        </Panel>
      )}
      <CopilotPanel focus={{}} />
    </CalendarImportScreen>
  );
}
