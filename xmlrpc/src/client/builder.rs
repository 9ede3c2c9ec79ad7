//! [`ClientBuilder`]: every setting of a [`Client`], checked when it is built.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};

use super::call::{Client, Inner};
use super::error::BuildError;
use super::multicall::shape::MulticallShape;
use super::transport::Transport;
use super::transport::http_reqwest::HttpTransport;
use super::transport::scgi::ScgiTransport;
use super::url::{self, Credentials, Target};
use crate::ser::dialect::{Dialect, NilStyle};
use crate::xml::limits::Limits;

/// The `User-Agent` sent unless another is set.
const DEFAULT_USER_AGENT: &str = concat!("xmlrpc-rust/", env!("CARGO_PKG_VERSION"));

/// The settings of a [`Client`], then [`build`](ClientBuilder::build) (or
/// [`build_blocking`](ClientBuilder::build_blocking)).
///
/// Mistakes (a bad URL, header or certificate, a setting the transport cannot honour) are
/// reported by `build`, so that settings chain without a `?` on each, and a URL read from a
/// configuration file is an error to show rather than a panic.
///
/// The URL says the transport (see [`client`](super)'s table): `http://` and `https://`,
/// `http+unix://` for HTTP over a Unix socket, `scgi://` and `scgi+unix://` for SCGI.
/// Settings marked *HTTP* below apply to HTTP only, and `build` refuses them for SCGI;
/// settings of the connection (timeouts to connect and read, proxies, TLS, cookies, the
/// pool) belong to a reqwest client supplied with
/// [`http_client`](ClientBuilder::http_client), and `build` refuses them beside it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use xmlrpc::client::ClientBuilder;
///
/// let client = ClientBuilder::new("http://bugzilla.example/xmlrpc.cgi")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .basic_auth("alice", Some("secret"))
///     .user_agent("bugbot/1.0")
///     .gzip_requests(Some(64 << 10))
///     .max_response_size(100 << 20)
///     .build()?;
/// assert_eq!(client.url(), "http://bugzilla.example/xmlrpc.cgi");
/// # Ok::<(), xmlrpc::client::BuildError>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    url: String,
    unix_socket: Option<PathBuf>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    basic_auth: Option<Credentials>,
    headers: Vec<(String, String)>,
    user_agent: Option<String>,
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
    multicall_shape: MulticallShape,
    #[cfg(feature = "tls")]
    root_certificates: Vec<Vec<u8>>,
    #[cfg(feature = "tls")]
    accept_invalid_certs: bool,
    /// The settings of the connection given, by name: refused beside a supplied reqwest
    /// client, and (but for the timeouts) for SCGI.
    connection_settings: Vec<&'static str>,
}

impl fmt::Debug for ClientBuilder {
    /// The settings, with passwords and header values left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match url::parse(&self.url) {
            Ok((target, _)) => target.display(),
            Err(_) => "(invalid)".to_owned(),
        };
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field("url", &url)
            .field("unix_socket", &self.unix_socket)
            .field("http_client", &self.http_client.is_some())
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
            .field("multicall_shape", &self.multicall_shape)
            .finish_non_exhaustive()
    }
}

// Making a client: with the default settings, through a builder, or over a reqwest client.
impl Client {
    /// A client for the server at `url`, with the default settings (see [`ClientBuilder`]
    /// and the [URL forms](super#transports)).
    ///
    /// As in Python, an HTTP URL without a path calls `/RPC2`, and credentials in it
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
    /// The URL is not one the client takes (see [`ClientBuilder::build`]).
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

    /// A client for `url` that sends its calls through `http`, a reqwest client the
    /// application already configured: the same as
    /// `Client::builder(url).http_client(http).build()` (see
    /// [`ClientBuilder::http_client`]).
    ///
    /// ```
    /// use xmlrpc::client::{Client, reqwest};
    ///
    /// let http = reqwest::Client::builder().user_agent("my-app/2.0").build()?;
    /// let client = Client::from_reqwest(http, "http://127.0.0.1:8000/RPC2")?;
    /// assert_eq!(client.url(), "http://127.0.0.1:8000/RPC2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`]: the URL is not an HTTP one.
    pub fn from_reqwest(http: reqwest::Client, url: &str) -> Result<Client, BuildError> {
        ClientBuilder::new(url).http_client(http).build()
    }
}

