//! The CLI's loopback redirect listener (RFC 8252 §7.3): one per attempt, on 127.0.0.1 and a
//! random port, answering only the attempt's callback path. (The desktop app uses
//! `tauri-plugin-oauth` for the listener and hands the callback URL to [`super::complete`].)

use std::time::Duration;

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};

use super::oauth::{check_callback, Attempt, CallbackError};
use crate::{Error, Result};

/// The callback path of every attempt.
pub const CALLBACK_PATH: &str = "/oauth/callback";

/// A bound listener waiting for one attempt's callback.
pub struct Loopback {
    listener: TcpListener,
}

impl Loopback {
    /// Binds 127.0.0.1 on a random free port.
    pub async fn bind() -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Error::Remote(format!("cannot listen on 127.0.0.1 for the sign-in redirect ({e})")))?;
        Ok(Loopback { listener })
    }

    /// `http://127.0.0.1:PORT/oauth/callback`
    pub fn redirect_uri(&self) -> Result<String> {
        let port = self.listener.local_addr().map_err(|e| Error::Remote(e.to_string()))?.port();
        Ok(format!("http://127.0.0.1:{port}{CALLBACK_PATH}"))
    }

    /// Waits (up to `timeout`) for the browser to arrive with this attempt's callback and returns
    /// the authorisation code. Requests for other paths get a 404 and are ignored; a callback with
    /// a wrong state or an error ends the attempt.
    pub async fn wait(self, attempt: &Attempt, timeout: Duration) -> Result<String> {
        tokio::time::timeout(timeout, self.accept_loop(attempt)).await.map_err(|_| {
            Error::Remote(format!(
                "no sign-in answer arrived within {} s; run the command again and finish signing in in the browser",
                timeout.as_secs()
            ))
        })?
    }

    async fn accept_loop(self, attempt: &Attempt) -> Result<String> {
        loop {
            let (stream, _) = self
                .listener
                .accept()
                .await
                .map_err(|e| Error::Remote(format!("the sign-in listener failed ({e})")))?;
            let Ok((mut stream, target)) = read_target(stream).await else { continue };
            match check_callback(attempt, &target) {
                Ok(code) => {
                    respond(&mut stream, 200, "Outpost is connected. You can close this window.").await;
                    return Ok(code);
                }
                Err(CallbackError::WrongPath) => respond(&mut stream, 404, "Not found.").await,
                Err(CallbackError::Refused(message)) => {
                    respond(&mut stream, 400, "Sign-in failed; return to Outpost and try again.").await;
                    return Err(Error::Remote(message));
                }
            }
        }
    }
}

/// Reads the request line and headers; returns the request target of a GET.
async fn read_target(stream: TcpStream) -> std::io::Result<(TcpStream, String)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default().to_owned());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await? == 0 || header.trim().is_empty() {
            break;
        }
    }
    if method != "GET" {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not a GET"));
    }
    Ok((reader.into_inner(), target))
}

async fn respond(stream: &mut TcpStream, status: u16, text: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
