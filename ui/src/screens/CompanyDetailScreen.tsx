import { useState } from "react";
import { CompanyForm } from "../components/CompanyForm";
import { ConfirmButton } from "../components/ConfirmButton";
import { DealList } from "../components/DealList";
import { BackLink, Facts, Panel } from "../components/Detail";
import { Modal } from "../components/Modal";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi, useBanner } from "../context";
import { contactName, formatDateTime } from "../format";
import { useLoad } from "../hooks";
import { navigate, toHash } from "../router";

/** One company: fields, its people and its deals. */
export function CompanyDetailScreen(props: { id: string }) {
  const api = useApi();
  const { report } = useBanner();
  const { id } = props;
  const company = useLoad(() => api.getCompany(id), [api, id]);
  const c = company.data?.id === id ? company.data : undefined;
  const name = c?.name;
  // Contacts are found by the company's name (search covers it), then kept only if linked.
  const people = useLoad(
    () => (name ? api.listContacts({ search: name, limit: 500 }).then((all) => all.filter((p) => p.company_id === id)) : Promise.resolve(undefined)),
    [api, id, name],
  );
  const deals = useLoad(() => api.listDeals({ company_id: id }), [api, id]);
  const [editing, setEditing] = useState(false);

  if (!c) {
    return (
      <div className="screen">
        <BackLink href={toHash({ name: "companies" })} label="Companies" />
        {company.failed ? <LoadFailed what="this company" onRetry={company.reload} /> : <SkeletonRows rows={4} />}
      </div>
    );
  }

  return (
    <div className="screen screen--detail">
      <BackLink href={toHash({ name: "companies" })} label="Companies" />
      <header className="page-header">
        <div>
          <h1 data-testid="company-name">{c.name}</h1>
          <p className="page-header__meta">{[c.industry, c.location].filter(Boolean).join(" · ") || "No industry or location"}</p>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button" data-testid="edit-company" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete company"
            question={`Delete ${c.name}?`}
            testId="delete-company"
            onConfirm={() => api.deleteCompany(c.id).then(() => navigate({ name: "companies" }), report)}
          />
        </div>
      </header>

      <div className="detail-grid">
        <div className="detail-grid__side">
          <Panel title="Details">
            <Facts
              items={[
                ["Domain", c.domain],
                ["Industry", c.industry],
                ["Location", c.location],
                ["Size", c.size],
                ["Added", formatDateTime(c.created_at)],
              ]}
            />
          </Panel>
        </div>
        <div className="detail-grid__main">
          <Panel title="People" count={people.data?.length}>
            {!people.data ? (
              <p className="empty-note">Loading people…</p>
            ) : people.data.length === 0 ? (
              <p className="empty-note">No contacts at {c.name} yet.</p>
            ) : (
              <ul className="people">
                {people.data.map((p) => (
                  <li key={p.id}>
                    <a href={toHash({ name: "contact", id: p.id })} className="strong">
                      {contactName(p)}
                    </a>
                    <span className="muted">{[p.title, p.email].filter(Boolean).join(" · ")}</span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
          <Panel title="Deals" count={deals.data?.length}>
            <DealList deals={deals.data} empty={`No deals with ${c.name} yet.`} />
          </Panel>
        </div>
      </div>

      {editing && (
        <Modal title={`Edit ${c.name}`} onClose={() => setEditing(false)}>
          <CompanyForm
            company={c}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              company.reload();
            }}
          />
        </Modal>
      )}
    </div>
  );
}
