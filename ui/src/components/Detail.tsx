import type { ReactNode } from "react";

/** Label/value pairs for a record's fields; empty values show a dash. */
export function Facts(props: { items: ReadonlyArray<[string, ReactNode]> }) {
  return (
    <dl className="facts">
      {props.items.map(([label, value]) => (
        <div key={label} className="facts__item">
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === "" ? <span className="muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A titled card on a detail page. */
export function Panel(props: { title: string; count?: number | undefined; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`panel ${props.className ?? ""}`} aria-label={props.title}>
      <header className="panel__header">
        <h2>
          {props.title}
          {props.count !== undefined && <span className="panel__count">{props.count}</span>}
        </h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

/** The "← Back" link above a detail page. */
export function BackLink(props: { href: string; label: string }) {
  return (
    <a className="back-link" href={props.href}>
      ← {props.label}
    </a>
  );
}
