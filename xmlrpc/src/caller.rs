//! [`Caller`]: what typed clients send their calls through, and [`CallError`].

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::fault::Fault;
use crate::service::BoxFuture;

/// Something that takes a `methodCall` document and gives back the `methodResponse`: an
/// HTTP client, or a [`Registry`](crate::Registry) for calls in the same process.
///
/// The client structs that `#[xmlrpc_service]` generates send their calls through it.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Caller, Registry};
///
/// let mut registry = Registry::new();
/// registry.function("add", |a: i32, b: i32| a + b)?;
///
/// # xmlrpc::__private::block_on(async {
/// let sum: i32 = registry.call("add", &(2, 3)).await?;
/// assert_eq!(sum, 5);
/// # Ok::<(), xmlrpc::CallError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Caller: Send + Sync {
    /// Sends a `methodCall` document and returns the `methodResponse` document.
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>>;

    /// Calls `method` with `params` (a tuple, a sequence, a struct of parameters, or `()`),
    /// reading the result as `R`.
    ///
    /// # Errors
    ///
    /// A fault from the server, a transport failure, or a result that does not fit `R`.
    fn call<'a, P, R>(
        &'a self,
        method: &'a str,
        params: &'a P,
    ) -> BoxFuture<'a, Result<R, CallError>>
    where
        P: Serialize + Sync + ?Sized,
        R: DeserializeOwned + 'a,
        Self: Sized,
    {
        Box::pin(crate::__private::typed_call(self, method, params))
    }
}

/// Why a call through a [`Caller`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// The server answered with a fault.
    #[error("{0}")]
    Fault(Fault),
    /// The parameters could not be written.
    #[error("cannot encode the call: {0}")]
    Encode(Error),
    /// The response could not be read as the expected type.
    #[error("cannot decode the response: {0}")]
    Decode(Error),
    /// The call did not reach the server, or its answer did not come back.
    #[error("transport error: {0}")]
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

impl CallError {
    /// The fault, when the server answered with one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            CallError::Fault(f) => Some(f),
            _ => None,
        }
    }
}

impl Caller for crate::Registry {
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        Box::pin(async move {
            let context = crate::Context::new();
            Ok(self.handle(&request, &context).await.body)
        })
    }
}

impl<C: Caller + ?Sized> Caller for &C {
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        (**self).call_raw(request)
    }
}

impl<C: Caller + ?Sized> Caller for std::sync::Arc<C> {
    fn call_raw<'a>(&'a self, request: Vec<u8>) -> BoxFuture<'a, Result<Vec<u8>, CallError>> {
        (**self).call_raw(request)
    }
}
