//! Serve [`xmlrpc`] services over HTTP with axum: mount them in the app you have, or run a
//! server in one line.
//!
//! ```no_run
//! use xmlrpc::Registry;
//!
//! # async fn run() -> std::io::Result<()> {
//! let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
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
//! use xmlrpc::{Endpoint, Registry};
//! use xmlrpc_axum::XmlRpc;
//!
//! let registry = Registry::new().function("ping", || "pong");
//! let app: Router = Router::new()
//!     .route("/health", get(|| async { "ok" }))
//!     .nest("/RPC2", XmlRpc::new(Endpoint::new(registry).paths(["/"])).into_router());
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
//! wire limit and read timeout, and gives it the peer's address (when the server was started
//! with connection info, as [`serve`] does) for methods that take `&xmlrpc::Context`.
//!
//! Several registries can live at several paths of one router (Python's
//! `MultiPathXMLRPCServer`): merge one router per endpoint.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use http_body_util::BodyExt;
use tokio::sync::Semaphore;
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
/// let router: axum::Router = XmlRpc::new(endpoint).max_concurrency(64).into_router();
/// # let _ = router;
/// ```
#[derive(Debug, Clone)]
pub struct XmlRpc {
    endpoint: Endpoint,
    concurrency: Option<Arc<Semaphore>>,
}

impl XmlRpc {
    /// Serves `endpoint`, or a registry with the endpoint's defaults (`/` and `/RPC2`).
    pub fn new(endpoint: impl Into<Endpoint>) -> Self {
        XmlRpc {
            endpoint: endpoint.into(),
            concurrency: None,
        }
    }

    /// At most `calls` calls run at once on this endpoint; the others wait their turn.
    /// Unlimited by default: tokio shares the cores, and the endpoint's size limits bound
    /// the memory of each request.
    pub fn max_concurrency(mut self, calls: usize) -> Self {
        self.concurrency = Some(Arc::new(Semaphore::new(calls.max(1))));
        self
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
                    let _permit = match &self.concurrency {
                        Some(semaphore) => semaphore.acquire().await.ok(),
                        None => None,
                    };
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

/// [`serve`] for an [`Endpoint`] with settings of its own (or an [`XmlRpc`]).
///
/// # Errors
///
/// The address cannot be bound, or accepting connections fails.
pub async fn serve_endpoint(
    addr: impl tokio::net::ToSocketAddrs,
    endpoint: impl Into<XmlRpc>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_router(listener, endpoint.into().into_router()).await
}

/// Serves any router (one built with [`XmlRpc::into_router`], merged into an app) on a
/// bound listener until Ctrl-C, with connection info for [`xmlrpc::Context::peer`].
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
