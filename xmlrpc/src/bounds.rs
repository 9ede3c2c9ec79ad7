//! What `#[xmlrpc_service]` asks of a method's types, as traits whose compile errors say so
//! in the method's terms: a parameter must be readable, a result sendable, an error
//! convertible into a fault.
//!
//! Each is implemented for every type that meets its condition, so there is nothing to
//! implement by hand: derive `Deserialize` for parameters, `Serialize` for results, and write
//! `From<MyError> for Fault` for errors.
//!
//! ```
//! use xmlrpc::{Fault, Registry, xmlrpc_service};
//!
//! #[derive(Debug)]
//! pub struct NotFound(String);
//!
//! // What makes `Result<_, NotFound>` a method's result.
//! impl From<NotFound> for Fault {
//!     fn from(e: NotFound) -> Fault {
//!         Fault::new(404, format!("no record {}", e.0))
//!     }
//! }
//!
//! pub struct Records;
//!
//! #[xmlrpc_service]
//! impl Records {
//!     pub fn get(&self, id: String) -> Result<u32, NotFound> {
//!         Err(NotFound(id))
//!     }
//! }
//! # let _: Registry = Registry::new().service(Records);
//! ```

use serde::{Deserialize, Serialize};

use crate::fault::Fault;
use crate::service::call::Call;
use crate::service::reply::Reply;

/// A method's parameter type: anything that implements `serde::Deserialize`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read as an XML-RPC parameter",
    label = "parameters must implement `serde::Deserialize`",
    note = "derive `serde::Deserialize` for it"
)]
pub trait Param<'de>: Sized {
    /// Reads parameter `index` of `call`, named `name` and of XML-RPC type `ty` in messages.
    ///
    /// # Errors
    ///
    /// The fault [`Call::param`] gives.
    fn read(call: &mut Call<'de>, index: usize, name: &str, ty: &str) -> Result<Self, Fault>;
}

// The error names this trait and its message, not the bound inside it.
#[diagnostic::do_not_recommend]
impl<'de, T: Deserialize<'de>> Param<'de> for T {
    fn read(call: &mut Call<'de>, index: usize, name: &str, ty: &str) -> Result<Self, Fault> {
        call.param(index, name, ty)
    }
}

/// A method's result type: anything that implements `serde::Serialize`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as an XML-RPC value",
    label = "the method's result must implement `serde::Serialize`",
    note = "derive `serde::Serialize` for it"
)]
pub trait Returnable {
    /// Encodes `self` as the reply to `call`.
    ///
    /// # Errors
    ///
    /// The fault [`Call::reply`] gives.
    fn reply(&self, call: &Call<'_>) -> Result<Reply, Fault>;
}

#[diagnostic::do_not_recommend]
impl<T: Serialize + ?Sized> Returnable for T {
    fn reply(&self, call: &Call<'_>) -> Result<Reply, Fault> {
        call.reply(self)
    }
}

/// A method's error type: anything that converts into a [`Fault`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot become an XML-RPC fault",
    label = "this error type has no conversion into `xmlrpc::Fault`",
    note = "implement `From<{Self}> for xmlrpc::Fault` (choose a fault code and message), or return `Result<T, xmlrpc::Fault>`"
)]
pub trait IntoFault {
    /// The fault, with an application code kept out of the range the protocol reserves.
    fn into_app_fault(self) -> Fault;
}

#[diagnostic::do_not_recommend]
impl<E: Into<Fault>> IntoFault for E {
    fn into_app_fault(self) -> Fault {
        crate::fault::application_fault(self.into())
    }
}
