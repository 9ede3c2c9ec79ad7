//! The dispatch trait behind every service: the Rust form of Python's
//! `_dispatch(method, params)`, with the metadata that introspection serves.

use std::borrow::Cow;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::fault::Fault;
use crate::message::read::CallReader;
use crate::peer::Peer;
use crate::ser::Serializer;
use crate::ser::dialect::Dialect;
use crate::signature::Shape;
use crate::value::Value;

/// A boxed future that can move between threads, as services return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a method may learn about the request that carries its call: HTTP headers, the
/// [`Peer`] that sent it, the request path, and extensions set by middleware (an
/// authenticated user, a request id, ...).
///
/// A method of an `#[xmlrpc_service]` asks for it with a parameter of type `&Context`; that
/// parameter is not part of the method's XML-RPC signature.
///
/// # Examples
///
/// ```
/// use xmlrpc::Context;
///
/// #[derive(Clone)]
/// struct User(String);
///
/// let mut ctx = Context::new();
/// ctx.extensions_mut().insert(User("ada".into()));
/// ctx.headers_mut().insert("x-request-id", "42".parse().unwrap());
/// assert_eq!(ctx.extensions().get::<User>().map(|u| u.0.as_str()), Some("ada"));
/// assert_eq!(ctx.header("x-request-id"), Some("42"));
/// ```
#[derive(Debug, Default)]
pub struct Context {
    headers: http::HeaderMap,
    extensions: http::Extensions,
    peer: Peer,
    path: String,
}

impl Context {
    /// An empty context, as in-process calls have.
    pub fn new() -> Self {
        Context::default()
    }

    /// A context from the parts of an HTTP request and the peer that sent it.
    pub fn from_parts(
        headers: http::HeaderMap,
        extensions: http::Extensions,
        peer: Peer,
        path: impl Into<String>,
    ) -> Self {
        Context {
            headers,
            extensions,
            peer,
            path: path.into(),
        }
    }

    /// The request's HTTP headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The request's HTTP headers, to change.
    pub fn headers_mut(&mut self) -> &mut http::HeaderMap {
        &mut self.headers
    }

    /// The value of header `name`, when it is present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Values that middleware attached to the request.
    pub fn extensions(&self) -> &http::Extensions {
        &self.extensions
    }

    /// Values attached to the request, to change.
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.extensions
    }

    /// Who sent the request: a TCP or Unix socket peer, or a client whose address a front
    /// server forwarded; [`Peer::Local`] for in-process calls.
    pub fn peer(&self) -> &Peer {
        &self.peer
    }

    /// Sets who sent the request.
    pub fn set_peer(&mut self, peer: Peer) {
        self.peer = peer;
    }

    /// The client's socket address, when known: the TCP peer's, or the address and port a
    /// front server forwarded (see [`Peer::socket_addr`]).
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.peer.socket_addr()
    }

    /// The path the request was sent to, such as `/RPC2`; empty for in-process calls.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// The description of one method, served by `system.listMethods`, `system.methodHelp` and
/// `system.methodSignature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodInfo {
    /// The name callers use, relative to the service (the registry adds mount prefixes).
    pub name: Cow<'static, str>,
    /// The signatures, each `[return type, parameter types...]` in XML-RPC type names;
    /// several when trailing parameters may be left out, none when unknown.
    pub signatures: Vec<Vec<Cow<'static, str>>>,
    /// The help text, from the method's documentation.
    pub help: Cow<'static, str>,
    /// The parameters' Rust names, in order, for documentation pages.
    pub params: Vec<Cow<'static, str>>,
    /// The parameters' shapes, in order, when known: what documentation pages show of a
    /// struct's members.
    pub param_shapes: Vec<Shape>,
    /// The result's shape, when known.
    pub result_shape: Option<Shape>,
}

impl MethodInfo {
    /// A method with a name and no signature or help yet.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        MethodInfo {
            name: name.into(),
            signatures: Vec::new(),
            help: Cow::Borrowed(""),
            params: Vec::new(),
            param_shapes: Vec::new(),
            result_shape: None,
        }
    }

    /// Adds a signature: the return type, then the parameter types.
    pub fn signature<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Cow<'static, str>>,
    {
        self.signatures
            .push(types.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = help.into();
        self
    }
}

