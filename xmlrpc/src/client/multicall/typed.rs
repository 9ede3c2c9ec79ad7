//! [`TypedMultiCall`]: a multicall whose result type grows with each call queued, so that
//! `send` gives back a tuple with one typed result per call. The typed clients that
//! `#[xmlrpc_client]` and `#[xmlrpc_service]` generate build their `multicall()` on it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::{FromMulticall, MultiCall};
use crate::caller::{CallError, Caller};
use crate::error::Error;
use crate::fault::Fault;
use crate::params::Params;

mod sealed {
    #[allow(
        unreachable_pub,
        reason = "the sealed-trait pattern: nameable in the public bound, not reachable"
    )]
    pub trait Sealed {}
}

/// The result types of the calls queued so far, as a tuple, and what one more call makes
/// of it: `()` then `(A,)` then `(A, B)`, up to 16 calls.
///
/// Sealed: the implementations are this crate's.
pub trait Append<R>: sealed::Sealed {
    /// The tuple with `R` added at the end.
    type Output;
}

/// The result types of a queued multicall, and what [`TypedMultiCall::send`] gives back
/// for them: `(A, B)` gives `(Result<A, Fault>, Result<B, Fault>)`.
///
/// Sealed: the implementations are this crate's.
pub trait Queued: sealed::Sealed {
    /// One `Result<T, Fault>` per call.
    type Results: FromMulticall;
}

impl sealed::Sealed for () {}

impl<R> Append<R> for () {
    type Output = (R,);
}

macro_rules! typed_tuples {
    ($(($($t:ident)+))+) => {$(
        impl<$($t),+> sealed::Sealed for ($($t,)+) {}

        impl<$($t: DeserializeOwned),+> Queued for ($($t,)+) {
            type Results = ($(Result<$t, Fault>,)+);
        }
    )+};
}

macro_rules! append_tuples {
    ($(($($t:ident)+))+) => {$(
        impl<$($t,)+ R> Append<R> for ($($t,)+) {
            type Output = ($($t,)+ R);
        }
    )+};
}

typed_tuples! {
    (A)
    (A B)
    (A B C)
    (A B C D)
    (A B C D E)
    (A B C D E F)
    (A B C D E F G)
    (A B C D E F G H)
    (A B C D E F G H I)
    (A B C D E F G H I J)
    (A B C D E F G H I J K)
    (A B C D E F G H I J K L)
    (A B C D E F G H I J K L M)
    (A B C D E F G H I J K L M N)
    (A B C D E F G H I J K L M N O)
    (A B C D E F G H I J K L M N O P)
}

append_tuples! {
    (A)
    (A B)
    (A B C)
    (A B C D)
    (A B C D E)
    (A B C D E F)
    (A B C D E F G)
    (A B C D E F G H)
    (A B C D E F G H I)
    (A B C D E F G H I J)
    (A B C D E F G H I J K)
    (A B C D E F G H I J K L)
    (A B C D E F G H I J K L M)
    (A B C D E F G H I J K L M N)
    (A B C D E F G H I J K L M N O)
}

/// Calls queued for one `system.multicall`, each with its result type: `T` is the tuple of
/// the types so far, and [`send`](TypedMultiCall::send) reads one `Result<_, Fault>` of
/// each. The typed clients' `multicall()` wraps one, with a method per RPC method; it can
/// be used directly too.
///
/// It reads the answer in the caller's [`MulticallShape`](super::MulticallShape), so the
/// same code works against supervisord's unwrapped results.
///
/// # Examples
///
/// ```
/// use xmlrpc::client::TypedMultiCall;
/// use xmlrpc::{Fault, Registry};
///
/// let registry = Registry::new()
///     .function("add", |a: i32, b: i32| a + b)
///     .function("name", || "calc");
///
/// # xmlrpc::__private::block_on(async {
/// let (sum, name, missing) = TypedMultiCall::new(&registry)
///     .call::<i32>("add", (1, 2))
///     .call::<String>("name", ())
///     .call::<bool>("nothing.here", ())
///     .send()
///     .await?;
/// assert_eq!(sum, Ok(3));
/// assert_eq!(name.as_deref(), Ok("calc"));
/// assert_eq!(missing.unwrap_err().code(), Fault::METHOD_NOT_FOUND);
/// # Ok::<(), xmlrpc::CallError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TypedMultiCall<'a, C: ?Sized, T> {
    inner: MultiCall<'a, C>,
    types: PhantomData<fn() -> T>,
}

impl<C: ?Sized, T> fmt::Debug for TypedMultiCall<'_, C, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedMultiCall").field(&self.inner).finish()
    }
}

impl<'a, C: Caller + ?Sized> TypedMultiCall<'a, C, ()> {
    /// An empty multicall sent through `caller`, in its dialect, limits and multicall
    /// shape.
    pub fn new(caller: &'a C) -> Self {
        TypedMultiCall {
            inner: MultiCall::new(caller),
            types: PhantomData,
        }
    }
}

impl<'a, C: Caller + ?Sized, T> TypedMultiCall<'a, C, T> {
    /// Queues a call of `method` with `params`, whose result is read as `R`.
    pub fn call<R>(mut self, method: &str, params: impl Params) -> TypedMultiCall<'a, C, T::Output>
    where
        T: Append<R>,
    {
        self.inner.call(method, params);
        TypedMultiCall {
            inner: self.inner,
            types: PhantomData,
        }
    }

    /// Queues a call written elsewhere (by a typed client, which leaves out optional
    /// parameters), or the error that writing it gave.
    #[doc(hidden)]
    pub fn __call_document<R>(
        mut self,
        document: Result<Vec<u8>, Error>,
    ) -> TypedMultiCall<'a, C, T::Output>
    where
        T: Append<R>,
    {
        self.inner.queue_document(document);
        TypedMultiCall {
            inner: self.inner,
            types: PhantomData,
        }
    }

    /// The dialect calls are written in.
    #[doc(hidden)]
    pub fn __dialect(&self) -> crate::ser::dialect::Dialect {
        self.inner.dialect
    }

    /// The number of calls queued.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no call is queued.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The multicall underneath.
    pub fn as_untyped(&self) -> &MultiCall<'a, C> {
        &self.inner
    }

    /// Sends the queued calls and reads one result of its type per call.
    ///
    /// # Errors
    ///
    /// As [`MultiCall::send`].
    pub async fn send(&self) -> Result<T::Results, CallError>
    where
        T: Queued,
    {
        self.inner.send().await
    }
}
