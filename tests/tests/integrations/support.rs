//! Shared pieces of the integration tests: a real OS keychain for the `outpost` processes (a private
//! D-Bus session with an unlocked GNOME Keyring, plus a named keyutils session keyring), and a
//! small HTTP/1.1 server on 127.0.0.1 whose behaviour each test scripts (respond, drop the
//! connection without answering, or hang past the client's timeout).

// Each test module uses a different subset of these helpers.
#![allow(dead_code)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    os::unix::fs::PermissionsExt,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    thread,
    time::Duration,
};

use anyhow::{bail, Context, Result};
use outpost_tests::{Run, Workspace};
use serde_json::Value;

/// A private, unlocked Secret Service (gnome-keyring on its own D-Bus) and a keyutils session
/// keyring that every `outpost` run joins by name, so secrets survive across process restarts
/// exactly as in a desktop session, and nothing touches the developer's real keychain.
pub struct Keychain {
    _dir: tempfile::TempDir,
    dbus: Child,
    env: Vec<(String, String)>,
    session: String,
}

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

impl Keychain {
    /// Starts the D-Bus session and unlocks a fresh keyring in it.
    pub fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        for sub in ["run", "data", "config"] {
            std::fs::create_dir(dir.path().join(sub))?;
            std::fs::set_permissions(dir.path().join(sub), std::fs::Permissions::from_mode(0o700))?;
        }
        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", dir.path().join("bus").display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("start dbus-daemon (apt install dbus)")?;
        let mut address = String::new();
        BufReader::new(dbus.stdout.take().context("dbus stdout")?).read_line(&mut address)?;
        let env = vec![
            ("DBUS_SESSION_BUS_ADDRESS".to_owned(), address.trim().to_owned()),
            ("XDG_RUNTIME_DIR".to_owned(), dir.path().join("run").display().to_string()),
            ("XDG_DATA_HOME".to_owned(), dir.path().join("data").display().to_string()),
            ("XDG_CONFIG_HOME".to_owned(), dir.path().join("config").display().to_string()),
        ];
        let mut unlock = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .context("start gnome-keyring-daemon (apt install gnome-keyring)")?;
        unlock.stdin.take().context("keyring stdin")?.write_all(b"test-password")?;
        if !unlock.wait()?.success() {
            bail!("gnome-keyring-daemon --unlock failed");
        }
        let session = format!("outpost-test-{}-{}", std::process::id(), SESSIONS.fetch_add(1, Ordering::SeqCst));
        Ok(Keychain { _dir: dir, dbus, env, session })
    }

    /// Switches later runs to a brand-new keyutils session keyring (empty), so what they read can
    /// only come from the Secret Service: the state after a logout or reboot.
    pub fn fresh_session(&mut self) {
        self.session = format!("outpost-test-{}-{}", std::process::id(), SESSIONS.fetch_add(1, Ordering::SeqCst));
    }

    /// `cmd` run inside this keychain: joined to the named keyutils session keyring, with the
    /// private D-Bus session in its environment.
    pub fn wrap(&self, cmd: &Command) -> Command {
        let mut wrapped = Command::new("keyctl");
        wrapped.arg("session").arg(&self.session).arg(cmd.get_program()).args(cmd.get_args());
        for (key, value) in cmd.get_envs() {
            match value {
                Some(value) => wrapped.env(key, value),
                None => wrapped.env_remove(key),
            };
        }
        wrapped.envs(self.env.iter().map(|(k, v)| (k, v)));
        wrapped.stdout(Stdio::piped()).stderr(Stdio::piped());
        wrapped
    }

    /// Runs `outpost --json ARGS…` of `ws` inside this keychain with extra environment.
    pub fn run(&self, ws: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Result<Run> {
        let mut cmd = ws.command();
        cmd.arg("--json").args(args).envs(env.iter().copied());
        let output = self.wrap(&cmd).output().with_context(|| format!("run outpost {args:?}"))?;
        Ok(Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    /// Like [`Keychain::run`] but requires success and returns the JSON output.
    pub fn json(&self, ws: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Result<Value> {
        let run = self.run(ws, args, env)?;
        if run.code != Some(0) {
            bail!("outpost {args:?} exited {:?}: {}", run.code, run.stderr);
        }
        run.json()
    }

    /// The secret the Secret Service holds for Outpost under `reference`, read with `secret-tool`
    /// (a different client than the `keyring` crate, so this proves the store is real).
    pub fn lookup(&self, reference: &str) -> Result<Option<String>> {
        let output = Command::new("secret-tool")
            .args(["lookup", "service", "outpost-integrations", "username", reference])
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .context("run secret-tool (apt install libsecret-tools)")?;
        Ok(output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
    }

    /// Everything the Secret Service holds for Outpost, as `secret-tool search --all` prints it.
    pub fn search_all(&self) -> Result<String> {
        let output = Command::new("secret-tool")
            .args(["search", "--all", "service", "outpost-integrations"])
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .context("run secret-tool (apt install libsecret-tools)")?;
        Ok(format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        // gnome-keyring-daemon exits when its bus goes away.
        let _ = self.dbus.kill();
        let _ = self.dbus.wait();
    }
}

/// All bytes of the workspace's database files (main file and WAL), for "no secret in SQLite" checks.
pub fn database_bytes(ws: &Workspace) -> Result<Vec<u8>> {
    let mut all = Vec::new();
    for name in ["outpost.db", "outpost.db-wal"] {
        if let Ok(bytes) = std::fs::read(ws.data_dir().join(name)) {
            all.extend(bytes);
        }
    }
    if all.is_empty() {
        bail!("no database in {}", ws.data_dir().display());
    }
    Ok(all)
}

/// True if `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// One HTTP request received by a [`FakeServer`].
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// Decoded query parameters.
    pub query: HashMap<String, String>,
    /// Headers, names lower-cased.
    pub headers: HashMap<String, String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A header value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The body as a form (`application/x-www-form-urlencoded`).
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The body as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// What the fake server does with a request.
pub enum Reply {
    /// Answer with this status, extra headers and body.
    Respond(u16, Vec<(String, String)>, String),
    /// Close the connection without answering (a lost acknowledgement).
    Drop,
    /// Keep the connection open without answering until the server stops (a timeout).
    Hang,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Self {
        Reply::Respond(status, vec![("Content-Type".into(), "application/json".into())], body.to_string())
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A real HTTP/1.1 server on 127.0.0.1 (a thread per connection, one request per connection).
pub struct FakeServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl FakeServer {
    /// Starts serving with `handler` on a free loopback port.
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stopping = stop.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (handler, stopping) = (handler.clone(), stopping.clone());
                thread::spawn(move || serve(stream, &*handler, &stopping));
            }
        });
        Ok(FakeServer { addr, stop })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn read_request(stream: &TcpStream) -> Result<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().context("no method")?.to_owned();
    let target = parts.next().context("no target")?.to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length = headers.get("content-length").and_then(|l| l.parse::<usize>().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    Ok(Request { method, path: path.to_owned(), query, headers, body })
}

fn serve(mut stream: TcpStream, handler: &Handler, stop: &AtomicBool) {
    let Ok(request) = read_request(&stream) else { return };
    match handler(&request) {
        Reply::Respond(status, headers, body) => {
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Reply::Drop => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::Hang => {
            while !stop.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// A browser's GET: status and `Location` of the answer (redirects are not followed).
pub fn browser_get(address: &str) -> Result<(u16, Option<String>)> {
    let url = url::Url::parse(address)?;
    let host = url.host_str().context("no host")?;
    if host != "127.0.0.1" {
        bail!("the test browser only visits 127.0.0.1, not {host}");
    }
    let mut stream = TcpStream::connect((host, url.port().context("no port")?))?;
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("no status")?;
    let location = answer
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix("Location: ").or_else(|| l.strip_prefix("location: ")))
        .map(str::to_owned);
    Ok((status, location))
}
