import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { Deal } from "../bindings/Deal";
import { daysSince, formatDays, formatMoney } from "../format";
import { navigate, toHash } from "../router";

/** MIME type carried by a dragged deal card. */
export const DEAL_DRAG_TYPE = "application/x-outpost-deal";

/**
 * The deal being dragged in this window. Some webviews hide custom drag data types until the
 * drop, so columns also consult this.
 */
export const dragged: { id: string | null } = { id: null };

/**
 * Keys that step a closed select through its options. In WebKitGTK (and Chromium) each of them
 * fires `change` at once, so a keyboard user browsing the stages would move the deal on the first
 * arrow press; after one of these the choice only stands once confirmed with Enter.
 */
const BROWSE_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
const isBrowseKey = (e: KeyboardEvent) => !e.altKey && !e.ctrlKey && !e.metaKey && (BROWSE_KEYS.has(e.key) || e.key.length === 1 && e.key !== " ");

/**
 * One deal on the board: draggable, with a stage select for keyboard and automation. A stage
 * picked with the mouse (or from the opened list) moves the deal at once; one browsed to with the
 * arrow keys waits for Enter (Escape puts the select back).
 */
export function DealCard(props: { deal: Deal; stages: readonly string[]; moving: boolean; onMove: (deal: Deal, stage: string) => void }) {
  const { deal } = props;
  const days = daysSince(deal.stage_entered_at);
  const who = [deal.company_name, deal.contact_name].filter(Boolean).join(" · ");
  const [pending, setPending] = useState<string | null>(null);
  const browsing = useRef(false);
  const hintId = useId();
  const commit = (stage: string) => {
    setPending(null);
    browsing.current = false;
    if (stage !== deal.stage) props.onMove(deal, stage);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLSelectElement>) => {
    if (e.key === "Enter" && pending !== null) {
      e.preventDefault();
      commit(pending);
    } else if (e.key === "Escape" && pending !== null) {
      e.preventDefault();
      e.stopPropagation();
      setPending(null);
      browsing.current = false;
    } else {
      browsing.current = isBrowseKey(e);
    }
  };
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
          className={`deal-card__move ${pending !== null ? "deal-card__move--pending" : ""}`}
          data-testid="deal-move-select"
          aria-label={`Stage of ${deal.title}`}
          aria-describedby={pending !== null ? hintId : undefined}
          value={pending ?? deal.stage}
          disabled={props.moving}
          onKeyDown={onKeyDown}
          onPointerDown={() => (browsing.current = false)}
          onBlur={() => {
            browsing.current = false;
            setPending(null);
          }}
          onChange={(e) => {
            const stage = e.target.value;
            if (browsing.current) setPending(stage === deal.stage ? null : stage);
            else commit(stage);
          }}
        >
          {props.stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {pending !== null && (
        <p className="deal-card__confirm" id={hintId} role="status" data-testid="deal-move-pending">
          Move to <strong>{pending}</strong>? <kbd>Enter</kbd> to move, <kbd>Esc</kbd> to keep {deal.stage}
        </p>
      )}
    </article>
  );
}
