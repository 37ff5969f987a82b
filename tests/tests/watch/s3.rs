//! An S3 prefix as a watched source, against a real S3-compatible server on 127.0.0.1 (moto's
//! server, started by the test). Objects are put with boto3, the AWS SDK for Python that ships
//! with moto. Nothing is mocked on the Outpost side: the `outpost` binary talks HTTP to the server.
//!
//! moto is found via `MOTO_SERVER` or `<repo>/.tools/venv/bin/moto_server` (`make test` installs
//! it); without it the test fails and says so.

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use anyhow::{bail, Context, Result};
use outpost_tests::{fixture, wait_for, Workspace};

use super::support::{emails, job_count, jobs_for, kinds, leads_csv, run_once};

/// Static credentials the server accepts; never real ones.
const CREDENTIALS: [(&str, &str); 6] = [
    ("AWS_ACCESS_KEY_ID", "test"),
    ("AWS_SECRET_ACCESS_KEY", "test"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("AWS_CONFIG_FILE", "/nonexistent/outpost-test-aws-config"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/outpost-test-aws-credentials"),
];

fn moto_server() -> Result<PathBuf> {
    let path = match std::env::var_os("MOTO_SERVER") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/moto_server"),
    };
    if !path.is_file() {
        bail!(
            "moto_server not found at {} (set MOTO_SERVER to override): run `make test` (installs moto into \
             .tools/venv), or `python3 -m venv .tools/venv && .tools/venv/bin/pip install 'moto[server]==5.2.5'`",
            path.display()
        );
    }
    Ok(path)
}

/// moto's server on a free loopback port; killed on drop.
struct Moto {
    child: Child,
    python: PathBuf,
    endpoint: String,
}

impl Moto {
    fn start() -> Result<Self> {
        let server = moto_server()?;
        let python = server.with_file_name("python");
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", server.display()))?;
        let moto = Moto { child, python, endpoint: format!("http://127.0.0.1:{port}") };
        wait_for(Duration::from_secs(60), "moto_server to accept connections", || {
            Ok(TcpStream::connect(("127.0.0.1", port)).ok())
        })?;
        Ok(moto)
    }

    /// Runs a boto3 snippet with `s3` bound to a client of this server.
    fn boto(&self, code: &str, args: &[&str]) -> Result<()> {
        let script = format!(
            "import sys, boto3\ns3 = boto3.client('s3', endpoint_url='{}', region_name='us-east-1')\n{code}\n",
            self.endpoint
        );
        let output = Command::new(&self.python)
            .arg("-c")
            .arg(script)
            .args(args)
            .envs(CREDENTIALS)
            .output()
            .context("run boto3")?;
        if !output.status.success() {
            bail!("boto3 failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(())
    }

    fn create_bucket(&self, bucket: &str) -> Result<()> {
        self.boto("s3.create_bucket(Bucket=sys.argv[1])", &[bucket])
    }

    fn put(&self, bucket: &str, key: &str, file: &Path) -> Result<()> {
        let file = file.to_str().context("utf-8 path")?;
        self.boto("s3.upload_file(sys.argv[3], sys.argv[1], sys.argv[2])", &[bucket, key, file])
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn new_objects_are_imported_once_across_polls_and_restarts() -> Result<()> {
    let moto = Moto::start()?;
    let ws = Workspace::new()?;
    let files = tempfile::tempdir()?;
    moto.create_bucket("leads")?;
    let source = ws.json(&["watch", "add", "s3://leads/incoming/", "--endpoint", &moto.endpoint])?;
    assert_eq!(source["kind"], "s3");

    let first = files.path().join("first.csv");
    std::fs::write(&first, leads_csv(3, "s3-first.example"))?;
    moto.put("leads", "incoming/first.csv", &first)?;
    moto.put("leads", "incoming/.hidden.csv", &first)?;
    moto.put("leads", "incoming/readme.md", &first)?;
    moto.put("leads", "elsewhere/other.csv", &fixture("csv/utf8.csv"))?;

    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(kinds(&events), [("incoming/first.csv".to_owned(), "imported".to_owned())]);
    assert_eq!(events[0]["imported"], 3);
    let jobs = jobs_for(&ws, "s3://leads/incoming/first.csv")?;
    assert_eq!(jobs.len(), 1, "the job names the object, not the temporary copy");
    assert_eq!(jobs[0]["source_kind"], "s3");
    assert_eq!(emails(&ws)?.len(), 3);
    // The temporary download is gone.
    let inbox = ws.data_dir().join("inbox");
    assert!(std::fs::read_dir(&inbox).map(|mut d| d.next().is_none()).unwrap_or(true), "inbox not cleaned");

    // A second object: only it is imported; the same content under another key is a duplicate.
    let second = files.path().join("second.csv");
    std::fs::write(&second, leads_csv(2, "s3-second.example"))?;
    moto.put("leads", "incoming/second.csv", &second)?;
    moto.put("leads", "incoming/first-copy.csv", &first)?;
    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(
        kinds(&events),
        [
            ("incoming/first-copy.csv".to_owned(), "duplicate".to_owned()),
            ("incoming/second.csv".to_owned(), "imported".to_owned())
        ]
    );
    assert_eq!(emails(&ws)?.len(), 5);

    // A restart imports nothing again.
    let jobs_before = job_count(&ws)?;
    assert_eq!(run_once(&ws, &CREDENTIALS)?, Vec::<serde_json::Value>::new());
    assert_eq!(job_count(&ws)?, jobs_before);
    let listed = &ws.json(&["watch", "list"])?[0];
    assert_eq!(listed["status"], "ok");
    assert_eq!(listed["files_processed"], 3);
    assert_eq!(listed["last_import"]["key"], "incoming/second.csv");
    Ok(())
}

#[test]
fn unreachable_or_missing_buckets_are_recorded_and_retried() -> Result<()> {
    let moto = Moto::start()?;
    let ws = Workspace::new()?;
    ws.json(&["watch", "add", "s3://not-created-yet", "--endpoint", &moto.endpoint])?;

    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["event"], "source_error");
    let listed = &ws.json(&["watch", "list"])?[0];
    assert_eq!(listed["status"], "error");
    let error = listed["last_error"].as_str().unwrap_or_default();
    assert!(error.contains("cannot list s3://not-created-yet") && error.contains("credentials"), "{error}");

    // Once the bucket exists, the next poll succeeds and clears the error.
    moto.create_bucket("not-created-yet")?;
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), leads_csv(1, "retry.example"))?;
    moto.put("not-created-yet", "late.csv", file.path())?;
    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(kinds(&events), [("late.csv".to_owned(), "imported".to_owned())]);
    let listed = &ws.json(&["watch", "list"])?[0];
    assert_eq!(listed["status"], "ok");
    assert!(listed["last_error"].is_null(), "{listed}");
    Ok(())
}
