//! The XML-RPC endpoint: every HTTP rule of the protocol, in one place, with no socket in
//! it.
//!
//! An [`Endpoint`] turns a request (method, path, headers, body bytes, the [`Peer`](crate::Peer) that
//! sent it) into a response. Every transport is a thin adapter around it that moves bytes:
//! the axum router and server of `xmlrpc-axum`, the [CGI handler](crate::CgiHandler), and
//! whatever else carries HTTP-shaped requests. They all answer alike because none of them
//! knows the rules.
//!
//! ```
//! use xmlrpc::endpoint::Endpoint;
//! use xmlrpc::{Peer, Registry};
//!
//! let endpoint = Endpoint::new(Registry::new().function("add", |a: i32, b: i32| a + b));
//!
//! let call = xmlrpc::call_to_vec("add", &(2, 3))?;
//! let request = http::Request::post("/RPC2").body(call)?;
//! let exchange = endpoint.handle_blocking(request, Peer::Local);
//! assert_eq!(exchange.outcome.status, 200);
//! assert_eq!(exchange.outcome.method.as_deref(), Some("add"));
//! let sum: xmlrpc::MethodResponse<i32> = xmlrpc::response_from_slice(exchange.response.body())?;
//! assert_eq!(sum.into_result(), Ok(5));
//!
//! let put = http::Request::put("/RPC2").body(Vec::new())?;
//! let refused = endpoint.handle_blocking(put, Peer::Local);
//! assert_eq!(refused.outcome.status, 405);
//! assert_eq!(refused.response.headers()["allow"], "POST");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rules
//!
//! - **Paths.** `/` and `/RPC2` by default (Python's `rpc_paths`); every other path is
//!   [404](Rejection::NotFound).
//! - **Methods.** POST carries calls. GET and HEAD get the documentation page when one is
//!   set; every other method, and GET or HEAD without a page, is
//!   [405](Rejection::MethodNotAllowed) with an `Allow` header naming what is allowed. (A
//!   HEAD answer has the page's headers, its `Content-Length` included, and no body.)
//! - **Try-it forms.** A POST whose body is an `application/x-www-form-urlencoded` form
//!   (not XML: calls labelled as forms stay calls) is a try-it form of the documentation
//!   page, answered with an HTML page; from another site (by `Origin` or `Sec-Fetch-Site`)
//!   it is [403](Rejection::CrossSiteForm), and without a page with try-it forms
//!   [415](Rejection::FormNotAccepted). See [Try-it forms](self#try-it-forms).
//! - **Content coding.** A `gzip` (or `x-gzip`) body is decoded, up to the decoded limit;
//!   any coding but gzip and identity is [415](Rejection::UnsupportedCoding); broken gzip is
//!   [400](Rejection::InvalidGzip). A response of at least the gzip threshold (1400 bytes,
//!   Python's `encode_threshold`) is compressed when the client accepts gzip, and every
//!   call's answer then carries `Vary: accept-encoding`.
//! - **Faults and errors.** Everything about the XML inside a body, from malformed markup to
//!   a parameter of the wrong type or a panicking method, is a fault in an HTTP 200
//!   `text/xml` answer, as the protocol wants. Problems with the HTTP request around it are a
//!   [`Rejection`], each with one status and a plain-text body.
//! - **What happened.** Each [`Exchange`] carries an [`Outcome`]: the status, the method
//!   called, the fault code, the rejection, the time taken, for a log or a metrics layer
//!   ([`Endpoint::on_outcome`] sees every one).
//!
//! # Try-it forms
//!
//! The documentation page's forms are plain HTML: no script. A form submission is a POST
//! with `Content-Type: application/x-www-form-urlencoded` whose body is not XML (a body
//! starting with `<` is a call, whatever its type says). Because any site can make a
//! browser send such a POST, the endpoint first checks where it comes from: when
//! `Sec-Fetch-Site` is sent, only `same-origin` and `none` pass; otherwise, when `Origin` is
//! sent, it must name the host the request was sent to (its `Host`). A request with neither
//! header (a text browser, a script) passes. The others get
//! [403](Rejection::CrossSiteForm), with the reason. Without a documentation page, or with
//! one whose try-it forms are off ([`DocPage::try_it`]), a form gets
//! [415](Rejection::FormNotAccepted).
//!
//! The fields become the call's parameters by the method's signature; the call runs like
//! any other (its `Context` has the browser's headers), and the answer is an HTML page
//! showing the result or the fault and the response XML (200), or what is wrong with the
//! form (400). Every page is sent with
//! `Content-Security-Policy: default-src 'none'; style-src '<hash of its style>';
//! form-action 'self'; frame-ancestors 'none'; base-uri 'none'`.
//!
//! # Sizes
//!
//! Two limits, both answered with 413:
//!
//! - the **wire limit** bounds the body as it arrives, before any decoding. Adapters
//!   enforce it while reading (they learn it, and the read timeout, from
//!   [`Endpoint::admit`]), so a larger body is never held in memory; a `Content-Length`
//!   above it is refused before reading. By default it is the decoded limit.
//! - the **decoded limit** bounds the document the XML reader sees, after gzip. By default
//!   it is the registry's [`Limits`](crate::Limits) input size, 20 MiB (Python's
//!   `max_decode`); the reader is given the same number, so it is the only input size in
//!   force.
//!
//! The registry's other [`Limits`](crate::Limits) (nesting depth, string length, members,
//! elements) bound what the document may ask of the reader.
//!
//! # Writing an adapter
//!
//! Call [`Endpoint::admit`] with the request's head; on a rejection answer with
//! [`Endpoint::reject`]. Otherwise read the body, at most [`ReadLimits::max_bytes`] bytes
//! within [`ReadLimits::timeout`] (a longer body is [`Rejection::BodyTooLarge`], a slow one
//! [`Rejection::BodyTimeout`]), and pass it to [`Endpoint::handle`] with the peer. Write
//! back [`Exchange::response`].
//!
//! # Tracing
//!
//! Every request [`Endpoint::handle`] answers runs inside an INFO span named `xmlrpc.call`
//! (target `xmlrpc::endpoint`), so that whatever a method logs carries the call it belongs
//! to. Its fields follow OpenTelemetry's conventions for RPC servers:
//!
//! | field | value |
//! |---|---|
//! | `rpc.system` | `"xmlrpc"` |
//! | `rpc.method` | the method called, recorded as soon as the call is read |
//! | `rpc.xmlrpc.fault_code` | the fault code, when the answer is a fault |
//! | `http.response.status_code` | the HTTP status of the answer |
//! | `network.peer.address` | the [`Peer`](crate::Peer) that sent the request |
//! | `url.path` | the request path |
//! | `otel.kind`, `otel.name` | `"server"` and `"xmlrpc.call"`, for `tracing-opentelemetry` |
//!
//! Inside it, one event per request (the request line, Python's `logRequests`) at the
//! level set with [`Endpoint::request_log_level`] (INFO by default), unless
//! [`Endpoint::log_requests`] turns it off. Requests that an adapter refuses before
//! handing them over ([`Endpoint::reject`]) get the request line and the outcome hook, but
//! no span.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use xmlrpc::endpoint::{Endpoint, Outcome};
//! use xmlrpc::{Peer, Registry};
//!
//! let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
//! let seen: Arc<Mutex<Vec<Outcome>>> = Arc::default();
//! let log = Arc::clone(&seen);
//! let endpoint = Endpoint::new(registry)
//!     .request_log_level(tracing::Level::DEBUG)
//!     .on_outcome(move |outcome| log.lock().unwrap().push(outcome.clone()));
//!
//! let call = xmlrpc::call_to_vec("nosuch", &())?;
//! endpoint.handle_blocking(http::Request::post("/").body(call)?, Peer::Local);
//! let seen = seen.lock().unwrap();
//! assert_eq!(seen[0].method.as_deref(), Some("nosuch"));
//! assert_eq!(seen[0].fault_code, Some(-32601));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod form;
mod handle;
mod rejection;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

