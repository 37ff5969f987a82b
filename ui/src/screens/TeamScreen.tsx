import type { TeamPipeline } from "../bindings/TeamPipeline";
import { Panel } from "../components/Detail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi } from "../context";
import { formatDateTime, formatMoney, ownerName } from "../format";
import { useCurrentUser, useLoad } from "../hooks";
import { toHash } from "../router";

/** A horizontal bar: `value` as a share of `max`. */
function Bar({ value, max, label }: { value: number; max: number; label: string }) {
  const width = max > 0 ? Math.max(2, Math.round((value / max) * 100)) : 0;
  return (
    <div className="bar" title={label}>
      <div className="bar__fill" style={{ width: `${width}%` }} />
      <span className="bar__label">{label}</span>
    </div>
  );
}

/** `ready` → `Brief ready`; no brief → `No brief yet`. */
function briefStatusLabel(status: string | null): string {
  if (status === "ready") return "Brief ready";
  if (status === "reviewed") return "Reviewed";
  if (status === "draft") return "Draft";
  return status ? status.charAt(0).toUpperCase() + status.slice(1) : "No brief yet";
}

function percent(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)}%`;
}

function Charts({ p, me }: { p: TeamPipeline; me: string[] }) {
  const maxValue = Math.max(0, ...p.by_stage.map((s) => s.value));
  const maxActivities = Math.max(0, ...p.activities_per_week.map((a) => a.activities));
  return (
    <>
      <Panel title="Pipeline value by stage">
        <ul className="chart" data-testid="chart-stage-value">
          {p.by_stage.map((s) => (
            <li key={`${s.stage}-${s.currency}`}>
              <span className="chart__key">{s.stage}</span>
              <Bar value={s.value} max={maxValue} label={`${formatMoney(s.value, s.currency)} · ${s.deals} deals · weighted ${formatMoney(s.weighted, s.currency)}`} />
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Weighted forecast">
        <ul className="brief__list" data-testid="forecast">
          {p.forecast.map((f) => (
            <li key={f.currency}>
              <span className="strong">{formatMoney(f.weighted, f.currency)}</span> of {formatMoney(f.value, f.currency)} open ({f.deals} deals)
            </li>
          ))}
          {p.forecast.length === 0 && <li className="muted">No open deals.</li>}
        </ul>
      </Panel>
      <Panel title="Win rate">
        <ul className="brief__list" data-testid="win-rates">
          {p.win_rates.map((w) => (
            <li key={w.owner ?? "team"}>
              <span className="strong">{w.owner === null ? "Team" : ownerName(w.owner, me)}</span> {percent(w.rate)} ({w.won} won, {w.lost} lost)
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Activities per rep per week">
        <ul className="chart" data-testid="chart-activities">
          {p.activities_per_week.map((a) => (
            <li key={`${a.owner}-${a.week}`}>
              <span className="chart__key">
                {ownerName(a.owner, me)} · {a.week}
              </span>
              <Bar value={a.activities} max={maxActivities} label={`${a.activities}`} />
            </li>
          ))}
          {p.activities_per_week.length === 0 && <li className="muted">No activity on deals in the last 8 weeks.</li>}
        </ul>
      </Panel>
    </>
  );
}

/** The manager view: the team's pipeline by rep and stage, charts, and upcoming briefs to review. */
export function TeamScreen() {
  const api = useApi();
  const team = useLoad(() => api.teamPipeline(), [api]);
  const me = useCurrentUser(api);
  const p = team.data;
  const reps = [...new Set((p?.by_rep ?? []).map((r) => r.owner))];
  const stages = [...new Map((p?.by_rep ?? []).map((r) => [r.stage, r.position])).entries()].sort((a, b) => Number(a[1]) - Number(b[1])).map(([s]) => s);
  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Team</h1>
          <p className="page-header__meta">{p ? `${reps.length} reps · ${p.upcoming_meetings.length} meetings this week` : "Loading…"}</p>
        </div>
      </header>
      {!p && team.loading && <SkeletonRows />}
      {!p && team.failed && <LoadFailed what="the team view" onRetry={team.reload} />}
      {p && (
        <>
          <Panel title="Pipeline by rep and stage">
            <div className="table-scroll">
            <table className="table" data-testid="team-pipeline">
              <thead>
                <tr>
                  <th>Rep</th>
                  {stages.map((s) => (
                    <th key={s}>{s}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {reps.map((rep) => (
                  <tr key={rep} data-testid="team-rep">
                    <td className="strong">{ownerName(rep, me)}</td>
                    {stages.map((s) => {
                      const cells = p.by_rep.filter((r) => r.owner === rep && r.stage === s);
                      return <td key={s}>{cells.map((c) => `${c.deals} · ${formatMoney(c.value, c.currency)}`).join(", ")}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          </Panel>
          <Panel title="Upcoming meetings" count={p.upcoming_meetings.length}>
            <ul className="brief__list">
              {p.upcoming_meetings.map((m) => (
                <li key={m.meeting_id} data-testid="team-meeting">
                  {formatDateTime(m.starts_at)} · {m.title} {m.owner && <span className="muted">({ownerName(m.owner, me)})</span>} ·{" "}
                  <span className={`badge badge--${m.brief_status ?? "none"}`}>{briefStatusLabel(m.brief_status)}</span>{" "}
                  <a href={toHash({ name: "brief", id: m.meeting_id })}>{m.brief_status === "reviewed" ? "Open brief" : "Review brief"}</a>
                </li>
              ))}
            </ul>
          </Panel>
          <Charts p={p} me={me} />
        </>
      )}
    </div>
  );
}
