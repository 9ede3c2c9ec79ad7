//! The client: call any XML-RPC server over HTTP, as Python's `ServerProxy` and `MultiCall`
//! do, typed or dynamic, async or blocking.
//!
//! # A tour
//!
//! ```no_run
//! use xmlrpc::client::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("http://127.0.0.1:8000/RPC2")?;
//!
//! // Parameters are any tuple (or sequence, or struct of parameters); the result is read
//! // straight into the type asked for.
//! let sum: i32 = client.call("add", &(1, 2)).await?;
//! assert_eq!(sum, 3);
//!
//! // The dynamic form, for exploring.
//! let methods = client.call_value("system.listMethods", &[]).await?;
//! println!("{methods}");
//!
//! // Several calls in one round trip, each typed, each its own result or fault.
//! let mut multi = client.multicall();
//! multi.call("pow", &(2, 9)).call("add", &(1, 2));
//! let (pow, add): (Result<i64, _>, Result<i32, _>) = multi.send().await?;
//! assert_eq!((pow?, add?), (512, 3));
//! # Ok(())
//! # }
//! ```
//!
//! The client implements [`Caller`](crate::Caller), so the typed clients that
//! `#[xmlrpc_service]` generates run on it: `CalculatorClient::new(client)`. Scripts and
//! command-line tools that have no async runtime use [`blocking::Client`], which has the same
//! methods without `.await`.
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
//! [`ClientBuilder`] has them all: timeouts (to connect, and for the whole call), HTTP basic
//! authentication (taken from the URL, `http://user:pass@host/RPC2`, as Python does, or set),
//! extra headers, the `User-Agent`, cookies kept across calls (on by default, for servers
//! that log in once and then recognise a session cookie), proxies (explicit, or from the
//! `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` variables, which are honoured by
//! default), extra root certificates for HTTPS, connection reuse (keep-alive, on by
//! default), gzip-compressed answers (asked for by default, decoded with a size cap),
//! gzip-compressed requests above a size (off by default, as in Python), the
//! [`Dialect`](crate::Dialect) written (`allow_none`, `<i8>` or `<ex:i8>`) and the
//! [`Limits`](crate::Limits) that an answer must stay within (20 MiB by default, after
//! decompression).
//!
//! # Features
//!
//! The HTTP client lives behind the `client` feature and HTTPS behind `tls`; both are on by
//! default, because calling a server should be as immediate as it is in Python, where the
//! client is part of the standard library. A program that only serves XML-RPC turns them off
//! with `default-features = false` (keeping `derive`) and builds no HTTP client at all.
//! [`MultiCall`] needs no feature: it works over any [`Caller`](crate::Caller), an in-process
//! [`Registry`](crate::Registry) included.
//!
//! # Why reqwest
//!
//! The client sends its requests with [`reqwest`](https://docs.rs/reqwest) (on hyper and
//! tokio), rather than on hyper-util's bare client, because reqwest already does, tested by
//! many users, what an XML-RPC client needs besides the protocol: proxies from the
//! environment, a cookie store, timeouts that cover the body, connection pooling, and HTTPS
//! with rustls and the platform's certificate store. None of reqwest's types appear in this
//! API, so that its versions can change underneath without breaking anyone. Compression is
//! done here with `flate2` rather than by reqwest, so that the size cap applies to the
//! decompressed answer as it is inflated, and requests can be compressed too.

mod multicall;

pub use self::multicall::{FromMulticall, MultiCall};

#[cfg(feature = "client")]
mod body;
#[cfg(feature = "client")]
mod http;

#[cfg(feature = "client")]
pub mod blocking;

#[cfg(feature = "client")]
pub use self::http::{BuildError, Client, ClientBuilder};