pub use self::rejection::Rejection;
use crate::doc::DocPage;
use crate::registry::Registry;

/// An XML-RPC endpoint: a registry, and the HTTP rules it is served with.
///
/// Every setting has a safe default; see the [module](self) for the rules and the sizes.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use xmlrpc::endpoint::Endpoint;
/// use xmlrpc::{DocPage, Registry};
///
/// let endpoint = Endpoint::new(Registry::new())
///     .paths(["/RPC2"])
///     .decoded_limit(8 << 20)
///     .read_timeout(Duration::from_secs(10))
///     .documentation(DocPage::new().title("Calculator"));
/// # let _ = endpoint;
/// ```
#[derive(Debug, Clone)]
pub struct Endpoint {
    registry: Arc<Registry>,
    paths: Vec<String>,
    wire_limit: Option<usize>,
    decoded_limit: usize,
    read_timeout: Duration,
    gzip_threshold: Option<usize>,
    documentation: Option<DocPage>,
    log_requests: bool,
    log_level: tracing::Level,
    on_outcome: Option<OutcomeHook>,
}

/// What [`Endpoint::on_outcome`] calls.
#[derive(Clone)]
struct OutcomeHook(Arc<dyn Fn(&Outcome) + Send + Sync>);

impl fmt::Debug for OutcomeHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OutcomeHook(..)")
    }
}

