// The pipeline header's money line: one currency in full, the others behind a disclosure.
import type { Board } from "../bindings/Board";
import { formatMoney } from "../format";

/** Open (not won or lost) value and weighted value in one currency. */
export interface OpenTotal {
  currency: string;
  value: number;
  weighted: number;
  deals: number;
}

/**
 * Open pipeline per currency, the primary one first: the currency most open deals are in (ties:
 * the larger value), then the rest by value. Amounts in different currencies are never added.
 */
export function openTotals(board: Board): OpenTotal[] {
  const open = new Map<string, OpenTotal>();
  for (const col of board.stages) {
    if (col.stage.kind !== "open") continue;
    for (const t of col.totals) {
      const sum = open.get(t.currency) ?? { currency: t.currency, value: 0, weighted: 0, deals: 0 };
      sum.value += t.value;
      sum.weighted += t.weighted;
      open.set(t.currency, sum);
    }
    for (const d of col.deals) {
      const sum = open.get(d.currency);
      if (sum) sum.deals += 1;
    }
  }
  const all = [...open.values()].filter((t) => t.value !== 0 || t.deals > 0);
  const primary = [...all].sort((a, b) => b.deals - a.deals || b.value - a.value)[0];
  const rest = all.filter((t) => t !== primary).sort((a, b) => b.value - a.value || a.currency.localeCompare(b.currency));
  return primary ? [primary, ...rest] : [];
}

const line = (t: OpenTotal) => `${formatMoney(t.value, t.currency)} open · ${formatMoney(Math.round(t.weighted), t.currency)} weighted`;

/** `41 deals · $340,000 open · $120,000 weighted · +6 other currencies ▾` */
export function PipelineSummary(props: { board: Board; dealCount: number }) {
  if (props.dealCount === 0) return <>No deals yet</>;
  const totals = openTotals(props.board);
  const [primary, ...others] = totals;
  const deals = `${props.dealCount} ${props.dealCount === 1 ? "deal" : "deals"}`;
  return (
    <>
      <span data-testid="pipeline-summary">{primary ? `${deals} · ${line(primary)}` : deals}</span>
      {others.length > 0 && (
        <details className="currency-more" data-testid="currency-more">
          <summary className="currency-more__toggle">
            +{others.length} other {others.length === 1 ? "currency" : "currencies"}
          </summary>
          <table className="currency-more__table" aria-label="Open pipeline in every currency">
            <thead>
              <tr>
                <th scope="col">Currency</th>
                <th scope="col" className="num">
                  Open
                </th>
                <th scope="col" className="num">
                  Weighted
                </th>
              </tr>
            </thead>
            <tbody>
              {totals.map((t) => (
                <tr key={t.currency}>
                  <th scope="row">{t.currency}</th>
                  <td className="num">{formatMoney(t.value, t.currency)}</td>
                  <td className="num">{formatMoney(Math.round(t.weighted), t.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}
