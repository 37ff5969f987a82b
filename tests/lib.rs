//! Helpers for Outpost's cross-crate end-to-end tests: run the real `outpost` binary on a
//! temporary data directory and read its JSON output.

pub mod a11y;
pub mod db_dump;
pub mod keyboard;
pub mod moto;
pub mod screens;
pub mod showcase;
pub mod visual;

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Path of a binary built by this workspace (`outpost`, `outpost-desktop`), next to the test
/// executable's `deps/` folder, unless overridden by `OUTPOST_BIN_DIR`.
///
/// The `outpost` CLI (crate `outpost-cli`) is built here first, once per test process, with the
/// test's own profile and target dir, so `cargo test -p outpost-tests` never runs a missing or
/// stale CLI (a package cannot depend on another package's binary on stable cargo). Other binaries
/// are built by `make build` (`cargo build --workspace --bins`).
pub fn workspace_bin(name: &str) -> Result<PathBuf> {
    let dir = match std::env::var_os("OUTPOST_BIN_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let exe = std::env::current_exe().context("locate the test executable")?;
            let dir = exe.parent().and_then(Path::parent).context("test executable has no target dir")?.to_path_buf();
            if name == "outpost" {
                build_cli_once(&dir)?;
            }
            dir
        }
    };
    let path = dir.join(name);
    if !path.exists() {
        bail!("{} is missing; build it first (`cargo build --workspace --bins`, or `make test`)", path.display());
    }
    Ok(path)
}

/// `cargo build -p outpost-cli` into `profile_dir` (`<target>/debug`, `<target>/release`, …),
/// run at most once per process; later calls return the first outcome.
fn build_cli_once(profile_dir: &Path) -> Result<()> {
    static BUILT: std::sync::OnceLock<std::result::Result<(), String>> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| build_cli(profile_dir).map_err(|e| format!("{e:#}"))).clone().map_err(anyhow::Error::msg)
}

