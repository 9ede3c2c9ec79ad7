//! [`Server`]: the runner. Accepts connections on a [`Listener`], serves them over HTTP/1.1
//! and HTTP/2 (or SCGI), within the limits, until a shutdown signal; then drains.

use std::fmt;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::conn;
use crate::limit::ConcurrencyLimitLayer;
use crate::listener::{ListenAddr, Listener, Remote, Stream};
use crate::shutdown::{self, Drain, DrainWatch, Readiness, Signal};

/// A production server for an XML-RPC endpoint or any axum [`Router`]: HTTP/1.1 and HTTP/2
/// on one port (h2c by prior knowledge in the clear, h2 by ALPN under TLS), or SCGI behind
/// nginx; TCP or a Unix socket; limits on everything a client controls; and a graceful
/// shutdown on Ctrl-C or SIGTERM.
///
/// Every setting has a default fit for serving on the open Internet; change them with the
/// builder methods, then [`serve`](Server::serve) or [`serve_scgi`](Server::serve_scgi).
///
/// # Lifecycle
///
/// The server runs until its shutdown signal: Ctrl-C (SIGINT) or SIGTERM, as Docker, systemd
/// and Kubernetes send, or the future given to [`Server::shutdown_signal`]. Then it drains:
///
/// 1. its [`Readiness`] turns false, and the listener is closed (a new connection is
///    refused; a Unix socket file the server bound is removed);
/// 2. calls in flight run to their end and their answers are sent; each keep-alive
///    connection closes after its current response (HTTP/2 connections get a GOAWAY), and
///    idle ones close at once;
/// 3. when every connection is closed, or at the drain timeout (30 s by default), whichever
///    comes first, [`serve`](Server::serve) returns; connections still open then are closed.
///
/// # Limits
///
/// | setting | default | beyond it |
/// |---|---|---|
/// | [`header_read_timeout`](Server::header_read_timeout) | 5 s | the connection is closed |
/// | [`max_header_size`](Server::max_header_size) | 16 KiB | 431, with the reason |
/// | [`idle_timeout`](Server::idle_timeout) | 60 s | the connection is closed |
/// | [`max_connections`](Server::max_connections) | 10,000 | new connections wait in the listen backlog |
/// | [`max_concurrent_requests`](Server::max_concurrent_requests) | none | 503 with `Retry-After` after the [queue timeout](Server::queue_timeout) |
///
/// Request bodies are bounded by the endpoint (its wire limit and read timeout; see
/// [`xmlrpc::endpoint`]).
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use xmlrpc::{Endpoint, Registry};
/// use xmlrpc_axum::{Listener, Server, XmlRpc};
///
/// # async fn run() -> std::io::Result<()> {
/// let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
/// Server::new()
///     .header_read_timeout(Duration::from_secs(10))
///     .max_concurrent_requests(64)
///     .drain_timeout(Duration::from_secs(10))
///     .serve(Listener::bind("[::]:8000").await?, XmlRpc::new(registry))
///     .await
/// # }
/// ```
#[must_use = "a Server does nothing until it serves"]
pub struct Server {
    limits: conn::Limits,
    max_connections: usize,
    concurrency: Option<ConcurrencyLimitLayer>,
    queue_timeout: Duration,
    drain_timeout: Duration,
    signal: Option<Signal>,
    readiness: Readiness,
    #[cfg(feature = "tls")]
    tls: Option<crate::tls::Tls>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Server");
        d.field("limits", &self.limits)
            .field("max_connections", &self.max_connections)
            .field("concurrency", &self.concurrency)
            .field("queue_timeout", &self.queue_timeout)
            .field("drain_timeout", &self.drain_timeout)
            .field("shutdown_signal", &self.signal.as_ref().map(|_| "custom"))
            .field("readiness", &self.readiness);
        #[cfg(feature = "tls")]
        d.field("tls", &self.tls.is_some());
        d.finish()
    }
}

impl Default for Server {
    fn default() -> Server {
        Server::new()
    }
}

