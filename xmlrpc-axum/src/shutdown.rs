//! Graceful shutdown: the signals that start it, the drain that every connection watches, and
//! the [`Readiness`] flag a health route reads.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

/// Whether a server takes new work: true while it serves, false once its drain has started
/// (and before it started), for a health route that a load balancer or Kubernetes reads.
///
/// Get one from [`Server::readiness`](crate::Server::readiness) before serving; clones share
/// the flag.
///
/// # Examples
///
/// ```
/// use axum::{Router, http::StatusCode, routing::get};
/// use xmlrpc::Registry;
/// use xmlrpc_axum::{Server, XmlRpc};
///
/// let server = Server::new();
/// let ready = server.readiness();
/// let app: Router = XmlRpc::new(Registry::new()).into_router().route(
///     "/ready",
///     get(move || async move {
///         if ready.is_ready() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }
///     }),
/// );
/// # let _ = (server, app);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    ready: Arc<AtomicBool>,
}

impl Readiness {
    /// Whether the server takes new work.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    pub(crate) fn set(&self, ready: bool) {
        self.ready.store(ready, Ordering::Release);
    }
}

/// What a server's drain is told: a flag every connection reads cheaply, and a channel that
/// wakes them.
#[derive(Debug)]
pub(crate) struct Drain {
    draining: Arc<AtomicBool>,
    tx: watch::Sender<()>,
}

/// One connection's view of the drain.
#[derive(Debug, Clone)]
pub(crate) struct DrainWatch {
    draining: Arc<AtomicBool>,
    rx: watch::Receiver<()>,
}

impl Drain {
    pub(crate) fn new() -> Drain {
        Drain {
            draining: Arc::new(AtomicBool::new(false)),
            tx: watch::channel(()).0,
        }
    }

    pub(crate) fn watch(&self) -> DrainWatch {
        DrainWatch {
            draining: Arc::clone(&self.draining),
            rx: self.tx.subscribe(),
        }
    }

    /// Tells every connection to finish.
    pub(crate) fn start(&self) {
        self.draining.store(true, Ordering::Release);
        self.tx.send_replace(());
    }
}

impl DrainWatch {
    /// Whether the drain has started.
    pub(crate) fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Resolves once the drain has started.
    pub(crate) fn started(self) -> impl Future<Output = ()> + Send + 'static {
        let DrainWatch { draining, mut rx } = self;
        async move {
            while !draining.load(Ordering::Acquire) {
                if rx.changed().await.is_err() {
                    // The server is gone: nothing left to drain for.
                    return;
                }
            }
        }
    }
}

/// A shutdown signal, boxed.
pub(crate) type Signal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Ctrl-C (SIGINT) or SIGTERM, whichever comes first. The handlers are installed now, so that
/// a signal sent while the server starts is not lost.
pub(crate) fn ctrl_c_or_sigterm() -> Signal {
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    let int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    Box::pin(async move {
        let term = async {
            match term {
                Ok(mut term) => {
                    term.recv().await;
                }
                Err(e) => {
                    tracing::warn!(target: "xmlrpc_axum", "cannot watch SIGTERM: {e}");
                    std::future::pending::<()>().await;
                }
            }
        };
        let int = async {
            match int {
                Ok(mut int) => {
                    int.recv().await;
                }
                Err(e) => {
                    tracing::warn!(target: "xmlrpc_axum", "cannot watch Ctrl-C: {e}");
                    std::future::pending::<()>().await;
                }
            }
        };
        tokio::select! {
            () = term => tracing::info!(target: "xmlrpc_axum", "SIGTERM: shutting down"),
            () = int => tracing::info!(target: "xmlrpc_axum", "Ctrl-C: shutting down"),
        }
    })
}
