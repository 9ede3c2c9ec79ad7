//! One HTTP connection of the runner: its first request head read here (for the header
//! limit's 431 with a reason, and to tell HTTP/2's preface from HTTP/1.1), then hyper's
//! HTTP/1.1 or HTTP/2 connection, under the header and idle timers and the drain.
//!
//! The timers cost no timer operation per request: the connection's state records, with
//! atomics, when it last went idle and when the bytes of a new request head started to come;
//! one sleep per connection wakes at the nearest deadline and reads that state.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::time::{Instant, Sleep};
use xmlrpc::Peer;

use crate::listener::Remote;
use crate::shutdown::DrainWatch;

/// What a connection is served with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) header_read_timeout: Duration,
    pub(crate) max_header_size: usize,
    pub(crate) idle_timeout: Duration,
}

impl Limits {
    /// The longest a connection's timer sleeps without a deadline in sight: the shorter of
    /// the two timeouts, so that each is enforced on time.
    fn check_period(&self) -> Duration {
        self.header_read_timeout.min(self.idle_timeout)
    }
}

/// HTTP/2's connection preface.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Serves one connection until it closes, the drain closes it, or a timer cuts it.
/// `h2_by_alpn` says TLS agreed on HTTP/2.
pub(crate) async fn serve<I>(
    mut io: I,
    remote: Remote,
    router: Router,
    limits: Limits,
    drain: DrainWatch,
    h2_by_alpn: bool,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let first = if h2_by_alpn {
        First::H2(Vec::new())
    } else {
        match read_first(&mut io, &limits, &drain).await {
            Some(first) => first,
            None => return,
        }
    };
    let state = Arc::new(ConnState::new());
    let service = ConnService {
        router,
        state: Arc::clone(&state),
        remote,
    };
    match first {
        First::H1(prefix) => {
            let io = TokioIo::new(Rewind::new(io, prefix, Some(Arc::clone(&state))));
            let conn = hyper::server::conn::http1::Builder::new()
                .header_read_timeout(None)
                .max_header_size(limits.max_header_size)
                .serve_connection(io, service)
                .with_upgrades();
            Driver::new(conn, state, limits, drain, true).await;
        }
        First::H2(prefix) => {
            let io = TokioIo::new(Rewind::new(io, prefix, None));
            let conn = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                .max_header_list_size(u32::try_from(limits.max_header_size).unwrap_or(u32::MAX))
                .serve_connection(io, service);
            Driver::new(conn, state, limits, drain, false).await;
        }
    }
}

/// How a connection starts: the bytes read so far, and what they are.
enum First {
    H1(Vec<u8>),
    H2(Vec<u8>),
}

/// Reads until the first request head is complete (HTTP/1.1) or the HTTP/2 preface is in,
/// within the header read timeout. A head above the limit is answered 431 here, with its
/// reason; `None` means the connection is done with.
async fn read_first<I>(io: &mut I, limits: &Limits, drain: &DrainWatch) -> Option<First>
where
    I: AsyncRead + AsyncWrite + Unpin,
{
    let deadline = Instant::now() + limits.header_read_timeout;
    let mut buf = Vec::with_capacity(4096);
    let mut scanned = 0;
    let draining = drain.clone().started();
    tokio::pin!(draining);
    loop {
        if buf.capacity() - buf.len() < 1024 {
            buf.reserve(4096);
        }
        let read = tokio::time::timeout_at(deadline, io.read_buf(&mut buf));
        let n = tokio::select! {
            biased;
            () = &mut draining => return None,
            read = read => match read {
                Ok(Ok(n)) => n,
                // Broken, or too slow: cut.
                Ok(Err(_)) | Err(_) => return None,
            },
        };
        if n == 0 {
            return None;
        }
        if buf.len() >= PREFACE.len() {
            if buf.starts_with(PREFACE) {
                return Some(First::H2(buf));
            }
        } else if PREFACE.starts_with(&buf) {
            continue;
        }
        match head_end(&buf, scanned) {
            Some(end) if end <= limits.max_header_size => return Some(First::H1(buf)),
            Some(_) => break,
            None if buf.len() > limits.max_header_size => break,
            None => scanned = buf.len(),
        }
    }
    refuse_head(io, limits).await;
    None
}

/// Where the head in `buf` ends (after its blank line), looking from about `from` on.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(2);
    memchr::memchr_iter(b'\n', &buf[start..])
        .map(|i| start + i + 1)
        .find_map(|after| match &buf[after..] {
            [b'\n', ..] => Some(after + 1),
            [b'\r', b'\n', ..] => Some(after + 2),
            _ => None,
        })
}

