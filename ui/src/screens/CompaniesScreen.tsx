import { useState } from "react";
import { CompanyForm } from "../components/CompanyForm";
import { Modal } from "../components/Modal";
import { LoadFailed, SkeletonRows } from "../components/States";
import { useApi } from "../context";
import { useDebounced, useLoad } from "../hooks";
import { navigate, toHash } from "../router";
import { SEARCH_DEBOUNCE_MS } from "./ContactsScreen";

/** All companies, searchable. */
export function CompaniesScreen() {
  const api = useApi();
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const companies = useLoad(() => api.listCompanies(query ? { search: query, limit: 200 } : { limit: 200 }), [api, query]);
  const [adding, setAdding] = useState(false);
  const rows = companies.data;

  return (
    <div className="screen">
      <header className="page-header">
        <div>
          <h1>Companies</h1>
          <p className="page-header__meta">{rows ? `${rows.length} ${rows.length === 1 ? "company" : "companies"}${query ? ` matching “${query}”` : ""}` : "Loading…"}</p>
        </div>
        <div className="page-header__actions">
          <input
            className="input search"
            type="search"
            data-testid="company-search"
            aria-label="Search companies"
            placeholder="Search companies…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="button" className="button button--primary" data-testid="new-company" onClick={() => setAdding(true)}>
            New company
          </button>
        </div>
      </header>

      {!rows && companies.loading && <SkeletonRows />}
      {!rows && companies.failed && <LoadFailed what="companies" onRetry={companies.reload} />}
      {rows && rows.length === 0 && (
        <div className="empty-note empty-note--panel">
          {query ? `No companies match “${query}”.` : "No companies yet. They are also created when you name a company on a contact or deal."}
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className={`table-wrap ${companies.loading ? "is-refreshing" : ""}`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Domain</th>
                <th scope="col">Industry</th>
                <th scope="col">Location</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} data-testid="company-row" className="table__row--link" onClick={() => navigate({ name: "company", id: c.id })}>
                  <td>
                    <a href={toHash({ name: "company", id: c.id })} className="strong">
                      {c.name}
                    </a>
                  </td>
                  <td>{c.domain ?? <span className="muted">—</span>}</td>
                  <td>{c.industry ?? <span className="muted">—</span>}</td>
                  <td>{c.location ?? <span className="muted">—</span>}</td>
                  <td>{c.size ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {adding && (
        <Modal title="New company" onClose={() => setAdding(false)}>
          <CompanyForm
            onCancel={() => setAdding(false)}
            onSaved={() => {
              setAdding(false);
              companies.reload();
            }}
          />
        </Modal>
      )}
    </div>
  );
}
