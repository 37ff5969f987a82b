//! HTTP handlers: hello, push and pull.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::{internal, AppState};
use crate::authz::Principal;
use outpost_sync::protocol::{
    hello_from_headers, validate_push, ErrorCode, ErrorMessage, Hello, Pull, PushAck, PushOutcome, Welcome,
    HEADER_CLIENT, HEADER_PROTOCOL, MAX_PULL_LIMIT, MAX_PUSH_BODY_BYTES,
};

/// A request body, or the protocol's `too_large` error when it passes [`MAX_PUSH_BODY_BYTES`].
type Body = Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>;

fn body(body: Body) -> Result<axum::body::Bytes, ApiError> {
    body.map_err(|e| {
        let code =
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE { ErrorCode::TooLarge } else { ErrorCode::BadRequest };
        ApiError(ErrorMessage::new(
            code,
            format!(
                "the request body could not be read ({e}); a message holds at most {MAX_PUSH_BODY_BYTES} bytes: \
                 send fewer or smaller changes per push"
            ),
        ))
    })
}

/// Reads the whole request body within the server's read timeout before any handler runs, so a
/// client trickling a body (slow-loris) is answered `408` and let go instead of holding a
/// connection and a task forever. A body past the message limit stops being read there; the
/// extractor then answers `too_large` as before.
pub(crate) async fn body_deadline(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(state.read_timeout, axum::body::to_bytes(body, MAX_PUSH_BODY_BYTES + 1)).await;
    let bytes = match read {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            return ApiError(ErrorMessage::new(
                ErrorCode::TooLarge,
                format!(
                    "the request body was cut off or passes {MAX_PUSH_BODY_BYTES} bytes, the most a message holds; \
                     send fewer or smaller changes per push"
                ),
            ))
            .into_response()
        }
        Err(_) => {
            let message = ErrorMessage::new(
                ErrorCode::BadRequest,
                format!(
                    "the request body did not arrive within {} s; send it in one go",
                    state.read_timeout.as_secs_f64()
                ),
            );
            let mut response = ApiError(message).into_response();
            *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
            response
                .headers_mut()
                .insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
            return response;
        }
    };
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

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

pub(crate) async fn admit_headers(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
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
        protocol_version: outpost_sync::PROTOCOL_VERSION,
        server_version: env!("CARGO_PKG_VERSION").to_string(),
        device_id: who.device_id.clone(),
        email: who.email.clone(),
        org: who.org_name.clone(),
        role: who.role,
    }
}

pub(crate) async fn hello(State(state): State<Arc<AppState>>, raw: Body) -> Result<Json<Welcome>, ApiError> {
    let hello: Hello = outpost_sync::protocol::decode(&body(raw)?)?;
    let who = state.admit(&hello).await?;
    Ok(Json(welcome(&who)))
}

/// Validates, stores and announces a push (shared by HTTP and WebSocket).
pub(crate) async fn do_push(
    state: &AppState,
    who: &Principal,
    push: &outpost_sync::protocol::Push,
) -> Result<PushAck, ErrorMessage> {
    validate_push(push)?;
    let results = state.store.push(who, &push.items, &state.quotas).await.map_err(internal)?;
    if results.iter().any(|r| matches!(r.outcome, PushOutcome::Stored { .. })) {
        let _ = state.changes.send(who.org_id);
    }
    Ok(PushAck { results })
}

pub(crate) async fn push(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Json<PushAck>, ApiError> {
    let who = admit_headers(&state, &headers).await?;
    let push = outpost_sync::protocol::decode(&body(raw)?)?;
    Ok(Json(do_push(&state, &who, &push).await?))
}

/// Runs a pull for `who` with the limit capped (shared by HTTP and WebSocket).
pub(crate) async fn do_pull(
    state: &AppState,
    who: &Principal,
    pull: Pull,
) -> Result<outpost_sync::protocol::PullResponse, ErrorMessage> {
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
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let who = admit_headers(&state, &headers).await?;
    // A malformed query gets the protocol's JSON error like every other refusal.
    let Query(q) = query.map_err(|e| {
        ApiError(ErrorMessage::new(
            ErrorCode::BadRequest,
            format!(
                "{}; `since` is a cursor from 0 to {} and `limit` a page size from 1 to {MAX_PULL_LIMIT}",
                e.body_text(),
                u64::MAX
            ),
        ))
    })?;
    Ok(Json(do_pull(&state, &who, Pull { since: q.since, limit: q.limit }).await?).into_response())
}

pub(crate) async fn pull_post(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let who = admit_headers(&state, &headers).await?;
    let pull: Pull = outpost_sync::protocol::decode(&body(raw)?)?;
    Ok(Json(do_pull(&state, &who, pull).await?).into_response())
}
