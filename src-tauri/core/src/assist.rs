//! What helps the rep act: meeting briefs, derived scores, the proactive alerts scheduler and
//! its stored alerts, the rep's private memories and the sales copilot.

pub mod alerts;
pub mod briefs;
pub mod copilot;
pub mod proactive;
pub mod scores;
