//! The desktop app's OAuth sign-in (RFC 8252): `tauri-plugin-oauth` runs the loopback redirect
//! listener (127.0.0.1, random port, one per attempt); the core builds the PKCE + state
//! authorisation address, checks the callback (path and state) and exchanges the code. The address
//! opens in the system browser (never the webview) through `tauri-plugin-opener` (xdg-open on
//! Linux, so `$BROWSER` is honoured); the UI also shows it in case no browser could be started.

use std::{
    collections::HashMap,
    sync::{mpsc, Mutex},
    time::Duration,
};

use outpost_core::{
    integrations::connections::{
        self, loopback::CALLBACK_PATH, oauth, Attempt, Connection, OAuthClient, PendingSignIn, Provider,
    },
    Ctx, Error, ErrorPayload,
};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

/// How long a sign-in may take in the browser.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// A started attempt, the port of its listener, and where the listener hands the callback URL.
type Waiting = (Attempt, u16, mpsc::Receiver<String>);

/// Sign-ins waiting for their browser callback, by attempt id.
#[derive(Default)]
pub struct SignIns(Mutex<HashMap<String, Waiting>>);

fn failed(message: impl Into<String>) -> ErrorPayload {
    ErrorPayload::from(Error::Remote(message.into()))
}

/// Starts a sign-in: a fresh loopback listener, and the authorisation address opened in the
/// system browser.
pub fn begin(app: &AppHandle, pending: &SignIns, req: Provider) -> Result<PendingSignIn, ErrorPayload> {
    let (sender, receiver) = mpsc::channel();
    let port = tauri_plugin_oauth::start(move |url| {
        let _ = sender.send(url);
    })
    .map_err(|e| failed(format!("cannot listen on 127.0.0.1 for the sign-in redirect ({e})")))?;
    let attempt = match connections::begin(req, &format!("http://127.0.0.1:{port}{CALLBACK_PATH}")) {
        Ok(attempt) => attempt,
        Err(e) => {
            let _ = tauri_plugin_oauth::cancel(port);
            return Err(ErrorPayload::from(e));
        }
    };
    let started = PendingSignIn { attempt_id: attempt.state.clone(), authorize_url: attempt.authorize_url.clone() };
    let mut waiting = pending.0.lock().map_err(|_| ErrorPayload::from(Error::Poisoned))?;
    waiting.insert(started.attempt_id.clone(), (attempt, port, receiver));
    drop(waiting);
    // The UI shows the address too, so a machine without a browser can still finish by hand.
    if let Err(error) = app.opener().open_url(&started.authorize_url, None::<&str>) {
        tracing::warn!(%error, "could not open the system browser for the sign-in");
    }
    Ok(started)
}

/// Waits for the browser to come back to the attempt's listener, checks the callback and stores
/// the connection (tokens in the OS keychain).
pub async fn finish(
    ctx: &Ctx,
    oauth: &dyn OAuthClient,
    pending: &SignIns,
    req: String,
) -> Result<Connection, ErrorPayload> {
    let entry = pending.0.lock().map_err(|_| ErrorPayload::from(Error::Poisoned))?.remove(&req);
    let (attempt, port, receiver) = entry.ok_or_else(|| failed("this sign-in is no longer pending; start again"))?;
    let received = tauri::async_runtime::spawn_blocking(move || receiver.recv_timeout(SIGN_IN_TIMEOUT))
        .await
        .map_err(|e| failed(format!("the sign-in wait failed ({e})")))?;
    let _ = tauri_plugin_oauth::cancel(port);
    let url = received.map_err(|_| failed("no sign-in answer arrived within 5 minutes; start again"))?;
    let code = match oauth::check_callback(&attempt, &url) {
        Ok(code) => code,
        Err(oauth::CallbackError::WrongPath) => {
            return Err(failed("the browser came back to an unexpected address; start again"))
        }
        Err(oauth::CallbackError::Refused(message)) => return Err(failed(message)),
    };
    connections::complete(ctx, oauth, &attempt, &code).await.map_err(ErrorPayload::from)
}