impl From<Registry> for Endpoint {
    fn from(registry: Registry) -> Endpoint {
        Endpoint::new(registry)
    }
}

impl From<Arc<Registry>> for Endpoint {
    fn from(registry: Arc<Registry>) -> Endpoint {
        Endpoint::shared(registry)
    }
}

/// How an adapter reads a request's body: at most this many bytes, within this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// The most bytes to read: the wire limit. A body that goes on is
    /// [`Rejection::BodyTooLarge`].
    pub max_bytes: usize,
    /// How long the whole body may take to arrive. A slower one is
    /// [`Rejection::BodyTimeout`].
    pub timeout: Duration,
}

/// What happened to a request, for a log or a metrics layer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The method called, when the request was read that far.
    pub method: Option<String>,
    /// The fault code, when the answer is a fault.
    pub fault_code: Option<i32>,
    /// Why the request got an HTTP error, when it did.
    pub rejection: Option<Rejection>,
    /// How long the endpoint took, from receiving the request to having the answer: the
    /// method's run time and the codec's. Zero for a request an adapter refused before
    /// handing it over ([`Endpoint::reject`]), and when nothing asked for the time (no
    /// request log, no [`Endpoint::on_outcome`] hook, the span disabled).
    pub elapsed: Duration,
}

/// A request answered: the response to send, and what happened.
#[derive(Debug)]
#[non_exhaustive]
pub struct Exchange {
    /// The response, to write back as it is.
    pub response: http::Response<Vec<u8>>,
    /// What happened.
    pub outcome: Outcome,
}

impl Endpoint {
    /// An endpoint for `registry`, at `/` and `/RPC2`, with the default settings.
    pub fn new(registry: Registry) -> Endpoint {
        Endpoint::shared(Arc::new(registry))
    }

    /// An endpoint for a registry shared with other endpoints.
    pub fn shared(registry: Arc<Registry>) -> Endpoint {
        let decoded_limit = registry.get_limits().input_limit();
        Endpoint {
            registry,
            paths: vec!["/".to_owned(), "/RPC2".to_owned()],
            wire_limit: None,
            decoded_limit,
            read_timeout: Duration::from_secs(30),
            gzip_threshold: Some(1400),
            documentation: None,
            log_requests: true,
            log_level: tracing::Level::INFO,
            on_outcome: None,
        }
    }

