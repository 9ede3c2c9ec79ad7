//! Paths used by the code that `#[xmlrpc_service]` generates. Not public API.

use std::marker::PhantomData;

pub use serde;
pub use std::boxed::Box;
pub use std::result::Result;
pub use std::vec::Vec;

pub use crate::registry::rt::block_on;
pub use crate::{
    BoxFuture, Call, CallError, Caller, Context, Fault, MethodFuture, MethodInfo, Reply, Service,
};

pub use crate::xml::tokens::{Token, tokenize};

use crate::signature::{Describe, type_of};

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

/// First choice: an explicit [`Describe`].
pub trait ViaDescribe {
    fn xmlrpc_type(&self) -> &'static str;
}

impl<T: Describe + ?Sized> ViaDescribe for &&Probe<T> {
    fn xmlrpc_type(&self) -> &'static str {
        T::xmlrpc_type()
    }
}

/// Second choice: ask the type's `Deserialize`.
pub trait ViaDeserialize {
    fn xmlrpc_type(&self) -> &'static str;
}

// `Deserialize<'static>` rather than `DeserializeOwned`: method resolution only skips an
// impl whose bound it can decide, which a higher-ranked bound defeats.
impl<T: serde::Deserialize<'static>> ViaDeserialize for &Probe<T> {
    fn xmlrpc_type(&self) -> &'static str {
        type_of::<'static, T>()
    }
}

/// Last resort: a type that only serializes is almost always a user's struct.
pub trait ViaFallback {
    fn xmlrpc_type(&self) -> &'static str;
}

impl<T: ?Sized> ViaFallback for Probe<T> {
    fn xmlrpc_type(&self) -> &'static str {
        "struct"
    }
}

/// What a method's error type must be to become a fault.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot become an XML-RPC fault",
    label = "this error type has no conversion into `xmlrpc::Fault`",
    note = "implement `From<{Self}> for xmlrpc::Fault` (choose a fault code and message), or return `Result<T, xmlrpc::Fault>`"
)]
pub trait IntoFault {
    fn into_fault(self) -> Fault;
}

impl<E: Into<Fault>> IntoFault for E {
    fn into_fault(self) -> Fault {
        self.into()
    }
}

/// An application's fault, kept out of the reserved range.
pub fn app_fault<E: IntoFault>(e: E) -> Fault {
    crate::fault::application_fault(e.into_fault())
}

/// What a method's result must be to be sent back.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as an XML-RPC value",
    label = "the method's result must implement `serde::Serialize`",
    note = "derive `serde::Serialize` for it"
)]
pub trait Returnable {
    fn reply(&self, call: &Call<'_>) -> Result<Reply, Fault>;
}

impl<T: serde::Serialize + ?Sized> Returnable for T {
    fn reply(&self, call: &Call<'_>) -> Result<Reply, Fault> {
        call.reply(self)
    }
}

/// What a method's parameter must be to be read from a call.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read as an XML-RPC parameter",
    label = "parameters must implement `serde::Deserialize`",
    note = "derive `serde::Deserialize` for it"
)]
pub trait Param<'de>: serde::Deserialize<'de> {
    /// Reads parameter `index` of `call`.
    fn read(call: &mut Call<'de>, index: usize, name: &str, ty: &str) -> Result<Self, Fault> {
        call.param(index, name, ty)
    }
}

impl<'de, T: serde::Deserialize<'de>> Param<'de> for T {}

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
