import type { Deal } from "../bindings/Deal";
import { daysSince, formatDays, formatMoney } from "../format";
import { navigate, toHash } from "../router";
import { PendingStageHint, useConfirmedSelect } from "./StageSelect";

/** MIME type carried by a dragged deal card. */
export const DEAL_DRAG_TYPE = "application/x-outpost-deal";

/**
 * The deal being dragged in this window. Some webviews hide custom drag data types until the
 * drop, so columns also consult this.
 */
export const dragged: { id: string | null } = { id: null };

/**
 * One deal on the board: draggable, with a stage select for keyboard and automation. A stage
 * picked with the mouse (or from the opened list) moves the deal at once; one browsed to with the
 * arrow keys waits for Enter (Escape puts the select back).
 */
export function DealCard(props: { deal: Deal; stages: readonly string[]; moving: boolean; onMove: (deal: Deal, stage: string) => void }) {
  const { deal } = props;
  const days = daysSince(deal.stage_entered_at);
  const who = [deal.company_name, deal.contact_name].filter(Boolean).join(" · ");
  const { pending, hintId, selectProps } = useConfirmedSelect(deal.stage, (stage) => props.onMove(deal, stage));
  return (
    <article
      className={`deal-card ${props.moving ? "deal-card--moving" : ""}`}
      data-testid="deal-card"
      data-deal-id={deal.id}
      draggable={!props.moving}
      aria-busy={props.moving || undefined}
      onDragStart={(e) => {
        e.dataTransfer.setData(DEAL_DRAG_TYPE, deal.id);
        e.dataTransfer.setData("text/plain", deal.id);
        e.dataTransfer.effectAllowed = "move";
        dragged.id = deal.id;
        e.currentTarget.classList.add("deal-card--dragging");
      }}
      onDragEnd={(e) => {
        dragged.id = null;
        e.currentTarget.classList.remove("deal-card--dragging");
      }}
      onClick={(e) => {
        const target = e.target as HTMLElement;
        if (target.closest("select, a, button")) return;
        navigate({ name: "deal", id: deal.id });
      }}
    >
      <a className="deal-card__title" data-testid="deal-title" draggable={false} href={toHash({ name: "deal", id: deal.id })}>
        {deal.title}
      </a>
      <div className="deal-card__value" data-testid="deal-value">
        {formatMoney(deal.value, deal.currency)}
      </div>
      {who && (
        <div className="deal-card__who" title={who}>
          {who}
        </div>
      )}
      <div className="deal-card__footer">
        <span className="deal-card__age" title={`In ${deal.stage} since ${new Date(deal.stage_entered_at).toLocaleDateString()}`}>
          {days === 0 ? "New in stage today" : `${formatDays(days)} in stage`}
        </span>
        <select
          {...selectProps}
          className={`deal-card__move ${pending !== null ? "deal-card__move--pending" : ""}`}
          data-testid="deal-move-select"
          aria-label={`Stage of ${deal.title}`}
          disabled={props.moving}
        >
          {props.stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <PendingStageHint id={hintId} pending={pending} current={deal.stage} />
    </article>
  );
}
