//! Serve [`xmlrpc`] services over HTTP with axum: mount them in the app you have, or run a
//! production server in one line.
//!
//! ```no_run
//! use xmlrpc::Registry;
//!
//! # async fn run() -> std::io::Result<()> {
//! let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
//! // Python's SimpleXMLRPCServer(("127.0.0.1", 8000)).serve_forever(), until Ctrl-C or
//! // SIGTERM, then a graceful drain:
//! xmlrpc_axum::serve("127.0.0.1:8000", registry).await
//! # }
//! ```
//!
//! Inside an existing app, [`XmlRpc`] gives an [`axum::Router`] for any state, to `merge` or
//! `nest` and wrap in tower layers like any other:
//!
//! ```
//! use axum::{Router, routing::get};
//! use xmlrpc::{Endpoint, Registry};
//! use xmlrpc_axum::XmlRpc;
//!
//! let registry = Registry::new().function("ping", || "pong");
//! let app: Router = Router::new()
//!     .route("/health", get(|| async { "ok" }))
//!     .nest("/RPC2", XmlRpc::new(Endpoint::new(registry).paths(["/"])).into_router());
//! ```
//!
//! # Serving in production
//!
//! [`Server`] serves an endpoint or any router, with every setting a builder method:
//!
//! - **Transports**: HTTP/1.1 and HTTP/2 on one port (h2c by prior knowledge, h2 by ALPN
//!   under TLS); HTTPS with rustls (feature `tls`: [`Tls`]); TCP on IPv4 or IPv6, a Unix
//!   domain socket ([`Listener::unix`], as supervisord serves), a socket systemd hands over
//!   ([`Listener::from_systemd`]); and SCGI behind nginx or lighttpd
//!   ([`Server::serve_scgi`], as rTorrent serves).
//! - **Lifecycle**: Ctrl-C and SIGTERM, or a future of the caller's, start a drain: the
//!   listener closes, calls in flight finish, keep-alive connections close after their
//!   current response, within a deadline; a [`Readiness`] flag turns false for the health
//!   route.
//! - **Limits**: a header read timeout, a header section limit (431), an idle timeout, a
//!   maximum of connections, a concurrency limit that answers 503 with `Retry-After`
//!   ([`ConcurrencyLimitLayer`]).
//!
//! ```no_run
//! use std::time::Duration;
//! use xmlrpc::{Endpoint, Registry};
//! use xmlrpc_axum::{Listener, Server, XmlRpc};
//!
//! # async fn run() -> std::io::Result<()> {
//! let endpoint = Endpoint::new(Registry::new());
//! // supervisord's [unix_http_server] file=/run/app/rpc.sock chmod=0660:
//! let listener = Listener::unix("/run/app/rpc.sock").mode(0o660).bind()?;
//! Server::new()
//!     .max_concurrent_requests(32)
//!     .drain_timeout(Duration::from_secs(10))
//!     .serve(listener, XmlRpc::new(endpoint))
//!     .await
//! # }
//! ```
//!
//! # What the endpoint does
//!
//! The protocol's HTTP rules are those of [`xmlrpc::endpoint`], the same under every
//! transport: POST carries calls, and faults are HTTP 200 `text/xml` answers; other methods
//! get 405 with `Allow` (GET and HEAD get the documentation page when one is set); paths
//! other than the endpoint's are 404; gzip both ways, with a cap on the decoded size; 413,
//! 408, 415 and 400 for bodies too large, too slow, in another coding, or broken. This crate
//! only moves bytes between axum and the endpoint: it reads each body within the endpoint's
//! wire limit and read timeout, and gives it the peer (from the [`Server`], or from axum's
//! connection info) for methods that take `&xmlrpc::Context`. Each call runs in the
//! endpoint's tracing span (see [`xmlrpc::endpoint`]'s "Tracing").
//!
//! Several registries can live at several paths of one router (Python's
//! `MultiPathXMLRPCServer`): merge one router per endpoint.

