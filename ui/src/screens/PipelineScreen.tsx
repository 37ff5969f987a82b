import { useEffect, useMemo, useRef, useState } from "react";
import type { Board } from "../bindings/Board";
import type { Deal } from "../bindings/Deal";
import { attr, BoardScroller } from "../components/BoardScroller";
import { DealForm } from "../components/DealForm";
import { EmptyBoard } from "../components/EmptyBoard";
import { Modal } from "../components/Modal";
import { PipelineSummary } from "../components/PipelineSummary";
import { StageColumn } from "../components/StageColumn";
import { LoadFailed } from "../components/States";
import { useApi, useBanner } from "../context";
import { useLoad } from "../hooks";

/** The most common currency on the board, used to pre-fill new deals. */
function mainCurrency(board: Board | undefined): string | undefined {
  const counts = new Map<string, number>();
  for (const col of board?.stages ?? []) for (const d of col.deals) counts.set(d.currency, (counts.get(d.currency) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The pipeline board, the default screen. */
export function PipelineScreen() {
  const api = useApi();
  const { report } = useBanner();
  const board = useLoad(() => api.board(), [api]);
  const [adding, setAdding] = useState<string | null>(null);
  const [movingId, setMovingId] = useState<string | null>(null);

  const data = board.data;
  const stageNames = useMemo(() => data?.stages.map((c) => c.stage.name) ?? [], [data]);
  const dealCount = data?.stages.reduce((n, c) => n + c.deal_count, 0) ?? 0;

  // A deal moved from its stage select lands in another column as a new element: put the
  // keyboard focus back on its select there, not on <body>.
  // Waits for the board loaded after the move (not the one it was moved on).
  const refocus = useRef<{ id: string; before: Board | undefined } | null>(null);
  useEffect(() => {
    const wanted = refocus.current;
    if (!wanted || movingId || board.loading || data === wanted.before) return;
    refocus.current = null;
    document.querySelector<HTMLSelectElement>(`[data-deal-id="${attr(wanted.id)}"] [data-testid="deal-move-select"]`)?.focus();
  }, [data, movingId, board.loading]);

  const move = (dealId: string, stage: string, from?: string) => {
    if (from === stage || movingId) return;
    if (document.activeElement?.closest(`[data-deal-id="${attr(dealId)}"]`)) refocus.current = { id: dealId, before: data };
    setMovingId(dealId);
    api
      .moveDeal({ id: dealId, stage })
      .then(board.reload, (error: unknown) => {
        report(error);
        board.reload();
      })
      .finally(() => setMovingId(null));
  };
  const findStage = (dealId: string) => data?.stages.find((c) => c.deals.some((d) => d.id === dealId))?.stage.name;

  return (
    <div className="screen screen--board">
      <header className="page-header">
        <div>
          <h1>{data?.name ?? "Pipeline"}</h1>
          <div className="page-header__meta" aria-live="polite">
            {data ? <PipelineSummary board={data} dealCount={dealCount} /> : "Loading…"}
          </div>
        </div>
        <div className="page-header__actions">
          <button type="button" className="button button--primary" data-testid="new-deal" onClick={() => setAdding(stageNames[0] ?? "")}>
            New deal
          </button>
        </div>
      </header>

      {!data && board.loading && <BoardSkeleton />}
      {!data && board.failed && <LoadFailed what="the pipeline" onRetry={board.reload} />}
      {data && dealCount === 0 && <EmptyBoard onAddDeal={() => setAdding(stageNames[0] ?? "")} />}
      {data && dealCount > 0 && (
        <BoardScroller className={`board ${board.loading ? "is-refreshing" : ""}`} busy={board.loading}>
          {data.stages.map((column) => (
            <StageColumn
              key={column.stage.id}
              column={column}
              stages={stageNames}
              movingId={movingId}
              onMove={(deal: Deal, stage) => move(deal.id, stage, deal.stage)}
              onDropDeal={(id, stage) => move(id, stage, findStage(id))}
              onAdd={setAdding}
            />
          ))}
        </BoardScroller>
      )}

      {adding !== null && (
        <Modal title="New deal" onClose={() => setAdding(null)} wide>
          <DealForm
            stages={stageNames}
            defaultStage={adding || stageNames[0]}
            defaultCurrency={mainCurrency(data)}
            onCancel={() => setAdding(null)}
            onSaved={() => {
              setAdding(null);
              board.reload();
            }}
          />
        </Modal>
      )}
    </div>
  );
}

function BoardSkeleton() {
  return (
    <div className="board" aria-hidden="true">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="stage stage--skeleton">
          <div className="skeleton skeleton--line" />
          <div className="skeleton skeleton--card" />
        </div>
      ))}
    </div>
  );
}
