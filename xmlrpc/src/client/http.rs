//! [`Client`] and [`ClientBuilder`]: XML-RPC over HTTP on reqwest.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderMap, HeaderName,
    HeaderValue, USER_AGENT,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::body;
use super::multicall::MultiCall;
use crate::caller::{CallError, Caller};
use crate::ser::{Dialect, NilStyle};
use crate::service::BoxFuture;
use crate::value::Value;
use crate::xml::limits::Limits;

/// The `User-Agent` sent unless another is set.
const DEFAULT_USER_AGENT: &str = concat!("xmlrpc-rust/", env!("CARGO_PKG_VERSION"));

/// An XML-RPC client for one server URL: Python's `ServerProxy`.
///
/// Cheap to clone (clones share the connection pool and the cookies), and safe to use from
/// many tasks at once. Calls reuse the connections that earlier calls opened (keep-alive).
///
/// Besides its own methods, a client is a [`Caller`], so the typed clients that
/// `#[xmlrpc_service]` generates send their calls through it.
///
/// # Examples
///
/// ```no_run
/// use xmlrpc::client::Client;
///
/// # async fn run() -> Result<(), xmlrpc::CallError> {
/// let client = Client::new("http://127.0.0.1:8000").expect("a valid URL");
/// let result: f64 = client.call("pow", &(2, 9)).await?;
/// let now: xmlrpc::DateTime = client.call("currentTime.getCurrentTime", &()).await?;
/// println!("2**9 = {result} at {now}");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The server's URL, without credentials.
    url: reqwest::Url,
    dialect: Dialect,
    limits: Limits,
    accept_gzip: bool,
    gzip_requests: Option<usize>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.inner.url.as_str())
            .field("dialect", &self.inner.dialect)
            .field("limits", &self.inner.limits)
            .field("accept_gzip", &self.inner.accept_gzip)
            .field("gzip_requests", &self.inner.gzip_requests)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the server at `url`, with the default settings (see [`ClientBuilder`]).
    ///
    /// As in Python, a URL without a path calls `/RPC2`, and credentials in the URL
    /// (`http://user:pass@host/`) are sent with HTTP basic authentication.
    ///
    /// ```
    /// let client = xmlrpc::client::Client::new("http://user:secret@127.0.0.1:8000")?;
    /// assert_eq!(client.url(), "http://127.0.0.1:8000/RPC2");
    /// # Ok::<(), xmlrpc::client::BuildError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The URL is not an `http` or `https` URL (see [`ClientBuilder::build`]).
    pub fn new(url: &str) -> Result<Client, BuildError> {
        ClientBuilder::new(url).build()
    }

    /// A builder for a client of `url`, to change the settings.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let client = xmlrpc::client::Client::builder("http://127.0.0.1:8000/RPC2")
    ///     .timeout(Duration::from_secs(10))
    ///     .header("X-Api-Key", "abc123")
    ///     .allow_none(false)
    ///     .build()?;
    /// # Ok::<(), xmlrpc::client::BuildError>(())
    /// ```
    pub fn builder(url: &str) -> ClientBuilder {
        ClientBuilder::new(url)
    }

    /// The URL calls are sent to, without credentials.
    pub fn url(&self) -> &str {
        self.inner.url.as_str()
    }

    /// The dialect calls are written in.
    pub fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// Calls `method` with `params` and reads the result straight into `R`.
    ///
    /// `params` is a tuple (`&(1, 2)`, `&("one",)` for a single parameter), a slice or `Vec`,
    /// a struct whose fields are the parameters in order, or `&()` for none.
    ///
    /// ```no_run
    /// # async fn run(client: xmlrpc::client::Client) -> Result<(), xmlrpc::CallError> {
    /// let sum = client.call::<i32>("add", &(1, 2)).await?;
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
        params: &(impl Serialize + ?Sized),
    ) -> Result<R, CallError> {
        let request = self.encode(method, params)?;
        let response = self.inner.post(request).await?;
        self.decode(&response)
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

    /// An empty [`MultiCall`] that sends through this client, in its dialect and limits.
    ///
    /// ```no_run
    /// # async fn run(client: xmlrpc::client::Client) -> Result<(), xmlrpc::CallError> {
    /// let mut multi = client.multicall();
    /// multi.call("getData", &()).call("pow", &(2, 9)).call("add", &(1, 2));
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

    /// Posts a request: a future that owns what it needs, to be spawned.
    pub(super) fn post(
        &self,
        request: Vec<u8>,
    ) -> impl Future<Output = Result<Vec<u8>, CallError>> + Send + 'static {
        let inner = self.inner.clone();
        async move { inner.post(request).await }
    }

    /// Writes a call in the client's dialect.
    pub(super) fn encode<P: Serialize + ?Sized>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<Vec<u8>, CallError> {
        crate::caller::encode_call(self.inner.dialect, method, params)
    }

    /// Reads an answer within the client's limits.
    pub(super) fn decode<R: DeserializeOwned>(&self, response: &[u8]) -> Result<R, CallError> {
        crate::caller::decode_response(response, self.inner.limits)
    }
}