impl Server {
    /// A server with the default settings (see [Limits](Server#limits)).
    pub fn new() -> Server {
        Server {
            limits: conn::Limits {
                header_read_timeout: Duration::from_secs(5),
                max_header_size: 16 * 1024,
                idle_timeout: Duration::from_secs(60),
            },
            max_connections: 10_000,
            concurrency: None,
            queue_timeout: Duration::from_secs(1),
            drain_timeout: Duration::from_secs(30),
            signal: None,
            readiness: Readiness::default(),
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// How long a client may take to send a request's head (its request line and header
    /// fields), counted from its first byte, or for the first request from the connection's
    /// start (and the TLS handshake); a slower one has its connection closed (5 s by
    /// default). Under SCGI, the time for the netstring of CGI variables.
    ///
    /// # Panics
    ///
    /// A zero timeout.
    #[track_caller]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Server {
        assert!(
            !timeout.is_zero(),
            "a header read timeout of zero would cut every request"
        );
        self.limits.header_read_timeout = timeout;
        self
    }

    /// The largest request head, request line and header fields together, in bytes (16 KiB
    /// by default): a larger one is answered 431 Request Header Fields Too Large and its
    /// connection closed. Under HTTP/2 it bounds the header list; under SCGI, the netstring
    /// of CGI variables.
    ///
    /// # Panics
    ///
    /// Below 1 KiB, which no real client fits in.
    #[track_caller]
    pub fn max_header_size(mut self, bytes: usize) -> Server {
        assert!(
            bytes >= 1024,
            "a header section limit below 1 KiB refuses ordinary requests: {bytes}"
        );
        self.limits.max_header_size = bytes;
        self
    }

    /// How long a keep-alive connection may stay idle between requests before it is closed
    /// (60 s by default).
    ///
    /// # Panics
    ///
    /// A zero timeout.
    #[track_caller]
    pub fn idle_timeout(mut self, timeout: Duration) -> Server {
        assert!(
            !timeout.is_zero(),
            "an idle timeout of zero would close every connection"
        );
        self.limits.idle_timeout = timeout;
        self
    }

    /// The most connections open at once (10,000 by default). At the limit the server stops
    /// accepting: new connections wait in the kernel's listen backlog (1024 by default for
    /// a listener bound here, capped by `net.core.somaxconn`) until one closes, and past the
    /// backlog the kernel drops them and clients retry. Each connection takes a file
    /// descriptor: keep the process's limit (`ulimit -n`) above this.
    ///
    /// # Panics
    ///
    /// Zero, or above tokio's semaphore limit (`usize::MAX >> 3`).
    #[track_caller]
    pub fn max_connections(mut self, connections: usize) -> Server {
        assert!(
            connections > 0,
            "a server with no connections serves nobody"
        );
        assert!(
            connections <= Semaphore::MAX_PERMITS,
            "a connection limit above {} is not a limit",
            Semaphore::MAX_PERMITS
        );
        self.max_connections = connections;
        self
    }

    /// At most `requests` requests run at once, over all connections; one beyond them waits
    /// for a place up to the [queue timeout](Server::queue_timeout), then is answered 503
    /// Service Unavailable with `Retry-After: 1`. Unlimited by default. It wraps the whole
    /// app, health routes included; to limit only some routes, put a
    /// [`ConcurrencyLimitLayer`] around them instead.
    ///
    /// # Panics
    ///
    /// Zero.
    #[track_caller]
    pub fn max_concurrent_requests(mut self, requests: usize) -> Server {
        self.concurrency =
            Some(ConcurrencyLimitLayer::new(requests).queue_timeout(self.queue_timeout));
        self
    }

    /// How long a request beyond [`max_concurrent_requests`](Server::max_concurrent_requests)
    /// waits for a place before its 503 (1 s by default).
    pub fn queue_timeout(mut self, timeout: Duration) -> Server {
        self.queue_timeout = timeout;
        self.concurrency = self.concurrency.map(|layer| layer.queue_timeout(timeout));
        self
    }

    /// How long the drain may take, from the shutdown signal to the last connection closed
    /// (30 s by default; Kubernetes' grace period is 30 s too). Connections still open then
    /// are closed, calls in flight with them.
    pub fn drain_timeout(mut self, timeout: Duration) -> Server {
        self.drain_timeout = timeout;
        self
    }

    /// Shuts down when `signal` completes, instead of on Ctrl-C or SIGTERM.
    ///
    /// ```
    /// use xmlrpc::Registry;
    /// use xmlrpc_axum::{Listener, Server, XmlRpc};
    ///
    /// # async fn run() -> std::io::Result<()> {
    /// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    /// let server = Server::new().shutdown_signal(async {
    ///     let _ = stopped.await;
    /// });
    /// let listener = Listener::bind("127.0.0.1:0").await?;
    /// let running = tokio::spawn(server.serve(listener, XmlRpc::new(Registry::new())));
    /// stop.send(()).unwrap();
    /// running.await.unwrap()?;
    /// # Ok(())
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(run()).unwrap();
    /// ```
    pub fn shutdown_signal(mut self, signal: impl Future<Output = ()> + Send + 'static) -> Server {
        self.signal = Some(Box::pin(signal));
        self
    }

    /// Serves HTTPS: TLS with these settings on every connection, HTTP/2 by ALPN when the
    /// client offers it.
    #[cfg(feature = "tls")]
    pub fn tls(mut self, tls: crate::tls::Tls) -> Server {
        self.tls = Some(tls);
        self
    }

    /// The server's readiness flag, for a health route: true while serving, false once the
    /// drain has started.
    pub fn readiness(&self) -> Readiness {
        self.readiness.clone()
    }

    /// Serves `app` (an [`XmlRpc`](crate::XmlRpc) endpoint or any [`Router`]) over HTTP on
    /// `listener`, until the shutdown signal and the drain.
    ///
    /// Each request carries its peer in its extensions: axum's
    /// `ConnectInfo<SocketAddr>` on TCP, for the app's own handlers as for
    /// [`xmlrpc::Context::peer`]; an [`xmlrpc::Peer::Unix`] with the client process's
    /// credentials on a Unix socket.
    ///
    /// # Errors
    ///
    /// The listener cannot be registered with the runtime. Errors of single connections are
    /// not the server's: they are logged (at DEBUG) and the server goes on.
    pub async fn serve(
        self,
        listener: impl Into<Listener>,
        app: impl Into<Router>,
    ) -> io::Result<()> {
        let router = self.app(app.into());
        let limits = self.limits;
        #[cfg(feature = "tls")]
        let tls = self.tls.clone().map(|tls| tls.acceptor());
        #[cfg(feature = "tls")]
        let scheme = if tls.is_some() { "https" } else { "http" };
        #[cfg(not(feature = "tls"))]
        let scheme = "http";
        self.run(listener.into(), scheme, move |stream, remote, drain| {
            let router = router.clone();
            #[cfg(feature = "tls")]
            let tls = tls.clone();
            async move {
                #[cfg(feature = "tls")]
                if let Some(acceptor) = tls {
                    let handshake =
                        tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream));
                    let stream = match handshake.await {
                        Ok(Ok(stream)) => stream,
                        Ok(Err(e)) => {
                            tracing::debug!(target: "xmlrpc_axum", "TLS handshake failed: {e}");
                            return;
                        }
                        Err(_) => return,
                    };
                    let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
                    conn::serve(stream, remote, router, limits, drain, h2).await;
                    return;
                }
                conn::serve(stream, remote, router, limits, drain, false).await;
            }
        })
        .await
    }

    /// Serves `app` over SCGI on `listener`, for a front server such as nginx
    /// (`scgi_pass`) or lighttpd; see [`crate::scgi`] for what is read and written. The same
    /// shutdown and limits as [`serve`](Server::serve) apply: the header limits bound the
    /// netstring of CGI variables, the endpoint bounds the body.
    ///
    /// # Errors
    ///
    /// The listener cannot be registered with the runtime.
    pub async fn serve_scgi(
        self,
        listener: impl Into<Listener>,
        app: impl Into<Router>,
    ) -> io::Result<()> {
        let router = self.app(app.into());
        let limits = self.limits;
        self.run(listener.into(), "scgi", move |stream, remote, drain| {
            crate::scgi::serve(stream, remote, router.clone(), limits, drain)
        })
        .await
    }

    /// The app with the server's own layers.
    fn app(&self, router: Router) -> Router {
        match &self.concurrency {
            Some(layer) => router.layer(layer.clone()),
            None => router,
        }
    }

    /// The accept loop, then the drain.
    async fn run<F, Fut>(
        mut self,
        listener: Listener,
        scheme: &str,
        connection: F,
    ) -> io::Result<()>
    where
        F: Fn(Stream, Remote, DrainWatch) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let mut signal = self
            .signal
            .take()
            .unwrap_or_else(shutdown::ctrl_c_or_sigterm);
        let listener = listener.into_bound()?;
        announce(scheme, &listener.local_addr()?, self.signal_is_default());
        let permits = Arc::new(Semaphore::new(self.max_connections));
        let drain = Drain::new();
        let mut tasks = JoinSet::new();
        self.readiness.set(true);
        let mut permit = None;
        loop {
            let Some(held) = permit.take() else {
                tokio::select! {
                    biased;
                    () = &mut signal => break,
                    Some(done) = tasks.join_next(), if !tasks.is_empty() => reap(done),
                    acquired = Arc::clone(&permits).acquire_owned() => match acquired {
                        Ok(acquired) => permit = Some(acquired),
                        Err(_) => break,
                    },
                }
                continue;
            };
            tokio::select! {
                biased;
                () = &mut signal => break,
                Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                    reap(done);
                    permit = Some(held);
                }
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        let served = connection(stream, remote, drain.watch());
                        tasks.spawn(async move {
                            served.await;
                            drop(held);
                        });
                    }
                    Err(e) => {
                        permit = Some(held);
                        accept_error(&e).await;
                    }
                },
            }
        }
        // The drain.
        self.readiness.set(false);
        drop(listener);
        drain.start();
        tracing::info!(
            target: "xmlrpc_axum",
            connections = tasks.len(),
            "draining: the listener is closed, open connections finish their calls"
        );
        let drained = tokio::time::timeout(self.drain_timeout, async {
            while let Some(done) = tasks.join_next().await {
                reap(done);
            }
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                target: "xmlrpc_axum",
                connections = tasks.len(),
                "drain timeout of {:?} reached: closing the connections still open",
                self.drain_timeout
            );
            tasks.shutdown().await;
        }
        tracing::info!(target: "xmlrpc_axum", "stopped");
        Ok(())
    }

    fn signal_is_default(&self) -> bool {
        self.signal.is_none()
    }
}

/// A finished connection task: a panic in one is logged, and the server goes on.
fn reap(done: Result<(), tokio::task::JoinError>) {
    if let Err(e) = done {
        if e.is_panic() {
            tracing::error!(target: "xmlrpc_axum", "a connection task panicked: {e}");
        }
    }
}

/// After a failed accept: errors of one connection are dropped; others (out of file
/// descriptors, mostly) are logged, and accepting pauses a moment rather than spin.
async fn accept_error(e: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(target: "xmlrpc_axum", "accepting a connection failed: {e}; retrying in 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Says where the server listens: through `tracing`, or on standard error when no subscriber
/// is installed (the address is worth seeing either way).
fn announce(scheme: &str, addr: &ListenAddr, default_signal: bool) {
    let url = match addr {
        ListenAddr::Tcp(addr) => format!("{scheme}://{addr}"),
        other => format!("{scheme} on {other}"),
    };
    if tracing::dispatcher::has_been_set() {
        tracing::info!(target: "xmlrpc_axum", "serving XML-RPC on {url}");
    } else if default_signal {
        eprintln!("serving XML-RPC on {url} (Ctrl-C or SIGTERM stops)");
    } else {
        eprintln!("serving XML-RPC on {url}");
    }
}