fn build_cli(profile_dir: &Path) -> Result<()> {
    let target_dir = profile_dir.parent().context("the profile dir has no target dir")?;
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev",
        Some(other) => other,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/cli/Cargo.toml");
    let output = Command::new(&cargo)
        .args(["build", "--quiet", "-p", "outpost-cli", "--bin", "outpost", "--profile", profile])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .with_context(|| format!("run {} to build the outpost CLI", cargo.to_string_lossy()))?;
    if !output.status.success() {
        bail!("building the outpost CLI failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
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

    /// Runs `outpost --json ARGS…` with extra environment variables (e.g. `OUTPOST_SYNC_TOKEN`),
    /// requires success and returns the parsed output.
    pub fn json_env(&self, args: &[&str], env: &[(&str, &str)]) -> Result<Value> {
        let output = Command::new(&self.bin)
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--json")
            .args(args)
            .env_remove("OUTPOST_DATA_DIR")
            .envs(env.iter().copied())
            .output()
            .with_context(|| format!("run outpost {args:?}"))?;
        let run = Run::from_output(output);
        if run.code != Some(0) {
            bail!("outpost {args:?} exited {:?}: {}", run.code, run.stderr);
        }
        run.json()
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

    /// Every row of every table of the workspace's database, and its schema.
    pub fn db_dump(&self) -> Result<db_dump::DbDump> {
        db_dump::DbDump::of(&self.dir.path().join("outpost.db"))
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

/// A fixture file under `tests/fixtures/`, e.g. `fixture("csv/utf8.csv")`.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(relative)
}

impl Workspace {
    /// `outpost --data-dir DIR` as a command to add arguments to, spawn or run with extra env.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.bin);
        command.arg("--data-dir").arg(self.dir.path()).env_remove("OUTPOST_DATA_DIR");
        command
    }
}

/// Polls `check` every 100 ms until it returns `Some`, or fails after `timeout` with `what`.
pub fn wait_for<T>(
    timeout: std::time::Duration,
    what: &str,
    mut check: impl FnMut() -> Result<Option<T>>,
) -> Result<T> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check()? {
            return Ok(value);
        }
        if std::time::Instant::now() >= deadline {
            bail!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Driving the real desktop window: tauri-driver (which starts WebKitWebDriver) and a fantoccini
/// WebDriver session on `outpost-desktop`, plus polling helpers. Needs a display and D-Bus
/// (`make test-e2e` runs the tests under `xvfb-run` and `dbus-run-session`).
pub mod webdriver {
    use std::{
        net::TcpListener,
        path::{Path, PathBuf},
        process::{Child, Command, Stdio},
        time::{Duration, Instant},
    };

    use anyhow::{bail, Context, Result};
    use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
    use serde_json::{json, Value};

    use super::{workspace_bin, Workspace};

    /// tauri-driver as a child process, stopped with SIGTERM so it takes WebKitWebDriver down too.
    pub struct Driver {
        child: Child,
        port: u16,
    }

    impl Drop for Driver {
        fn drop(&mut self) {
            let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = self.child.kill();
        }
    }

    fn free_port() -> Result<u16> {
        Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
    }

    /// Starts tauri-driver (`$TAURI_DRIVER`, else `tauri-driver` on the PATH) on free ports.
    pub fn start_driver() -> Result<Driver> {
        start_driver_via(|command| command)
    }

    /// Like [`start_driver`], but `prepare` may add environment for the app (which inherits the
    /// driver's) or wrap the command, e.g. to run it inside a test keychain session.
    pub fn start_driver_via(prepare: impl FnOnce(Command) -> Command) -> Result<Driver> {
        let program = std::env::var_os("TAURI_DRIVER").map(PathBuf::from).unwrap_or_else(|| "tauri-driver".into());
        let (port, native_port) = (free_port()?, free_port()?);
        let mut command = Command::new(&program);
        command.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]);
        let child = prepare(command)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("start {} (install it with `make tauri-driver`)", program.display()))?;
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("tauri-driver did not listen on 127.0.0.1:{port} within 20 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    /// Opens a WebDriver session on `outpost-desktop --data-dir DATA_DIR`.
    pub async fn connect(driver: &Driver, data_dir: &Path) -> Result<Client> {
        let app = workspace_bin("outpost-desktop")?;
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": app, "args": ["--data-dir", data_dir] }));
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .context("open a WebDriver session on the app")
    }

    /// Waits up to 20 s for a CSS selector to match.
    pub async fn wait_for(client: &Client, css: &str) -> Result<Element> {
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("nothing matched {css} within 20 s"))
    }

    /// Polls the CLI until `check` accepts its JSON output (up to 15 s).
    pub fn wait_for_cli(ws: &Workspace, args: &[&str], check: impl Fn(&Value) -> bool) -> Result<Value> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let value = ws.json(args)?;
            if check(&value) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                bail!("outpost {args:?} never showed the expected state; last output: {value}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Saves a PNG screenshot of the window as `$OUTPOST_ARTIFACTS/NAME` (else in the temp dir).
    pub async fn save_screenshot(client: &Client, name: &str) -> Result<PathBuf> {
        let dir = std::env::var_os("OUTPOST_ARTIFACTS").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
        std::fs::create_dir_all(&dir)?;
        let png = client.screenshot().await?;
        if !png.starts_with(b"\x89PNG") {
            bail!("WebDriver screenshot is not a PNG");
        }
        let path = dir.join(name);
        std::fs::write(&path, png).with_context(|| format!("write {}", path.display()))?;
        Ok(path)
    }
}

/// The benchmarks' lead list: `rows` distinct people (`person{i}@company{c}.example`) across
/// `rows / 25` companies, with a website, one of 40 titles and one of 300 cities.
pub fn bench_leads(rows: usize) -> String {
    use std::fmt::Write as _;
    let mut csv = String::from("First Name,Last Name,Email,Company,Website,Job Title,City\n");
    for i in 0..rows {
        let company = i / 25;
        let _ = writeln!(
            csv,
            "First{i},Last{i},person{i}@company{company}.example,Company {company},https://company{company}.example,Title {},City {}",
            i % 40,
            company % 300
        );
    }
    csv
}
