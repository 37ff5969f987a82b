import { useState } from "react";
import type { BoardColumn } from "../bindings/BoardColumn";
import type { Deal } from "../bindings/Deal";
import { formatTotals } from "../format";
import { DEAL_DRAG_TYPE, DealCard, dragged } from "./DealCard";

/** One stage of the board: header with count and totals, a drop zone, and its cards. */
export function StageColumn(props: {
  column: BoardColumn;
  stages: readonly string[];
  movingId: string | null;
  onMove: (deal: Deal, stage: string) => void;
  onDropDeal: (dealId: string, stage: string) => void;
  onAdd: (stage: string) => void;
}) {
  const { stage, deals } = props.column;
  const [over, setOver] = useState(false);
  const isDeal = (types: readonly string[]) => dragged.id !== null || types.includes(DEAL_DRAG_TYPE);

  return (
    <section
      className={`stage stage--${stage.kind} ${over ? "stage--over" : ""}`}
      data-testid="stage-column"
      data-stage={stage.name}
      aria-label={`${stage.name} stage`}
      onDragOver={(e) => {
        if (!isDeal(Array.from(e.dataTransfer.types))) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
        if (!over) setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        setOver(false);
        const id = e.dataTransfer.getData(DEAL_DRAG_TYPE) || dragged.id;
        dragged.id = null;
        if (!id) return;
        e.preventDefault();
        props.onDropDeal(id, stage.name);
      }}
    >
      <header className="stage__header">
        <div className="stage__title">
          <h2 className="stage__name">{stage.name}</h2>
          <span className="stage__count" data-testid="stage-count" aria-label={`${props.column.deal_count} deals`}>
            {props.column.deal_count}
          </span>
          <button type="button" className="icon-button stage__add" aria-label={`Add a deal in ${stage.name}`} title={`Add a deal in ${stage.name}`} onClick={() => props.onAdd(stage.name)}>
            +
          </button>
        </div>
        <div className="stage__total" data-testid="stage-total" title={`${stage.name}: ${formatTotals(props.column.totals)}`}>
          {formatTotals(props.column.totals)}
        </div>
      </header>
      <div className="stage__cards">
        {deals.map((deal) => (
          <DealCard key={deal.id} deal={deal} stages={props.stages} moving={props.movingId === deal.id} onMove={props.onMove} />
        ))}
        {deals.length === 0 && <div className="stage__placeholder">Drop deals here</div>}
      </div>
    </section>
  );
}
