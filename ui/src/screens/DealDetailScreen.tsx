import { useEffect, useId, useRef, useState } from "react";
import { ConfirmButton } from "../components/ConfirmButton";
import { CopilotPanel } from "../components/copilot/CopilotPanel";
import { MemoriesPanel } from "../components/copilot/MemoriesPanel";
import { DealForm } from "../components/DealForm";
import { BackLink, Facts, Panel } from "../components/Detail";
import { Modal } from "../components/Modal";
import { LoadFailed, SkeletonRows } from "../components/States";
import { PendingStageHint, useConfirmedSelect } from "../components/StageSelect";
import { TaskForm } from "../components/TaskForm";
import { TaskList } from "../components/TaskList";
import { Timeline } from "../components/Timeline";
import { useApi, useBanner } from "../context";
import { daysSince, formatDate, formatDateTime, formatDays, formatMoney, ownerName } from "../format";
import { useCurrentUser, useLoad } from "../hooks";
import { navigate, toHash } from "../router";

/** One deal: fields, stage, timeline (with stage changes) and tasks. */
export function DealDetailScreen(props: { id: string }) {
  const api = useApi();
  const { report } = useBanner();
  const { id } = props;
  const deal = useLoad(() => api.getDeal(id), [api, id]);
  const stages = useLoad(() => api.stages(), [api]);
  const activities = useLoad(() => api.listActivities({ deal_id: id, limit: 200 }), [api, id]);
  const tasks = useLoad(() => api.listTasks({ entity_id: id }), [api, id]);
  const me = useCurrentUser(api);
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);
  const d = deal.data?.id === id ? deal.data : undefined;
  const stageNames = stages.data?.map((s) => s.name) ?? (d ? [d.stage] : []);
  const stageSelectRef = useRef<HTMLSelectElement>(null);
  const stageSelectId = useId();
  const refocusStage = useRef(false);
  const move = (stage: string) => {
    if (!d || stage === d.stage) return;
    // Disabling the select while the move runs drops its focus; give it back afterwards.
    refocusStage.current = document.activeElement === stageSelectRef.current;
    setMoving(true);
    api
      .moveDeal({ id: d.id, stage })
      .then(() => (deal.reload(), activities.reload()), report)
      .finally(() => setMoving(false));
  };
  const stageSelect = useConfirmedSelect(d?.stage ?? "", move);
  useEffect(() => {
    if (moving || !refocusStage.current) return;
    refocusStage.current = false;
    stageSelectRef.current?.focus();
  }, [moving]);

  if (!d) {
    return (
      <div className="screen">
        <BackLink href={toHash({ name: "pipeline" })} label="Pipeline" />
        {deal.failed ? <LoadFailed what="this deal" onRetry={deal.reload} /> : <SkeletonRows rows={4} />}
      </div>
    );
  }

  return (
    <div className="screen screen--detail">
      <BackLink href={toHash({ name: "pipeline" })} label="Pipeline" />
      <header className="page-header">
        <div>
          <h1 data-testid="deal-name">{d.title}</h1>
          <p className="page-header__meta">
            <span className="strong">{formatMoney(d.value, d.currency)}</span>
            {" · "}
            {daysSince(d.stage_entered_at) === 0 ? `In ${d.stage} since today` : `${formatDays(daysSince(d.stage_entered_at))} in ${d.stage}`}
            {d.closed_at && ` · closed ${formatDateTime(d.closed_at)}`}
          </p>
        </div>
        <div className="page-header__actions">
          <div className="stage-picker">
            <label className="field__label" htmlFor={stageSelectId}>
              Stage
            </label>
            <select
              id={stageSelectId}
              {...stageSelect.selectProps}
              ref={stageSelectRef}
              className={`input stage-picker__select stage-picker--${d.stage_kind}`}
              data-testid="deal-stage-select"
              disabled={moving}
            >
              {stageNames.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            <PendingStageHint id={stageSelect.hintId} pending={stageSelect.pending} current={d.stage} />
          </div>
          <button type="button" className="button" data-testid="edit-deal" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ConfirmButton
            label="Delete"
            confirmLabel="Delete deal"
            question={`Delete “${d.title}”?`}
            testId="delete-deal"
            onConfirm={() => api.deleteDeal(d.id).then(() => navigate({ name: "pipeline" }), report)}
          />
        </div>
      </header>

      <div className="detail-grid">
        <div className="detail-grid__side">
          <Panel title="Details">
            <Facts
              items={[
                ["Value", formatMoney(d.value, d.currency)],
                ["Contact", d.contact_id ? <a href={toHash({ name: "contact", id: d.contact_id })}>{d.contact_name}</a> : null],
                ["Company", d.company_id ? <a href={toHash({ name: "company", id: d.company_id })}>{d.company_name}</a> : null],
                ["Expected close", d.expected_close && formatDate(d.expected_close)],
                ["Next step", d.next_step],
                ["Owner", ownerName(d.owner, me)],
                ["Created", formatDateTime(d.created_at)],
              ]}
            />
            {d.notes && <p className="notes">{d.notes}</p>}
          </Panel>
          <Panel title="Open tasks" count={tasks.data?.length}>
            <TaskForm link={{ deal_id: d.id }} onSaved={tasks.reload} />
            {tasks.data && <TaskList tasks={tasks.data} onChanged={tasks.reload} />}
          </Panel>
          <CopilotPanel focus={{ deal_id: d.id }} onApplied={() => (tasks.reload(), activities.reload(), deal.reload())} />
          <MemoriesPanel entityId={d.id} link={{ deal_id: d.id }} />
        </div>
        <Panel title="Timeline" className="detail-grid__main">
          <Timeline activities={activities.data} loading={activities.loading} link={{ deal_id: d.id, contact_id: d.contact_id ?? undefined, company_id: d.company_id ?? undefined }} onLogged={activities.reload} />
        </Panel>
      </div>

      {editing && (
        <Modal title="Edit deal" onClose={() => setEditing(false)} wide>
          <DealForm
            deal={d}
            stages={stageNames}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              deal.reload();
              activities.reload();
            }}
          />
        </Modal>
      )}
    </div>
  );
}
