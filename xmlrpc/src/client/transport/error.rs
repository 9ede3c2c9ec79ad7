//! The error a transport gives when the exchange fails, and whether it failed while
//! connecting.

use std::fmt;

/// A transport failure, with the causes that the layer beneath keeps in its source chain
/// written out: "error sending request: connection closed before message completed".
#[derive(Debug)]
pub(crate) struct TransportError {
    pub(in crate::client) message: String,
    pub(in crate::client) kind: TransportKind,
    pub(in crate::client) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What kind of transport failure it was, for
/// [`CallError::is_connect`](crate::caller::CallError::is_connect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransportKind {
    /// No connection could be made.
    Connect,
    /// Anything after that.
    Other,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Whether `err` is a transport error raised while connecting.
pub(crate) fn is_connect(err: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    err.downcast_ref::<TransportError>()
        .is_some_and(|e| e.kind == TransportKind::Connect)
}
