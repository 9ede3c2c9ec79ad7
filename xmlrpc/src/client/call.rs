//! [`Client`] and its calls.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use http::header::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use super::multicall::MultiCall;
use super::multicall::shape::MulticallShape;
use super::transport::{Exchange, Transport};
use crate::caller::{CallError, Caller, decode_response, encode_call};
use crate::gzip;
use crate::params::Params;
use crate::ser::dialect::Dialect;
use crate::service::BoxFuture;
use crate::value::Value;
use crate::xml::limits::Limits;

/// An XML-RPC client for one server: Python's `ServerProxy`, over HTTP, HTTPS, HTTP on a
/// Unix socket, or SCGI (see [the URL forms](super#transports)).
///
/// Cheap to clone (clones share the connection pool and the cookies), and safe to use from
/// many tasks at once. Calls over HTTP reuse the connections that earlier calls opened
/// (keep-alive). Each call runs in a `tracing` span, `xmlrpc.call`, with `rpc.system`,
/// `rpc.method`, `server.address` and, when the server answers with a fault,
/// `rpc.xmlrpc.fault_code`.
///
/// Besides its own methods, a client is a [`Caller`], so the typed clients that
/// `#[xmlrpc_service]` and `#[xmlrpc_client]` generate send their calls through it.
///
/// # Examples
///
/// ```no_run
/// use xmlrpc::client::Client;
///
/// # async fn run() -> Result<(), xmlrpc::CallError> {
/// let client = Client::new("http://127.0.0.1:8000").expect("a valid URL");
/// let result: f64 = client.call("pow", (2, 9)).await?;
/// let now: xmlrpc::DateTime = client.call("currentTime.getCurrentTime", ()).await?;
/// println!("2**9 = {result} at {now}");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

/// What clones of a client share.
pub(super) struct Inner {
    pub(super) transport: Transport,
    /// The server, as [`Client::url`] shows it.
    pub(super) target: String,
    pub(super) dialect: Dialect,
    pub(super) limits: Limits,
    pub(super) accept_gzip: bool,
    pub(super) gzip_requests: Option<usize>,
    pub(super) multicall_shape: MulticallShape,
    /// The time a call may take, when the transport does not keep it itself (a supplied
    /// reqwest client).
    pub(super) timeout: Option<Duration>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.inner.target)
            .field("dialect", &self.inner.dialect)
            .field("limits", &self.inner.limits)
            .field("accept_gzip", &self.inner.accept_gzip)
            .field("gzip_requests", &self.inner.gzip_requests)
            .field("multicall_shape", &self.inner.multicall_shape)
            .finish_non_exhaustive()
    }
}

/// What one call may change of the client's settings.
#[derive(Debug, Default)]
pub(super) struct CallOptions {
    pub(super) headers: HeaderMap,
    pub(super) timeout: Option<Duration>,
}

/// An answer, as the transport gave it and after the checks.
pub(super) struct Received {
    pub(super) body: Vec<u8>,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
}

impl Client {
    pub(super) fn from_inner(inner: Inner) -> Client {
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The URL calls are sent to, without credentials, in the form that names the
    /// transport (`http+unix://%2Frun%2Fsupervisor.sock/RPC2` for a socket given with
    /// [`ClientBuilder::unix_socket`](super::ClientBuilder::unix_socket)).
    pub fn url(&self) -> &str {
        &self.inner.target
    }

    /// The dialect calls are written in.
    pub fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// The limits answers are read within.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// The shape `system.multicall` answers are read in.
    pub fn multicall_shape(&self) -> MulticallShape {
        self.inner.multicall_shape
    }

    /// Calls `method` with `params` and reads the result straight into `R`.
    ///
    /// `params` is a [`Params`]: a tuple with one element per parameter (`(1, 2)`,
    /// `(&book,)` for one struct), `()` for none, or [`Spread`](crate::Spread) for a
    /// struct's fields as the parameters. For headers or a timeout of this call only, or to
    /// read the answer's headers, use [`Client::request`].
    ///
    /// ```no_run
    /// # async fn run(client: xmlrpc::client::Client) -> Result<(), xmlrpc::CallError> {
    /// let sum = client.call::<i32>("add", (1, 2)).await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`CallError::Fault`] when the server answers with a fault, [`CallError::Decode`] when
    /// the result does not fit `R`, [`CallError::Encode`] when the parameters cannot be
    /// written in the client's dialect, and the transport's errors:
    /// [`CallError::Http`], [`CallError::Timeout`], [`CallError::Transport`].
    pub async fn call<R: DeserializeOwned>(
        &self,
        method: &str,
        params: impl Params,
    ) -> Result<R, CallError> {
        let request = encode_call(self.inner.dialect, method, &params);
        self.inner
            .traced(method, async {
                let received = self.inner.send(request?, CallOptions::default()).await?;
                decode_response(&received.body, self.inner.limits)
            })
            .await
    }

    /// Calls `method` with `params` and gives the result as a [`Value`]: the dynamic form,
    /// for exploring a server or relaying what it says.
    ///
    /// ```no_run
    /// # async fn run(client: xmlrpc::client::Client) -> Result<(), xmlrpc::CallError> {
    /// use xmlrpc::Value;
    ///
    /// let help = client
    ///     .call_value("system.methodHelp", &[Value::from("add")])
    ///     .await?;
    /// println!("{}", help.as_str().unwrap_or_default());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::call`], except that any value fits.
    pub async fn call_value(&self, method: &str, params: &[Value]) -> Result<Value, CallError> {
        self.call(method, params).await
    }

    /// An empty [`MultiCall`] that sends through this client, in its dialect, limits and
    /// multicall shape.
    ///
    /// ```no_run
    /// # async fn run(client: xmlrpc::client::Client) -> Result<(), xmlrpc::CallError> {
    /// let mut multi = client.multicall();
    /// multi.call("getData", ()).call("pow", (2, 9)).call("add", (1, 2));
    /// for result in multi.send_values().await? {
    ///     match result {
    ///         Ok(value) => println!("{value}"),
    ///         Err(fault) => println!("ERROR {fault}"),
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn multicall(&self) -> MultiCall<'_, Client> {
        MultiCall::new(self)
    }