    /// The request paths that answer (Python's `rpc_paths`); every other path is 404.
    ///
    /// # Panics
    ///
    /// A path that does not start with `/`.
    #[track_caller]
    pub fn paths<I, S>(mut self, paths: I) -> Endpoint
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.paths = paths.into_iter().map(Into::into).collect();
        for p in &self.paths {
            assert!(p.starts_with('/'), "request paths start with `/`: {p:?}");
        }
        self
    }

    /// The largest body on the wire, in bytes, before any decoding; the decoded limit unless
    /// set. Larger bodies get 413 without being read.
    pub fn wire_limit(mut self, bytes: usize) -> Endpoint {
        self.wire_limit = Some(bytes);
        self
    }

    /// The largest document, in bytes, after gzip decoding: the only input size the reader
    /// sees. The registry's [`Limits`](crate::Limits) input size (20 MiB) unless set.
    pub fn decoded_limit(mut self, bytes: usize) -> Endpoint {
        self.decoded_limit = bytes;
        self
    }

    /// How long a request body may take to arrive (30 s by default); a slower one gets 408.
    pub fn read_timeout(mut self, timeout: Duration) -> Endpoint {
        self.read_timeout = timeout;
        self
    }

    /// Responses of at least this many bytes are gzip-compressed for clients that accept it
    /// (1400 by default, as Python's `encode_threshold`); `None` never compresses.
    pub fn gzip_threshold(mut self, bytes: Option<usize>) -> Endpoint {
        self.gzip_threshold = bytes;
        self
    }

    /// Answers GET and HEAD with this documentation page (Python's `DocXMLRPCServer`).
    pub fn documentation(mut self, page: DocPage) -> Endpoint {
        self.documentation = Some(page);
        self
    }

    /// Whether each request is logged through `tracing`, with target `xmlrpc::endpoint`
    /// at the [request log level](Endpoint::request_log_level) (on by default; Python's
    /// `logRequests`). The span around each call is there either way.
    pub fn log_requests(mut self, on: bool) -> Endpoint {
        self.log_requests = on;
        self
    }

    /// The level of the request log's events (INFO by default): DEBUG keeps them out of an
    /// INFO log without turning them off, for a filter such as `xmlrpc::endpoint=debug` to
    /// bring back.
    ///
    /// ```
    /// use xmlrpc::{Endpoint, Registry};
    ///
    /// let quiet = Endpoint::new(Registry::new()).request_log_level(tracing::Level::DEBUG);
    /// # let _ = quiet;
    /// ```
    pub fn request_log_level(mut self, level: tracing::Level) -> Endpoint {
        self.log_level = level;
        self
    }

    /// Calls `hook` with the [`Outcome`] of every request, once answered: the place for a
    /// metrics layer to count calls by method and fault code and to time them. It runs on
    /// the task that served the request, before the answer is sent, so it should be quick
    /// (count, don't export).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use std::sync::Arc;
    /// use xmlrpc::{Endpoint, Peer, Registry};
    ///
    /// let faults = Arc::new(AtomicU64::new(0));
    /// let counter = Arc::clone(&faults);
    /// let endpoint = Endpoint::new(Registry::new()).on_outcome(move |outcome| {
    ///     if outcome.fault_code.is_some() {
    ///         counter.fetch_add(1, Ordering::Relaxed);
    ///     }
    /// });
    /// let call = xmlrpc::call_to_vec("missing", &())?;
    /// endpoint.handle_blocking(http::Request::post("/").body(call)?, Peer::Local);
    /// assert_eq!(faults.load(Ordering::Relaxed), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_outcome(mut self, hook: impl Fn(&Outcome) + Send + Sync + 'static) -> Endpoint {
        self.on_outcome = Some(OutcomeHook(Arc::new(hook)));
        self
    }

    /// The registry served.
    pub fn registry(&self) -> &Arc<Registry> {
        &self.registry
    }

    /// The request paths that answer, as set with [`Endpoint::paths`].
    pub fn get_paths(&self) -> &[String] {
        &self.paths
    }

    fn effective_wire_limit(&self) -> usize {
        self.wire_limit.unwrap_or(self.decoded_limit)
    }
}
