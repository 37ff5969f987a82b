//! Pure encoding, decoding and validation of protocol messages (no sockets).

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{ErrorCode, ErrorMessage, Hello, Push, MAX_PUSH_ITEMS, MAX_UPDATE_BYTES};
use crate::PROTOCOL_VERSION;

/// Encodes a message as a JSON frame.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    // Serialising these plain structs to JSON cannot fail (no maps with non-string keys).
    serde_json::to_vec(message).unwrap_or_default()
}

/// Decodes a JSON frame into a message, or a `bad_request` error saying what is wrong.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ErrorMessage> {
    serde_json::from_slice(bytes).map_err(|e| {
        ErrorMessage::new(
            ErrorCode::BadRequest,
            format!("the message is not valid protocol JSON ({e}); check that client and server versions match"),
        )
    })
}

/// Checks a peer's protocol version against ours: an explicit error, never a silent merge.
pub fn check_version(peer_version: u32) -> Result<(), ErrorMessage> {
    use std::cmp::Ordering;
    match peer_version.cmp(&PROTOCOL_VERSION) {
        Ordering::Equal => Ok(()),
        Ordering::Less => Err(ErrorMessage::new(
            ErrorCode::ProtocolTooOld,
            format!(
                "this app speaks sync protocol {peer_version} but the server needs {PROTOCOL_VERSION}; \
                 update Outpost on this device to sync again"
            ),
        )),
        Ordering::Greater => Err(ErrorMessage::new(
            ErrorCode::ProtocolTooNew,
            format!(
                "this app speaks sync protocol {peer_version} but the server only knows {PROTOCOL_VERSION}; \
                 ask your administrator to update outpost-server"
            ),
        )),
    }
}

/// Builds (and version-checks) the hello of an HTTP request from its headers.
pub fn hello_from_headers(
    authorization: Option<&str>,
    protocol: Option<&str>,
    client: Option<&str>,
) -> Result<Hello, ErrorMessage> {
    let protocol_version = match protocol {
        None => {
            return Err(ErrorMessage::new(
                ErrorCode::BadRequest,
                format!("missing `{}` header; send the sync protocol version", super::HEADER_PROTOCOL),
            ))
        }
        Some(p) => p
            .trim()
            .parse::<u32>()
            .map_err(|_| ErrorMessage::new(ErrorCode::BadRequest, format!("`{p}` is not a protocol version number")))?,
    };
    check_version(protocol_version)?;
    let device_token = authorization
        .and_then(|a| a.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ErrorMessage::new(
                ErrorCode::Unauthorized,
                "missing device token; send `Authorization: Bearer <token>` with a token from `outpost-server device-token`",
            )
        })?;
    Ok(Hello { protocol_version, client_version: client.unwrap_or("unknown").to_string(), device_token })
}

/// Whether `kind` is a valid document kind: 1–40 characters of `a-z`, `0-9` and `_`.
pub fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 40
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks a push batch's shape (sizes, kinds) before it reaches storage.
pub fn validate_push(push: &Push) -> Result<(), ErrorMessage> {
    if push.items.len() > MAX_PUSH_ITEMS {
        return Err(ErrorMessage::new(
            ErrorCode::BadRequest,
            format!("a push holds at most {MAX_PUSH_ITEMS} items, got {}; split the batch", push.items.len()),
        ));
    }
    for item in &push.items {
        if i64::try_from(item.client_seq).is_err() {
            // The store keeps sequence numbers as signed 64-bit integers: larger ones would all
            // collide on the largest and be refused as reused.
            return Err(ErrorMessage {
                code: ErrorCode::BadRequest,
                message: format!(
                    "client_seq of document {} is {}; sequence numbers run from 0 to {}",
                    item.doc_id,
                    item.client_seq,
                    i64::MAX
                ),
                field: Some("client_seq".into()),
            });
        }
        if !valid_kind(&item.kind) {
            return Err(ErrorMessage::new(
                ErrorCode::BadRequest,
                format!("document kind `{}` is invalid; use 1-40 characters of a-z, 0-9 and _", item.kind),
            ));
        }
        if item.erase {
            if !item.update.is_empty() {
                return Err(ErrorMessage::new(
                    ErrorCode::BadRequest,
                    format!(
                        "the erase of document {} carries an update; send erasures with an empty update",
                        item.doc_id
                    ),
                ));
            }
            continue;
        }
        if item.update.len() > MAX_UPDATE_BYTES {
            return Err(ErrorMessage::new(
                ErrorCode::TooLarge,
                format!(
                    "update for document {} has {} bytes, more than the protocol's {MAX_UPDATE_BYTES}; \
                     nothing was stored: split the record's change",
                    item.doc_id,
                    item.update.len()
                ),
            ));
        }
        if item.update.is_empty() {
            return Err(ErrorMessage::new(
                ErrorCode::BadRequest,
                format!("update for document {} is empty; send 1 to {MAX_UPDATE_BYTES} bytes", item.doc_id),
            ));
        }
    }
    Ok(())
}

