//! The blocking client, for scripts and command-line tools without an async runtime.
//!
//! [`Client`] has the methods of the async [`Client`](super::Client), without `.await`. It
//! owns a small tokio runtime (one worker thread, which keeps the pooled connections alive
//! between calls) and runs each call on it until it completes.
//!
//! ```no_run
//! use xmlrpc::client::blocking::Client;
//!
//! let client = Client::new("http://127.0.0.1:8000")?;
//! let sum: i32 = client.call("add", (1, 2))?;
//! println!("1 + 2 = {sum}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Panics
//!
//! Like every blocking client, it must not be called from inside an async runtime, where
//! blocking a worker thread would stall other tasks: its calls panic there. Use the async
//! [`Client`](super::Client) in async code.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::builder::ClientBuilder;
use super::call;
use super::error::BuildError;
use super::multicall::{self as multi, FromMulticall};
use super::request::{self, Response};
use crate::caller::CallError;
use crate::fault::Fault;
use crate::params::Params;
use crate::value::Value;

/// A blocking XML-RPC client for one server URL.
///
/// Cheap to clone: clones share the runtime, the connection pool and the cookies.
///
/// # Examples
///
/// ```no_run
/// use xmlrpc::client::blocking::Client;
///
/// let client = Client::builder("http://127.0.0.1:8000")
///     .timeout(std::time::Duration::from_secs(5))
///     .build_blocking()?;
/// let now: xmlrpc::DateTime = client.call("currentTime.getCurrentTime", ())?;
/// println!("{now}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    client: call::Client,
    runtime: Arc<Runtime>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// The runtime, shut down without waiting when the last client goes, so that dropping a
/// client never blocks (nor panics inside an async context).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn get(&self) -> &tokio::runtime::Runtime {
        // Only `Drop` takes the runtime out.
        self.0
            .as_ref()
            .unwrap_or_else(|| unreachable!("the runtime lives as long as its clients"))
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl Client {
    /// A blocking client for the server at `url`, with the default settings (see
    /// [`ClientBuilder`]).
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`], or the runtime could not be started.
    pub fn new(url: &str) -> Result<Client, BuildError> {
        ClientBuilder::new(url).build_blocking()
    }

    /// A builder for a client of `url`; finish it with
    /// [`build_blocking`](ClientBuilder::build_blocking).
    pub fn builder(url: &str) -> ClientBuilder {
        ClientBuilder::new(url)
    }

    /// A blocking client that sends through `client`, sharing its settings, connections and
    /// cookies.
    ///
    /// Pooled connections run on the runtime that opened them: calls through `client` made
    /// on another runtime that has since stopped leave connections that no one drives. Make
    /// the blocking client before such calls, or run them through [`block_on`](Client::block_on).
    ///
    /// # Errors
    ///
    /// The runtime could not be started.
    pub fn from_async(client: call::Client) -> Result<Client, BuildError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("xmlrpc-client")
            .enable_all()
            .build()
            .map_err(|e| BuildError::with_source("cannot start the client's runtime", e))?;
        Ok(Client {
            client,
            runtime: Arc::new(Runtime(Some(runtime))),
        })
    }

    /// The URL calls are sent to, without credentials.
    pub fn url(&self) -> &str {
        self.client.url()
    }

    /// Calls `method` with `params` and reads the result straight into `R`; see
    /// [`Client::call`](super::Client::call).
    ///
    /// # Errors
    ///
    /// As [`Client::call`](super::Client::call).
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn call<R: DeserializeOwned>(
        &self,
        method: &str,
        params: impl Params,
    ) -> Result<R, CallError> {
        let request = self.client.encode(method, &params)?;
        let response = self.post(request)?;
        self.client.decode(&response)
    }

    /// Calls `method` with `params` and gives the result as a [`Value`].
    ///
    /// # Errors
    ///
    /// As [`Client::call`](super::Client::call), except that any value fits.
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn call_value(&self, method: &str, params: &[Value]) -> Result<Value, CallError> {
        self.call(method, params)
    }

    /// A call of `method` to set up, as [`Client::request`](super::Client::request) makes
    /// one: parameters, headers and a timeout of its own, the answer's headers.
    ///
    /// ```no_run
    /// # let client = xmlrpc::client::blocking::Client::new("http://127.0.0.1:8000")?;
    /// let answer = client
    ///     .request("add")
    ///     .arg(&1)
    ///     .arg(&2)
    ///     .header("X-Request-Id", "7")
    ///     .send_response::<i32>()?;
    /// println!("{} (server {:?})", answer.value(), answer.headers().get("server"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request(&self, method: &str) -> RequestBuilder<'_> {
        RequestBuilder {
            inner: self.client.request(method),
            client: self,
        }
    }

    /// Runs a future of the async client on the runtime's worker and waits for it.
    fn run<T: Send + 'static>(
        &self,
        future: impl Future<Output = Result<T, CallError>> + Send + 'static,
    ) -> Result<T, CallError> {
        let runtime = self.runtime.get();
        let task = runtime.spawn(future);
        match runtime.block_on(task) {
            Ok(answer) => answer,
            Err(e) => match e.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(e) => Err(CallError::Transport(Box::new(e))),
            },
        }
    }

    /// Sends a request and waits for the answer. The exchange runs as a task on the
    /// runtime's worker, the thread that also runs the connections, so that a connection is
    /// back in the pool before the next call looks for one; only the end is handed over to
    /// the calling thread.
    fn post(&self, request: Vec<u8>) -> Result<Vec<u8>, CallError> {
        self.run(self.client.post(request))
    }

    /// An empty [`MultiCall`] that sends through this client.
    ///
    /// ```no_run
    /// # let client = xmlrpc::client::blocking::Client::new("http://127.0.0.1:8000")?;
    /// let mut multi = client.multicall();
    /// multi.call("pow", (2, 9)).call("add", (1, 2));
    /// let (pow, sum): (Result<i64, _>, Result<i32, _>) = multi.send()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn multicall(&self) -> MultiCall<'_> {
        MultiCall {
            inner: self.client.multicall(),
            client: self,
        }
    }

    /// Runs `future` to completion on the client's runtime: the way to use the async API
    /// (such as a typed client that `#[xmlrpc_service]` generated) from blocking code.
    ///
    /// ```no_run
    /// use xmlrpc::Caller;
    ///
    /// let client = xmlrpc::client::blocking::Client::new("http://127.0.0.1:8000")?;
    /// let caller = client.as_async();
    /// let sum: i32 = client.block_on(caller.call("add", (1, 2)))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.get().block_on(future)
    }

    /// The async client underneath, for [`block_on`](Client::block_on) or for sharing with
    /// async code.
    pub fn as_async(&self) -> &call::Client {
        &self.client
    }
}

