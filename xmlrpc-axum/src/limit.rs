//! [`ConcurrencyLimitLayer`]: at most so many requests at once; the next ones wait a bounded
//! time, then get 503 with `Retry-After`.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use tokio::sync::Semaphore;

/// A tower layer that lets at most `max` requests run at once through the service it wraps;
/// a request beyond them waits for a place up to the queue timeout (1 s by default), then is
/// answered 503 Service Unavailable with `Retry-After` (1 s by default) and a line saying why,
/// instead of queueing without end.
///
/// It applies to whatever router it wraps, XML-RPC endpoints and other routes alike;
/// [`Server::max_concurrent_requests`](crate::Server::max_concurrent_requests) puts one around
/// the whole app. A request holds its place until its response is ready (XML-RPC answers are
/// whole by then).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use axum::Router;
/// use xmlrpc::Registry;
/// use xmlrpc_axum::{ConcurrencyLimitLayer, XmlRpc};
///
/// let rpc: Router = XmlRpc::new(Registry::new()).into_router();
/// let app = rpc.layer(ConcurrencyLimitLayer::new(8).queue_timeout(Duration::from_millis(250)));
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct ConcurrencyLimitLayer {
    semaphore: Arc<Semaphore>,
    max: usize,
    queue_timeout: Duration,
    retry_after: Duration,
}

impl ConcurrencyLimitLayer {
    /// At most `max` requests at once.
    ///
    /// # Panics
    ///
    /// `max` is zero, or above tokio's semaphore limit (`usize::MAX >> 3`).
    #[track_caller]
    pub fn new(max: usize) -> ConcurrencyLimitLayer {
        assert!(
            max > 0,
            "a concurrency limit of 0 would refuse every request"
        );
        assert!(
            max <= Semaphore::MAX_PERMITS,
            "a concurrency limit above {} is not a limit",
            Semaphore::MAX_PERMITS
        );
        ConcurrencyLimitLayer {
            semaphore: Arc::new(Semaphore::new(max)),
            max,
            queue_timeout: Duration::from_secs(1),
            retry_after: Duration::from_secs(1),
        }
    }

    /// How long a request beyond the limit waits for a place before it is answered 503
    /// (1 s by default; zero answers at once).
    pub fn queue_timeout(mut self, timeout: Duration) -> ConcurrencyLimitLayer {
        self.queue_timeout = timeout;
        self
    }

    /// What the 503's `Retry-After` tells the client, in whole seconds, rounded up (1 s by
    /// default).
    pub fn retry_after(mut self, after: Duration) -> ConcurrencyLimitLayer {
        self.retry_after = after;
        self
    }
}

impl<S> tower::Layer<S> for ConcurrencyLimitLayer {
    type Service = ConcurrencyLimit<S>;

    fn layer(&self, inner: S) -> ConcurrencyLimit<S> {
        ConcurrencyLimit {
            inner,
            limit: self.clone(),
        }
    }
}

/// The service [`ConcurrencyLimitLayer`] makes, around any tower service that answers HTTP.
///
/// ```
/// use tower::{Layer, ServiceExt};
/// use xmlrpc::Registry;
/// use xmlrpc_axum::{ConcurrencyLimitLayer, XmlRpc};
///
/// # async fn run() {
/// let router: axum::Router = XmlRpc::new(Registry::new()).into_router();
/// let limited = ConcurrencyLimitLayer::new(1).layer(router);
/// let get = http::Request::get("/nowhere").body(axum::body::Body::empty()).unwrap();
/// let response = limited.oneshot(get).await.unwrap();
/// assert_eq!(response.status(), 404);
/// # }
/// # tokio::runtime::Runtime::new().unwrap().block_on(run());
/// ```
#[derive(Debug, Clone)]
pub struct ConcurrencyLimit<S> {
    inner: S,
    limit: ConcurrencyLimitLayer,
}

impl<S, B> tower::Service<http::Request<B>> for ConcurrencyLimit<S>
where
    S: tower::Service<http::Request<B>, Error = Infallible> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Waiting happens per request, in `call`, so that it is bounded.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The clone that was ready takes the request (tower's rule for `call`).
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let limit = self.limit.clone();
        Box::pin(async move {
            let semaphore = &limit.semaphore;
            let permit = match Arc::clone(semaphore).try_acquire_owned() {
                Ok(permit) => permit,
                Err(_) => {
                    let waited = tokio::time::timeout(
                        limit.queue_timeout,
                        Arc::clone(semaphore).acquire_owned(),
                    )
                    .await;
                    match waited {
                        Ok(Ok(permit)) => permit,
                        _ => return Ok(busy(&limit)),
                    }
                }
            };
            let response = match tower::Service::call(&mut inner, request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            };
            drop(permit);
            Ok(response)
        })
    }
}

/// The 503 for a request that found no place in time.
fn busy(limit: &ConcurrencyLimitLayer) -> Response {
    tracing::debug!(
        target: "xmlrpc_axum",
        max = limit.max,
        "concurrency limit reached: answering 503"
    );
    let seconds = limit.retry_after.as_secs() + u64::from(limit.retry_after.subsec_nanos() > 0);
    let text = format!(
        "the server is busy: {} requests are running, the most it runs at once; retry in {seconds} s\n",
        limit.max
    );
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