/// How replies are written: the dialect for 64-bit integers, and whether nil may be sent
/// (Python's `allow_none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    /// The dialect replies are written in.
    pub dialect: Dialect,
}

impl Default for Encoding {
    fn default() -> Self {
        Encoding {
            dialect: Dialect::new(),
        }
    }
}

/// One call being dispatched: its method name, its parameters (read on demand, straight
/// into the method's types), the request's [`Context`], and how to write the reply.
///
/// # Examples
///
/// A hand-written service, as Python users write `_dispatch`:
///
/// ```
/// use xmlrpc::{Call, Fault, MethodFuture, MethodInfo, Registry, Service, Value};
///
/// struct Echo;
///
/// impl Service for Echo {
///     fn methods(&self) -> Vec<MethodInfo> {
///         vec![MethodInfo::new("echo").signature(["array", "array"]).help("Returns its parameters.")]
///     }
///
///     fn call<'a>(&'a self, method: &'a str, mut call: Call<'a>) -> MethodFuture<'a> {
///         MethodFuture::new(async move {
///             match method {
///                 "echo" => {
///                     let params: Vec<Value> = call.all_params()?;
///                     call.reply(&params)
///                 }
///                 _ => Err(Fault::method_not_found(method)),
///             }
///         })
///     }
/// }
///
/// let registry = Registry::new().service(Echo);
/// let body = xmlrpc::call_to_vec("echo", &(1, "two"))?;
/// let response = registry.handle_blocking(&body, &xmlrpc::Context::new());
/// let answer: xmlrpc::MethodResponse<(i32, String)> = xmlrpc::response_from_slice(&response.body)?;
/// assert_eq!(answer.into_result(), Ok((1, "two".to_owned())));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Call<'a> {
    params: Params<'a>,
    context: &'a Context,
    encoding: Encoding,
}

/// Where a call's parameters come from.
#[derive(Debug)]
enum Params<'a> {
    /// The XML of a `methodCall`, read on demand.
    Xml(CallReader<'a>),
    /// Values already read, as `system.multicall` has them for each of its calls.
    Values {
        method: &'a str,
        params: &'a [Value],
        /// How many were taken.
        taken: usize,
    },
}

impl<'a> Call<'a> {
    /// A call from a reader standing at its parameters.
    pub fn new(reader: CallReader<'a>, context: &'a Context, encoding: Encoding) -> Self {
        Call {
            params: Params::Xml(reader),
            context,
            encoding,
        }
    }

    /// A call of `method` whose parameters are `Value`s already read, as
    /// `system.multicall` runs each of its calls: nothing is written or parsed again, and
    /// methods read their parameters from the values with the same rules and the same
    /// faults as from XML. Replies are encoded without a document head
    /// ([`Reply::into_response`] adds it when asked).
    ///
    /// ```
    /// use xmlrpc::{Call, Context, Encoding, Value};
    ///
    /// let params = [Value::from(2), Value::from("three")];
    /// let context = Context::new();
    /// let mut call = Call::from_values("add", &params, &context, Encoding::default());
    /// assert_eq!(call.param::<i32>(0, "a", "int"), Ok(2));
    /// let fault = call.param::<i32>(1, "b", "int").unwrap_err();
    /// assert_eq!(fault.string(), "parameter 2 `b` of add: expected int, found string at params[1]");
    /// ```
    pub fn from_values(
        method: &'a str,
        params: &'a [Value],
        context: &'a Context,
        encoding: Encoding,
    ) -> Self {
        Call {
            params: Params::Values {
                method,
                params,
                taken: 0,
            },
            context,
            encoding,
        }
    }

    /// The full method name, as the caller sent it.
    pub fn method(&self) -> &str {
        match &self.params {
            Params::Xml(reader) => reader.method(),
            Params::Values { method, .. } => method,
        }
    }

