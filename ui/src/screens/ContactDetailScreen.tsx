import { useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton";
import { CopilotPanel } from "../components/copilot/CopilotPanel";
import { MemoriesPanel } from "../components/copilot/MemoriesPanel";
import { ContactForm } from "../components/ContactForm";
import { DealList } from "../components/DealList";
import { BackLink, Facts, Panel } from "../components/Detail";
import { Modal } from "../components/Modal";
import { LoadFailed, SkeletonRows } from "../components/States";
import { TaskForm } from "../components/TaskForm";
import { TaskList } from "../components/TaskList";
import { Timeline } from "../components/Timeline";
import { useApi, useBanner } from "../context";
import { contactName, formatDateTime } from "../format";
import { useLoad } from "../hooks";
import { navigate, toHash } from "../router";

/** One contact: fields, consent, deals, timeline and tasks. */
export function ContactDetailScreen(props: { id: string }) {
  const api = useApi();
  const { report } = useBanner();
  const { id } = props;
  const contact = useLoad(() => api.getContact(id), [api, id]);
  const deals = useLoad(() => api.listDeals({ contact_id: id }), [api, id]);
  const activities = useLoad(() => api.listActivities({ contact_id: id, limit: 200 }), [api, id]);
  const tasks = useLoad(() => api.listTasks({ entity_id: id }), [api, id]);
  const [editing, setEditing] = useState(false);
  const c = contact.data?.id === id ? contact.data : undefined;

  if (!c) {
    return (
      <div className="screen">
        <BackLink href={toHash({ name: "contacts" })} label="Contacts" />
        {contact.failed ? <LoadFailed what="this contact" onRetry={contact.reload} /> : <SkeletonRows rows={4} />}
      </div>
    );
  }

  const name = contactName(c);
  const consent = [c.email_opt_out && "Email opt-out", c.sms_opt_out && "SMS opt-out", c.do_not_call && "Do not call"].filter(
    (x): x is string => !!x,
  );

  return (
    <div className="screen screen--detail">
      <BackLink href={toHash({ name: "contacts" })} label="Contacts" />
      <header className="page-header">
        <div>
          <h1 data-testid="contact-name">{name}</h1>
          <p className="page-header__meta">
            {[c.title, c.company_name].filter(Boolean).join(" at ") || "No title or company"}
            {consent.map((label) => (
              <span key={label} className="badge badge--consent" data-testid="consent-badge">
                {label}
              </span>
            ))}
          </p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" data-testid="edit-contact" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete contact"
            question={`Delete ${name}? Their deals and timeline stay, unlinked.`}
            testId="delete-contact"
            onConfirm={() => api.deleteContact(c.id).then(() => navigate({ name: "contacts" }), report)}
          />
          <ConfirmButton
            label="Erase (GDPR)"
            confirmLabel="Erase everywhere"
            question={`Erase ${name} and their activities and tasks on every device? Deals stay, unlinked. This cannot be undone.`}
            testId="erase-contact"
            onConfirm={() => api.eraseContact(c.id).then(() => navigate({ name: "contacts" }), report)}
          />
        </div>
      </header>

      <div className="detail-grid">
        <div className="detail-grid__side">
          <Panel title="Details">
            <Facts
              items={[
                ["Email", c.email && <a href={`mailto:${c.email}`}>{c.email}</a>],
                ["Phone", c.phone],
                ["Title", c.title],
                ["Company", c.company_id ? <a href={toHash({ name: "company", id: c.company_id })}>{c.company_name}</a> : null],
                ["Lead source", c.lead_source],
                ["LinkedIn", c.linkedin_url && <a href={c.linkedin_url} target="_blank" rel="noreferrer">{c.linkedin_url.replace("https://www.", "")}</a>],
                ["Time zone", c.time_zone],
                ["Last contacted", c.last_contacted_at && formatDateTime(c.last_contacted_at)],
                ["Added", formatDateTime(c.created_at)],
              ]}
            />
            {c.notes && <p className="notes">{c.notes}</p>}
          </Panel>
          <Panel title="Deals" count={deals.data?.length}>
            <DealList deals={deals.data} empty="No deals with this contact yet." />
          </Panel>
          <Panel title="Open tasks" count={tasks.data?.length}>
            <TaskForm link={{ contact_id: c.id }} onSaved={tasks.reload} />
            {tasks.data && <TaskList tasks={tasks.data} onChanged={tasks.reload} />}
          </Panel>
          <CopilotPanel focus={{ contact_id: c.id }} onApplied={() => (tasks.reload(), activities.reload())} />
          <MemoriesPanel entityId={c.id} link={{ contact_id: c.id }} />
        </div>
        <Panel title="Timeline" className="detail-grid__main">
          <Timeline activities={activities.data} loading={activities.loading} link={{ contact_id: c.id }} onLogged={() => (activities.reload(), contact.reload())} />
        </Panel>
      </div>

      {editing && (
        <Modal title={`Edit ${name}`} onClose={() => setEditing(false)} wide>
          <ContactForm
            contact={c}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              contact.reload();
              deals.reload();
            }}
          />
        </Modal>
      )}
    </div>
  );
}
