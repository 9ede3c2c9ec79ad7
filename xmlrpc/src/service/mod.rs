//! The dispatch trait behind every service: the Rust form of Python's
//! `_dispatch(method, params)`, with the metadata that introspection serves.
//!
//! A call arrives as a [`Call`](call::Call) with the request's [`Context`](context::Context),
//! and its method answers with a [`Reply`](reply::Reply) in the call's
//! [`Encoding`](reply::Encoding).

pub(crate) mod call;
pub(crate) mod context;
pub(crate) mod reply;

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use self::call::Call;
use self::reply::Reply;
use crate::fault::Fault;
use crate::signature::shape::Shape;

/// A boxed future that can move between threads, as services return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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
