import { useState } from "react";
import { ContactForm } from "../components/ContactForm";
import { Modal } from "../components/Modal";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi } from "../context";
import { contactName } from "../format";
import { useDebounced, useLoad } from "../hooks";
import { navigate, toHash } from "../router";

export const SEARCH_DEBOUNCE_MS = 200;

/** All contacts, searchable as you type. */
export function ContactsScreen() {
  const api = useApi();
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const contacts = useLoad(() => api.listContacts(query ? { search: query, limit: 200 } : { limit: 200 }), [api, query]);
  const [adding, setAdding] = useState(false);
  const rows = contacts.data;

  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Contacts</h1>
          <p className="page-header__meta">{rows ? `${rows.length}${rows.length === 200 ? "+" : ""} ${rows.length === 1 ? "contact" : "contacts"}${query ? ` matching “${query}”` : ""}` : "Loading…"}</p>
        </div>
        <div className="page-header__actions">
          <input
            className="input search"
            type="search"
            data-testid="contact-search"
            aria-label="Search contacts"
            placeholder="Search name, email, title, company…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="button" className="button button--primary" data-testid="new-contact" onClick={() => setAdding(true)}>
            New contact
          </button>
        </div>
      </header>

      {!rows && contacts.loading && <SkeletonRows />}
      {!rows && contacts.failed && <LoadFailed what="contacts" onRetry={contacts.reload} />}
      {rows && rows.length === 0 && (
        <div className="empty-note empty-note--panel">
          {query ? `No contacts match “${query}”.` : "No contacts yet. Add the people you sell to, and link them to deals."}
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className={`table-wrap ${contacts.loading ? "is-refreshing" : ""}`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Phone</th>
                <th scope="col">Company</th>
                <th scope="col">Title</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-testid="contact-row" data-contact-id={c.id} className="table__row--link" onClick={() => navigate({ name: "contact", id: c.id })}>
                  <td>
                    <a href={toHash({ name: "contact", id: c.id })} className="strong">
                      {contactName(c)}
                    </a>
                  </td>
                  <td>{c.email ?? <span className="muted">—</span>}</td>
                  <td>{c.phone ?? <span className="muted">—</span>}</td>
                  <td>{c.company_name ?? <span className="muted">—</span>}</td>
                  <td>{c.title ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {adding && (
        <Modal title="New contact" onClose={() => setAdding(false)} wide>
          <ContactForm
            onCancel={() => setAdding(false)}
            onSaved={() => {
              setAdding(false);
              contacts.reload();
            }}
          />
        </Modal>
      )}
    </div>
  );
}