impl Caller for Client {
    /// Posts the `methodCall` document and returns the `methodResponse` document, after the
    /// checks of [`Client::call`]: a success status, an XML body, within the size cap.
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        Box::pin(self.inner.post(request))
    }

    /// The client's dialect, so that typed clients write their calls in it.
    fn dialect(&self) -> Dialect {
        self.inner.dialect
    }

    /// The client's limits, so that typed clients read their answers within them.
    fn limits(&self) -> Limits {
        self.inner.limits
    }
}

impl Inner {
    /// Sends one request and returns the body of its answer, checked and inflated.
    async fn post(&self, request: Vec<u8>) -> Result<Vec<u8>, CallError> {
        let mut builder = self.http.post(self.url.clone());
        let request = match self.gzip_requests {
            Some(threshold) if request.len() >= threshold => {
                builder = builder.header(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                body::gzip(&request).map_err(|e| CallError::Transport(Box::new(e)))?
            }
            _ => request,
        };
        let response = builder.body(request).send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers();
        let gzipped = body::is_gzip(headers.get(CONTENT_ENCODING));
        let content_type = headers
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let cap = self.limits.input_limit();
        if !status.is_success() {
            // Only the start of an error page is read: it is shown, not parsed.
            let raw = read_body(response, body::ERROR_BODY_READ, false).await?;
            let text = if gzipped {
                body::gunzip_lenient(&raw, body::ERROR_BODY_READ)
            } else {
                raw
            };
            return Err(http_error(status, content_type, &text));
        }
        let raw = read_body(response, cap, true).await?;
        let body = if gzipped {
            body::gunzip(&raw, cap)?
        } else {
            raw
        };
        if !body::looks_like_xml(&body) {
            return Err(http_error(status, content_type, &body));
        }
        Ok(body)
    }
}

/// Reads a body up to `cap` bytes: past it, an error when `strict`, else the start.
async fn read_body(
    mut response: reqwest::Response,
    cap: usize,
    strict: bool,
) -> Result<Vec<u8>, CallError> {
    let announced = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok());
    if strict && announced.is_some_and(|n| n > cap) {
        return Err(body::too_large(cap));
    }
    let mut out = Vec::with_capacity(announced.unwrap_or(8 << 10).min(cap));
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if out.len() + chunk.len() > cap {
            if strict {
                return Err(body::too_large(cap));
            }
            out.extend_from_slice(&chunk[..cap - out.len()]);
            break;
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

#[cold]
fn http_error(status: http::StatusCode, content_type: Option<String>, body: &[u8]) -> CallError {
    CallError::Http {
        status,
        content_type,
        snippet: body::snippet(body),
    }
}

/// A transport failure, with the causes that reqwest keeps in its source chain written
/// out: "error sending request: connection closed before message completed".
#[derive(Debug)]
struct TransportError {
    message: String,
    source: reqwest::Error,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

#[cold]
fn transport(e: reqwest::Error) -> CallError {
    if e.is_timeout() {
        return CallError::Timeout;
    }
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        let text = c.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = c.source();
    }
    CallError::Transport(Box::new(TransportError { message, source: e }))
}

/// Why a [`Client`] could not be built: a bad URL, header or certificate, or a TLS setup
/// that failed.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl BuildError {
    #[cold]
    fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
            source: None,
        }
    }

    #[cold]
    pub(super) fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        BuildError {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// The settings of a [`Client`], then [`build`](ClientBuilder::build) (or
/// [`build_blocking`](ClientBuilder::build_blocking)).
///
/// Mistakes (a bad URL, header or certificate) are reported by `build`, so that settings
/// chain without a `?` on each.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use xmlrpc::client::ClientBuilder;
///
/// let client = ClientBuilder::new("https://bugzilla.example/xmlrpc.cgi")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .basic_auth("alice", Some("secret"))
///     .user_agent("bugbot/1.0")
///     .gzip_requests(Some(64 << 10))
///     .max_response_size(100 << 20)
///     .build()?;
/// assert_eq!(client.url(), "https://bugzilla.example/xmlrpc.cgi");
/// # Ok::<(), xmlrpc::client::BuildError>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    url: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    basic_auth: Option<Credentials>,
    headers: Vec<(String, String)>,
    user_agent: String,
    cookies: bool,
    proxies: Vec<String>,
    env_proxies: bool,
    keep_alive: bool,
    pool_idle_timeout: Option<Duration>,
    redirects: usize,
    accept_gzip: bool,
    gzip_requests: Option<usize>,
    dialect: Dialect,
    limits: Limits,
    #[cfg(feature = "tls")]
    root_certificates: Vec<Vec<u8>>,
    #[cfg(feature = "tls")]
    accept_invalid_certs: bool,
}

