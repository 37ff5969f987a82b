//! A fake OAuth server (Google's and Dropbox's endpoint paths) on 127.0.0.1 that behaves like the real one where it matters: codes
//! are single-use and bound to the redirect URI and PKCE challenge (checked against the verifier),
//! refresh tokens can be revoked, and the user-info endpoint accepts only live access tokens.
//! Also used by the desktop sign-in test (`desktop_signin.rs`), which needs fewer of its helpers.

#![allow(dead_code)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use anyhow::Result;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::support::{FakeServer, Reply, Request};

/// The client id the tests configure.
pub const CLIENT_ID: &str = "outpost-test-client.apps.example";
/// The account every token belongs to.
pub const ACCOUNT: &str = "rep@example.com";

struct Grant {
    challenge: String,
    redirect_uri: String,
    used: bool,
}

/// What the fake provider knows and saw.
#[derive(Default)]
pub struct OAuthState {
    grants: HashMap<String, Grant>,
    /// Live access tokens and the refresh token they came from.
    access: HashMap<String, String>,
    /// Refresh tokens and whether they are revoked.
    refresh: HashMap<String, bool>,
    issued: usize,
    /// `expires_in` of issued access tokens.
    pub expires_in: i64,
    /// `grant_type` of every token request, in order.
    pub token_requests: Vec<String>,
    /// Tokens posted to the revocation endpoint.
    pub revoked: Vec<String>,
    /// Access tokens presented to the user-info endpoint.
    pub userinfo_tokens: Vec<String>,
}

impl OAuthState {
    /// True if `authorization` (`Bearer …`) carries a live access token.
    pub fn authorised(&self, authorization: Option<&str>) -> bool {
        authorization.and_then(|h| h.strip_prefix("Bearer ")).is_some_and(|t| self.access.contains_key(t))
    }

    /// Revokes every grant, as a user does from their account settings.
    pub fn revoke_everything(&mut self) {
        self.access.clear();
        self.refresh.values_mut().for_each(|revoked| *revoked = true);
    }

    fn issue(&mut self, refresh: &str) -> String {
        self.issued += 1;
        let access = format!("ya29.access-{}-{}", self.issued, "Zq8xW2");
        self.access.insert(access.clone(), refresh.to_owned());
        access
    }
}

fn invalid_grant(description: &str) -> Reply {
    Reply::json(400, json!({ "error": "invalid_grant", "error_description": description }))
}

fn handle(state: &mut OAuthState, req: &Request) -> Reply {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/o/oauth2/v2/auth" | "/oauth2/authorize") => {
            let q = &req.query;
            let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
            let ok = q.get("client_id").map(String::as_str) == Some(CLIENT_ID)
                && q.get("response_type").map(String::as_str) == Some("code")
                && q.get("code_challenge_method").map(String::as_str) == Some("S256")
                && (q.get("access_type").map(String::as_str) == Some("offline")
                    || q.get("token_access_type").map(String::as_str) == Some("offline"))
                && redirect.starts_with("http://127.0.0.1:");
            if !ok {
                return Reply::Respond(400, vec![], "bad authorisation request".into());
            }
            state.issued += 1;
            let code = format!("4/code-{}", state.issued);
            let challenge = q.get("code_challenge").cloned().unwrap_or_default();
            state.grants.insert(code.clone(), Grant { challenge, redirect_uri: redirect.clone(), used: false });
            let mut location = url::Url::parse(&redirect).expect("redirect uri checked above");
            location
                .query_pairs_mut()
                .append_pair("code", &code)
                .append_pair("state", q.get("state").map(String::as_str).unwrap_or_default());
            Reply::Respond(302, vec![("Location".into(), location.to_string())], String::new())
        }
        ("POST", "/token" | "/oauth2/token") => {
            let form = req.form();
            let grant_type = form.get("grant_type").cloned().unwrap_or_default();
            state.token_requests.push(grant_type.clone());
            if form.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
                return Reply::json(401, json!({ "error": "invalid_client" }));
            }
            match grant_type.as_str() {
                "authorization_code" => {
                    let code = form.get("code").cloned().unwrap_or_default();
                    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
                    let Some(grant) = state.grants.get_mut(&code) else { return invalid_grant("unknown code") };
                    if grant.used {
                        return invalid_grant("code already used");
                    }
                    grant.used = true;
                    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != grant.challenge {
                        return invalid_grant("PKCE verification failed");
                    }
                    if form.get("redirect_uri") != Some(&grant.redirect_uri) {
                        return invalid_grant("redirect_uri mismatch");
                    }
                    let refresh = format!("1//refresh-{}-Kp7Vb3", state.issued);
                    state.refresh.insert(refresh.clone(), false);
                    let access = state.issue(&refresh);
                    Reply::json(
                        200,
                        json!({ "access_token": access, "refresh_token": refresh, "expires_in": state.expires_in,
                                "token_type": "Bearer", "scope": "openid email" }),
                    )
                }
                "refresh_token" => {
                    let refresh = form.get("refresh_token").cloned().unwrap_or_default();
                    if state.refresh.get(&refresh) != Some(&false) {
                        return invalid_grant("Token has been expired or revoked.");
                    }
                    let access = state.issue(&refresh);
                    Reply::json(
                        200,
                        json!({ "access_token": access, "expires_in": state.expires_in, "token_type": "Bearer" }),
                    )
                }
                _ => Reply::json(400, json!({ "error": "unsupported_grant_type" })),
            }
        }
        ("POST", "/revoke") => {
            let token = req.form().get("token").cloned().unwrap_or_default();
            state.revoked.push(token.clone());
            if let Some(revoked) = state.refresh.get_mut(&token) {
                *revoked = true;
                state.access.retain(|_, from| *from != token);
                return Reply::Respond(200, vec![], String::new());
            }
            if state.access.remove(&token).is_some() {
                return Reply::Respond(200, vec![], String::new());
            }
            Reply::json(400, json!({ "error": "invalid_token" }))
        }
        ("GET", "/v1/userinfo") | ("POST", "/2/users/get_current_account") => {
            let token = req.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default();
            state.userinfo_tokens.push(token.to_owned());
            if state.access.contains_key(token) {
                Reply::json(200, json!({ "sub": "1234", "email": ACCOUNT, "email_verified": true }))
            } else {
                Reply::json(401, json!({ "error": "invalid_token" }))
            }
        }
        _ => Reply::Respond(404, vec![], "not found".into()),
    }
}

/// Starts the fake provider; access tokens live `expires_in` seconds.
pub fn start(expires_in: i64) -> Result<(FakeServer, Arc<Mutex<OAuthState>>)> {
    let state = Arc::new(Mutex::new(OAuthState { expires_in, ..Default::default() }));
    let shared = state.clone();
    let server = FakeServer::start(move |req| handle(&mut shared.lock().expect("oauth state"), req))?;
    Ok((server, state))
}
