//! `outpost-server`: the Outpost sync server and its admin commands.
//!
//! ```text
//! outpost-server [--db sqlite:PATH|postgres://…] [--json] serve --listen 127.0.0.1:8787
//! outpost-server org create NAME            outpost-server org share NAME on|off
//! outpost-server org editing NAME on|off    (reps update others' shared records; default on)
//! outpost-server user add --org NAME --email E --role rep|manager|admin
//! outpost-server device-token --email E     (prints the token once)
//! outpost-server device-token revoke TOKEN_OR_ID
//! outpost-server compact [--min-updates N]
//! ```
//! Default database: `sqlite:$XDG_DATA_HOME/outpost/outpost-server.db` (`~/.local/share/outpost`).

use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use outpost_server::server::{bind_and_serve, ServerConfig};
use outpost_server::store::{self, hash_token, new_device_token, Quotas, TOKEN_PREFIX};
use outpost_sync::protocol::Role;

#[derive(Parser)]
#[command(name = "outpost-server", version, about = "Outpost sync server")]
struct Cli {
    /// Database: sqlite:PATH or postgres://USER@HOST:PORT/DB (default: SQLite in the XDG data dir).
    #[arg(long, global = true, env = "OUTPOST_SERVER_DB")]
    db: Option<String>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
        /// Average requests per second per device.
        #[arg(long, default_value_t = 50.0)]
        rate_per_sec: f64,
        /// Burst size per device.
        #[arg(long, default_value_t = 200.0)]
        rate_burst: f64,
        /// Seconds between background maintenance runs: compaction, and the scrub (VACUUM) after
        /// erasures; erased bytes stay on disk at most this long plus one run (0 = never).
        #[arg(long, default_value_t = 60)]
        compact_every_secs: u64,
        /// Compact documents with at least this many stored updates.
        #[arg(long, default_value_t = 32)]
        compact_min_updates: u32,
        /// Milliseconds a WebSocket may stay open without a hello.
        #[arg(long, default_value_t = 10_000)]
        hello_timeout_ms: u64,
        /// Milliseconds a request's head, and then its body, may take to arrive (slow clients
        /// are disconnected); also how long an idle keep-alive connection stays open.
        #[arg(long, default_value_t = 30_000)]
        read_timeout_ms: u64,
        /// Most documents one user may own.
        #[arg(long, default_value_t = Quotas::default().max_docs_per_user)]
        max_docs_per_user: u64,
        /// Most update bytes one user may store per UTC day.
        #[arg(long, default_value_t = Quotas::default().max_bytes_per_user_per_day)]
        max_bytes_per_user_per_day: u64,
    },
    /// Manage organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Issue a device token for a user (shown once), or revoke one.
    DeviceToken {
        /// The user's e-mail address (to issue a token).
        #[arg(long)]
        email: Option<String>,
        /// A label for the device.
        #[arg(long, default_value = "")]
        label: String,
        #[command(subcommand)]
        command: Option<TokenCommand>,
    },
    /// Merge each document's stored updates into one snapshot now.
    Compact {
        /// Compact documents with at least this many stored updates.
        #[arg(long, default_value_t = 2)]
        min_updates: u32,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation.
    Create {
        /// Its unique name.
        name: String,
    },
    /// Share `org`-visible records with reps (on, the default) or not (off).
    Share {
        /// The organisation.
        name: String,
        /// on or off.
        setting: String,
    },
    /// Let reps update other people's shared records (on, the default) or only their own (off).
    /// Deleting, erasing and re-owning always need the owner, a manager or an admin.
    Editing {
        /// The organisation.
        name: String,
        /// on or off.
        setting: String,
    },
}

