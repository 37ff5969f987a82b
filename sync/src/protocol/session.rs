//! The WebSocket session state machine as a pure function: frame bytes in, request or error out.
//!
//! The server owns the socket and storage; this module only decides what a frame means given the
//! session state: the first frame must be a version-compatible [`Hello`], a second hello is
//! refused, and everything else is only accepted after the hello.

use super::{check_version, decode, validate_push, ClientMessage, ErrorCode, ErrorMessage, Hello};

/// Where a WebSocket session is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SessionState {
    /// Nothing received yet; the next frame must be a hello.
    #[default]
    AwaitingHello,
    /// The hello was accepted (the server authenticated its token).
    Ready {
        /// The token from the hello, re-checked by the server on every message.
        device_token: String,
    },
}

/// Decodes and checks one client frame against the session state. A returned hello has passed
/// the version check; the caller authenticates it and then moves to [`SessionState::Ready`].
pub fn next_request(state: &SessionState, frame: &[u8]) -> Result<ClientMessage, ErrorMessage> {
    let message: ClientMessage = decode(frame)?;
    match (state, &message) {
        (SessionState::AwaitingHello, ClientMessage::Hello(Hello { protocol_version, .. })) => {
            check_version(*protocol_version)?;
        }
        (SessionState::AwaitingHello, _) => {
            return Err(ErrorMessage::new(
                ErrorCode::BadRequest,
                "the first message must be a hello with the protocol version and device token",
            ))
        }
        (SessionState::Ready { .. }, ClientMessage::Hello(_)) => {
            return Err(ErrorMessage::new(
                ErrorCode::BadRequest,
                "hello was already received on this connection; open a new connection to change device",
            ))
        }
        (SessionState::Ready { .. }, ClientMessage::Push(push)) => validate_push(push)?,
        (SessionState::Ready { .. }, _) => {}
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{encode, Pull};
    use crate::PROTOCOL_VERSION;

    fn hello(v: u32) -> Vec<u8> {
        encode(&ClientMessage::Hello(Hello {
            protocol_version: v,
            client_version: "t".into(),
            device_token: "tok".into(),
        }))
    }

    #[test]
    fn hello_must_come_first_and_once() {
        let pull = encode(&ClientMessage::Pull(Pull { since: 0, limit: None }));
        let state = SessionState::AwaitingHello;
        assert_eq!(next_request(&state, &pull).map_err(|e| e.code), Err(ErrorCode::BadRequest));
        assert!(matches!(next_request(&state, &hello(PROTOCOL_VERSION)), Ok(ClientMessage::Hello(_))));
        assert_eq!(next_request(&state, &hello(0)).map_err(|e| e.code), Err(ErrorCode::ProtocolTooOld));
        let ready = SessionState::Ready { device_token: "tok".into() };
        assert!(matches!(next_request(&ready, &pull), Ok(ClientMessage::Pull(_))));
        assert_eq!(next_request(&ready, &hello(PROTOCOL_VERSION)).map_err(|e| e.code), Err(ErrorCode::BadRequest));
    }
}
