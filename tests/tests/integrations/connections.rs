//! `outpost connections …` against a fake Google OAuth server: the full RFC 8252 flow (PKCE S256,
//! state, loopback redirect, wrong path ignored), wrong state and replayed codes refused, refresh
//! before expiry, revocation leading to `reconnect`, removal revoking and deleting the tokens, and
//! the tokens surviving a process restart in a real keychain (never in SQLite or output).

use std::{
    io::{BufRead, BufReader, Read},
    process::Stdio,
};

use anyhow::{bail, Context, Result};
use outpost_tests::{Run, Workspace};

use super::{
    fake_oauth::{self, ACCOUNT, CLIENT_ID},
    support::{browser_get, contains, database_bytes, Keychain},
};

fn env(oauth_url: &str) -> [(&'static str, String); 2] {
    [("OUTPOST_GOOGLE_OAUTH_URL", oauth_url.to_owned()), ("OUTPOST_GOOGLE_CLIENT_ID", CLIENT_ID.to_owned())]
}

/// Connects `provider` through the fake OAuth server at `oauth_url` (a straight sign-in) and
/// returns the connection id.
pub(super) fn connect_provider(keychain: &Keychain, ws: &Workspace, provider: &str, oauth_url: &str) -> Result<String> {
    let upper = provider.to_ascii_uppercase();
    let env = [
        (format!("OUTPOST_{upper}_OAUTH_URL"), oauth_url.to_owned()),
        (format!("OUTPOST_{upper}_CLIENT_ID"), CLIENT_ID.to_owned()),
    ];
    let run = connect_with(keychain, ws, provider, &env, |url| {
        assert_eq!(sign_in(url, |u| u)?, 200);
        Ok(())
    })?;
    if run.code != Some(0) {
        bail!("connect {provider} failed: {}", run.stderr);
    }
    Ok(run.json()?["id"].as_str().unwrap_or_default().to_owned())
}

/// Runs `outpost connections add google`, hands the printed address to `browser`, and returns
/// the finished run.
fn connect(
    keychain: &Keychain,
    ws: &Workspace,
    oauth_url: &str,
    browser: impl FnOnce(&str) -> Result<()>,
) -> Result<Run> {
    let env = env(oauth_url).map(|(k, v)| (k.to_owned(), v));
    connect_with(keychain, ws, "google", &env, browser)
}

fn connect_with(
    keychain: &Keychain,
    ws: &Workspace,
    provider: &str,
    env: &[(String, String)],
    browser: impl FnOnce(&str) -> Result<()>,
) -> Result<Run> {
    let mut cmd = ws.command();
    cmd.args(["--json", "connections", "add", provider, "--timeout-secs", "60"]).envs(env.iter().map(|(k, v)| (k, v)));
    let mut child = keychain.wrap(&cmd).stdin(Stdio::null()).spawn()?;
    let mut stderr = BufReader::new(child.stderr.take().context("stderr")?);
    let mut printed = String::new();
    let url = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line)? == 0 {
            let _ = child.wait();
            bail!("outpost exited before printing an address: {printed}");
        }
        printed.push_str(&line);
        if line.starts_with("http") {
            break line.trim().to_owned();
        }
    };
    let browsed = browser(&url);
    if browsed.is_err() {
        let _ = child.kill();
    }
    let mut rest = String::new();
    stderr.read_to_string(&mut rest)?;
    let mut stdout = String::new();
    child.stdout.take().context("stdout")?.read_to_string(&mut stdout)?;
    let status = child.wait()?;
    browsed?;
    Ok(Run { code: status.code(), stdout, stderr: format!("{printed}{rest}") })
}

/// The browser: visits the provider, then the loopback redirect it answers with (after a stray
/// request for another path, which must be ignored), optionally tampered with.
fn sign_in(url: &str, tamper: impl FnOnce(url::Url) -> url::Url) -> Result<u16> {
    let (status, location) = browser_get(url)?;
    assert_eq!(status, 302, "the provider should redirect to the loopback listener");
    let callback = url::Url::parse(&location.context("no Location")?)?;
    assert_eq!(callback.host_str(), Some("127.0.0.1"));
    assert_eq!(callback.path(), "/oauth/callback");
    let mut stray = callback.clone();
    stray.set_path("/favicon.ico");
    assert_eq!(browser_get(stray.as_str())?.0, 404, "other paths are not the callback");
    Ok(browser_get(tamper(callback).as_str())?.0)
}

fn with_param(mut url: url::Url, name: &str, value: &str) -> url::Url {
    let pairs: Vec<(String, String)> =
        url.query_pairs().into_owned().map(|(k, v)| if k == name { (k, value.to_owned()) } else { (k, v) }).collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url
}

