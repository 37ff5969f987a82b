//! Starting a real `outpost-server` process in tests (feature `test-support`), shared by this
//! crate's hostile suite and the end-to-end tests in `outpost-tests`, so both set a server up the
//! same way: its admin commands against the store, then `serve` on 127.0.0.1, waiting for the
//! `{"listening": ADDR}` line it prints once the socket is bound (never a sleep).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// Why a test server could not be started or administered.
#[derive(Debug, thiserror::Error)]
pub enum TestServerError {
    /// The binary could not be run or its output read.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An admin command exited with an error.
    #[error("outpost-server {args:?} failed: {stderr}")]
    Failed {
        /// The command's arguments.
        args: Vec<String>,
        /// What it printed on stderr.
        stderr: String,
    },
    /// The server printed something other than the JSON expected.
    #[error("outpost-server printed {0:?}, not the JSON expected")]
    Output(String),
}

fn io(what: &str) -> impl FnOnce(std::io::Error) -> TestServerError + '_ {
    move |source| TestServerError::Io { what: what.to_string(), source }
}

/// The admin side of a store: `outpost-server --db DB --json ARGS…` runs.
#[derive(Debug, Clone)]
pub struct Admin {
    bin: PathBuf,
    db: String,
}

impl Admin {
    /// Admin commands of the binary `bin` on the store `db` (`sqlite:PATH` or `postgres://…`).
    pub fn new(bin: &Path, db: &str) -> Self {
        Admin { bin: bin.to_path_buf(), db: db.to_string() }
    }

    /// The store URL.
    pub fn db(&self) -> &str {
        &self.db
    }

    /// Runs `outpost-server --db DB --json ARGS…` and returns the JSON it printed.
    pub fn run(&self, args: &[&str]) -> Result<Value, TestServerError> {
        let out = Command::new(&self.bin)
            .args(["--db", &self.db, "--json"])
            .args(args)
            .output()
            .map_err(io("run outpost-server"))?;
        if !out.status.success() {
            return Err(TestServerError::Failed {
                args: args.iter().map(|a| a.to_string()).collect(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        serde_json::from_slice(&out.stdout)
            .map_err(|_| TestServerError::Output(String::from_utf8_lossy(&out.stdout).into_owned()))
    }

    /// Creates organisation `org`.
    pub fn create_org(&self, org: &str) -> Result<(), TestServerError> {
        self.run(&["org", "create", org]).map(drop)
    }

    /// Adds user `email` with `role` (`rep`, `manager`, `admin`) to `org`.
    pub fn add_user(&self, org: &str, email: &str, role: &str) -> Result<(), TestServerError> {
        self.run(&["user", "add", "--org", org, "--email", email, "--role", role]).map(drop)
    }

    /// A new device token of `email` (printed once by the server, stored hashed).
    pub fn token(&self, email: &str) -> Result<String, TestServerError> {
        let printed = self.run(&["device-token", "--email", email])?;
        printed["token"].as_str().map(str::to_string).ok_or_else(|| TestServerError::Output(printed.to_string()))
    }
}

/// A running `outpost-server serve` process, killed on drop.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    admin: Admin,
    serve_args: Vec<String>,
    /// The bound address, `127.0.0.1:PORT`.
    pub addr: String,
}

impl ServerProcess {
    /// Starts `outpost-server --db DB --json serve --listen LISTEN SERVE_ARGS…` and waits for the
    /// line saying where it listens (`listen` may use port 0).
    pub fn start(admin: &Admin, listen: &str, serve_args: &[&str]) -> Result<Self, TestServerError> {
        let serve_args: Vec<String> = serve_args.iter().map(|a| a.to_string()).collect();
        let (child, addr) = spawn(admin, listen, &serve_args)?;
        Ok(ServerProcess { child, admin: admin.clone(), serve_args, addr })
    }

    /// The server's process id (benchmarks read its CPU time from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://ADDR`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The admin commands of the served store.
    pub fn admin(&self) -> &Admin {
        &self.admin
    }

    /// Kills the server with SIGKILL (no shutdown, no checkpoint) and waits for it to die.
    pub fn kill9(&mut self) -> Result<(), TestServerError> {
        self.child.kill().map_err(io("kill -9 outpost-server"))?;
        self.child.wait().map_err(io("reap outpost-server")).map(drop)
    }

    /// Starts the server again on the same store, address and arguments (after [`Self::kill9`]).
    pub fn restart(&mut self) -> Result<(), TestServerError> {
        let (child, _) = spawn(&self.admin, &self.addr, &self.serve_args)?;
        self.child = child;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(admin: &Admin, listen: &str, serve_args: &[String]) -> Result<(Child, String), TestServerError> {
    let mut child = Command::new(&admin.bin)
        .args(["--db", &admin.db, "--json", "serve", "--listen", listen])
        .args(serve_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(io("start outpost-server"))?;
    let listening = child.stdout.take().map(|stdout| {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = match listening {
        Some(Ok(line)) => line,
        Some(Err(e)) => {
            let _ = child.kill();
            return Err(TestServerError::Io { what: "read the listening line".into(), source: e });
        }
        None => String::new(),
    };
    let addr =
        serde_json::from_str::<Value>(line.trim()).ok().and_then(|v| v["listening"].as_str().map(str::to_string));
    match addr {
        Some(addr) => Ok((child, addr)),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Err(TestServerError::Output(line))
        }
    }
}
