//! A real S3-compatible server on 127.0.0.1 for the watched-bucket tests: moto's server mode
//! (from PyPI), started per test and killed on drop. Objects are put with boto3, the AWS SDK for
//! Python that ships with moto; nothing is mocked on the Outpost side.
//!
//! moto is found via `MOTO_SERVER` or `<repo>/.tools/venv/bin/moto_server` (`make test` installs
//! it); without it the test fails and says so.
//!
//! [`Moto::start_with_auth`] turns on moto's IAM authentication: after the few set-up calls that
//! create a user and its access key, every request must be signed with that key, so a test can
//! show which credentials a client really used.

use std::{
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::wait_for;

/// Environment for a client of the server with static credentials it accepts while
/// authentication is off (never real ones), and no other AWS configuration.
pub const CREDENTIALS: [(&str, &str); 6] = [
    ("AWS_ACCESS_KEY_ID", "test"),
    ("AWS_SECRET_ACCESS_KEY", "test"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
    ("AWS_CONFIG_FILE", "/nonexistent/outpost-test-aws-config"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/outpost-test-aws-credentials"),
];

/// The IAM calls [`Moto::create_access_key`] makes before authentication starts.
const KEY_SETUP_CALLS: usize = 3;

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
pub struct Moto {
    child: Child,
    python: PathBuf,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// The access key boto3 signs with (`test`/`test` until [`Moto::create_access_key`]).
    key: (String, String),
}

impl Moto {
    /// Starts the server with authentication off: any credentials are accepted.
    pub fn start() -> Result<Self> {
        Self::spawn(None)
    }

    /// Starts the server with IAM authentication on once [`Moto::create_access_key`] has run:
    /// from then on only that key is accepted.
    pub fn start_with_auth() -> Result<Self> {
        Self::spawn(Some(KEY_SETUP_CALLS))
    }

    fn spawn(unauthenticated_calls: Option<usize>) -> Result<Self> {
        let server = moto_server()?;
        let python = server.with_file_name("python");
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut command = Command::new(&server);
        command.args(["-H", "127.0.0.1", "-p", &port.to_string()]).stdout(Stdio::null()).stderr(Stdio::null());
        if let Some(calls) = unauthenticated_calls {
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", calls.to_string());
        }
        let child = command.spawn().with_context(|| format!("start {}", server.display()))?;
        let moto = Moto {
            child,
            python,
            endpoint: format!("http://127.0.0.1:{port}"),
            key: ("test".to_owned(), "test".to_owned()),
        };
        wait_for(Duration::from_secs(60), "moto_server to accept connections", || {
            Ok(TcpStream::connect(("127.0.0.1", port)).ok())
        })?;
        Ok(moto)
    }

    /// Runs a boto3 snippet with `s3` and `iam` bound to clients of this server; returns stdout.
    fn boto(&self, code: &str, args: &[&str]) -> Result<String> {
        let script = format!(
            "import sys, json, boto3\n\
             s3 = boto3.client('s3', endpoint_url='{0}', region_name='us-east-1')\n\
             iam = boto3.client('iam', endpoint_url='{0}', region_name='us-east-1')\n{code}\n",
            self.endpoint
        );
        let output = Command::new(&self.python)
            .arg("-c")
            .arg(script)
            .args(args)
            .envs(CREDENTIALS)
            .env("AWS_ACCESS_KEY_ID", &self.key.0)
            .env("AWS_SECRET_ACCESS_KEY", &self.key.1)
            .output()
            .context("run boto3")?;
        if !output.status.success() {
            bail!("boto3 failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8(output.stdout)?)
    }

    /// Creates an IAM user allowed everything on S3 and an access key for it, which boto3 signs
    /// with from now on; returns (access key id, secret access key).
    pub fn create_access_key(&mut self, user: &str) -> Result<(String, String)> {
        let printed = self.boto(
            "user = sys.argv[1]\n\
             iam.create_user(UserName=user)\n\
             iam.put_user_policy(UserName=user, PolicyName='s3', PolicyDocument=json.dumps({'Version': \
             '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:*', 'Resource': '*'}]}))\n\
             key = iam.create_access_key(UserName=user)['AccessKey']\n\
             print(json.dumps({'id': key['AccessKeyId'], 'secret': key['SecretAccessKey']}))",
            &[user],
        )?;
        let key: Value = serde_json::from_str(printed.trim()).context("access key JSON from boto3")?;
        let id = key["id"].as_str().context("access key id")?.to_owned();
        let secret = key["secret"].as_str().context("secret access key")?.to_owned();
        self.key = (id.clone(), secret.clone());
        Ok((id, secret))
    }

    /// Creates a bucket.
    pub fn create_bucket(&self, bucket: &str) -> Result<()> {
        self.boto("s3.create_bucket(Bucket=sys.argv[1])", &[bucket]).map(drop)
    }

    /// Uploads `file` as `bucket/key`.
    pub fn put(&self, bucket: &str, key: &str, file: &Path) -> Result<()> {
        let file = file.to_str().context("utf-8 path")?;
        self.boto("s3.upload_file(sys.argv[3], sys.argv[1], sys.argv[2])", &[bucket, key, file]).map(drop)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
