//! [`Caller`]: what typed clients send their calls through, and [`CallError`].

use serde::de::DeserializeOwned;

use crate::client::multicall::shape::MulticallShape;
use crate::de::Deserializer;
use crate::error::Error;
use crate::fault::Fault;
use crate::message::MethodResponse;
use crate::message::read::read_response;
use crate::params::Params;
use crate::ser::dialect::Dialect;
use crate::service::BoxFuture;
use crate::xml::limits::Limits;

/// Something that takes a `methodCall` document and gives back the `methodResponse`: an
/// HTTP client, or a [`Registry`](crate::Registry) for calls in the same process.
///
/// The client structs that `#[xmlrpc_service]` generates send their calls through it.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Caller, Registry};
///
/// let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
///
/// # xmlrpc::__private::block_on(async {
/// let sum: i32 = registry.call("add", (2, 3)).await?;
/// assert_eq!(sum, 5);
/// # Ok::<(), xmlrpc::CallError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Caller: Send + Sync {
    /// Sends a `methodCall` document and returns the `methodResponse` document.
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>>;

    /// The [`Dialect`] calls through this caller are written in: the default one unless the
    /// caller has a setting, as the HTTP client does.
    fn dialect(&self) -> Dialect {
        Dialect::new()
    }

    /// The [`Limits`] answers through this caller are read within: the defaults unless the
    /// caller has a setting, as the HTTP client does.
    fn limits(&self) -> Limits {
        Limits::default()
    }

    /// How `system.multicall` answers through this caller are shaped: the standard shape
    /// unless the caller has a setting, as the HTTP client does.
    fn multicall_shape(&self) -> MulticallShape {
        MulticallShape::Standard
    }

    /// Calls `method` with `params` (see [`Params`]: a tuple, `()` for none, or
    /// [`Spread`](crate::Spread)), reading the result as `R`. The call is written before
    /// the future starts, so that `params` need not outlive it.
    ///
    /// # Errors
    ///
    /// A fault from the server, a transport failure, parameters that cannot be written, or
    /// a result that does not fit `R`.
    fn call<'a, R>(
        &'a self,
        method: &str,
        params: impl Params,
    ) -> BoxFuture<'a, Result<R, CallError>>
    where
        R: DeserializeOwned + 'a,
        Self: Sized,
    {
        let request = encode_call(self.dialect(), method, &params);
        Box::pin(async move {
            let response = self.call_raw(request?).await?;
            decode_response(&response, self.limits())
        })
    }
}

/// Why a call through a [`Caller`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The server answered with a fault.
    #[error("{0}")]
    Fault(Fault),
    /// The call could not be written: a parameter that the dialect cannot carry (a NaN,
    /// nil where nil is refused, a map with integer keys), or a header of a call builder that
    /// is not a valid header.
    #[error("cannot encode the call: {0}")]
    Encode(Error),
    /// The response could not be read as the expected type.
    #[error("cannot decode the response: {0}")]
    Decode(Error),
    /// The call did not reach the server, or its answer did not come back: the connection
    /// was refused or dropped, the name did not resolve, TLS failed, ...
    #[error("transport error: {0}")]
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// The server answered, but not with an XML-RPC response: an HTTP status other than
    /// success, or a body that is not an XML-RPC document at all (an HTML error page, a
    /// proxy's login form, plain text). Python calls this a `ProtocolError`.
    #[error("{}", http_message(*.status, .content_type.as_deref(), .snippet))]
    Http {
        /// The HTTP status of the answer (for SCGI, its `Status:` header).
        status: http::StatusCode,
        /// The header fields of the answer, for the handshakes that servers start with an
        /// error status (a session id to send back, a `WWW-Authenticate` challenge); boxed,
        /// so that every `CallError` stays small.
        headers: Box<http::HeaderMap>,
        /// The `Content-Type` of the answer, when it had one.
        content_type: Option<String>,
        /// The start of the body (about 200 characters, control characters replaced), to
        /// show what the server said instead.
        snippet: String,
    },
    /// The call did not complete within the time allowed for it (to connect, or in all).
    #[error("the call timed out")]
    Timeout,
}