    /// The request's context.
    pub fn context(&self) -> &'a Context {
        self.context
    }

    /// How the reply will be written.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The next parameter as `T`, `None` when there are no more.
    fn next<T: Deserialize<'a>>(&mut self) -> Result<Option<T>, Error> {
        match &mut self.params {
            Params::Xml(reader) => reader.next_param::<T>(),
            Params::Values { params, taken, .. } => {
                let params: &'a [Value] = params;
                let Some(value) = params.get(*taken) else {
                    return Ok(None);
                };
                let index = *taken;
                *taken += 1;
                T::deserialize(value)
                    .map(Some)
                    .map_err(|e| e.at_param(index))
            }
        }
    }

    /// How many parameters were taken.
    fn taken(&self) -> usize {
        match &self.params {
            Params::Xml(reader) => reader.params_read(),
            Params::Values { taken, .. } => *taken,
        }
    }

    /// Checks the end of the call's document, after its parameters.
    fn close(&mut self) -> Result<(), Fault> {
        match &mut self.params {
            Params::Xml(reader) => reader.close().map_err(|e| e.to_fault()),
            Params::Values { .. } => Ok(()),
        }
    }

    /// Reads parameter number `index` (from 0), named `name` in messages.
    ///
    /// # Errors
    ///
    /// [`Fault::INVALID_PARAMS`] when the parameter is missing or does not fit `T`, saying
    /// which parameter, and what was expected and found.
    pub fn param<T: Deserialize<'a>>(
        &mut self,
        index: usize,
        name: &str,
        ty: &str,
    ) -> Result<T, Fault> {
        match self.next::<T>() {
            Ok(Some(v)) => Ok(v),
            Ok(None) => {
                // A missing trailing parameter is fine when its type takes nothing: `Option`.
                if let Ok(v) = T::deserialize(serde::de::value::UnitDeserializer::<Error>::new()) {
                    return Ok(v);
                }
                let label = if name.is_empty() {
                    String::new()
                } else {
                    format!(" `{name}`")
                };
                Err(Fault::invalid_params(format!(
                    "{}: missing parameter {}{label} ({ty}); {} given",
                    self.method(),
                    index + 1,
                    self.taken()
                )))
            }
            Err(e) => Err(self.param_fault(index, name, e)),
        }
    }

    /// Reads parameter number `index` when the caller sent it; `None` when the call has no
    /// more parameters (or the parameter is nil).
    ///
    /// # Errors
    ///
    /// As [`Call::param`].
    pub fn optional_param<T: Deserialize<'a>>(
        &mut self,
        index: usize,
        name: &str,
    ) -> Result<Option<T>, Fault> {
        match self.next::<Option<T>>() {
            Ok(v) => Ok(v.flatten()),
            Err(e) => Err(self.param_fault(index, name, e)),
        }
    }

    /// Checks that no parameter is left over.
    ///
    /// # Errors
    ///
    /// [`Fault::INVALID_PARAMS`] when more parameters were sent than the method takes.
    pub fn finish_params(&mut self, expected: usize) -> Result<(), Fault> {
        match self.next::<serde::de::IgnoredAny>() {
            Ok(None) => self.close(),
            Ok(Some(_)) => {
                let mut given = expected + 1;
                while let Ok(Some(_)) = self.next::<serde::de::IgnoredAny>() {
                    given += 1;
                }
                Err(Fault::invalid_params(format!(
                    "{} takes {expected} parameter{}, {given} given",
                    self.method(),
                    if expected == 1 { "" } else { "s" }
                )))
            }
            Err(e) => Err(self.param_fault(expected, "", e)),
        }
    }

    /// Reads all parameters at once as `P`: a tuple, a `Vec<Value>`, a struct of parameters.
    ///
    /// # Errors
    ///
    /// [`Fault::INVALID_PARAMS`] when they do not fit `P`.
    pub fn all_params<P: Deserialize<'a>>(&mut self) -> Result<P, Fault> {
        let read = match &mut self.params {
            Params::Xml(reader) => reader.rest_params(),
            Params::Values { params, taken, .. } => {
                let params: &'a [Value] = params;
                let rest = params.get(*taken..).unwrap_or_default();
                let first = *taken;
                *taken = params.len();
                P::deserialize(ValueParams { rest, first })
            }
        };
        let params = read.map_err(|e| {
            // Data errors (types, values, counts) are already -32602.
            let code = e.fault_code();
            Fault::new_unchecked(
                code,
                format!("invalid parameters of {}: {e}", self.method()),
            )
        })?;
        self.close()?;
        Ok(params)
    }

    #[cold]
    fn param_fault(&self, index: usize, name: &str, e: Error) -> Fault {
        // Data errors (types, values, counts) are already -32602.
        let code = e.fault_code();
        if name.is_empty() {
            Fault::new_unchecked(
                code,
                format!("parameter {} of {}: {e}", index + 1, self.method()),
            )
        } else {
            Fault::new_unchecked(
                code,
                format!("parameter {} `{name}` of {}: {e}", index + 1, self.method()),
            )
        }
    }

    /// Encodes `value` as the reply, in the call's [`Encoding`].
    ///
    /// # Errors
    ///
    /// [`Fault::INTERNAL_ERROR`] when the value cannot be written, such as nil when nil is
    /// not allowed, a non-finite double, or a string holding a character that XML 1.0
    /// forbids; the fault's message names the value's path.
    pub fn reply<T: Serialize + ?Sized>(&self, value: &T) -> Result<Reply, Fault> {
        match self.params {
            Params::Xml(_) => Reply::encode(value, self.encoding),
            Params::Values { .. } => Reply::encode_bare(value, self.encoding),
        }
    }
}