    /// Sends a written request: a future that owns what it needs, to be spawned.
    pub(super) fn post(
        &self,
        request: Vec<u8>,
    ) -> impl Future<Output = Result<Vec<u8>, CallError>> + Send + 'static {
        let inner = self.inner.clone();
        async move { inner.post_traced(request).await }
    }

    /// Writes a call in the client's dialect.
    pub(super) fn encode<P: Params + ?Sized>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<Vec<u8>, CallError> {
        encode_call(self.inner.dialect, method, params)
    }

    /// Reads an answer within the client's limits.
    pub(super) fn decode<R: DeserializeOwned>(&self, response: &[u8]) -> Result<R, CallError> {
        decode_response(response, self.inner.limits)
    }
}

impl Caller for Client {
    /// Sends the `methodCall` document and returns the `methodResponse` document, after the
    /// checks of [`Client::call`]: a success status, an XML body, within the size cap.
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        Box::pin(self.inner.post_traced(request))
    }

    /// The client's dialect, so that typed clients write their calls in it.
    fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// The client's limits, so that typed clients read their answers within them.
    fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// The client's multicall shape, so that typed multicalls read the answers in it.
    fn multicall_shape(&self) -> MulticallShape {
        self.inner.multicall_shape
    }
}

/// The span of one call. Its fields are computed only when a subscriber wants the span, so
/// that a call costs nothing more without one.
macro_rules! call_span {
    ($target:expr, $method:expr) => {
        tracing::info_span!(
            "xmlrpc.call",
            rpc.system = "xmlrpc",
            rpc.method = $method,
            server.address = %$target,
            rpc.xmlrpc.fault_code = Empty,
            error = Empty,
        )
    };
}

impl Inner {
    /// Runs `call` in the call's span, and records its fault code or error there.
    pub(super) async fn traced<T>(
        &self,
        method: &str,
        call: impl Future<Output = Result<T, CallError>>,
    ) -> Result<T, CallError> {
        in_span(call_span!(self.target, method), call).await
    }

    /// Sends a document written elsewhere (a typed client's, a multicall's) in a span named
    /// for its method, which the document's start tells.
    async fn post_traced(&self, request: Vec<u8>) -> Result<Vec<u8>, CallError> {
        let span = call_span!(self.target, method_of(&request));
        let traced = !span.is_disabled();
        in_span(span, async {
            let received = self.send(request, CallOptions::default()).await?;
            if traced && is_fault(&received.body) {
                // Read here only to put its code in the span; the caller reads it again.
                if let Err(CallError::Fault(f)) =
                    decode_response::<serde::de::IgnoredAny>(&received.body, self.limits)
                {
                    tracing::Span::current().record("rpc.xmlrpc.fault_code", f.code());
                }
            }
            Ok(received.body)
        })
        .await
    }

    /// Sends one request and returns the body of its answer, checked and inflated.
    pub(super) async fn send(
        &self,
        request: Vec<u8>,
        options: CallOptions,
    ) -> Result<Received, CallError> {
        let (body, gzipped) = match self.gzip_requests {
            Some(threshold) if request.len() >= threshold => (gzip::encode(&request), true),
            _ => (request, false),
        };
        let cap = self.limits.input_limit();
        let answer = self
            .transport
            .exchange(Exchange {
                body,
                gzipped,
                headers: options.headers,
                timeout: options.timeout.or(self.timeout),
                cap,
            })
            .await?;
        let (body, status, headers) = answer.into_body(cap)?;
        Ok(Received {
            body,
            status,
            headers,
        })
    }
}

/// Runs `call` in `span`, and records its fault code or error there.
async fn in_span<T>(
    span: tracing::Span,
    call: impl Future<Output = Result<T, CallError>>,
) -> Result<T, CallError> {
    if span.is_disabled() {
        return call.await;
    }
    let result = call.instrument(span.clone()).await;
    if let Err(e) = &result {
        record_error(&span, e);
    }
    result
}

#[cold]
fn record_error(span: &tracing::Span, e: &CallError) {
    match e {
        CallError::Fault(f) => {
            span.record("rpc.xmlrpc.fault_code", f.code());
        }
        other => {
            span.record("error", tracing::field::display(other));
        }
    }
}

/// The method name at the start of a `methodCall` document, as written (escaped), or `?`.
fn method_of(request: &[u8]) -> &str {
    const OPEN: &[u8] = b"<methodName>";
    let head = &request[..request.len().min(512)];
    let Some(start) = memchr::memmem::find(head, OPEN).map(|i| i + OPEN.len()) else {
        return "?";
    };
    let end = memchr::memchr(b'<', &head[start..]).map_or(head.len(), |i| start + i);
    std::str::from_utf8(&head[start..end]).unwrap_or("?")
}

/// Whether an answer's start says it is a fault.
fn is_fault(body: &[u8]) -> bool {
    memchr::memmem::find(&body[..body.len().min(256)], b"<fault>").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_method_is_read_from_a_document_start() {
        let doc = crate::params::encode(Dialect::new(), "system.multicall", &()).expect("doc");
        assert_eq!(method_of(&doc), "system.multicall");
        assert_eq!(method_of(b"<methodCall>"), "?");
    }
}
