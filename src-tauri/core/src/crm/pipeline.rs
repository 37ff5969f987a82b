//! Pipelines and their stages: what a stage means (open, won, lost), its probability and order.
//! The board that groups deals by stage is [`crate::crm::board`].

use rusqlite::{
    types::{FromSql, FromSqlError, FromSqlResult, ValueRef},
    Connection, OptionalExtension, Row,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    store::ids::{PipelineId, StageId},
    Ctx, Error, Result,
};

/// What a stage means for the deals in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StageKind {
    /// Still being worked.
    Open,
    /// Closed and won.
    Won,
    /// Closed and lost.
    Lost,
}

impl FromSql for StageKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "open" => Ok(StageKind::Open),
            "won" => Ok(StageKind::Won),
            "lost" => Ok(StageKind::Lost),
            other => Err(FromSqlError::Other(format!("unknown stage kind '{other}'").into())),
        }
    }
}

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Stage {
    /// Id.
    pub id: StageId,
    /// Pipeline it belongs to.
    pub pipeline_id: PipelineId,
    /// Name, unique within the pipeline (case-insensitive).
    pub name: String,
    /// Left-to-right order on the board.
    pub position: i64,
    /// Win probability in percent, for the weighted forecast.
    pub probability: i64,
    /// Open, won or lost.
    pub kind: StageKind,
}

fn stage_from_row(row: &Row<'_>) -> rusqlite::Result<Stage> {
    Ok(Stage {
        id: row.get(0)?,
        pipeline_id: row.get(1)?,
        name: row.get(2)?,
        position: row.get(3)?,
        probability: row.get(4)?,
        kind: row.get(5)?,
    })
}

const STAGE_COLUMNS: &str = "id, pipeline_id, name, position, probability, kind";

/// The default pipeline's id.
pub(crate) fn default_pipeline(conn: &Connection) -> Result<(PipelineId, String)> {
    conn.query_row("SELECT id, name FROM pipelines ORDER BY is_default DESC, created_at LIMIT 1", [], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })
    .optional()?
    .ok_or_else(|| Error::NotFound { entity: "pipeline", id: "default".into() })
}

/// The stages of a pipeline in board order.
pub(crate) fn stages_of(conn: &Connection, pipeline: PipelineId) -> Result<Vec<Stage>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {STAGE_COLUMNS} FROM stages WHERE pipeline_id = ?1 ORDER BY position"))?;
    let rows = stmt.query_map([pipeline], stage_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Finds a stage of `pipeline` by name (case-insensitive); an unknown name is a validation error
/// that lists the valid names.
pub(crate) fn stage_by_name(conn: &Connection, pipeline: PipelineId, name: &str) -> Result<Stage> {
    let stages = stages_of(conn, pipeline)?;
    let wanted = name.trim();
    stages.iter().find(|s| s.name.eq_ignore_ascii_case(wanted)).cloned().ok_or_else(|| {
        let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
        Error::invalid("stage", format!("unknown stage '{wanted}'; choose one of: {}", names.join(", ")))
    })
}

/// The stages of the default pipeline.
pub fn stages(ctx: &Ctx) -> Result<Vec<Stage>> {
    ctx.read(|conn| {
        let (pipeline, _) = default_pipeline(conn)?;
        stages_of(conn, pipeline)
    })
}