/// Answers a head above the limit with 431 and why, then closes: the rest of what the client
/// sends is read and dropped for a moment, so that it sees the answer rather than a reset.
async fn refuse_head<I>(io: &mut I, limits: &Limits)
where
    I: AsyncRead + AsyncWrite + Unpin,
{
    tracing::debug!(
        target: "xmlrpc_axum",
        limit = limits.max_header_size,
        "request head above the limit: answering 431"
    );
    let body = format!(
        "the request's header section is larger than the limit of {} bytes\n",
        limits.max_header_size
    );
    let response = format!(
        "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = async {
        io.write_all(response.as_bytes()).await?;
        io.flush().await?;
        io.shutdown().await?;
        let mut sink = vec![0u8; 16 * 1024];
        let mut dropped = 0usize;
        while dropped < (1 << 20) {
            let n = io.read(&mut sink).await?;
            if n == 0 {
                break;
            }
            dropped += n;
        }
        Ok::<(), io::Error>(())
    };
    let _ = tokio::time::timeout(limits.header_read_timeout, answer).await;
}

/// A connection's timing state, shared by its service (requests start and end) and its
/// reader (bytes come in).
#[derive(Debug)]
struct ConnState {
    epoch: std::time::Instant,
    in_flight: AtomicUsize,
    /// Nanoseconds from `epoch` to when the connection last went idle.
    idle_since: AtomicU64,
    /// Nanoseconds from `epoch` (at least 1) to the first byte of a request head that came
    /// while idle; 0 when none is coming.
    head_since: AtomicU64,
}

impl ConnState {
    fn new() -> ConnState {
        ConnState {
            epoch: std::time::Instant::now(),
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            head_since: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn at(&self, nanos: u64) -> Instant {
        Instant::from_std(self.epoch + Duration::from_nanos(nanos))
    }

    fn begin(&self) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(0, Ordering::Release);
    }

    fn end(&self) {
        if self.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.idle_since.store(self.now(), Ordering::Release);
        }
    }

    /// Bytes came in: while idle, they start a request head.
    fn bytes_in(&self) {
        if self.in_flight.load(Ordering::Acquire) == 0
            && self.head_since.load(Ordering::Acquire) == 0
        {
            self.head_since.store(self.now().max(1), Ordering::Release);
        }
    }
}

/// A request in flight; its end is the end of its response body.
#[derive(Debug)]
struct CallGuard(Arc<ConnState>);

impl Drop for CallGuard {
    fn drop(&mut self) {
        self.0.end();
    }
}

/// The hyper service of one connection: the peer into each request's extensions (axum's
/// `ConnectInfo` for TCP, a [`Peer`] for a Unix socket), then the router.
#[derive(Debug, Clone)]
struct ConnService {
    router: Router,
    state: Arc<ConnState>,
    remote: Remote,
}

impl hyper::service::Service<http::Request<Incoming>> for ConnService {
    type Response = http::Response<TrackedBody>;
    type Error = Infallible;
    type Future = ConnFuture;

    fn call(&self, mut request: http::Request<Incoming>) -> ConnFuture {
        match &self.remote {
            Remote::Tcp(addr) => {
                request.extensions_mut().insert(ConnectInfo(*addr));
            }
            Remote::Unix(peer) => {
                request.extensions_mut().insert(Peer::Unix(peer.clone()));
            }
        }
        self.state.begin();
        let guard = CallGuard(Arc::clone(&self.state));
        let mut router = self.router.clone();
        ConnFuture {
            inner: tower::Service::call(&mut router, request),
            guard: Some(guard),
        }
    }
}

pin_project_lite::pin_project! {
    /// The router's answer, its body tracked.
    struct ConnFuture {
        #[pin]
        inner: axum::routing::future::RouteFuture<Infallible>,
        guard: Option<CallGuard>,
    }
}

impl Future for ConnFuture {
    type Output = Result<http::Response<TrackedBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = match this.inner.poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(response)) => response,
            Poll::Ready(Err(never)) => match never {},
        };
        let guard = this.guard.take();
        Poll::Ready(Ok(response.map(|inner| TrackedBody {
            inner,
            _guard: guard,
        })))
    }
}

/// A response body that ends its request when it is done with.
#[derive(Debug)]
struct TrackedBody {
    inner: Body,
    _guard: Option<CallGuard>,
}

impl http_body::Body for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The connection's IO: the bytes read ahead first, then the stream; for HTTP/1.1, bytes that
/// come while the connection is idle are noted as the start of a request head.
#[derive(Debug)]
struct Rewind<I> {
    prefix: Vec<u8>,
    pos: usize,
    io: I,
    heads: Option<Arc<ConnState>>,
}

