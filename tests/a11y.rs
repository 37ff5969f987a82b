//! axe-core in the real window: the pinned `axe-core` npm package (`tests/axe/package.json`,
//! installed by `make axe`) is read from disk, injected into the page over WebDriver and run on
//! the whole document; serious and critical violations are returned with their rule, the CSS
//! target of each offending node and axe's explanation.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use fantoccini::Client;
use serde_json::{json, Value};

/// Where `axe.min.js` is read from: `$OUTPOST_AXE`, else `tests/axe/node_modules/axe-core/`.
pub fn axe_path() -> PathBuf {
    std::env::var_os("OUTPOST_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("axe/node_modules/axe-core/axe.min.js"))
}

/// The axe-core source.
pub fn axe_source() -> Result<String> {
    let path = axe_path();
    std::fs::read_to_string(&path)
        .with_context(|| format!("read {} (install it with `make axe`: npm ci in tests/axe)", path.display()))
}

/// One node that breaks one rule.
#[derive(Debug, Clone)]
pub struct Violation {
    /// axe rule id, e.g. `color-contrast`.
    pub rule: String,
    /// `serious` or `critical`.
    pub impact: String,
    /// CSS selector of the node.
    pub target: String,
    /// Why it fails (axe's failure summary, with the measured figures).
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}) at {}: {}", self.rule, self.impact, self.target, self.message)
    }
}

/// Runs axe on the current page (injecting it first if this page has not got it yet) and returns
/// every serious or critical violation, one per offending node.
pub async fn serious_violations(client: &Client, source: &str) -> Result<Vec<Violation>> {
    let loaded = client.execute("return typeof window.axe === 'object';", vec![]).await?;
    if loaded.as_bool() != Some(true) {
        client.execute(source, vec![]).await.context("inject axe-core")?;
        let loaded = client.execute("return typeof window.axe === 'object';", vec![]).await?;
        if loaded.as_bool() != Some(true) {
            bail!("axe-core did not load into the page");
        }
    }
    let raw: Value = client.execute_async(RUN, vec![json!(["serious", "critical"])]).await.context("run axe")?;
    if let Some(error) = raw.get("error").and_then(Value::as_str) {
        bail!("axe failed: {error}");
    }
    let mut found = Vec::new();
    for rule in raw["violations"].as_array().context("axe returned no violations list")? {
        for node in rule["nodes"].as_array().into_iter().flatten() {
            found.push(Violation {
                rule: rule["id"].as_str().unwrap_or("?").to_owned(),
                impact: node["impact"].as_str().or_else(|| rule["impact"].as_str()).unwrap_or("?").to_owned(),
                target: node["target"].to_string(),
                message: node["failureSummary"]
                    .as_str()
                    .or_else(|| rule["help"].as_str())
                    .unwrap_or("")
                    .replace('\n', " ")
                    .trim()
                    .to_owned(),
            });
        }
    }
    Ok(found)
}

/// Runs axe over the document (WCAG 2.0/2.1/2.2 A and AA rules and best practices) and hands back
/// the violations of the given impacts.
const RUN: &str = r#"
const [impacts, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, { resultTypes: ['violations'] }).then(
  (r) => done({ violations: r.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter((n) => impacts.includes(n.impact)).map((n) => ({ impact: n.impact, target: n.target, failureSummary: n.failureSummary })),
  })) }),
  (e) => done({ error: String(e && e.message || e) }),
);
"#;
