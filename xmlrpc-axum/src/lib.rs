//! Serve [`xmlrpc`] services over HTTP with axum: mount them in the app you have, or run a
//! server in one line.
//!
//! ```no_run
//! use xmlrpc::Registry;
//!
//! # async fn run() -> std::io::Result<()> {
//! let mut registry = Registry::new();
//! registry.function("add", |a: i32, b: i32| a + b).unwrap();
//! // Python's SimpleXMLRPCServer(("127.0.0.1", 8000)).serve_forever():
//! xmlrpc_axum::serve("127.0.0.1:8000", registry).await
//! # }
//! ```
//!
//! Inside an existing app, [`XmlRpc`] gives an [`axum::Router`] for any state, to `merge` or
//! `nest` and wrap in tower layers like any other:
//!
//! ```
//! use axum::{Router, routing::get};
//! use xmlrpc::Registry;
//! use xmlrpc_axum::XmlRpc;
//!
//! let mut registry = Registry::new();
//! registry.function("ping", || "pong").unwrap();
//! let app: Router = Router::new()
//!     .route("/health", get(|| async { "ok" }))
//!     .nest("/RPC2", XmlRpc::new(registry).paths(["/"]).into_router());
//! ```
//!
//! # What the endpoint does
//!
//! - POST carries calls. Faults, malformed XML and every decoding error included, are HTTP
//!   200 `text/xml` responses, as the protocol wants; transport problems are HTTP errors:
//!   413 for a body over the limit, 408 for a body that takes too long to arrive, 415 for a
//!   content coding other than gzip, 400 for broken gzip.
//! - Other methods get 405 with an `Allow` header, except GET (and HEAD) when a
//!   documentation page is set, which get the page.
//! - Request paths are `/` and `/RPC2` by default (Python's `rpc_paths`), anything else is
//!   404; several registries can live at several paths of one router (Python's
//!   `MultiPathXMLRPCServer`).
//! - gzip: a gzip-encoded request is decoded, up to a cap on the decoded size; a response
//!   of at least 1400 bytes (Python's `encode_threshold`) is compressed when the client
//!   accepts gzip.
//! - Every request is logged through `tracing` (method name, path, status, duration, fault
//!   code) unless switched off (Python's `logRequests`).
//! - Methods that take `&xmlrpc::Context` see the request's headers, extensions (what
//!   middleware attached) and the peer's address (when the server was started with
//!   connection info, as [`serve`] does).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;
use xmlrpc::{Context, DocPage, Registry};

mod gzip;

/// An XML-RPC endpoint being set up: a registry and how to serve it.
///
/// Every setting has a safe default; see the methods.
#[derive(Debug, Clone)]
pub struct XmlRpc {
    registry: Arc<Registry>,
    paths: Vec<String>,
    config: Config,
}

#[derive(Debug, Clone)]
struct Config {
    body_limit: usize,
    decoded_limit: usize,
    read_timeout: Duration,
    gzip_threshold: Option<usize>,
    log_requests: bool,
    documentation: Option<DocPage>,
    concurrency: Option<Arc<Semaphore>>,
}

impl XmlRpc {
    /// An endpoint for `registry` at `/` and `/RPC2`.
    pub fn new(registry: Registry) -> Self {
        Self::shared(Arc::new(registry))
    }

    /// An endpoint for a registry shared with other endpoints.
    pub fn shared(registry: Arc<Registry>) -> Self {
        XmlRpc {
            registry,
            paths: vec!["/".to_owned(), "/RPC2".to_owned()],
            config: Config {
                body_limit: 10 << 20,
                decoded_limit: 20 << 20,
                read_timeout: Duration::from_secs(30),
                gzip_threshold: Some(1400),
                log_requests: true,
                documentation: None,
                concurrency: None,
            },
        }
    }

    /// The request paths that answer (Python's `rpc_paths`); every other path is 404.
    ///
    /// # Panics
    ///
    /// A path that does not start with `/`, as axum's router requires.
    #[track_caller]
    pub fn paths<I, S>(mut self, paths: I) -> Self
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

