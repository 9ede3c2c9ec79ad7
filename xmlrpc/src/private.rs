//! Paths used by the code that `#[xmlrpc_service]` and `#[xmlrpc_function]` generate. Not
//! public API.

use std::marker::PhantomData;

pub use serde;
pub use std::boxed::Box;
pub use std::result::Result;
pub use std::vec::Vec;

pub use crate::registry::handler::{FromRef, Function, State};
pub use crate::registry::rt::block_on;
pub use crate::registry::system::is_reserved;
pub use crate::{
    BoxFuture, Call, CallError, Caller, Context, Fault, MethodFuture, MethodInfo, Reply, Service,
    Shape,
};

use crate::signature::{Describe, shape_of, type_of};

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

/// Sends a typed call through `caller`.
pub async fn typed_call<C, P, R>(caller: &C, method: &str, params: &P) -> Result<R, CallError>
where
    C: Caller + ?Sized,
    P: serde::Serialize + ?Sized,
    R: serde::de::DeserializeOwned,
{
    // In the caller's dialect, read within its limits: an HTTP client's settings hold for
    // the typed clients that run on it.
    let request = crate::caller::encode_call(caller.dialect(), method, params)?;
    let response = caller.call_raw(request).await?;
    crate::caller::decode_response(&response, caller.limits())
}