/// Serde helper: `Vec<u8>` as a base64 (standard alphabet, padded) string.
pub mod base64_bytes {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialises bytes as base64.
    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Deserialises base64 into bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD.decode(s.as_bytes()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::DocId;
    use crate::protocol::{ClientMessage, PushItem, Visibility};

    #[test]
    fn versions_are_checked_with_explicit_codes() {
        assert!(check_version(PROTOCOL_VERSION).is_ok());
        assert_eq!(check_version(PROTOCOL_VERSION - 1).map_err(|e| e.code), Err(ErrorCode::ProtocolTooOld));
        assert_eq!(check_version(PROTOCOL_VERSION + 1).map_err(|e| e.code), Err(ErrorCode::ProtocolTooNew));
    }

    #[test]
    fn messages_round_trip_with_base64_updates() {
        let msg = ClientMessage::Push(Push {
            items: vec![PushItem {
                doc_id: DocId::new_random(),
                kind: "contact".into(),
                visibility: Visibility::Private,
                update: vec![0, 1, 2, 255],
                client_seq: 7,
                epoch: 9,
                erase: false,
                compact: false,
            }],
        });
        let bytes = encode(&msg);
        assert!(String::from_utf8_lossy(&bytes).contains("\"type\":\"push\""));
        assert_eq!(decode::<ClientMessage>(&bytes), Ok(msg));
        assert_eq!(decode::<ClientMessage>(b"{\"type\":\"nope\"}").map_err(|e| e.code), Err(ErrorCode::BadRequest));
    }

    #[test]
    fn a_client_seq_past_the_stores_signed_range_is_refused_naming_the_field() {
        let item = |client_seq| PushItem {
            doc_id: DocId::new_random(),
            kind: "task".into(),
            visibility: Visibility::Org,
            update: vec![0, 0],
            client_seq,
            epoch: 1,
            erase: false,
            compact: false,
        };
        assert!(validate_push(&Push { items: vec![item(i64::MAX as u64)] }).is_ok());
        let refused = validate_push(&Push { items: vec![item(i64::MAX as u64 + 1)] }).expect_err("too large");
        assert_eq!((refused.code, refused.field.as_deref()), (ErrorCode::BadRequest, Some("client_seq")));
    }

    #[test]
    fn headers_build_a_hello() {
        let hello =
            hello_from_headers(Some("Bearer abc"), Some(&PROTOCOL_VERSION.to_string()), Some("0.1")).expect("hello");
        assert_eq!(hello.device_token, "abc");
        let err = hello_from_headers(None, Some(&PROTOCOL_VERSION.to_string()), None).expect_err("no token");
        assert_eq!(err.code, ErrorCode::Unauthorized);
        let err = hello_from_headers(Some("Bearer abc"), Some("999"), None).expect_err("too new");
        assert_eq!(err.code, ErrorCode::ProtocolTooNew);
    }
}