    /// The largest request body, in bytes, before any decoding (10 MiB by default); larger
    /// ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.config.body_limit = bytes;
        self
    }

    /// The largest gzip-decoded request body (20 MiB by default, as Python's
    /// `max_decode`); larger ones get 413.
    pub fn decoded_limit(mut self, bytes: usize) -> Self {
        self.config.decoded_limit = bytes;
        self
    }

    /// How long a request body may take to arrive (30 s by default); a slower one gets 408.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = timeout;
        self
    }

    /// Responses of at least this many bytes are gzip-compressed for clients that accept it
    /// (1400 by default, as Python's `encode_threshold`); `None` never compresses.
    pub fn gzip_threshold(mut self, bytes: Option<usize>) -> Self {
        self.config.gzip_threshold = bytes;
        self
    }

    /// Whether each request is logged through `tracing` (on by default; Python's
    /// `logRequests`).
    pub fn log_requests(mut self, on: bool) -> Self {
        self.config.log_requests = on;
        self
    }

    /// Answers GET with this documentation page (Python's `DocXMLRPCServer`).
    pub fn documentation(mut self, page: DocPage) -> Self {
        self.config.documentation = Some(page);
        self
    }

    /// At most `calls` calls run at once on this endpoint; the others wait their turn.
    /// Unlimited by default: tokio shares the cores, and a body limit bounds the memory of
    /// each request.
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.config.concurrency = Some(Arc::new(Semaphore::new(calls.max(1))));
        self
    }

    /// The endpoint as a router for any state, to `merge` or `nest` into an app.
    pub fn into_router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        let endpoint = Arc::new(Endpoint {
            registry: self.registry,
            config: self.config,
        });
        let mut router = Router::new();
        for path in &self.paths {
            let endpoint = Arc::clone(&endpoint);
            router = router.route(
                path,
                axum::routing::any(move |request: Request| {
                    let endpoint = Arc::clone(&endpoint);
                    async move { endpoint.handle(request).await }
                }),
            );
        }
        router
    }

    /// The endpoint as a tower `Service`, for plain hyper or tower users.
    pub fn into_service(self) -> axum::routing::RouterIntoService<Body> {
        self.into_router::<()>().into_service()
    }
}

/// What a handler needs, shared by every request.
#[derive(Debug)]
struct Endpoint {
    registry: Arc<Registry>,
    config: Config,
}

/// A transport-level refusal.
fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        format!("{message}\n"),
    )
        .into_response()
}

/// Whether the client accepts gzip, by its `Accept-Encoding`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

impl Endpoint {
    async fn handle(&self, request: Request) -> Response {
        let started = Instant::now();
        let path = request.uri().path().to_owned();
        let http_method = request.method().clone();
        let (response, method, fault) = self.respond(request).await;
        if self.config.log_requests {
            let elapsed_us = started.elapsed().as_micros() as u64;
            tracing::info!(
                target: "xmlrpc_axum",
                http_method = %http_method,
                path = %path,
                method = method.as_deref().unwrap_or("-"),
                status = response.status().as_u16(),
                fault_code = fault,
                elapsed_us,
                "xmlrpc request"
            );
        }
        response
    }

