import { useEffect, useState } from "react";
import type { Api } from "../api";
import type { Meeting } from "../bindings/Meeting";
import { CalendarImportScreen } from "../components/CalendarImport";
import { CopilotPanel } from "../components/copilot/CopilotPanel";
import { Panel } from "../components/Detail";
import { MeetingDetail } from "../components/MeetingDetail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi } from "../context";
import { formatDate, formatDateTime, startsSoon } from "../format";
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

/** The agenda's first lines, for the list (the full text is in the opened meeting). */
function agendaPreview(description: string | null): string | null {
  const text = description?.trim();
  if (!text) return null;
  return text.split(/\n+/).map((l) => l.trim()).filter(Boolean).slice(0, 2).join(" · ");
}

function MeetingRow(props: { m: Meeting; now: Date; dealTitle: string | undefined; open: boolean; onToggle: () => void; onChanged: (m: Meeting) => void }) {
  const { m } = props;
  const external = m.attendees.filter((a) => !a.is_internal);
  const cancelled = m.status === "cancelled";
  const soon = cancelled ? null : startsSoon(m.starts_at, m.ends_at, props.now);
  const agenda = agendaPreview(m.description);
  return (
    <li className={`meeting ${cancelled ? "meeting--cancelled" : ""} ${props.open ? "meeting--open" : ""}`} data-testid="meeting-row">
      <div className="meeting__summary">
        <time className="meeting__time" dateTime={m.starts_at}>
          {timeRange(m)}
        </time>
        <div className="meeting__main">
          <div className="meeting__heading">
            <button type="button" className="meeting__title strong" aria-expanded={props.open} onClick={props.onToggle}>
              {m.title}
            </button>
            {soon && (
              <span className="badge badge--soon" data-testid="meeting-soon">
                {soon === "Now" ? "Now" : `Starts ${soon}`}
              </span>
            )}
            {cancelled && <span className="badge badge--lost">Cancelled</span>}
          </div>
          <div className="muted">
            {[m.location, external.length ? external.map((a) => a.name ?? a.email).join(", ") : `${m.attendees.length} attendees`]
              .filter(Boolean)
              .join(" · ")}
          </div>
          {agenda && (
            <p className="meeting__agenda" data-testid="meeting-agenda" title={m.description ?? undefined}>
              <span className="meeting__agenda-label">Agenda</span> {agenda}
            </p>
          )}
        </div>
        <div className="meeting__links">
          {!cancelled && (
            <a className="meeting__link" href={toHash({ name: "brief", id: m.id })} data-testid="meeting-brief" aria-label={`Brief for ${m.title}`}>
              Brief
            </a>
          )}
          {m.deal_id && (
            <a
              className="meeting__link"
              href={toHash({ name: "deal", id: m.deal_id })}
              data-testid="meeting-deal"
              title={props.dealTitle ? `Deal: ${props.dealTitle}` : undefined}
            >
              {props.dealTitle ? `Deal: ${props.dealTitle}` : "Deal"}
            </a>
          )}
        </div>
      </div>
      {props.open && <MeetingDetail meeting={m} onChanged={props.onChanged} />}
    </li>
  );
}

/** The current time, moved on every half minute so "Starts in 75 min" stays true. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Titles of the deals the listed meetings belong to (each fetched once). */
function useDealTitles(api: Api, ids: readonly string[]): Record<string, string> {
  const [titles, setTitles] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(",");
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(",") : [];
    Promise.all(wanted.map((id) => api.getDeal(id).then((d) => [id, d.title] as const, () => null))).then((pairs) => {
      if (live) setTitles(Object.fromEntries(pairs.filter((p) => p !== null)));
    });
    return () => {
      live = false;
    };
  }, [api, key]);
  return titles;
}

/** Meetings, upcoming first; open one to see attendees, take notes and create follow-ups. */
export function MeetingsScreen() {
  const api = useApi();
  const meetings = useLoad(() => api.listMeetings({ limit: 500 }), [api]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [changed, setChanged] = useState<Record<string, Meeting>>({});
  const list = meetings.data?.map((m) => changed[m.id] ?? m);
  const clock = useNow();
  const now = clock.getTime();
  const dealTitles = useDealTitles(api, (list ?? []).flatMap((m) => (m.deal_id ? [m.deal_id] : [])));
  const upcoming = (list ?? []).filter((m) => Date.parse(m.ends_at ?? m.starts_at) >= now).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = (list ?? []).filter((m) => Date.parse(m.ends_at ?? m.starts_at) < now).sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  const row = (m: Meeting) => (
    <MeetingRow
      key={m.id}
      m={m}
      now={clock}
      dealTitle={m.deal_id ? dealTitles[m.deal_id] : undefined}
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