impl<I> Rewind<I> {
    fn new(io: I, prefix: Vec<u8>, heads: Option<Arc<ConnState>>) -> Rewind<I> {
        Rewind {
            prefix,
            pos: 0,
            io,
            heads,
        }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Rewind<I> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.pos < this.prefix.len() {
            let rest = &this.prefix[this.pos..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.pos += n;
            if this.pos == this.prefix.len() {
                this.prefix = Vec::new();
                this.pos = 0;
            }
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut this.io).poll_read(cx, buf);
        if let (Some(state), Poll::Ready(Ok(()))) = (&this.heads, &read) {
            if buf.filled().len() > before {
                state.bytes_in();
            }
        }
        read
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Rewind<I> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// hyper's connections, which finish their current requests and close when told.
trait Graceful: Future<Output = hyper::Result<()>> {
    fn finish(self: Pin<&mut Self>);
}

impl<I, B, S> Graceful for hyper::server::conn::http1::UpgradeableConnection<I, S>
where
    S: hyper::service::HttpService<Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    B: hyper::body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn finish(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

impl<I, B, S, E> Graceful for hyper::server::conn::http2::Connection<I, S, E>
where
    S: hyper::service::HttpService<Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    B: hyper::body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    E: hyper::rt::bounds::Http2ServerConnExec<S::Future, B>,
{
    fn finish(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

pin_project_lite::pin_project! {
    /// Drives a hyper connection under the timers and the drain.
    struct Driver<C> {
        #[pin]
        conn: C,
        sleep: Pin<Box<Sleep>>,
        state: Arc<ConnState>,
        limits: Limits,
        drain: DrainWatch,
        drain_started: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
        first_poll: bool,
        closing: bool,
        h1: bool,
    }
}

/// What a timer check decided.
enum Check {
    /// Look again then.
    Next(Instant),
    /// Idle too long: close, politely.
    Close(Instant),
    /// A request head too slow: cut.
    Cut,
}

impl<C: Graceful> Driver<C> {
    fn new(conn: C, state: Arc<ConnState>, limits: Limits, drain: DrainWatch, h1: bool) -> Self {
        let started = Box::pin(drain.clone().started());
        Driver {
            conn,
            sleep: Box::pin(tokio::time::sleep(limits.check_period())),
            state,
            limits,
            drain,
            drain_started: Some(started),
            first_poll: true,
            closing: false,
            h1,
        }
    }
}

impl<C: Graceful> Driver<C> {
    fn check(state: &ConnState, limits: &Limits, h1: bool, now: Instant) -> Check {
        if state.in_flight.load(Ordering::Acquire) > 0 {
            // Nothing to time while busy (the endpoint bounds the body, the method its
            // work): look again within a period, so that neither an idle spell nor a head
            // that follows is timed late.
            return Check::Next(now + limits.check_period());
        }
        if h1 {
            let head = state.head_since.load(Ordering::Acquire);
            if head != 0 {
                let deadline = state.at(head) + limits.header_read_timeout;
                return if now >= deadline {
                    Check::Cut
                } else {
                    Check::Next(deadline)
                };
            }
        }
        let idle = state.at(state.idle_since.load(Ordering::Acquire));
        let deadline = idle + limits.idle_timeout;
        if now >= deadline {
            Check::Close(now + limits.idle_timeout)
        } else if h1 {
            // Look again within a header timeout, to catch a head that starts meanwhile.
            Check::Next(deadline.min(now + limits.header_read_timeout))
        } else {
            Check::Next(deadline)
        }
    }
}

impl<C: Graceful> Future for Driver<C> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut this = self.project();
        if *this.first_poll {
            // Register with the drain and the timer once; after this, their wake-ups bring
            // the task here, and the checks below read the state.
            *this.first_poll = false;
            if let Some(started) = this.drain_started.as_mut() {
                if started.as_mut().poll(cx).is_ready() {
                    *this.drain_started = None;
                }
            }
            let _ = this.sleep.as_mut().poll(cx);
        }
        if !*this.closing && this.drain.is_draining() {
            *this.closing = true;
            this.conn.as_mut().finish();
        }
        loop {
            if let Poll::Ready(result) = this.conn.as_mut().poll(cx) {
                if let Err(e) = result {
                    tracing::debug!(target: "xmlrpc_axum", "connection ended: {e}");
                }
                return Poll::Ready(());
            }
            if !this.sleep.is_elapsed() {
                return Poll::Pending;
            }
            let next = match Self::check(this.state, this.limits, *this.h1, Instant::now()) {
                Check::Cut => {
                    tracing::debug!(
                        target: "xmlrpc_axum",
                        "request head not in within the header read timeout: closing"
                    );
                    return Poll::Ready(());
                }
                Check::Close(next) => {
                    if !*this.closing {
                        *this.closing = true;
                        this.conn.as_mut().finish();
                    }
                    next
                }
                Check::Next(next) => next,
            };
            this.sleep.as_mut().reset(next);
            if this.sleep.as_mut().poll(cx).is_pending() {
                // Polling the connection again lets a close take effect at once.
                if *this.closing && this.conn.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(());
                }
                return Poll::Pending;
            }
        }
    }
}
