//! HTTP handlers: hello, push and pull.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::{internal, AppState};
use crate::authz::Principal;
use crate::protocol::{
    hello_from_headers, validate_push, ErrorCode, ErrorMessage, Hello, Pull, PushAck, PushOutcome, Welcome,
    HEADER_CLIENT, HEADER_PROTOCOL, MAX_PULL_LIMIT,
};

/// An error response: the wire error with its HTTP status.
pub(crate) struct ApiError(pub(crate) ErrorMessage);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

impl From<ErrorMessage> for ApiError {
    fn from(e: ErrorMessage) -> Self {
        ApiError(e)
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn admit_headers(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let hello = hello_from_headers(
        header(headers, "authorization"),
        header(headers, HEADER_PROTOCOL),
        header(headers, HEADER_CLIENT),
    )?;
    Ok(state.admit(&hello).await?)
}

/// Builds the welcome for an authenticated device.
pub(crate) fn welcome(who: &Principal) -> Welcome {
    Welcome {
        protocol_version: crate::PROTOCOL_VERSION,
        server_version: env!("CARGO_PKG_VERSION").to_string(),
        device_id: who.device_id.clone(),
        email: who.email.clone(),
        org: who.org_name.clone(),
        role: who.role,
    }
}

pub(crate) async fn hello(
    State(state): State<Arc<AppState>>,
    body: axum::body::Bytes,
) -> Result<Json<Welcome>, ApiError> {
    let hello: Hello = crate::protocol::decode(&body)?;
    let who = state.admit(&hello).await?;
    Ok(Json(welcome(&who)))
}

/// Validates, stores and announces a push (shared by HTTP and WebSocket).
pub(crate) async fn do_push(
    state: &AppState,
    who: &Principal,
    push: &crate::protocol::Push,
) -> Result<PushAck, ErrorMessage> {
    validate_push(push)?;
    for item in push.items.iter().filter(|item| !item.erase) {
        use yrs::updates::decoder::Decode;
        if yrs::Update::decode_v1(&item.update).is_err() {
            return Err(ErrorMessage::new(
                ErrorCode::BadRequest,
                format!("the update for document {} is not a yrs v1 update; nothing was stored", item.doc_id),
            ));
        }
    }
    let results = state.store.push(who, &push.items).await.map_err(internal)?;
    if results.iter().any(|r| matches!(r.outcome, PushOutcome::Stored { .. })) {
        let _ = state.changes.send(who.org_id);
    }
    Ok(PushAck { results })
}

pub(crate) async fn push(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<PushAck>, ApiError> {
    let who = admit_headers(&state, &headers).await?;
    let push = crate::protocol::decode(&body)?;
    Ok(Json(do_push(&state, &who, &push).await?))
}

/// Runs a pull for `who` with the limit capped (shared by HTTP and WebSocket).
pub(crate) async fn do_pull(
    state: &AppState,
    who: &Principal,
    pull: Pull,
) -> Result<crate::protocol::PullResponse, ErrorMessage> {
    let limit = pull.limit.unwrap_or(MAX_PULL_LIMIT).clamp(1, MAX_PULL_LIMIT);
    state.store.pull(who, pull.since, limit).await.map_err(internal)
}

#[derive(Deserialize)]
pub(crate) struct PullQuery {
    #[serde(default)]
    since: u64,
    limit: Option<u32>,
}

pub(crate) async fn pull_get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Response, ApiError> {
    let who = admit_headers(&state, &headers).await?;
    Ok(Json(do_pull(&state, &who, Pull { since: q.since, limit: q.limit }).await?).into_response())
}

pub(crate) async fn pull_post(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let who = admit_headers(&state, &headers).await?;
    let pull: Pull = crate::protocol::decode(&body)?;
    Ok(Json(do_pull(&state, &who, pull).await?).into_response())
}