impl fmt::Debug for ClientBuilder {
    /// The settings, with passwords and header values left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match parse_url(&self.url) {
            Ok((url, _)) => url.to_string(),
            Err(_) => "(invalid)".to_owned(),
        };
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field("url", &url)
            .field("user", &self.basic_auth.as_ref().map(|(user, _)| user))
            .field("headers", &header_names)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("user_agent", &self.user_agent)
            .field("cookies", &self.cookies)
            .field("proxies", &self.proxies.len())
            .field("env_proxies", &self.env_proxies)
            .field("keep_alive", &self.keep_alive)
            .field("redirects", &self.redirects)
            .field("accept_gzip", &self.accept_gzip)
            .field("gzip_requests", &self.gzip_requests)
            .field("dialect", &self.dialect)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Settings for a client of `url`, all at their defaults: no timeouts, cookies kept,
    /// proxies from the environment, keep-alive, gzip answers accepted, requests not
    /// compressed, the default [`Dialect`] (nil and `<i8>` allowed) and [`Limits`] (answers
    /// up to 20 MiB).
    pub fn new(url: &str) -> Self {
        ClientBuilder {
            url: url.to_owned(),
            timeout: None,
            connect_timeout: None,
            read_timeout: None,
            basic_auth: None,
            headers: Vec::new(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            cookies: true,
            proxies: Vec::new(),
            env_proxies: true,
            keep_alive: true,
            pool_idle_timeout: Some(Duration::from_secs(90)),
            redirects: 0,
            accept_gzip: true,
            gzip_requests: None,
            dialect: Dialect::new(),
            limits: Limits::default(),
            #[cfg(feature = "tls")]
            root_certificates: Vec::new(),
            #[cfg(feature = "tls")]
            accept_invalid_certs: false,
        }
    }

    /// The most time a whole call may take, from connecting to the last byte of the answer;
    /// past it the call fails with [`CallError::Timeout`]. None by default, as in Python.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The most time connecting (and the TLS handshake) may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The most time the server may stay silent while the answer is awaited or read.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// HTTP basic authentication, instead of credentials in the URL.
    pub fn basic_auth(mut self, username: &str, password: Option<&str>) -> Self {
        self.basic_auth = Some((username.to_owned(), password.map(str::to_owned)));
        self
    }

    /// A header sent with every call, such as an API key; checked by `build`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The `User-Agent` header (`xmlrpc-rust/` and the version by default).
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        user_agent.clone_into(&mut self.user_agent);
        self
    }

    /// Whether cookies that the server sets are kept and sent back on later calls (on by
    /// default: servers such as Bugzilla and Trac log in once and then follow a session
    /// cookie). Clones of a client share the cookies.
    pub fn cookies(mut self, on: bool) -> Self {
        self.cookies = on;
        self
    }

    /// Sends every call through the HTTP proxy at `url` (`http://proxy:3128`, with
    /// `user:pass@` for a proxy that asks for basic authentication). May be given several
    /// times; the first that applies is used. Checked by `build`.
    pub fn proxy(mut self, url: &str) -> Self {
        self.proxies.push(url.to_owned());
        self
    }

    /// Whether the `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` environment
    /// variables (and their lowercase forms) are honoured: on by default. Explicit
    /// [`proxy`](ClientBuilder::proxy) settings come first either way.
    pub fn env_proxies(mut self, on: bool) -> Self {
        self.env_proxies = on;
        self
    }

    /// Whether connections are kept open between calls and reused (on by default). Off, every
    /// call opens its own connection.
    pub fn keep_alive(mut self, on: bool) -> Self {
        self.keep_alive = on;
        self
    }

    /// How long an idle connection is kept for reuse (90 seconds by default; `None` keeps
    /// it until the server closes it).
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Follows up to `max` redirects that keep the method and body (307 and 308). None are
    /// followed by default, as in Python: a redirect is an [`CallError::Http`] error with
    /// its status. Redirects that would turn the call into a `GET` (301, 302, 303) are never
    /// followed.
    pub fn follow_redirects(mut self, max: usize) -> Self {
        self.redirects = max;
        self
    }

    /// Whether gzip-compressed answers are asked for (`Accept-Encoding: gzip`, on by
    /// default, as in Python). They are inflated within
    /// [`max_response_size`](ClientBuilder::max_response_size).
    pub fn accept_gzip(mut self, on: bool) -> Self {
        self.accept_gzip = on;
        self
    }

    /// Compresses requests of at least `threshold` bytes with gzip (Python's
    /// `encode_threshold`); `None`, the default, never compresses. Only for servers that
    /// accept `Content-Encoding: gzip`.
    pub fn gzip_requests(mut self, threshold: Option<usize>) -> Self {
        self.gzip_requests = threshold;
        self
    }

    /// The largest answer accepted, in bytes, after decompression (20 MiB by default); a
    /// larger one fails with [`CallError::Decode`] as soon as it is known to be larger.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.limits = self.limits.max_input(bytes);
        self
    }

    /// The [`Limits`] an answer must stay within (size, depth, string length, ...); their
    /// input size is [`max_response_size`](ClientBuilder::max_response_size).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The [`Dialect`] calls are written in: how 64-bit integers and nil are sent.
    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// The character encoding calls are written in, as Python's
    /// `ServerProxy(..., encoding=...)`: UTF-8 by default. In a single-byte charset,
    /// characters it cannot hold are sent as character references and the XML declaration
    /// names the charset. The same as setting the charset of [`ClientBuilder::dialect`];
    /// the later of the two settings counts.
    ///
    /// ```
    /// use xmlrpc::Charset;
    ///
    /// let client = xmlrpc::client::Client::builder("http://127.0.0.1:8000/RPC2")
    ///     .charset(Charset::ISO_8859_1)
    ///     .build()?;
    /// assert_eq!(client.dialect().charset, Charset::ISO_8859_1);
    /// # Ok::<(), xmlrpc::client::BuildError>(())
    /// ```
    pub fn charset(mut self, charset: crate::Charset) -> Self {
        self.dialect = self.dialect.with_charset(charset);
        self
    }

    /// Whether `None` and `()` may be sent as `<nil/>` (Python's `allow_none`). On by
    /// default, as every current peer reads it; off, a call with a nil parameter fails with
    /// [`CallError::Encode`] before anything is sent.
    pub fn allow_none(mut self, on: bool) -> Self {
        self.dialect = if on {
            match self.dialect.nil {
                NilStyle::Refuse => self.dialect.with_nil(NilStyle::Nil),
                _ => self.dialect,
            }
        } else {
            self.dialect.with_nil(NilStyle::Refuse)
        };
        self
    }

    /// Trusts the certificate authority in `pem` (one or more PEM certificates) besides the
    /// platform's, for servers with a private CA. Checked by `build`.
    #[cfg(feature = "tls")]
    pub fn add_root_certificate(mut self, pem: &[u8]) -> Self {
        self.root_certificates.push(pem.to_vec());
        self
    }

    /// Accepts any server certificate, even expired or self-signed: the connection is then
    /// encrypted but the server is not authenticated. For tests against a throwaway server
    /// only, like Python's unverified SSL context.
    #[cfg(feature = "tls")]
    pub fn danger_accept_invalid_certs(mut self, on: bool) -> Self {
        self.accept_invalid_certs = on;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// The URL is not a valid `http` or `https` URL (`https` needs the `tls` feature), a
    /// header or proxy is invalid, a certificate does not parse, or TLS cannot be set up.
    pub fn build(self) -> Result<Client, BuildError> {
        let (url, credentials) = parse_url(&self.url)?;
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        if self.accept_gzip {
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        }
        headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&self.user_agent)
                .map_err(|e| BuildError::with_source("invalid User-Agent", e))?,
        );
        if let Some((user, password)) = self.basic_auth.or(credentials) {
            headers.insert(AUTHORIZATION, basic_auth(&user, password.as_deref())?);
        }
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| BuildError::with_source(format!("invalid header name {name:?}"), e))?;
            let mut value = HeaderValue::from_str(value)
                .map_err(|e| BuildError::with_source(format!("invalid value for {name}"), e))?;
            if name == AUTHORIZATION {
                value.set_sensitive(true);
            }
            headers.insert(name, value);
        }

        let redirects = self.redirects;
        let policy = if redirects == 0 {
            reqwest::redirect::Policy::none()
        } else {
            reqwest::redirect::Policy::custom(move |attempt| {
                let keeps_body = matches!(attempt.status().as_u16(), 307 | 308);
                if keeps_body && attempt.previous().len() <= redirects {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            })
        };

        let mut http = reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(self.cookies)
            .redirect(policy)
            .tcp_nodelay(true)
            .pool_idle_timeout(self.pool_idle_timeout);
        if !self.keep_alive {
            http = http.pool_max_idle_per_host(0);
        }
        if let Some(t) = self.timeout {
            http = http.timeout(t);
        }
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        if let Some(t) = self.read_timeout {
            http = http.read_timeout(t);
        }
        if !self.env_proxies {
            http = http.no_proxy();
        }
        for proxy in &self.proxies {
            let proxy = reqwest::Proxy::all(proxy.as_str())
                .map_err(|e| BuildError::with_source(format!("invalid proxy {proxy:?}"), e))?;
            http = http.proxy(proxy);
        }
        #[cfg(feature = "tls")]
        {
            for pem in &self.root_certificates {
                for cert in reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| BuildError::with_source("invalid root certificate", e))?
                {
                    http = http.add_root_certificate(cert);
                }
            }
            http = http.tls_danger_accept_invalid_certs(self.accept_invalid_certs);
        }
        let http = http
            .build()
            .map_err(|e| BuildError::with_source("cannot set up the HTTP client", e))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                url,
                dialect: self.dialect,
                limits: self.limits,
                accept_gzip: self.accept_gzip,
                gzip_requests: self.gzip_requests,
            }),
        })
    }

    /// Builds a [`blocking::Client`](super::blocking::Client), for programs without an async
    /// runtime.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`], or the runtime could not be started.
    pub fn build_blocking(self) -> Result<super::blocking::Client, BuildError> {
        super::blocking::Client::from_async(self.build()?)
    }
}