#[cold]
fn http_message(status: http::StatusCode, content_type: Option<&str>, snippet: &str) -> String {
    let mut out = format!("HTTP status {status}");
    if let Some(ty) = content_type {
        out.push_str(" (");
        out.push_str(ty);
        out.push(')');
    }
    if snippet.is_empty() {
        out.push_str(" with an empty body");
    } else {
        out.push_str(": ");
        out.push_str(snippet);
    }
    out
}

impl CallError {
    /// The fault, when the server answered with one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            CallError::Fault(f) => Some(f),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered with something other than an XML-RPC
    /// response ([`CallError::Http`]).
    ///
    /// ```
    /// let err = xmlrpc::CallError::Http {
    ///     status: http::StatusCode::NOT_FOUND,
    ///     headers: Box::default(),
    ///     content_type: Some("text/html".into()),
    ///     snippet: "<h1>Not Found</h1>".into(),
    /// };
    /// assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
    /// assert_eq!(err.to_string(), "HTTP status 404 Not Found (text/html): <h1>Not Found</h1>");
    /// ```
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            CallError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the call ran out of time ([`CallError::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, CallError::Timeout)
    }

    /// Whether the client could not connect to the server at all: a refused connection, a
    /// socket file that is missing, a name that does not resolve. A [`CallError::Transport`]
    /// that is not this one failed after connecting (a dropped connection, a TLS failure).
    ///
    /// ```
    /// # #[cfg(feature = "client")]
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
    /// let client = xmlrpc::client::Client::new("http+unix://%2Fnonexistent%2Fx.sock/RPC2")?;
    /// let err = client.call::<i32>("add", (1, 2)).await.unwrap_err();
    /// assert!(err.is_connect(), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_connect(&self) -> bool {
        match self {
            #[cfg(feature = "client")]
            CallError::Transport(e) => crate::client::transport::error::is_connect(&**e),
            _ => false,
        }
    }
}

/// A fault is a call's error: so that `?` on one result of a multicall works in a function
/// that returns [`CallError`].
///
/// ```
/// use xmlrpc::{CallError, Fault};
///
/// fn first(results: Vec<Result<i32, Fault>>) -> Result<i32, CallError> {
///     Ok(results.into_iter().next().ok_or(CallError::Fault(Fault::new(1, "none")))??)
/// }
/// assert_eq!(first(vec![Ok(3)]).ok(), Some(3));
/// assert!(matches!(first(vec![Err(Fault::new(4, "no"))]), Err(CallError::Fault(_))));
/// ```
impl From<Fault> for CallError {
    fn from(fault: Fault) -> CallError {
        CallError::Fault(fault)
    }
}

impl Caller for crate::registry::Registry {
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        Box::pin(async move {
            let context = crate::service::context::Context::new();
            Ok(self.handle(&request, &context).await.body)
        })
    }
}

impl<C: Caller + ?Sized> Caller for &C {
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        (**self).call_raw(request)
    }

    fn dialect(&self) -> Dialect {
        (**self).dialect()
    }

    fn limits(&self) -> Limits {
        (**self).limits()
    }

    fn multicall_shape(&self) -> MulticallShape {
        (**self).multicall_shape()
    }
}

impl<C: Caller + ?Sized> Caller for std::sync::Arc<C> {
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        (**self).call_raw(request)
    }

    fn dialect(&self) -> Dialect {
        (**self).dialect()
    }

    fn limits(&self) -> Limits {
        (**self).limits()
    }

    fn multicall_shape(&self) -> MulticallShape {
        (**self).multicall_shape()
    }
}

/// Writes a call of `method` with `params` in `dialect`.
pub(crate) fn encode_call<P: Params + ?Sized>(
    dialect: Dialect,
    method: &str,
    params: &P,
) -> Result<Vec<u8>, CallError> {
    crate::params::encode(dialect, method, params).map_err(CallError::Encode)
}

/// Reads a `methodResponse` within `limits`: the value, or the fault as an error.
pub(crate) fn decode_response<'de, R: serde::Deserialize<'de>>(
    response: &'de [u8],
    limits: Limits,
) -> Result<R, CallError> {
    let de = Deserializer::from_slice_with_limits(response, limits).map_err(CallError::Decode)?;
    match read_response::<R>(de) {
        Ok(MethodResponse::Value(v)) => Ok(v),
        Ok(MethodResponse::Fault(f)) => Err(CallError::Fault(f)),
        Err(e) => Err(CallError::Decode(e)),
    }
}
