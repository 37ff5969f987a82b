import { useState } from "react";
import type { Activity } from "../bindings/Activity";
import type { ActivityKind } from "../bindings/ActivityKind";
import type { NewActivity } from "../bindings/NewActivity";
import { useApi } from "../context";
import { formatDateTime } from "../format";
import { useSubmit } from "../hooks";
import { Field, TextField } from "./Field";

const KIND_LABEL: Record<ActivityKind, string> = {
  note: "Note",
  call: "Call",
  email: "Email",
  meeting: "Meeting",
  stage_change: "Stage",
};

type Link = Pick<NewActivity, "contact_id" | "company_id" | "deal_id">;

/** A record's timeline, newest first, with a "log activity" form on top. */
export function Timeline(props: { activities: readonly Activity[] | undefined; loading: boolean; link: Link; onLogged: () => void }) {
  return (
    <div className="timeline">
      <ActivityForm link={props.link} onSaved={props.onLogged} />
      {props.activities === undefined ? (
        <p className="empty-note">{props.loading ? "Loading timeline…" : ""}</p>
      ) : props.activities.length === 0 ? (
        <p className="empty-note">Nothing logged yet. Calls, emails, notes and stage changes show up here.</p>
      ) : (
        <ol className="timeline__list">
          {props.activities.map((a) => (
            <li key={a.id} className={`timeline__item timeline__item--${a.kind}`} data-testid="activity">
              <span className={`kind kind--${a.kind}`}>{KIND_LABEL[a.kind] ?? a.kind}</span>
              <div className="timeline__body">
                <div className="timeline__subject">{a.subject}</div>
                {a.body && <p className="timeline__text">{a.body}</p>}
              </div>
              <time className="timeline__time" dateTime={a.occurred_at}>
                {formatDateTime(a.occurred_at)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function ActivityForm(props: { link: Link; onSaved: () => void }) {
  const api = useApi();
  const [kind, setKind] = useState<ActivityKind>("note");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const { saving, errors, onSubmit } = useSubmit({
    fields: ["kind", "subject", "body"],
    validate: () => (subject.trim() ? {} : { subject: "is required" }),
    save: () => {
      const req: NewActivity = { kind, subject: subject.trim(), ...props.link };
      if (body.trim()) req.body = body.trim();
      return api.logActivity(req);
    },
    onSaved: () => {
      setSubject("");
      setBody("");
      props.onSaved();
    },
  });
  return (
    <form className="activity-form" data-testid="activity-form" noValidate onSubmit={onSubmit}>
      <div className="activity-form__row">
        <Field label="Kind" name="kind" error={errors.kind}>
          {(control) => (
            <select {...control} className="input" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ActivityKind)}>
              <option value="note">Note</option>
              <option value="call">Call</option>
              <option value="email">Email</option>
              <option value="meeting">Meeting</option>
            </select>
          )}
        </Field>
        <TextField className="grow" label="Subject" name="subject" value={subject} onChange={setSubject} error={errors.subject} placeholder="e.g. Intro call — wants pricing" />
      </div>
      <Field label="Details" name="body" error={errors.body}>
        {(control) => <textarea {...control} className="input" name="body" rows={2} value={body} onChange={(e) => setBody(e.target.value)} placeholder="Optional" />}
      </Field>
      <div className="form__actions form__actions--tight">
        <button type="submit" className="button button--primary" data-testid="activity-submit" disabled={saving}>
          {saving ? "Logging…" : "Log activity"}
        </button>
      </div>
    </form>
  );
}