mod conn;
mod limit;
mod listener;
pub mod scgi;
mod server;
mod shutdown;
#[cfg(feature = "tls")]
mod tls;

pub use crate::limit::{ConcurrencyLimit, ConcurrencyLimitLayer};
pub use crate::listener::{ListenAddr, Listener, UnixBind};
pub use crate::server::Server;
pub use crate::shutdown::Readiness;
#[cfg(feature = "tls")]
pub use crate::tls::{Tls, TlsBuilder};
/// The rustls crate this one is built with, for a `ServerConfig` of one's own.
#[cfg(feature = "tls")]
pub use tokio_rustls::rustls;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use http_body_util::BodyExt;
use xmlrpc::endpoint::{Endpoint, ReadLimits, Rejection};
use xmlrpc::{Peer, Registry};

/// An XML-RPC [`Endpoint`] as an axum router: the endpoint's rules, and how axum serves it.
///
/// The protocol's settings (paths, sizes, timeouts, gzip, the documentation page, request
/// logging) are the endpoint's; build one with [`Endpoint::new`] and its methods, or pass a
/// [`Registry`] for the defaults.
///
/// ```
/// use xmlrpc::{DocPage, Endpoint, Registry};
/// use xmlrpc_axum::XmlRpc;
///
/// let endpoint = Endpoint::new(Registry::new()).documentation(DocPage::new());
/// let router: axum::Router = XmlRpc::new(endpoint).into_router();
/// # let _ = router;
/// ```
#[derive(Debug, Clone)]
pub struct XmlRpc {
    endpoint: Endpoint,
}

impl XmlRpc {
    /// Serves `endpoint`, or a registry with the endpoint's defaults (`/` and `/RPC2`).
    pub fn new(endpoint: impl Into<Endpoint>) -> Self {
        XmlRpc {
            endpoint: endpoint.into(),
        }
    }

    /// The endpoint served.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The endpoint as a router for any state, to `merge` or `nest` into an app. It routes
    /// the endpoint's paths; axum answers 404 for the others.
    pub fn into_router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        let paths = self.endpoint.get_paths().to_vec();
        let adapter = Arc::new(self);
        let mut router = Router::new();
        for path in &paths {
            let adapter = Arc::clone(&adapter);
            router = router.route(
                path,
                axum::routing::any(move |request: Request| {
                    let adapter = Arc::clone(&adapter);
                    async move { adapter.handle(request).await }
                }),
            );
        }
        router
    }

    /// The endpoint as a tower `Service`, for plain hyper or tower users.
    pub fn into_service(self) -> axum::routing::RouterIntoService<Body> {
        self.into_router::<()>().into_service()
    }

    /// Moves one request's bytes to the endpoint and its answer back.
    async fn handle(&self, request: Request) -> Response {
        let (mut parts, body) = request.into_parts();
        let endpoint = &self.endpoint;
        let exchange = match endpoint.admit(&parts) {
            Err(rejection) => endpoint.reject(rejection),
            Ok(limits) => match read_body(body, limits).await {
                Err(rejection) => endpoint.reject(rejection),
                Ok(bytes) => {
                    let peer = peer(&mut parts.extensions);
                    endpoint
                        .handle(http::Request::from_parts(parts, bytes), peer)
                        .await
                }
            },
        };
        exchange.response.map(Body::from)
    }
}

impl From<Endpoint> for XmlRpc {
    fn from(endpoint: Endpoint) -> XmlRpc {
        XmlRpc::new(endpoint)
    }
}

impl From<Registry> for XmlRpc {
    fn from(registry: Registry) -> XmlRpc {
        XmlRpc::new(registry)
    }
}

impl From<XmlRpc> for Router {
    /// [`XmlRpc::into_router`], so that an endpoint can be served as it is.
    fn from(rpc: XmlRpc) -> Router {
        rpc.into_router()
    }
}

