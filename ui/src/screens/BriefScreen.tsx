import { useState, type ReactNode } from "react";
import type { Brief } from "../bindings/Brief";
import type { Source } from "../bindings/Source";
import type { Statement } from "../bindings/Statement";
import { BackLink, Panel } from "../components/Detail";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { formatDate, formatDateTime, formatMoney } from "../format";
import { useLoad } from "../hooks";
import { toHash } from "../router";

/** A link to the record a statement came from, where the app has a screen for it. */
function SourceLink({ source }: { source: Source }) {
  const href =
    source.entity_type === "deal"
      ? toHash({ name: "deal", id: source.id })
      : source.entity_type === "contact"
        ? toHash({ name: "contact", id: source.id })
        : source.entity_type === "company"
          ? toHash({ name: "company", id: source.id })
          : undefined;
  const label = source.entity_type;
  return href ? (
    <a className="brief__source" href={href}>
      {label}
    </a>
  ) : (
    <span className="brief__source" title={source.id}>
      {label}
    </span>
  );
}

function Statements({ items, testId }: { items: Statement[]; testId: string }) {
  return (
    <ul className="brief__list">
      {items.map((s, i) => (
        <li key={`${s.kind}-${i}`} data-testid={testId} data-kind={s.kind}>
          {s.text} {s.sources.map((src) => <SourceLink key={`${src.entity_type}-${src.id}`} source={src} />)}
        </li>
      ))}
    </ul>
  );
}

function Section(props: { title: string; count: number; children: ReactNode }) {
  if (props.count === 0) return null;
  return (
    <Panel title={props.title} count={props.count}>
      {props.children}
    </Panel>
  );
}

function Review({ brief, onReviewed }: { brief: Brief; onReviewed: (b: Brief) => void }) {
  const api = useApi();
  const { report } = useBanner();
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = () => {
    setBusy(true);
    api
      .reviewBrief({ id: brief.id, comment: comment.trim() || undefined })
      .then((b) => {
        setComment("");
        onReviewed(b);
      }, report)
      .finally(() => setBusy(false));
  };
  return (
    <Panel title="Review" count={brief.comments.length}>
      <ul className="brief__list">
        {brief.comments.map((c) => (
          <li key={c.id} data-testid="brief-comment">
            <span className="strong">{c.author}</span> <span className="muted">{formatDateTime(c.created_at)}</span> — {c.body}
          </li>
        ))}
      </ul>
      <label className="field">
        <span className="field__label">Comment for the rep</span>
        <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} data-testid="brief-comment-input" />
      </label>
      <button type="button" className="button button--primary" disabled={busy} onClick={submit} data-testid="brief-review">
        Mark reviewed
      </button>
    </Panel>
  );
}

/** The pre-meeting brief of one meeting. */
export function BriefScreen({ id }: { id: string }) {
  const api = useApi();
  const loaded = useLoad(() => api.briefForMeeting(id), [api, id]);
  const [reviewed, setReviewed] = useState<Brief>();
  const brief = reviewed ?? loaded.data;
  if (!brief) {
    return (
      <div className="screen">
        <BackLink href={toHash({ name: "meetings" })} label="Meetings" />
        {loaded.loading && <SkeletonRows />}
        {loaded.failed && <LoadFailed what="the brief" onRetry={loaded.reload} />}
      </div>
    );
  }
  const c = brief.content;
  return (
    <div className="screen brief" data-testid="brief">
      <BackLink href={toHash({ name: "meetings" })} label="Meetings" />
      <header className="page-header">
        <div>
          <h1>{c.meeting_title}</h1>
          <p className="page-header__meta">
            {formatDateTime(c.starts_at)} · <span className={`badge badge--${brief.status}`} data-testid="brief-status">{brief.status}</span> · generated{" "}
            {formatDateTime(brief.generated_at)}
          </p>
        </div>
      </header>
      <Section title="Risks" count={c.risks.length}>
        <Statements items={c.risks} testId="brief-risk" />
      </Section>
      <Section title="Who is in the room" count={c.attendees.length}>
        <ul className="brief__list">
          {c.attendees.map((a) => (
            <li key={a.email} data-testid="brief-attendee">
              <span className="strong">{a.name ?? a.email}</span>
              {[a.title, a.company, a.is_internal ? "internal" : null].filter(Boolean).map((t) => ` · ${t}`)}
              {a.health !== null && <span className="muted"> · health {a.health}/100 ({a.health_label})</span>}
              {a.last_interaction && (
                <span className="muted">
                  {" "}
                  · last {a.last_interaction.kind} {formatDate(a.last_interaction.occurred_at.slice(0, 10))}: {a.last_interaction.subject}
                </span>
              )}
            </li>
          ))}
        </ul>
      </Section>
      {c.company && (
        <Panel title="Company">
          <p>
            <a href={toHash({ name: "company", id: c.company.id })}>{c.company.name}</a>
            {[c.company.industry, c.company.location, c.company.size].filter(Boolean).map((t) => ` · ${t}`)}
            {c.company.health !== null && ` · health ${c.company.health}/100`}
          </p>
        </Panel>
      )}
      <Section title="Open deals" count={c.deals.length}>
        <ul className="brief__list">
          {c.deals.map((d) => (
            <li key={d.id} data-testid="brief-deal">
              <a href={toHash({ name: "deal", id: d.id })}>{d.title}</a> · {d.stage} · {formatMoney(d.value, d.currency)} · {d.days_in_stage} days in stage
              {d.temperature && ` · ${d.temperature}`}
              {d.next_step && <span className="muted"> · next: {d.next_step}</span>}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Questions to ask" count={c.questions.length}>
        <Statements items={c.questions} testId="brief-question" />
      </Section>
      <Section title="Talking points" count={c.talking_points.length}>
        <Statements items={c.talking_points} testId="brief-talking-point" />
      </Section>
      <Section title="Commitments and memories" count={c.commitments.length + c.memories.length}>
        <ul className="brief__list">
          {[...c.commitments, ...c.memories].map((m) => (
            <li key={m.memory_id} data-testid="brief-memory">
              <span className="badge">{m.category}</span> {m.content}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Competitors mentioned" count={c.competitors.length}>
        <ul className="brief__list">
          {c.competitors.map((m, i) => (
            <li key={`${m.competitor}-${i}`} data-testid="brief-competitor">
              <span className="strong">{m.competitor}</span>: “{m.excerpt}” {m.sources.map((s) => <SourceLink key={s.id} source={s} />)}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Open tasks" count={c.tasks.length}>
        <ul className="brief__list">
          {c.tasks.map((t) => (
            <li key={t.task_id} data-overdue={t.overdue || undefined}>
              {t.title} {t.due_date && <span className={t.overdue ? "overdue" : "muted"}>due {formatDate(t.due_date)}</span>}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Recent timeline" count={c.timeline.length}>
        <ul className="brief__list">
          {c.timeline.map((t) => (
            <li key={t.activity_id}>
              {t.milestone && "★ "}
              <span className="muted">{formatDate(t.occurred_at.slice(0, 10))}</span> {t.kind.replace("_", " ")}: {t.subject}
            </li>
          ))}
        </ul>
      </Section>
      <Review brief={brief} onReviewed={setReviewed} />
    </div>
  );
}
