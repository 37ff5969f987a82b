import type { Meeting } from "../bindings/Meeting";
import { Panel } from "../components/Detail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi } from "../context";
import { formatDateTime } from "../format";
import { useLoad } from "../hooks";
import { toHash } from "../router";

function timeRange(m: Meeting): string {
  const start = formatDateTime(m.starts_at);
  if (!m.ends_at) return start;
  const end = new Date(m.ends_at);
  const sameDay = new Date(m.starts_at).toDateString() === end.toDateString();
  return `${start} – ${sameDay ? end.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }) : formatDateTime(m.ends_at)}`;
}

function MeetingRow({ m }: { m: Meeting }) {
  const external = m.attendees.filter((a) => !a.is_internal);
  return (
    <li className={`meeting ${m.status === "cancelled" ? "meeting--cancelled" : ""}`} data-testid="meeting-row">
      <time className="meeting__time" dateTime={m.starts_at}>
        {timeRange(m)}
      </time>
      <div className="meeting__main">
        <div className="strong">
          {m.title}
          {m.status === "cancelled" && <span className="badge badge--lost">Cancelled</span>}
        </div>
        <div className="muted">
          {[m.location, external.length ? external.map((a) => a.name ?? a.email).join(", ") : `${m.attendees.length} attendees`]
            .filter(Boolean)
            .join(" · ")}
        </div>
      </div>
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

/** Meetings, upcoming first (read-only). */
export function MeetingsScreen() {
  const api = useApi();
  const meetings = useLoad(() => api.listMeetings({ limit: 500 }), [api]);
  const list = meetings.data;
  const now = Date.now();
  const upcoming = (list ?? []).filter((m) => Date.parse(m.ends_at ?? m.starts_at) >= now).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = (list ?? []).filter((m) => Date.parse(m.ends_at ?? m.starts_at) < now).sort((a, b) => b.starts_at.localeCompare(a.starts_at));

  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Meetings</h1>
          <p className="page-header__meta">{list ? `${upcoming.length} upcoming · ${past.length} past` : "Loading…"}</p>
        </div>
      </header>
      {!list && meetings.loading && <SkeletonRows />}
      {!list && meetings.failed && <LoadFailed what="meetings" onRetry={meetings.reload} />}
      {list && list.length === 0 && <div className="empty-note empty-note--panel">No meetings yet.</div>}
      {upcoming.length > 0 && (
        <Panel title="Upcoming" count={upcoming.length}>
          <ul className="meetings">{upcoming.map((m) => <MeetingRow key={m.id} m={m} />)}</ul>
        </Panel>
      )}
      {past.length > 0 && (
        <Panel title="Past" count={past.length}>
          <ul className="meetings">{past.map((m) => <MeetingRow key={m.id} m={m} />)}</ul>
        </Panel>
      )}
    </div>
  );
}
