//! The proactive agent: a scheduler over an injectable clock. Each [`tick`] reads the facts at
//! the context's "now", plans what is due ([`plan::plan`], pure) and raises each alert as a stored
//! notification whose dedupe key guarantees it is raised exactly once, across restarts:
//! brief ready N hours before a meeting (default 2; the brief is generated and marked ready),
//! the daily pipeline digest at a local time (default 09:00), overdue tasks, stale deals and
//! passed close dates. It also drains the score dirty queue. The CLI (`outpost agent run`) and
//! the desktop app run the same loop.

pub mod digest;
pub mod facts;
pub mod plan;

use std::time::Duration;

use crate::{
    assist::alerts::{self, NewAlert, Notification},
    assist::briefs,
    assist::scores,
    Ctx, Result,
};

/// Score recomputations per tick.
const SCORE_BATCH: u32 = 2_000;

/// Runs one scheduling pass at the context clock's "now"; returns the notifications it raised.
pub async fn tick(ctx: &Ctx) -> Result<Vec<Notification>> {
    scores::refresh(ctx, SCORE_BATCH).await?;
    ctx.write(|tx| {
        let now = tx.now;
        let settings = facts::settings(&tx.sql)?;
        let facts = facts::gather(&tx.sql, now, &settings)?;
        let plan = plan::plan(now, &settings, &facts);
        let mut raised = Vec::new();
        for (meeting, alert) in &plan.briefs {
            let id = meeting.parse()?;
            briefs::refresh(tx, id, now)?;
            briefs::mark_ready(tx, id)?;
            raised.extend(alerts::raise(tx, alert)?);
        }
        if let Some(day) = plan.digest_for {
            let key = format!("digest:{day}");
            if !alerts::raised(&tx.sql, &key)? {
                let digest = digest::build(&tx.sql, now, &settings)?;
                let alert = NewAlert {
                    kind: "digest",
                    dedupe_key: key,
                    title: format!("Pipeline digest for {day}"),
                    body: digest::summary(&digest),
                    entity_type: None,
                    entity_id: None,
                    link: format!("outpost://digest/{day}"),
                };
                raised.extend(alerts::raise(tx, &alert)?);
            }
        }
        for alert in &plan.alerts {
            raised.extend(alerts::raise(tx, alert)?);
        }
        Ok(raised)
    })
}

/// Today's digest (local day of the context clock).
pub fn digest(ctx: &Ctx) -> Result<digest::Digest> {
    ctx.read(|conn| {
        let settings = facts::settings(conn)?;
        digest::build(conn, ctx.now(), &settings)
    })
}

/// Runs [`tick`] every `every` until `stop` resolves, handing each batch of new notifications to
/// `notify` (e.g. to show native notifications). A failed tick is logged and retried next time.
pub async fn run<F>(ctx: &Ctx, every: Duration, stop: F, mut notify: impl FnMut(&[Notification])) -> Result<()>
where
    F: std::future::Future<Output = ()>,
{
    tokio::pin!(stop);
    loop {
        match tick(ctx).await {
            Ok(raised) if !raised.is_empty() => notify(&raised),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "agent tick failed; retrying on the next tick"),
        }
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = tokio::time::sleep(every) => {}
        }
    }
}