/// Calls queued to be sent in one `system.multicall`, blocking: the twin of the async
/// [`MultiCall`](super::MultiCall), made by [`Client::multicall`].
pub struct MultiCall<'a> {
    inner: multi::MultiCall<'a, call::Client>,
    client: &'a Client,
}

impl fmt::Debug for MultiCall<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl MultiCall<'_> {
    /// Queues a call; see [`MultiCall::call`](super::MultiCall::call).
    pub fn call(&mut self, method: &str, params: impl Params) -> &mut Self {
        self.inner.call(method, params);
        self
    }

    /// The number of calls queued.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no call is queued.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Sends the queued calls and reads the results in order; see
    /// [`MultiCall::send`](super::MultiCall::send).
    ///
    /// # Errors
    ///
    /// As [`MultiCall::send`](super::MultiCall::send).
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn send<R: FromMulticall>(&self) -> Result<R, CallError> {
        let request = self.inner.request::<R>()?;
        let response = self.client.post(request)?;
        self.inner.read(&response)
    }

    /// Sends the queued calls and gives each result as a [`Value`], or its fault.
    ///
    /// # Errors
    ///
    /// As [`MultiCall::send`](super::MultiCall::send).
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn send_values(&self) -> Result<Vec<Result<Value, Fault>>, CallError> {
        self.send()
    }
}

/// One call being set up, blocking: the twin of the async
/// [`RequestBuilder`](super::RequestBuilder), made by [`Client::request`].
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<'a> {
    inner: request::RequestBuilder,
    client: &'a Client,
}

impl fmt::Debug for RequestBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl RequestBuilder<'_> {
    /// Adds `value` as the next parameter; see
    /// [`RequestBuilder::arg`](super::RequestBuilder::arg).
    pub fn arg<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.inner = self.inner.arg(value);
        self
    }

    /// Adds a header to this call; see
    /// [`RequestBuilder::header`](super::RequestBuilder::header).
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        self.inner = self.inner.header(name, value);
        self
    }

    /// The most time this call may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.timeout(timeout);
        self
    }

    /// Sends the call and reads the result into `R`.
    ///
    /// # Errors
    ///
    /// As [`Client::call`](super::Client::call).
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn send<R: DeserializeOwned + Send + 'static>(self) -> Result<R, CallError> {
        self.send_response().map(Response::into_value)
    }

    /// Sends the call and gives the result with the answer's status and headers.
    ///
    /// # Errors
    ///
    /// As [`Client::call`](super::Client::call).
    ///
    /// # Panics
    ///
    /// When called inside an async runtime.
    pub fn send_response<R: DeserializeOwned + Send + 'static>(
        self,
    ) -> Result<Response<R>, CallError> {
        self.client.run(self.inner.send_response())
    }
}

impl ClientBuilder {
    /// Builds a [`blocking::Client`](Client), for programs without an async runtime.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`], or the runtime could not be started.
    pub fn build_blocking(self) -> Result<Client, BuildError> {
        Client::from_async(self.build()?)
    }
}