/// The parameters of a call given as values, as a sequence for tuples, `Vec`s and structs
/// of parameters.
struct ValueParams<'a> {
    rest: &'a [Value],
    /// The index of the first of them in the call.
    first: usize,
}

impl<'de> serde::Deserializer<'de> for ValueParams<'de> {
    type Error = Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut access = ValueParamsAccess {
            rest: self.rest.iter(),
            index: self.first,
        };
        let value = visitor.visit_seq(&mut access)?;
        if access.rest.len() > 0 {
            return Err(Error::param_count(format!(
                "too many parameters: expected {}",
                access.index
            )));
        }
        Ok(value)
    }

    fn deserialize_unit<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.rest.is_empty() {
            return Err(Error::param_count(format!(
                "too many parameters: expected {}",
                self.first
            )));
        }
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ValueParamsAccess<'de> {
    rest: std::slice::Iter<'de, Value>,
    index: usize,
}

impl<'de> serde::de::SeqAccess<'de> for &mut ValueParamsAccess<'de> {
    type Error = Error;

    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.rest.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(value)
            .map(Some)
            .map_err(|e| e.at_param(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.rest.len())
    }
}

/// The encoded `<value>` of a method's result, ready to go into a response or a multicall.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    /// The response document's head, then the value: the value is encoded in place, so that
    /// the response needs no second buffer.
    xml: Vec<u8>,
    /// Where the `<value>` starts; 0 when the reply was encoded without the head.
    start: usize,
    /// How it was encoded, for the head written later when there is none yet.
    encoding: Encoding,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Reply")
            .field(&String::from_utf8_lossy(self.as_bytes()))
            .finish()
    }
}

impl Reply {
    /// A buffer holding the head of a response document in `encoding`.
    fn head(encoding: Encoding, capacity: usize) -> Vec<u8> {
        let mut ser =
            Serializer::with_dialect(Vec::with_capacity(capacity + 128), encoding.dialect);
        let _infallible_on_vec = ser.response_head();
        ser.into_inner()
    }

    /// Encodes `value`.
    ///
    /// # Errors
    ///
    /// [`Fault::INTERNAL_ERROR`] when the value cannot be written in `encoding`.
    pub fn encode<T: Serialize + ?Sized>(value: &T, encoding: Encoding) -> Result<Reply, Fault> {
        let xml = Self::head(encoding, 128);
        let start = xml.len();
        let mut ser = Serializer::with_dialect(xml, encoding.dialect);
        match value.serialize(&mut ser) {
            Ok(()) => Ok(Reply {
                xml: ser.into_inner(),
                start,
                encoding,
            }),
            Err(e) => Err(encode_fault(e)),
        }
    }

    /// Encodes `value` without the response document's head, for a reply that goes into
    /// another one (a `system.multicall` answer); [`Reply::into_response`] adds the head
    /// when asked.
    ///
    /// # Errors
    ///
    /// As [`Reply::encode`].
    pub(crate) fn encode_bare<T: Serialize + ?Sized>(
        value: &T,
        encoding: Encoding,
    ) -> Result<Reply, Fault> {
        let mut ser = Serializer::with_dialect(Vec::with_capacity(64), encoding.dialect);
        match value.serialize(&mut ser) {
            Ok(()) => Ok(Reply {
                xml: ser.into_inner(),
                start: 0,
                encoding,
            }),
            Err(e) => Err(encode_fault(e)),
        }
    }