/// The peer, from what the server put in the request's extensions: a [`Peer`] itself, or
/// axum's connection info for TCP.
fn peer(extensions: &mut http::Extensions) -> Peer {
    if let Some(peer) = extensions.remove::<Peer>() {
        return peer;
    }
    match extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => Peer::Tcp(*addr),
        None => Peer::Local,
    }
}

/// Reads a body within the endpoint's limits, without ever holding more than the wire
/// limit. A body that comes in one piece, as small calls do, is not copied.
async fn read_body(body: Body, limits: ReadLimits) -> Result<Bytes, Rejection> {
    let read = async {
        let mut body = body;
        let mut first: Option<Bytes> = None;
        let mut rest: Vec<u8> = Vec::new();
        let mut len = 0usize;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| Rejection::BodyUnreadable {
                reason: e.to_string(),
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            len = len.saturating_add(data.len());
            if len > limits.max_bytes {
                return Err(Rejection::BodyTooLarge {
                    limit: limits.max_bytes,
                });
            }
            match &first {
                None if rest.is_empty() => first = Some(data),
                _ => {
                    if let Some(first) = first.take() {
                        rest.extend_from_slice(&first);
                    }
                    rest.extend_from_slice(&data);
                }
            }
        }
        Ok(first.unwrap_or_else(|| Bytes::from(rest)))
    };
    tokio::time::timeout(limits.timeout, read)
        .await
        .unwrap_or(Err(Rejection::BodyTimeout {
            timeout: limits.timeout,
        }))
}

/// Serves `registry` on `addr` at `/` and `/RPC2` until Ctrl-C or SIGTERM, then drains
/// gracefully: Python's `SimpleXMLRPCServer(addr).serve_forever()` in one line, on
/// [`Server`]'s defaults (HTTP/1.1 and HTTP/2, the header limits, a 30 s drain).
///
/// Logs the address it listens on through `tracing`, or on standard error when no
/// `tracing` subscriber is installed.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// # let registry = xmlrpc::Registry::new();
/// xmlrpc_axum::serve("127.0.0.1:8000", registry).await
/// # }
/// ```
///
/// # Errors
///
/// The address cannot be bound.
pub async fn serve(
    addr: impl tokio::net::ToSocketAddrs + std::fmt::Debug,
    registry: Registry,
) -> std::io::Result<()> {
    serve_endpoint(addr, XmlRpc::new(registry)).await
}

/// [`serve`] for an [`Endpoint`] with settings of its own (or an [`XmlRpc`]).
///
/// ```no_run
/// use xmlrpc::{DocPage, Endpoint, Registry};
///
/// # async fn run() -> std::io::Result<()> {
/// let endpoint = Endpoint::new(Registry::new()).documentation(DocPage::new());
/// xmlrpc_axum::serve_endpoint("127.0.0.1:8000", endpoint).await
/// # }
/// ```
///
/// # Errors
///
/// The address cannot be bound.
pub async fn serve_endpoint(
    addr: impl tokio::net::ToSocketAddrs + std::fmt::Debug,
    endpoint: impl Into<XmlRpc>,
) -> std::io::Result<()> {
    let listener = Listener::bind(addr).await?;
    serve_router(listener, endpoint.into().into_router()).await
}

/// Serves any router (one built with [`XmlRpc::into_router`], merged into an app) on a
/// listener until Ctrl-C or SIGTERM, on [`Server`]'s defaults, with the peer's address in
/// each request (axum's `ConnectInfo<SocketAddr>`, and [`xmlrpc::Context::peer`]).
///
/// ```no_run
/// use axum::{Router, routing::get};
///
/// # async fn run() -> std::io::Result<()> {
/// let app = Router::new().route("/health", get(|| async { "ok" }));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
/// xmlrpc_axum::serve_router(listener, app).await
/// # }
/// ```
///
/// # Errors
///
/// The listener cannot be registered with the runtime.
pub async fn serve_router(listener: impl Into<Listener>, router: Router) -> std::io::Result<()> {
    Server::new().serve(listener, router).await
}
