//! Test harness: a seeded RNG, a throwaway PostgreSQL cluster, account set-up and server start.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use outpost_server::server::{serve, ServerConfig, ServerHandle};
use outpost_server::store::{hash_token, new_device_token, Store};
use outpost_sync::protocol::Role;

/// SplitMix64: small, seeded, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// A throwaway PostgreSQL cluster on 127.0.0.1, stopped on drop.
pub struct PgCluster {
    _dir: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

fn pg_bin_dir() -> Result<PathBuf> {
    if let Ok(dir) = std::env::var("OUTPOST_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().context(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb): install them with \
         `apt-get install -y postgresql` or point OUTPOST_PG_BIN at the bin directory",
    )
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn run_pg(bin: &std::path::Path, tool: &str, args: &[&str]) -> Result<()> {
    let exe = bin.join(tool);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    let out = cmd.args(args).output().with_context(|| format!("cannot run {}", exe.display()))?;
    if !out.status.success() {
        bail!("{tool} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl PgCluster {
    /// initdb + pg_ctl start (as the `postgres` user when running as root).
    pub fn start() -> Result<Self> {
        let bin = pg_bin_dir()?;
        let dir = tempfile::Builder::new().prefix("outpost-pg").tempdir()?;
        let root = dir.path().to_path_buf();
        if is_root() {
            let st = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&root).status()?;
            if !st.success() {
                bail!(
                    "cannot chown {} to postgres (does the `postgres` user exist? apt-get install postgresql)",
                    root.display()
                );
            }
        }
        let data = root.join("data");
        let data_s = data.to_string_lossy().to_string();
        run_pg(&bin, "initdb", &["-D", &data_s, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])?;
        let port = free_port()?;
        let opts = format!("-k {} -h 127.0.0.1 -p {port} -F -c max_connections=200", root.display());
        let log = root.join("pg.log").to_string_lossy().to_string();
        run_pg(&bin, "pg_ctl", &["-D", &data_s, "-l", &log, "-w", "-t", "60", "-o", &opts, "start"])?;
        Ok(PgCluster { _dir: dir, data, bin, port })
    }

    /// Creates database `name` and returns its URL.
    pub async fn create_db(&self, name: &str) -> Result<String> {
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await?;
        let task = tokio::spawn(conn);
        client.batch_execute(&format!("CREATE DATABASE {name}")).await?;
        drop(client);
        let _ = task.await;
        Ok(format!("postgres://postgres@127.0.0.1:{}/{name}", self.port))
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.data.to_string_lossy().to_string();
        let _ = run_pg(&self.bin, "pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

/// A device token for `email`.
pub async fn token_for(store: &dyn Store, email: &str) -> Result<String> {
    let token = new_device_token()?;
    store.create_device(email, "test", &hash_token(&token)).await?;
    Ok(token)
}

/// Organisation `org` with the given users; returns nothing (tokens via [`token_for`]).
pub async fn org_with(store: &dyn Store, org: &str, users: &[(&str, Role)]) -> Result<()> {
    store.create_org(org).await?;
    for (email, role) in users {
        store.add_user(org, email, *role).await?;
    }
    Ok(())
}

/// Serves `store` on 127.0.0.1:0 without automatic compaction; returns the handle and base URL.
pub async fn start_server(store: Arc<dyn Store>, config: Option<ServerConfig>) -> Result<(ServerHandle, String)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let config = config.unwrap_or(ServerConfig {
        rate_per_sec: 10_000.0,
        rate_burst: 10_000.0,
        compact_every: None,
        compact_min_updates: 2,
        ..ServerConfig::default()
    });
    let handle = serve(listener, store, config)?;
    let url = format!("http://{}", handle.addr);
    Ok((handle, url))
}