impl ClientBuilder {
    /// Settings for a client of `url`, all at their defaults: no timeouts, cookies kept,
    /// proxies from the environment, keep-alive, gzip answers accepted, requests not
    /// compressed, the default [`Dialect`] (nil and `<i8>` allowed) and [`Limits`] (answers
    /// up to 20 MiB), multicall answers in the standard shape.
    pub fn new(url: &str) -> Self {
        ClientBuilder {
            url: url.to_owned(),
            unix_socket: None,
            http_client: None,
            timeout: None,
            connect_timeout: None,
            read_timeout: None,
            basic_auth: None,
            headers: Vec::new(),
            user_agent: None,
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
            multicall_shape: MulticallShape::Standard,
            #[cfg(feature = "tls")]
            root_certificates: Vec::new(),
            #[cfg(feature = "tls")]
            accept_invalid_certs: false,
            connection_settings: Vec::new(),
        }
    }

    fn connection(mut self, name: &'static str) -> Self {
        if !self.connection_settings.contains(&name) {
            self.connection_settings.push(name);
        }
        self
    }

    /// Connects through the Unix domain socket at `path` instead of TCP, as curl's
    /// `--unix-socket` does: the URL still gives the path called (and, for HTTP, the
    /// `Host` header), so `http://localhost/RPC2` with `/run/supervisor.sock` calls
    /// supervisord's `/RPC2`. The same as the URL `http+unix://%2Frun%2Fsupervisor.sock/RPC2`;
    /// with an `scgi://` URL, SCGI over the socket (`scgi+unix://`).
    ///
    /// ```
    /// let client = xmlrpc::client::Client::builder("http://localhost/RPC2")
    ///     .unix_socket("/run/supervisor.sock")
    ///     .build()?;
    /// assert_eq!(client.url(), "http+unix://%2Frun%2Fsupervisor.sock/RPC2");
    /// # Ok::<(), xmlrpc::client::BuildError>(())
    /// ```
    pub fn unix_socket(mut self, path: impl Into<PathBuf>) -> Self {
        self.unix_socket = Some(path.into());
        self.connection("unix_socket")
    }