    /// A reply from bytes that hold one encoded `<value>` element.
    pub(crate) fn from_encoded(value: &[u8], encoding: Encoding) -> Reply {
        let mut xml = Self::head(encoding, value.len());
        let start = xml.len();
        xml.extend_from_slice(value);
        Reply {
            xml,
            start,
            encoding,
        }
    }

    /// The whole `methodResponse` document around the value.
    pub fn into_response(mut self) -> Vec<u8> {
        if self.start == 0 {
            // Encoded without the head, for a multicall.
            self = Reply::from_encoded(&self.xml, self.encoding);
        }
        self.xml
            .extend_from_slice(crate::message::write::RESPONSE_TAIL.as_bytes());
        self.xml
    }

    /// The encoded `<value>` element.
    pub fn as_bytes(&self) -> &[u8] {
        &self.xml[self.start..]
    }
}

/// The fault that answers a result the writer refuses.
#[cold]
fn encode_fault(e: Error) -> Fault {
    let hint = if matches!(e.kind(), ErrorKind::NilRefused) {
        " (allow_none is off)"
    } else {
        ""
    };
    Fault::internal_error(format!("cannot encode the result{hint}: {e}"))
}

/// What a method's call gives: its result right away, as synchronous methods have it, or a
/// future to await. Synchronous methods so cost no allocation.
///
/// ```
/// use xmlrpc::{Fault, MethodFuture, Reply};
///
/// fn answer<'a>(reply: Result<Reply, Fault>, later: bool) -> MethodFuture<'a> {
///     if later {
///         MethodFuture::new(async move { reply })
///     } else {
///         MethodFuture::ready(reply)
///     }
/// }
/// # let _ = answer(Err(Fault::new(1, "x")), true);
/// ```
pub struct MethodFuture<'a>(MethodFutureInner<'a>);

enum MethodFutureInner<'a> {
    Ready(Option<Result<Reply, Fault>>),
    Boxed(BoxFuture<'a, Result<Reply, Fault>>),
}

impl<'a> MethodFuture<'a> {
    /// A result that is already there.
    pub fn ready(result: Result<Reply, Fault>) -> Self {
        MethodFuture(MethodFutureInner::Ready(Some(result)))
    }

    /// A result still to come.
    pub fn new<F: Future<Output = Result<Reply, Fault>> + Send + 'a>(future: F) -> Self {
        MethodFuture(MethodFutureInner::Boxed(Box::pin(future)))
    }
}

impl std::fmt::Debug for MethodFuture<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            MethodFutureInner::Ready(_) => "MethodFuture::Ready",
            MethodFutureInner::Boxed(_) => "MethodFuture::Pending",
        })
    }
}

impl Future for MethodFuture<'_> {
    type Output = Result<Reply, Fault>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match &mut self.0 {
            MethodFutureInner::Ready(result) => {
                std::task::Poll::Ready(result.take().unwrap_or_else(|| {
                    Err(Fault::internal_error("a method's result was taken twice"))
                }))
            }
            MethodFutureInner::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

impl<'a> From<BoxFuture<'a, Result<Reply, Fault>>> for MethodFuture<'a> {
    fn from(future: BoxFuture<'a, Result<Reply, Fault>>) -> Self {
        MethodFuture(MethodFutureInner::Boxed(future))
    }
}

/// A set of methods that can be called by name: what `#[xmlrpc_service]` implements, and
/// what a hand-written dynamic service implements (see [`Call`] for an example).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an XML-RPC service",
    note = "put `#[xmlrpc::xmlrpc_service]` on an `impl {Self}` block, or implement `xmlrpc::Service` by hand"
)]
pub trait Service: Send + Sync + 'static {
    /// The methods this service answers, with their signatures and help.
    fn methods(&self) -> Vec<MethodInfo>;

    /// Runs `method` (the name relative to the service) with the call's parameters.
    ///
    /// Unknown names should give [`Fault::method_not_found`].
    fn call<'a>(&'a self, method: &'a str, call: Call<'a>) -> MethodFuture<'a>;
}

impl<S: Service + ?Sized> Service for std::sync::Arc<S> {
    fn methods(&self) -> Vec<MethodInfo> {
        (**self).methods()
    }

    fn call<'a>(&'a self, method: &'a str, call: Call<'a>) -> MethodFuture<'a> {
        (**self).call(method, call)
    }
}