#[test]
fn full_flow_keeps_tokens_in_the_keychain_across_restarts_and_remove_revokes_them() -> Result<()> {
    let (server, oauth) = fake_oauth::start(3_600)?;
    let mut keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let run = connect(&keychain, &ws, &server.url(), |url| {
        assert!(url.contains("code_challenge_method=S256") && url.contains("state="));
        assert_eq!(sign_in(url, |u| u)?, 200);
        Ok(())
    })?;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let connection = run.json()?;
    let id = connection["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!((connection["provider"].as_str(), connection["account"].as_str()), (Some("google"), Some(ACCOUNT)));
    assert_eq!(connection["status"], "connected");
    assert_eq!(oauth.lock().expect("oauth").token_requests, ["authorization_code"]);

    // The tokens are in the real Secret Service (read by secret-tool), not in SQLite or the output.
    let stored = keychain.lookup(&format!("connection:{id}"))?.context("no keychain entry")?;
    assert!(stored.contains("ya29.access-2-Zq8xW2") && stored.contains("1//refresh-1-Kp7Vb3"), "{stored}");
    let db = database_bytes(&ws)?;
    assert!(!contains(&db, "Zq8xW2") && !contains(&db, "Kp7Vb3"));
    assert!(!run.stdout.contains("Zq8xW2") && !run.stderr.contains("Kp7Vb3"));

    // A new process in a new keyutils session (as after a reboot) reads them back and uses them.
    keychain.fresh_session();
    let env = env(&server.url());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let tested = keychain.json(&ws, &["connections", "test", &id], &env)?;
    assert_eq!(tested["status"], "connected");
    assert!(tested["last_sync_at"].is_string());
    assert_eq!(oauth.lock().expect("oauth").userinfo_tokens.last().map(String::as_str), Some("ya29.access-2-Zq8xW2"));
    let listed = keychain.json(&ws, &["connections", "list"], &env)?;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["account"], ACCOUNT);

    let removed = keychain.json(&ws, &["connections", "remove", &id], &env)?;
    assert_eq!(removed["revoked"], true);
    assert_eq!(oauth.lock().expect("oauth").revoked, ["1//refresh-1-Kp7Vb3"]);
    assert_eq!(keychain.lookup(&format!("connection:{id}"))?, None, "the tokens are deleted from the keychain");
    assert_eq!(keychain.json(&ws, &["connections", "list"], &env)?.as_array().map(Vec::len), Some(0));
    Ok(())
}

#[test]
fn a_callback_with_the_wrong_state_ends_the_attempt_without_a_token_request() -> Result<()> {
    let (server, oauth) = fake_oauth::start(3_600)?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let run = connect(&keychain, &ws, &server.url(), |url| {
        assert_eq!(sign_in(url, |u| with_param(u, "state", "forged-by-another-site"))?, 400);
        Ok(())
    })?;
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("state"), "{}", run.stderr);
    assert!(oauth.lock().expect("oauth").token_requests.is_empty(), "no code was exchanged");
    let env = env(&server.url());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(keychain.json(&ws, &["connections", "list"], &env)?.as_array().map(Vec::len), Some(0));
    assert!(!keychain.search_all()?.contains("connection:"), "nothing stored in the keychain");
    Ok(())
}

#[test]
fn a_replayed_code_is_refused_and_changes_nothing() -> Result<()> {
    let (server, oauth) = fake_oauth::start(3_600)?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let mut first_code = String::new();
    let first = connect(&keychain, &ws, &server.url(), |url| {
        assert_eq!(
            sign_in(url, |u| {
                first_code =
                    u.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).unwrap_or_default();
                u
            })?,
            200
        );
        Ok(())
    })?;
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = first.json()?;

    // A second attempt receives the first attempt's (already used) code with its own valid state.
    let replay = connect(&keychain, &ws, &server.url(), |url| {
        assert_eq!(sign_in(url, |u| with_param(u, "code", &first_code))?, 200);
        Ok(())
    })?;
    assert_ne!(replay.code, Some(0));
    assert!(replay.stderr.contains("already used"), "{}", replay.stderr);
    assert_eq!(oauth.lock().expect("oauth").token_requests, ["authorization_code", "authorization_code"]);
    let env = env(&server.url());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let listed = keychain.json(&ws, &["connections", "list"], &env)?;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0], before, "the existing connection is untouched");
    Ok(())
}

#[test]
fn tokens_are_refreshed_before_expiry_and_a_revoked_grant_asks_to_reconnect() -> Result<()> {
    // Access tokens that live 30 s: inside the one-minute margin, so every use refreshes first.
    let (server, oauth) = fake_oauth::start(30)?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let run = connect(&keychain, &ws, &server.url(), |url| {
        assert_eq!(sign_in(url, |u| u)?, 200);
        Ok(())
    })?;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let connected = run.json()?;
    let id = connected["id"].as_str().unwrap_or_default().to_owned();
    let env = env(&server.url());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let tested = keychain.json(&ws, &["connections", "test", &id], &env)?;
    assert_eq!(tested["status"], "connected");
    {
        let oauth = oauth.lock().expect("oauth");
        assert_eq!(oauth.token_requests, ["authorization_code", "refresh_token"]);
        assert_eq!(
            oauth.userinfo_tokens.last().map(String::as_str),
            Some("ya29.access-3-Zq8xW2"),
            "the refreshed token is used"
        );
    }
    assert_ne!(tested["token_expires_at"], connected["token_expires_at"]);
    let stored = keychain.lookup(&format!("connection:{id}"))?.context("no keychain entry")?;
    assert!(stored.contains("ya29.access-3-Zq8xW2") && stored.contains("1//refresh-1-Kp7Vb3"), "{stored}");

    // The user revokes Outpost's access at the provider: the next check asks to reconnect.
    oauth.lock().expect("oauth").revoke_everything();
    let revoked = keychain.json(&ws, &["connections", "test", &id], &env)?;
    assert_eq!(revoked["status"], "reconnect");
    assert!(revoked["last_error"].as_str().unwrap_or_default().contains("connections add google"), "{revoked}");

    // Connecting the same account again renews it in place.
    let again = connect(&keychain, &ws, &server.url(), |url| {
        assert_eq!(sign_in(url, |u| u)?, 200);
        Ok(())
    })?;
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let renewed = again.json()?;
    assert_eq!((renewed["id"].as_str(), renewed["status"].as_str()), (Some(id.as_str()), Some("connected")));
    assert!(renewed["last_error"].is_null());
    Ok(())
}
