//! XML-RPC for Rust: a fast, hardened serde codec for the protocol's values and documents.
//!
//! # A tour
//!
//! Derive `Serialize` and `Deserialize` on your types and they travel as XML-RPC: structs as
//! `<struct>`, `Vec` and tuples as `<array>`, `Option` as `<nil/>`, [`DateTime`] as
//! `<dateTime.iso8601>`, [`Base64`] as `<base64>`.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Book {
//!     title: String,
//!     pages: u32,
//!     isbn: Option<String>,
//!     published: xmlrpc::DateTime,
//! }
//!
//! let book = Book {
//!     title: "Fish & Chips".into(),
//!     pages: 320,
//!     isbn: None,
//!     published: "19980717T14:08:55".parse()?,
//! };
//!
//! // A call, as a client sends it...
//! let request = xmlrpc::call_to_vec("library.add", &(&book, true))?;
//! // ... read by a server: the method name first, then the parameters, typed.
//! let call = xmlrpc::CallReader::from_slice(&request)?;
//! assert_eq!(call.method(), "library.add");
//! let (received, _notify): (Book, bool) = call.params()?;
//! assert_eq!(received, book);
//!
//! // The answer, and the client reading it.
//! let response = xmlrpc::response_to_vec(&received.pages)?;
//! let pages: xmlrpc::MethodResponse<u32> = xmlrpc::response_from_slice(&response)?;
//! assert_eq!(pages.into_result(), Ok(320));
//! # Ok::<(), xmlrpc::Error>(())
//! ```
//!
//! Where the shape is not known in advance, use [`Value`]:
//!
//! ```
//! let call: xmlrpc::MethodCall = xmlrpc::call_from_str(
//!     "<methodCall><methodName>x</methodName><params>\
//!      <param><value><i4>41</i4></value></param></params></methodCall>",
//! )?;
//! assert_eq!(call.params[0], xmlrpc::Value::Int(41));
//! # Ok::<(), xmlrpc::Error>(())
//! ```
//!
//! # The parts
//!
//! - Values: [`to_string`] / [`from_str`] and friends read and write one `<value>`.
//! - Documents: [`call_to_vec`], [`response_to_vec`], [`fault_to_vec`] write them;
//!   [`CallReader`], [`call_from_str`] and [`response_from_str`] read them; [`Fault`] is the
//!   error answer, with the interoperability fault codes as constants.
//! - [`Value`] and [`Struct`]: the dynamic tree, and a serde data format of its own:
//!   [`to_value`] and [`from_value`] (or [`from_value_ref`] for types that borrow) convert
//!   any `Serialize` or `Deserialize` type with the same mapping and the same error paths as
//!   the XML codec, without writing XML.
//! - [`DateTime`] and the [`datetime`] module's `serde(with = ...)` helpers for chrono; the
//!   module documents the time-zone policy.
//! - [`Dialect`]: what the writer emits for 64-bit integers and nil (`<i8>`/`<nil/>`,
//!   Apache's `<ex:i8>`/`<ex:nil/>`, or refuse), in which [`Charset`] (UTF-8, or a
//!   single-byte charset with character references for the rest, as Python's `encoding=`),
//!   and what becomes of characters XML 1.0 forbids ([`ForbiddenChars`]).
//! - [`Registry`] and [`Service`]: methods served by name, with the `system.*` methods;
//!   `system.multicall` runs each of its calls from the values it read
//!   ([`Call::from_values`]), without writing and parsing them again.
//! - [`Limits`]: input size, nesting depth, string length, struct and array sizes. DOCTYPEs
//!   are always refused, so no entity is ever expanded.
//! - [`Registry`]: services, documented functions ([`xmlrpc_function`]) and closures by name,
//!   with shared [`State`] and the request [`Context`], and the `system.*` methods.
//! - [`endpoint`]: the protocol's HTTP rules (paths, methods, gzip, sizes, the documentation
//!   page, faults and HTTP errors) in one sans-IO [`Endpoint`], under every transport:
//!   `xmlrpc-axum` serves it, [`CgiHandler`] runs it as a CGI script. Methods see the
//!   request's headers and its [`Peer`] through [`Context`].
//! - [`client`]: call a server over HTTP, HTTPS, a Unix socket or SCGI, typed or dynamic,
//!   async or blocking, with `system.multicall` ([`client::MultiCall`]); the typed clients
//!   of `#[xmlrpc_client]` (from a trait) and `#[xmlrpc_service]` run on it through
//!   [`Caller`], with their parameters said explicitly ([`Params`], [`Spread`]). Feature
//!   `client` (and `tls` for HTTPS), off by default, so that a server compiles no client.
//!
//! # How the API reads
//!
//! One style across the crates, so that what you learn on one type holds on the next:
//!
//! - **Builders take and return `self`**: [`Registry`], [`Endpoint`], [`DocPage`], [`Limits`]
//!   and the client's builder are set up in one expression.
//!   `Registry::new().function("add", add).service(Calculator)` registers two things.
//! - **Settings are named for what they set**: `multicall_enabled(false)`,
//!   `decoded_limit(bytes)`, `gzip_threshold(Some(1400))`. A setting of a type that is both
//!   builder and value is read back with `get_` and its name ([`Registry::get_limits`],
//!   [`Endpoint::get_paths`]), as `std::process::Command` does.
//! - **A programmer's mistake at startup panics**, with a message that names the mistake and
//!   points at the caller: a method name registered twice, a malformed name or path. This is
//!   axum's rule for routes. Code that registers names it reads at run time uses the `try_`
//!   forms ([`Registry::try_function`]), which return the error and keep the registry.
//! - **Everything that comes from outside is a `Result`** with context: a request, a
//!   response, a document. Nothing from outside panics.
//!
//! ```
//! use xmlrpc::{Dialect, Limits, Registry};
//!
//! let registry = Registry::new()
//!     .function("add", |a: i32, b: i32| a + b)
//!     .allow_none(false)
//!     .dialect(Dialect::apache())
//!     .limits(Limits::default().max_depth(16));
//! assert_eq!(registry.get_limits(), Limits::default().max_depth(16));
//! ```
//!
//! # Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `derive` | yes | `#[xmlrpc_service]`, `#[xmlrpc_function]` and `#[xmlrpc_client]` |
//! | `client` | no | the HTTP client, on reqwest and tokio |
//! | `tls` | no | HTTPS for the client, with rustls (implies `client`) |
//!
//! # Character encodings
//!
//! Documents are read in the encoding their XML declaration names, by what XML means by
//! the name (not what browsers mean, which is the table `encoding_rs` follows): `us-ascii`
//! and its aliases are ASCII; `iso-8859-1`, `latin1`, `l1` and their aliases are
//! ISO-8859-1, byte N being U+00NN (bytes 0x80-0x9F are the C1 controls, not
//! windows-1252's `€` and curly quotes; ISO-8859-9 and ISO-8859-11 likewise);
//! `windows-1252` and `cp1252` are windows-1252; other labels as the WHATWG encoding
//! standard knows them. A byte the encoding cannot hold is a
//! [`Fault::INVALID_CHARACTER`] error that gives its offset, line and column; no byte is
//! ever replaced.
//!
//! One leniency: a document declared `us-ascii` that holds bytes of 0x80 and above is read
//! as UTF-8 when they are valid UTF-8. Strict XML refuses such a document; Perl's
//! RPC::XML declares `us-ascii` on every document it sends and writes non-ASCII strings
//! as raw UTF-8, so refusing would break every Perl client with such a string, and
//! reading the bytes as anything but UTF-8 would change it. Bytes that are not UTF-8
//! either are refused.
//!
//! # Type mapping
//!
//! | XML-RPC | written from | read into |
//! |---|---|---|
//! | `<int>`, `<i4>` (and `<i1>`, `<i2>` read) | integers that fit in 32 bits | any integer type it fits |
//! | `<i8>` (and `<ex:i8>`, `<biginteger>` read) | integers beyond 32 bits, by [`Dialect`] | `i64`, `u64`, ... when it fits |
//! | `<boolean>` | `bool` | `bool` (`0` or `1` only) |
//! | `<string>`, untyped `<value>` | `str`, `String`, `char`, unit enum variants | `String`, `&str` (borrowed when unescaped), `char` |
//! | `<double>` | finite `f32`, `f64`, in plain decimal | `f64`, `f32` |
//! | `<dateTime.iso8601>` | [`DateTime`], chrono via [`datetime`] | the same, or `String` |
//! | `<base64>` | [`Base64`], `serialize_bytes` | [`Base64`], `serde_bytes` |
//! | `<struct>` | structs, maps with string keys, enum variants with data | structs (unknown members skipped), maps |
//! | `<array>` | `Vec`, slices, tuples, sets | the same |
//! | `<nil/>` (and `<ex:nil/>` read) | `None`, `()` | `Option` (a missing member is `None` too) |
//!
//! Strings round-trip exactly: `\r` is written as the character reference `&#13;`, which
//! XML parsers do not normalize. Characters XML 1.0 forbids (C0 controls but tab, line feed
//! and carriage return, U+FFFE, U+FFFF) cannot travel at all: the reader refuses them, raw
//! or as references, with [`Fault::INVALID_CHARACTER`], and the writer refuses a string
//! that holds one, naming its path, unless [`ForbiddenChars`] says otherwise.

