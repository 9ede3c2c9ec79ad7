//! The client: call any XML-RPC server over HTTP, HTTPS, a Unix socket or SCGI, as
//! Python's `ServerProxy` and `MultiCall` do, typed or dynamic, async or blocking.
//!
//! # A tour
//!
//! ```no_run
//! # #[cfg(feature = "client")] mod tour {
//! use xmlrpc::client::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("http://127.0.0.1:8000/RPC2")?;
//!
//! // The parameters are a tuple, one element per parameter; the result is read straight
//! // into the type asked for.
//! let sum: i32 = client.call("add", (1, 2)).await?;
//! assert_eq!(sum, 3);
//!
//! // The dynamic form, for exploring.
//! let methods = client.call_value("system.listMethods", &[]).await?;
//! println!("{methods}");
//!
//! // Several calls in one round trip, each typed, each its own result or fault.
//! let mut multi = client.multicall();
//! multi.call("pow", (2, 9)).call("add", (1, 2));
//! let (pow, add): (Result<i64, _>, Result<i32, _>) = multi.send().await?;
//! assert_eq!((pow?, add?), (512, 3));
//! # Ok(())
//! # }
//! # }
//! ```
//!
//! The client implements [`Caller`](crate::Caller), so the typed clients that
//! `#[xmlrpc_client]` generates from a trait (and `#[xmlrpc_service]` beside a service) run
//! on it: `CalculatorClient::new(client)`. Scripts and command-line tools that have no async
//! runtime use [`blocking::Client`], which has the same methods without `.await`.
//!
//! # Parameters
//!
//! A call's parameters are a list, and each way of writing one says how long it is (see
//! [`Params`](crate::Params)): a tuple has one parameter per element, so `(book,)` sends a
//! struct as one `<struct>` and `(items,)` a `Vec` as one `<array>`; `()` sends none;
//! [`Spread(&book)`](crate::Spread) sends each field of `book` as a parameter, and
//! `Spread(&values)` each item of a list built at run time. A bare struct is not a parameter
//! list, and the compiler says so. The call builder, [`Client::request`], adds parameters
//! one at a time with [`arg`](RequestBuilder::arg), each exactly one parameter.
//!
//! # Transports
//!
//! The URL says how calls travel:
//!
//! | URL | transport | for |
//! |---|---|---|
//! | `http://host:port/RPC2` | HTTP over TCP | most servers |
//! | `https://host/xmlrpc/2/common` | HTTPS (feature `tls`) | Odoo, Bugzilla, WordPress |
//! | `http+unix://%2Frun%2Fsupervisor.sock/RPC2` | HTTP over a Unix domain socket | supervisord |
//! | `scgi://127.0.0.1:5000/RPC2` | SCGI over TCP | rTorrent's `network.scgi.open_port` |
//! | `scgi+unix://%2Fhome%2Fme%2F.rtorrent.sock` | SCGI over a Unix domain socket | rTorrent's `network.scgi.open_local` |
//!
//! In the `+unix` forms the socket's path stands where the host would, with each `/`
//! written `%2F` (as in the `http+unix` convention of requests-unixsocket and others), so
//! that what follows is the HTTP path: supervisord serves `/RPC2`. The same is said with
//! an ordinary URL and [`ClientBuilder::unix_socket`], as curl's `--unix-socket` says it:
//! `Client::builder("http://localhost/RPC2").unix_socket("/run/supervisor.sock")`. A URL
//! without a path calls `/RPC2`, as Python's `ServerProxy` does.
//!
//! HTTP, over TCP or a Unix socket, goes through one reqwest client (reqwest's own
//! connector reaches socket files), so that every setting, header and check is the same on
//! both. SCGI is written here: a netstring head (`CONTENT_LENGTH` first, then `SCGI` `1`,
//! then the CGI variables, headers as `HTTP_*`), the body, then the CGI-style answer
//! (`Status: 200 OK`, headers, a blank line, the body) until the server closes the
//! connection; one call per connection, as the protocol has it.
//!
//! # Per-call settings and answers' headers
//!
//! [`Client::request`] builds one call: parameters with [`arg`](RequestBuilder::arg),
//! headers and a timeout of this call only, and [`send_response`](RequestBuilder::send_response)
//! to read the answer's status and headers beside the result. The headers of an answer with
//! an error status are in [`CallError::Http`](crate::CallError::Http).
//!
//! # Logging
//!
//! Each call runs in a `tracing` span named `xmlrpc.call`, with the fields of
//! OpenTelemetry's RPC conventions: `rpc.system = "xmlrpc"`, `rpc.method`,
//! `server.address` (the URL, without credentials), and `rpc.xmlrpc.fault_code` when the
//! server answers with a fault (`error` for other failures).
//!
//! # Errors
//!
//! Every call returns a [`CallError`](crate::CallError) that tells what happened:
//!
//! | what happened | variant |
//! |---|---|
//! | the server answered with a fault | [`Fault`](crate::CallError::Fault): code and string |
//! | an HTTP status other than success, or a body that is not XML-RPC (an HTML page) | [`Http`](crate::CallError::Http): status, content type and the start of the body (Python's `ProtocolError`) |
//! | the answer did not fit the Rust type | [`Decode`](crate::CallError::Decode), whose [`Error`](crate::Error) has the path and position |
//! | the time allowed ran out | [`Timeout`](crate::CallError::Timeout) |
//! | no connection, a dropped connection, a TLS failure | [`Transport`](crate::CallError::Transport) |
//!
//! # Settings
//!
//! [`ClientBuilder`] has them all: timeouts (to connect, to read, and for the whole call), HTTP basic
//! authentication (taken from the URL, `http://user:pass@host/RPC2`, as Python does, or set),
//! extra headers, the `User-Agent`, cookies kept across calls (on by default, for servers
//! that log in once and then recognise a session cookie), proxies (explicit, or from the
//! `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` variables, which are honoured by
//! default), extra root certificates for HTTPS, connection reuse (keep-alive, on by
//! default), gzip-compressed answers (asked for by default, decoded with a size cap),
//! gzip-compressed requests above a size (off by default, as in Python), the
//! [`Dialect`](crate::Dialect) written (`allow_none`, `<i8>` or `<ex:i8>`) and the
//! [`Limits`](crate::Limits) that an answer must stay within (20 MiB by default, after
//! decompression), and the [`MulticallShape`] of the server's multicall answers. An
//! application that already has a `reqwest::Client` (its middleware-free configuration,
//! default headers, a client certificate for mutual TLS) passes it in with
//! [`ClientBuilder::http_client`] or [`Client::from_reqwest`].
//!
//! # Features
//!
//! The client lives behind the `client` feature and HTTPS behind `tls`; both are off by
//! default, so that a program that only serves XML-RPC builds no HTTP client at all.
//! [`MultiCall`] and [`TypedMultiCall`] need no feature: they work over any
//! [`Caller`](crate::Caller), an in-process [`Registry`](crate::Registry) included.
//!
//! # Why reqwest
//!
//! The client sends its requests with [`reqwest`](https://docs.rs/reqwest) (on hyper and
//! tokio), rather than on hyper-util's bare client, because reqwest already does, tested by
//! many users, what an XML-RPC client needs besides the protocol: proxies from the
//! environment, a cookie store, timeouts that cover the body, connection pooling, Unix
//! sockets, and HTTPS with rustls and the platform's certificate store. Its `Client` appears
//! in one place of this API, [`ClientBuilder::http_client`], for applications that have one
//! already; the version is re-exported as [`reqwest`](mod@reqwest) so that it can be named
//! exactly. Compression is
//! done here with `flate2` rather than by reqwest, so that the size cap applies to the
//! decompressed answer as it is inflated, and requests can be compressed too.

pub(crate) mod multicall;

pub use self::multicall::{
    Append, FromMulticall, MultiCall, MulticallShape, Queued, TypedMultiCall,
};

#[cfg(feature = "client")]
mod body;
#[cfg(feature = "client")]
mod builder;
#[cfg(feature = "client")]
mod call;
#[cfg(feature = "client")]
pub(crate) mod error;
#[cfg(feature = "client")]
mod request;
#[cfg(feature = "client")]
pub(crate) mod transport;
#[cfg(feature = "client")]
mod url;

#[cfg(feature = "client")]
pub mod blocking;

#[cfg(feature = "client")]
pub use self::builder::ClientBuilder;
#[cfg(feature = "client")]
pub use self::call::Client;
#[cfg(feature = "client")]
pub use self::error::BuildError;
#[cfg(feature = "client")]
pub use self::request::{RequestBuilder, Response};

/// The reqwest crate the client is built on, at the version
/// [`ClientBuilder::http_client`] takes.
#[cfg(feature = "client")]
pub use reqwest;