    /// Sends HTTP calls through `client`, a reqwest client the application already set up
    /// (its default headers, TLS identity for mutual TLS, proxies, timeouts, pool, cookie
    /// store, DNS), instead of one made here. The protocol's settings still apply (dialect,
    /// limits, gzip, headers, basic authentication, the call timeout, the multicall shape);
    /// the connection's belong to `client`, and `build` refuses them here. The
    /// `Content-Type`, `Accept-Encoding` and these settings' headers are sent with each call;
    /// `User-Agent` only when [`user_agent`](ClientBuilder::user_agent) is set, so that the
    /// client's own stays otherwise. reqwest's own gzip decoding, if turned on in `client`,
    /// bypasses the size cap on inflated answers: leave it off.
    ///
    /// The reqwest version is the one re-exported as [`xmlrpc::client::reqwest`](super::reqwest).
    ///
    /// ```
    /// use xmlrpc::client::{Client, reqwest};
    ///
    /// let mut defaults = reqwest::header::HeaderMap::new();
    /// defaults.insert("x-tenant", reqwest::header::HeaderValue::from_static("acme"));
    /// let http = reqwest::Client::builder().default_headers(defaults).build()?;
    /// let client = Client::builder("http://127.0.0.1:8000/RPC2").http_client(http).build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The most time a whole call may take, from connecting to the last byte of the answer;
    /// past it the call fails with [`CallError::Timeout`](crate::CallError::Timeout). None by
    /// default, as in Python. A call builder's
    /// [`timeout`](super::RequestBuilder::timeout) replaces it for one call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The most time connecting (and the TLS handshake) may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self.connection("connect_timeout")
    }

    /// The most time the server may stay silent while the answer is awaited or read.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self.connection("read_timeout")
    }

    /// HTTP basic authentication, instead of credentials in the URL.
    pub fn basic_auth(mut self, username: &str, password: Option<&str>) -> Self {
        self.basic_auth = Some((username.to_owned(), password.map(str::to_owned)));
        self
    }

    /// A header sent with every call, such as an API key; checked by `build`. Over SCGI it
    /// travels as the CGI variable `HTTP_<NAME>`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The `User-Agent` header (`xmlrpc-rust/` and the version by default).
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = Some(user_agent.to_owned());
        self
    }

    /// *HTTP.* Whether cookies that the server sets are kept and sent back on later calls
    /// (on by default: servers such as Bugzilla and Trac log in once and then follow a
    /// session cookie). Clones of a client share the cookies.
    pub fn cookies(mut self, on: bool) -> Self {
        self.cookies = on;
        self.connection("cookies")
    }

    /// *HTTP.* Sends every call through the HTTP proxy at `url` (`http://proxy:3128`, with
    /// `user:pass@` for a proxy that asks for basic authentication). May be given several
    /// times; the first that applies is used. Checked by `build`.
    pub fn proxy(mut self, url: &str) -> Self {
        self.proxies.push(url.to_owned());
        self.connection("proxy")
    }

    /// *HTTP.* Whether the `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`
    /// environment variables (and their lowercase forms) are honoured: on by default.
    /// Explicit [`proxy`](ClientBuilder::proxy) settings come first either way.
    pub fn env_proxies(mut self, on: bool) -> Self {
        self.env_proxies = on;
        self.connection("env_proxies")
    }

    /// *HTTP.* Whether connections are kept open between calls and reused (on by default).
    /// Off, every call opens its own connection. (SCGI opens one per call, always.)
    pub fn keep_alive(mut self, on: bool) -> Self {
        self.keep_alive = on;
        self.connection("keep_alive")
    }

    /// *HTTP.* How long an idle connection is kept for reuse (90 seconds by default; `None`
    /// keeps it until the server closes it).
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self.connection("pool_idle_timeout")
    }

    /// *HTTP.* Follows up to `max` redirects that keep the method and body (307 and 308).
    /// None are followed by default, as in Python: a redirect is an
    /// [`CallError::Http`](crate::CallError::Http) error with its status. Redirects that
    /// would turn the call into a `GET` (301, 302, 303) are never followed.
    pub fn follow_redirects(mut self, max: usize) -> Self {
        self.redirects = max;
        self.connection("follow_redirects")
    }

    /// Whether gzip-compressed answers are asked for (`Accept-Encoding: gzip`, on by
    /// default over HTTP, as in Python). They are inflated within
    /// [`max_response_size`](ClientBuilder::max_response_size), and so is a compressed
    /// answer that comes unasked.
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
    /// larger one fails with [`CallError::Decode`](crate::CallError::Decode) as soon as it
    /// is known to be larger: from its `Content-Length`, or while it is read or inflated.
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
    pub fn charset(mut self, charset: crate::xml::encoding::Charset) -> Self {
        self.dialect = self.dialect.with_charset(charset);
        self
    }

    /// Whether `None` and `()` may be sent as `<nil/>` (Python's `allow_none`). On by
    /// default, as every current peer reads it; off, a call with a nil parameter fails with
    /// [`CallError::Encode`](crate::CallError::Encode) before anything is sent.
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

    /// How the server shapes the results of `system.multicall`:
    /// [`MulticallShape::Standard`] by default, [`MulticallShape::Unwrapped`] for
    /// supervisord, whose results are not wrapped in one-element arrays.
    pub fn multicall_shape(mut self, shape: MulticallShape) -> Self {
        self.multicall_shape = shape;
        self
    }

    /// *HTTP.* Trusts the certificate authority in `pem` (one or more PEM certificates)
    /// besides the platform's, for servers with a private CA. Checked by `build`.
    #[cfg(feature = "tls")]
    pub fn add_root_certificate(mut self, pem: &[u8]) -> Self {
        self.root_certificates.push(pem.to_vec());
        self.connection("add_root_certificate")
    }

    /// *HTTP.* Accepts any server certificate, even expired or self-signed: the connection
    /// is then encrypted but the server is not authenticated. For tests against a throwaway
    /// server only, like Python's unverified SSL context.
    #[cfg(feature = "tls")]
    pub fn danger_accept_invalid_certs(mut self, on: bool) -> Self {
        self.accept_invalid_certs = on;
        self.connection("danger_accept_invalid_certs")
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// The URL is not one of the forms the client takes (`https` needs the `tls` feature),
    /// a header or proxy is invalid, a certificate does not parse, TLS cannot be set up, or
    /// a setting does not apply: an *HTTP* setting for SCGI, a connection setting beside a
    /// supplied [`http_client`](ClientBuilder::http_client).
    pub fn build(self) -> Result<Client, BuildError> {
        let (mut target, credentials) = url::parse(&self.url)?;
        if let Some(socket) = &self.unix_socket {
            target = target.through_socket(socket.clone())?;
        }
        let supplied = self.http_client.is_some();
        let headers = self.headers(&target, credentials, supplied)?;
        let display = target.display();
        let mut timeout = None;
        let transport = match target {
            Target::Http { url, socket } => match &self.http_client {
                Some(http) => {
                    if let Some(setting) = self.connection_settings.first() {
                        return Err(BuildError::new(format!(
                            "`{setting}` is a setting of the connection, which belongs to the supplied reqwest client: set it on that client"
                        )));
                    }
                    // The one setting of the call that reqwest takes per request.
                    timeout = self.timeout;
                    Transport::Http(HttpTransport::new(http.clone(), url, headers))
                }
                None => {
                    let http = self.reqwest_client(headers, socket)?;
                    Transport::Http(HttpTransport::new(http, url, HeaderMap::new()))
                }
            },
            Target::Scgi { addr, path } => {
                let http_only = self
                    .connection_settings
                    .iter()
                    .find(|s| !matches!(**s, "connect_timeout" | "read_timeout" | "unix_socket"));
                if let Some(setting) = http_only {
                    return Err(BuildError::new(format!(
                        "`{setting}` applies to HTTP only, and {display} is SCGI"
                    )));
                }
                if supplied {
                    return Err(BuildError::new(format!(
                        "a reqwest client sends HTTP, and {display} is SCGI"
                    )));
                }
                Transport::Scgi(ScgiTransport::new(addr, path, headers).timeouts(
                    self.timeout,
                    self.connect_timeout,
                    self.read_timeout,
                ))
            }
        };
        Ok(Client::from_inner(Inner {
            transport,
            target: display,
            dialect: self.dialect,
            limits: self.limits,
            accept_gzip: self.accept_gzip,
            gzip_requests: self.gzip_requests,
            multicall_shape: self.multicall_shape,
            timeout,
        }))
    }

    /// The headers every call carries.
    fn headers(
        &self,
        target: &Target,
        credentials: Option<Credentials>,
        supplied: bool,
    ) -> Result<HeaderMap, BuildError> {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        if self.accept_gzip && target.is_http() {
            headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        }
        let user_agent = match (&self.user_agent, supplied) {
            (Some(ua), _) => Some(ua.as_str()),
            (None, false) => Some(DEFAULT_USER_AGENT),
            (None, true) => None,
        };
        if let Some(user_agent) = user_agent {
            headers.insert(
                USER_AGENT,
                HeaderValue::from_str(user_agent)
                    .map_err(|e| BuildError::with_source("invalid User-Agent", e))?,
            );
        }
        if let Some((user, password)) = self.basic_auth.clone().or(credentials) {
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
        Ok(headers)
    }

    /// The reqwest client for HTTP, with `headers` as its default headers.
    fn reqwest_client(
        &self,
        headers: HeaderMap,
        socket: Option<PathBuf>,
    ) -> Result<reqwest::Client, BuildError> {
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
        if let Some(socket) = socket {
            #[cfg(unix)]
            {
                http = http.unix_socket(socket);
            }
            #[cfg(not(unix))]
            {
                return Err(BuildError::new(format!(
                    "cannot reach {}: Unix sockets are not available on this system",
                    socket.display()
                )));
            }
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
        http.build()
            .map_err(|e| BuildError::with_source("cannot set up the HTTP client", e))
    }
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
mod tests;