    /// The response, with the method name and fault code for the log.
    async fn respond(&self, request: Request) -> (Response, Option<String>, Option<i32>) {
        let (parts, body) = request.into_parts();
        let has_docs = self.config.documentation.is_some();
        match parts.method {
            Method::POST => {}
            Method::GET | Method::HEAD if has_docs => {
                let page = self.config.documentation.as_ref().map(|page| {
                    let endpoint = parts
                        .extensions
                        .get::<axum::extract::OriginalUri>()
                        .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
                    page.render(&self.registry, &endpoint)
                });
                let html = page.unwrap_or_default();
                return (
                    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
                    None,
                    None,
                );
            }
            _ => {
                let allow = if has_docs { "GET, HEAD, POST" } else { "POST" };
                let mut response =
                    refuse(StatusCode::METHOD_NOT_ALLOWED, "XML-RPC calls are POSTed");
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
                return (response, None, None);
            }
        }
        let gzipped = match parts
            .headers
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str())
        {
            None => false,
            Some(Ok(coding)) if coding.trim().eq_ignore_ascii_case("identity") => false,
            Some(Ok(coding))
                if coding.trim().eq_ignore_ascii_case("gzip")
                    || coding.trim().eq_ignore_ascii_case("x-gzip") =>
            {
                true
            }
            Some(_) => {
                return (
                    refuse(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "only gzip and identity content codings are supported",
                    ),
                    None,
                    None,
                );
            }
        };
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.config.body_limit as u64) {
            return (
                refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the request body exceeds the size limit",
                ),
                None,
                None,
            );
        }
        let read = tokio::time::timeout(
            self.config.read_timeout,
            axum::body::to_bytes(body, self.config.body_limit),
        )
        .await;
        let raw = match read {
            Err(_) => {
                return (
                    refuse(
                        StatusCode::REQUEST_TIMEOUT,
                        "the request body took too long to arrive",
                    ),
                    None,
                    None,
                );
            }
            Ok(Err(e)) => {
                let too_large = std::error::Error::source(&e)
                    .is_some_and(|s| s.is::<axum::extract::rejection::LengthLimitError>())
                    || e.to_string().contains("length limit");
                let response = if too_large {
                    refuse(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "the request body exceeds the size limit",
                    )
                } else {
                    refuse(
                        StatusCode::BAD_REQUEST,
                        "the request body could not be read",
                    )
                };
                return (response, None, None);
            }
            Ok(Ok(bytes)) => bytes,
        };
        let body = if gzipped {
            match gzip::decode(&raw, self.config.decoded_limit) {
                Ok(decoded) => std::borrow::Cow::Owned(decoded),
                Err(gzip::DecodeError::TooLarge) => {
                    return (
                        refuse(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "the decoded request body exceeds the size limit",
                        ),
                        None,
                        None,
                    );
                }
                Err(gzip::DecodeError::Invalid) => {
                    return (
                        refuse(
                            StatusCode::BAD_REQUEST,
                            "the request body is not valid gzip",
                        ),
                        None,
                        None,
                    );
                }
            }
        } else {
            std::borrow::Cow::Borrowed(&raw[..])
        };
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        // Read what the response needs from the headers, then move them into the context.
        let client_accepts_gzip = accepts_gzip(&parts.headers);
        let context = Context::from_parts(parts.headers, parts.extensions, peer, parts.uri.path());
        let _permit = match &self.config.concurrency {
            Some(semaphore) => semaphore.acquire().await.ok(),
            None => None,
        };
        let handled = self.registry.handle(&body, &context).await;
        let method = handled.method.map(|m| m.into_owned());
        let fault = handled.fault_code;
        let compress = self
            .config
            .gzip_threshold
            .is_some_and(|threshold| handled.body.len() >= threshold)
            && client_accepts_gzip;
        let mut response = if compress {
            Response::new(Body::from(gzip::encode(&handled.body)))
        } else {
            Response::new(Body::from(handled.body))
        };
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        if compress {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if self.config.gzip_threshold.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        (response, method, fault)
    }
}

/// Serves `registry` on `addr` at `/` and `/RPC2` until Ctrl-C, then shuts down
/// gracefully: Python's `SimpleXMLRPCServer(addr).serve_forever()` in one line.
///
/// Logs the address it listens on through `tracing`, or on standard error when no
/// `tracing` subscriber is installed.
///
/// # Errors
///
/// The address cannot be bound, or accepting connections fails.
pub async fn serve(
    addr: impl tokio::net::ToSocketAddrs,
    registry: Registry,
) -> std::io::Result<()> {
    serve_endpoint(addr, XmlRpc::new(registry)).await
}

/// [`serve`] for an endpoint set up with [`XmlRpc`]'s settings.
///
/// # Errors
///
/// The address cannot be bound, or accepting connections fails.
pub async fn serve_endpoint(
    addr: impl tokio::net::ToSocketAddrs,
    endpoint: XmlRpc,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_router(listener, endpoint.into_router()).await
}

/// Serves any router (one built with [`XmlRpc::into_router`], merged into an app) on a
/// bound listener until Ctrl-C, with connection info for [`Context::peer_addr`].
///
/// # Errors
///
/// Accepting connections fails.
pub async fn serve_router(
    listener: tokio::net::TcpListener,
    router: Router,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    if tracing::dispatcher::has_been_set() {
        tracing::info!(target: "xmlrpc_axum", "serving XML-RPC on http://{local}");
    } else {
        // Without a subscriber the log would be silent; the address is worth seeing.
        eprintln!("serving XML-RPC on http://{local} (Ctrl-C stops)");
    }
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!(target: "xmlrpc_axum", "shutting down");
    })
    .await
}
