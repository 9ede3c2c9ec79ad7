//! [`BuildError`], and the transport errors that a [`CallError`] carries.

use super::transport::error::{TransportError, TransportKind};
use crate::caller::CallError;

/// Why a [`Client`](super::Client) could not be built: a bad URL, header or certificate, a
/// setting that the transport cannot honour, or a TLS setup that failed.
///
/// Its message says what was wrong; the error beneath it, when there is one, is its
/// [`source`](std::error::Error::source), so that error reporters show each once.
///
/// ```
/// use std::error::Error as _;
///
/// let err = xmlrpc::client::Client::builder("http://h/")
///     .header("bad name", "x")
///     .build()
///     .unwrap_err();
/// assert_eq!(err.to_string(), "invalid header name \"bad name\"");
/// assert!(err.source().is_some());
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct BuildError {
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BuildError {
    #[cold]
    pub(super) fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
            source: None,
        }
    }

    #[cold]
    pub(super) fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        BuildError {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

/// A transport error with `message` and maybe its cause, whose chain is written out.
#[cold]
pub(super) fn transport(
    kind: TransportKind,
    message: impl Into<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> CallError {
    let mut message = message.into();
    let mut cause = source
        .as_deref()
        .map(|s| s as &(dyn std::error::Error + 'static));
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
    CallError::Transport(Box::new(TransportError {
        message,
        kind,
        source,
    }))
}

/// A transport error from reqwest: a timeout is [`CallError::Timeout`], the rest keep their
/// causes.
#[cold]
pub(super) fn from_reqwest(e: reqwest::Error) -> CallError {
    if e.is_timeout() {
        return CallError::Timeout;
    }
    let kind = if e.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Other
    };
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
    CallError::Transport(Box::new(TransportError {
        message,
        kind,
        source: Some(Box::new(e)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_error_shows_its_source_once() {
        let source = std::io::Error::other("deep cause");
        let err = BuildError::with_source("cannot set up the HTTP client", source);
        assert_eq!(err.to_string(), "cannot set up the HTTP client");
        let source = std::error::Error::source(&err).expect("a source");
        assert_eq!(source.to_string(), "deep cause");
    }

    #[test]
    fn transport_errors_write_out_their_causes_and_kind() {
        let err = transport(
            TransportKind::Connect,
            "cannot connect to /tmp/x.sock",
            Some(Box::new(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))),
        );
        assert!(err.is_connect(), "{err:?}");
        assert_eq!(
            err.to_string(),
            "transport error: cannot connect to /tmp/x.sock: connection refused"
        );
        let err = transport(TransportKind::Other, "closed", None);
        assert!(!err.is_connect());
    }
}