/// A user name and maybe a password, for basic authentication.
type Credentials = (String, Option<String>);

/// Parses the server's URL as Python does: `http` or `https` only, `/RPC2` when there is no
/// path, credentials taken out (and percent-decoded) for basic authentication.
fn parse_url(text: &str) -> Result<(reqwest::Url, Option<Credentials>), BuildError> {
    let mut url = reqwest::Url::parse(text)
        .map_err(|e| BuildError::with_source(format!("invalid URL {text:?}"), e))?;
    match url.scheme() {
        "http" => {}
        "https" if cfg!(feature = "tls") => {}
        "https" => {
            return Err(BuildError::new(
                "https URLs need the `tls` feature of the xmlrpc crate",
            ));
        }
        other => {
            return Err(BuildError::new(format!(
                "unsupported XML-RPC protocol {other:?}: the URL must start with http:// or https://"
            )));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(BuildError::new(format!("the URL {text:?} has no host")));
    }
    // The parser writes `/` for a missing path; look at the text to tell them apart.
    let after_scheme = text.split_once("://").map_or("", |(_, rest)| rest);
    if !after_scheme.contains(['/', '?', '#']) {
        url.set_path("/RPC2");
    }
    let credentials = if url.username().is_empty() && url.password().is_none() {
        None
    } else {
        let user = percent_decode(url.username());
        let password = url.password().map(percent_decode);
        // Neither call can fail on an http(s) URL with a host.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        Some((user, password))
    };
    Ok((url, credentials))
}

/// `%XX` escapes as bytes, read as UTF-8 (lossily): what `user:pass@` in a URL means.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                // Two hex digits make at most 255.
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `Authorization` value for basic authentication, marked sensitive so that it is
/// never logged.
fn basic_auth(user: &str, password: Option<&str>) -> Result<HeaderValue, BuildError> {
    let mut credentials = user.to_owned();
    credentials.push(':');
    credentials.push_str(password.unwrap_or(""));
    let mut value = HeaderValue::from_str(&format!(
        "Basic {}",
        crate::base64::encode(credentials.as_bytes())
    ))
    .map_err(|e| BuildError::with_source("invalid credentials", e))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_a_path_calls_rpc2() {
        let (url, _) = parse_url("http://127.0.0.1:8000").expect("valid");
        assert_eq!(url.as_str(), "http://127.0.0.1:8000/RPC2");
        let (url, _) = parse_url("http://127.0.0.1:8000/").expect("valid");
        assert_eq!(url.as_str(), "http://127.0.0.1:8000/");
        let (url, _) = parse_url("http://host/xmlrpc.php?x=1").expect("valid");
        assert_eq!(url.as_str(), "http://host/xmlrpc.php?x=1");
    }

    #[test]
    fn credentials_are_taken_out_of_the_url() {
        let (url, credentials) = parse_url("http://al%40ice:p%3Ass@host:1/RPC2").expect("valid");
        assert_eq!(url.as_str(), "http://host:1/RPC2");
        assert_eq!(
            credentials,
            Some(("al@ice".to_owned(), Some("p:ss".to_owned())))
        );
        let (_, credentials) = parse_url("http://bob@host/").expect("valid");
        assert_eq!(credentials, Some(("bob".to_owned(), None)));
    }

    #[test]
    fn only_http_urls_are_accepted() {
        let err = parse_url("ftp://host/").unwrap_err();
        assert!(
            err.to_string().contains("unsupported XML-RPC protocol"),
            "{err}"
        );
        assert!(parse_url("not a url").is_err());
        assert!(parse_url("http://").is_err());
    }

    #[test]
    fn basic_auth_is_base64_of_user_colon_password() {
        let value = basic_auth("Aladdin", Some("open sesame")).expect("valid");
        assert_eq!(value.as_bytes(), b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(value.is_sensitive());
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
    }

    #[test]
    fn bad_settings_are_reported_by_build() {
        let err = ClientBuilder::new("http://h/")
            .header("bad name", "x")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("invalid header name"), "{err}");
        let err = ClientBuilder::new("http://h/")
            .proxy("::")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("invalid proxy"), "{err}");
    }

    #[test]
    fn debug_output_keeps_secrets_out() {
        let builder = ClientBuilder::new("http://alice:hunter2@h/RPC2")
            .basic_auth("bob", Some("swordfish"))
            .header("X-Api-Key", "k-42");
        let shown = format!("{builder:?}");
        for secret in ["hunter2", "swordfish", "k-42"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("http://h/RPC2") && shown.contains("X-Api-Key"),
            "{shown}"
        );
    }

    #[test]
    fn allow_none_switches_the_dialect() {
        let client = ClientBuilder::new("http://h/")
            .allow_none(false)
            .build()
            .expect("valid");
        assert_eq!(client.dialect().nil, NilStyle::Refuse);
        let err = client.encode("m", &(None::<i32>,)).unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
        let client = ClientBuilder::new("http://h/")
            .allow_none(false)
            .allow_none(true)
            .build()
            .expect("valid");
        assert_eq!(client.dialect().nil, NilStyle::Nil);
    }
}