fn on_off(setting: &str) -> Result<bool> {
    match setting {
        "on" => Ok(true),
        "off" => Ok(false),
        other => bail!("`{other}` is not a setting; use on or off"),
    }
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user to an organisation.
    Add {
        /// The organisation.
        #[arg(long)]
        org: String,
        /// The user's e-mail address (unique).
        #[arg(long)]
        email: String,
        /// rep, manager or admin.
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Revoke a device by its token or device id; it fails on its next request.
    Revoke {
        /// The token (opd_…) or the device id.
        token_or_id: String,
    },
}

fn default_db() -> Result<String> {
    let dir = dirs::data_dir().context("cannot find the XDG data directory; pass --db sqlite:PATH")?.join("outpost");
    Ok(format!("sqlite:{}", dir.join("outpost-server.db").display()))
}

fn print(json: bool, value: serde_json::Value, text: String) {
    if json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let db = match cli.db {
        Some(db) => db,
        None => default_db()?,
    };
    let store =
        store::open(&db).await.with_context(|| format!("cannot open the database {}", store::redacted_url(&db)))?;
    let json = cli.json;
    match cli.command {
        Command::Serve {
            listen,
            rate_per_sec,
            rate_burst,
            compact_every_secs,
            compact_min_updates,
            hello_timeout_ms,
            read_timeout_ms,
            max_docs_per_user,
            max_bytes_per_user_per_day,
        } => {
            let config = ServerConfig {
                rate_per_sec,
                rate_burst,
                rate_clock: Default::default(),
                compact_every: (compact_every_secs > 0).then(|| Duration::from_secs(compact_every_secs)),
                compact_min_updates,
                hello_timeout: Duration::from_millis(hello_timeout_ms.max(1)),
                read_timeout: Duration::from_millis(read_timeout_ms.max(1)),
                quotas: Quotas { max_docs_per_user, max_bytes_per_user_per_day },
            };
            let handle = bind_and_serve(&listen, store, config).await?;
            print(
                json,
                serde_json::json!({"listening": handle.addr.to_string()}),
                format!("listening on {}", handle.addr),
            );
            tokio::select! {
                _ = tokio::signal::ctrl_c() => handle.shutdown().await,
            }
        }
        Command::Org { command: OrgCommand::Create { name } } => {
            let org = store.create_org(&name).await?;
            print(json, serde_json::to_value(&org)?, format!("created organisation {} (id {})", org.name, org.id));
        }
        Command::Org { command: OrgCommand::Share { name, setting } } => {
            let org = store.set_org_sharing(&name, on_off(&setting)?).await?;
            print(
                json,
                serde_json::to_value(&org)?,
                format!("organisation {} shares records: {}", org.name, org.share_records),
            );
        }
        Command::Org { command: OrgCommand::Editing { name, setting } } => {
            let org = store.set_org_editing(&name, on_off(&setting)?).await?;
            print(
                json,
                serde_json::to_value(&org)?,
                format!("organisation {} lets reps edit shared records: {}", org.name, org.share_editing),
            );
        }
        Command::User { command: UserCommand::Add { org, email, role } } => {
            let role =
                Role::parse(&role).with_context(|| format!("`{role}` is not a role; use rep, manager or admin"))?;
            let user = store.add_user(&org, &email, role).await?;
            print(
                json,
                serde_json::to_value(&user)?,
                format!("added {} to {} as {}", user.email, user.org, role.as_str()),
            );
        }
        Command::DeviceToken { command: Some(TokenCommand::Revoke { token_or_id }), .. } => {
            let key = if token_or_id.starts_with(TOKEN_PREFIX) { hash_token(&token_or_id) } else { token_or_id };
            if !store.revoke_device(&key).await? {
                bail!("no active device matches; check the token or device id (it may already be revoked)");
            }
            print(json, serde_json::json!({"revoked": true}), "device revoked".into());
        }
        Command::DeviceToken { email: Some(email), label, command: None } => {
            let token = new_device_token()?;
            let device_id = store.create_device(&email, &label, &hash_token(&token)).await?;
            print(
                json,
                serde_json::json!({"device_id": device_id, "token": token}),
                format!("device {device_id}\ntoken (shown once, store it now): {token}"),
            );
        }
        Command::DeviceToken { email: None, .. } => bail!("pass --email E to issue a token, or `revoke TOKEN_OR_ID`"),
        Command::Compact { min_updates } => {
            let stats = store.compact(min_updates).await?;
            print(json, serde_json::to_value(stats)?, format!("compacted {} documents", stats.docs));
        }
    }
    Ok(())
}