#![doc = include_str!("docs/tokenizer.md")]

mod base64;
pub mod bounds;
mod caller;
mod cgi;
pub mod client;
pub mod datetime;
mod de;
mod doc;
pub mod endpoint;
mod error;
mod excerpt;
mod fault;
mod gzip;
mod message;
mod params;
mod peer;
mod registry;
mod ser;
mod service;
mod signature;
mod value;
mod xml;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

#[cfg(feature = "derive")]
#[doc = include_str!("docs/xmlrpc_service.md")]
pub use xmlrpc_derive::xmlrpc_service;

#[cfg(feature = "derive")]
#[doc = include_str!("docs/xmlrpc_function.md")]
pub use xmlrpc_derive::xmlrpc_function;

#[cfg(feature = "derive")]
#[doc = include_str!("docs/xmlrpc_client.md")]
pub use xmlrpc_derive::xmlrpc_client;

pub use crate::base64::Base64;
pub use crate::caller::{CallError, Caller};
pub use crate::cgi::{CgiHandler, CgiResponse, cgi_request_head};
pub use crate::datetime::DateTime;
pub use crate::de::{Deserializer, from_reader, from_slice, from_str};
pub use crate::doc::DocPage;
pub use crate::endpoint::Endpoint;
pub use crate::error::{Error, ErrorKind, Position, Result};
pub use crate::fault::Fault;
pub use crate::message::read::{
    CallReader, call_from_reader, call_from_slice, call_from_str, read_response,
    response_from_reader, response_from_slice, response_from_str,
};
pub use crate::message::write::{
    call_to_string, call_to_vec, call_to_writer, fault_to_string, fault_to_vec, fault_to_writer,
    response_to_string, response_to_vec, response_to_writer,
};
pub use crate::message::{MethodCall, MethodResponse};
pub use crate::params::{Params, Spread};
pub use crate::peer::{ForwardedPeer, Peer, UnixPeer};
pub use crate::registry::dispatch::Handled;
pub use crate::registry::handler;
pub use crate::registry::handler::{FromRef, MethodDoc, State};
pub use crate::registry::handler::{Handler, Outcome};
pub use crate::registry::{Registry, RegistryError};
pub use crate::ser::compound::Compound;
pub use crate::ser::dialect::{Dialect, ForbiddenChars, I8Style, NilStyle};
pub use crate::ser::{Serializer, to_string, to_vec, to_writer};
pub use crate::service::call::Call;
pub use crate::service::context::Context;
pub use crate::service::reply::{Encoding, Reply};
pub use crate::service::{BoxFuture, MethodFuture, MethodInfo, Service};
pub use crate::signature::Describe;
pub use crate::signature::probe::type_of;
pub use crate::signature::shape::{Member, Shape, shape_of};
pub use crate::value::{Index, Struct, Value, from_value, from_value_ref, to_value};
pub use crate::xml::encoding::Charset;
pub use crate::xml::limits::Limits;
