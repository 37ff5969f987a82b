//! Helpers for Outpost's cross-crate end-to-end tests: run the real `outpost` binary on a
//! temporary data directory and read its JSON output.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Path of a binary built by this workspace (`outpost`, `outpost-desktop`), next to the test
/// executable's `deps/` folder, unless overridden by `OUTPOST_BIN_DIR`.
pub fn workspace_bin(name: &str) -> Result<PathBuf> {
    let dir = match std::env::var_os("OUTPOST_BIN_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let exe = std::env::current_exe().context("locate the test executable")?;
            exe.parent().and_then(Path::parent).context("test executable has no target dir")?.to_path_buf()
        }
    };
    let path = dir.join(name);
    if !path.exists() {
        bail!("{} is missing; build it first (`cargo build --workspace --bins`, or `make test`)", path.display());
    }
    Ok(path)
}

/// A temporary Outpost workspace driven through the real CLI.
pub struct Workspace {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

/// What one CLI run produced.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from_output(output: Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Stdout parsed as one JSON document.
    pub fn json(&self) -> Result<Value> {
        serde_json::from_str(&self.stdout).with_context(|| format!("stdout is not JSON: {}", self.stdout))
    }
}

impl Workspace {
    /// A fresh, empty data directory.
    pub fn new() -> Result<Self> {
        Ok(Workspace { dir: tempfile::tempdir().context("create temp dir")?, bin: workspace_bin("outpost")? })
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `outpost --data-dir DIR ARGS…`.
    pub fn run(&self, args: &[&str]) -> Result<Run> {
        let output = Command::new(&self.bin)
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env_remove("OUTPOST_DATA_DIR")
            .output()
            .with_context(|| format!("run outpost {args:?}"))?;
        Ok(Run::from_output(output))
    }

    /// Runs `outpost --json ARGS…`, requires success and returns the parsed output.
    pub fn json(&self, args: &[&str]) -> Result<Value> {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let run = self.run(&full)?;
        if run.code != Some(0) {
            bail!("outpost {args:?} exited {:?}: {}", run.code, run.stderr);
        }
        run.json()
    }

    /// Runs a command that must fail; returns the run for inspection.
    pub fn fails(&self, args: &[&str]) -> Result<Run> {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let run = self.run(&full)?;
        if run.code == Some(0) {
            bail!("outpost {args:?} should have failed but printed {}", run.stdout);
        }
        Ok(run)
    }

    /// Everything the workspace holds, as seen through the CLI (for "nothing changed" checks).
    pub fn snapshot(&self) -> Result<Value> {
        let mut all = serde_json::Map::new();
        for (key, args) in [
            ("contacts", &["contacts", "list"][..]),
            ("companies", &["companies", "list"]),
            ("deals", &["deals", "list"]),
            ("tasks", &["tasks", "list", "--all"]),
            ("activities", &["activities", "list"]),
            ("meetings", &["meetings", "list"]),
            ("audit", &["audit", "--limit", "1000"]),
        ] {
            all.insert(key.to_owned(), self.json(args)?);
        }
        Ok(Value::Object(all))
    }
}

/// The `id` field of a JSON record.
pub fn id_of(record: &Value) -> Result<String> {
    record["id"].as_str().map(str::to_owned).with_context(|| format!("no id in {record}"))
}
