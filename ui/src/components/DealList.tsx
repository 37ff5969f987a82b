import type { Deal } from "../bindings/Deal";
import { formatDate, formatMoney } from "../format";
import { toHash } from "../router";

/** A compact list of deals linking to their detail pages. */
export function DealList(props: { deals: readonly Deal[] | undefined; empty: string }) {
  if (!props.deals) return <p className="empty-note">Loading deals…</p>;
  if (props.deals.length === 0) return <p className="empty-note">{props.empty}</p>;
  return (
    <ul className="deal-list">
      {props.deals.map((d) => (
        <li key={d.id} className="deal-list__item" data-testid="related-deal">
          <a href={toHash({ name: "deal", id: d.id })} className="strong">
            {d.title}
          </a>
          <span className={`badge badge--stage-${d.stage_kind}`}>{d.stage}</span>
          <span className="deal-list__value">{formatMoney(d.value, d.currency)}</span>
          <span className="muted deal-list__close">{d.expected_close ? `Closes ${formatDate(d.expected_close)}` : ""}</span>
        </li>
      ))}
    </ul>
  );
}
