//! Paths used by the code that `#[xmlrpc_service]` and `#[xmlrpc_function]` generate. Not
//! public API.

use std::marker::PhantomData;

pub use serde;
pub use std::boxed::Box;
pub use std::result::Result;
pub use std::vec::Vec;

pub use crate::client::multicall::{Append, Queued, TypedMultiCall};
pub use crate::registry::handler::{FromRef, Function, State};
pub use crate::registry::rt::block_on;
pub use crate::registry::system::is_reserved;
pub use crate::{
    BoxFuture, Call, CallError, Caller, Context, Fault, MethodFuture, MethodInfo, Reply, Service,
    Shape,
};

pub use crate::xml::tokens::{Token, tokenize};

use crate::signature::Describe;

use crate::signature::probe::type_of;

use crate::signature::shape::shape_of;

/// Takes a function's `State<T>` parameter from the registry's state.
pub fn state<S, T: FromRef<S>>(state: &S) -> State<T> {
    State(T::from_ref(state))
}

/// Carries a type for the signature probe: `(&&&Probe::<T>::new()).xmlrpc_type()` finds the
/// most precise source that `T` supports, by method resolution.
#[derive(Debug)]
pub struct Probe<T: ?Sized>(PhantomData<fn() -> Box<T>>);

impl<T: ?Sized> Probe<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Probe(PhantomData)
    }
}

/// For shapes, first choice: the type's name from its [`Describe`], what it holds from its
/// `Deserialize` (so that `Vec<Book>` is an array of `Book` structs). Probed from
/// `&&&&Probe`.
pub trait ViaDescribeAndDeserialize {
    fn xmlrpc_shape(&self) -> Shape;
}

impl<T: Describe + serde::Deserialize<'static>> ViaDescribeAndDeserialize for &&&Probe<T> {
    fn xmlrpc_shape(&self) -> Shape {
        let walked = shape_of::<'static, T>();
        if walked.ty == T::xmlrpc_type() {
            walked
        } else {
            Shape::new(T::xmlrpc_type())
        }
    }
}

/// First choice: an explicit [`Describe`].
pub trait ViaDescribe {
    fn xmlrpc_type(&self) -> &'static str;
    fn xmlrpc_shape(&self) -> Shape;
}

impl<T: Describe + ?Sized> ViaDescribe for &&Probe<T> {
    fn xmlrpc_type(&self) -> &'static str {
        T::xmlrpc_type()
    }
    fn xmlrpc_shape(&self) -> Shape {
        Shape::new(T::xmlrpc_type())
    }
}

/// Second choice: ask the type's `Deserialize`.
pub trait ViaDeserialize {
    fn xmlrpc_type(&self) -> &'static str;
    fn xmlrpc_shape(&self) -> Shape;
}

// `Deserialize<'static>` rather than `DeserializeOwned`: method resolution only skips an
// impl whose bound it can decide, which a higher-ranked bound defeats.
impl<T: serde::Deserialize<'static>> ViaDeserialize for &Probe<T> {
    fn xmlrpc_type(&self) -> &'static str {
        type_of::<'static, T>()
    }
    fn xmlrpc_shape(&self) -> Shape {
        shape_of::<'static, T>()
    }
}

/// Last resort: a type that only serializes is almost always a user's struct.
pub trait ViaFallback {
    fn xmlrpc_type(&self) -> &'static str;
    fn xmlrpc_shape(&self) -> Shape;
}

impl<T: ?Sized> ViaFallback for Probe<T> {
    fn xmlrpc_type(&self) -> &'static str {
        "struct"
    }
    fn xmlrpc_shape(&self) -> Shape {
        Shape::new("struct")
    }
}

/// Sends a typed call through `caller`, in its dialect, read within its limits: an HTTP
/// client's settings hold for the typed clients that run on it.
pub async fn typed_call<C, P, R>(caller: &C, method: &str, params: P) -> Result<R, CallError>
where
    C: Caller + ?Sized,
    P: crate::params::Params,
    R: serde::de::DeserializeOwned,
{
    let request = crate::caller::encode_call(caller.dialect(), method, &params)?;
    let response = caller.call_raw(request).await?;
    crate::caller::decode_response(&response, caller.limits())
}

/// A call written one parameter at a time, for typed client methods whose trailing
/// optional parameters are left out when `None`.
#[derive(Debug)]
pub struct CallArgs(crate::params::ParamWriter);

impl CallArgs {
    /// A call of `method` in `dialect`.
    pub fn new(dialect: crate::ser::dialect::Dialect, method: &str) -> Self {
        CallArgs(crate::params::ParamWriter::new(method, dialect))
    }

    /// Adds a parameter.
    pub fn push<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        self.0.push(value);
    }

    /// The written document, or the first parameter's error.
    pub fn finish(self) -> Result<Vec<u8>, crate::error::Error> {
        self.0.finish()
    }

    /// Sends the call through `caller` and reads the result.
    pub async fn send<C, R>(self, caller: &C) -> Result<R, CallError>
    where
        C: Caller + ?Sized,
        R: serde::de::DeserializeOwned,
    {
        let request = self.0.finish().map_err(CallError::Encode)?;
        let response = caller.call_raw(request).await?;
        crate::caller::decode_response(&response, caller.limits())
    }
}

/// How many of a method's parameters to send: all up to the last one that is given. The
/// first `required` always are; `given[i]` says whether optional parameter `required + i`
/// is `Some`.
pub fn params_to_send(required: usize, given: &[bool]) -> usize {
    given
        .iter()
        .rposition(|&g| g)
        .map_or(required, |i| required + i + 1)
}

/// `prefix.method`, or `method` without a prefix.
pub fn prefixed<'m>(prefix: Option<&str>, method: &'m str) -> std::borrow::Cow<'m, str> {
    match prefix {
        Some(p) => std::borrow::Cow::Owned(format!("{p}.{method}")),
        None => std::borrow::Cow::Borrowed(method),
    }
}
