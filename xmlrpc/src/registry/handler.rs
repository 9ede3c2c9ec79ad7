//! Plain functions and closures as methods: the Rust form of Python's `register_function`.
//!
//! [`Handler`] is implemented for the functions that [`Registry::function`](crate::Registry::function)
//! accepts; the marker types here only tell its implementations apart.

use std::future::Future;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::fault::Fault;
use crate::service::{Call, MethodFuture, MethodInfo, Reply};
use crate::signature::{type_of, type_of_result};

/// A function or closure that can be registered as a method with
/// [`Registry::function`](crate::Registry::function).
///
/// Implemented for `Fn`s of up to eight parameters that implement `DeserializeOwned`,
/// returning a `Serialize` value or a `Result<T, E>` with `E: Into<Fault>`, directly or
/// from a future (an `async` block or `async fn`). `M` is a marker that tells these cases
/// apart; you never name it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be registered as an XML-RPC method",
    note = "a method is a `Fn` whose parameters implement `DeserializeOwned` and whose result implements `Serialize` (or is a `Result<T, E>` with `E: Into<Fault>`), returned directly or from a future"
)]
pub trait Handler<M>: Send + Sync + 'static {
    /// The description of the method under `name`.
    fn info(&self, name: String) -> MethodInfo;

    /// Runs the method.
    fn call<'a>(&'a self, call: Call<'a>) -> MethodFuture<'a>;
}

/// Marks a function returning its value directly.
#[derive(Debug)]
pub struct Plain;
/// Marks a function returning `Result<T, E>`.
#[derive(Debug)]
pub struct Fallible;
/// Marks a function returning a future.
#[derive(Debug)]
pub struct Async<R>(PhantomData<R>);

/// What a function's result becomes: a reply or a fault.
pub trait Outcome<M>: Send {
    /// The success type's XML-RPC name, for signatures: the standard types by their
    /// `TypeId`, `any` for the others (a generic function cannot ask a type more; give a
    /// precise signature with `#[xmlrpc_service]`).
    fn type_name() -> &'static str;
    /// Encodes the result.
    ///
    /// # Errors
    ///
    /// The function failed, or its value cannot be encoded.
    fn into_reply(self, call: &Call<'_>) -> Result<Reply, Fault>;
}

impl<T: Serialize + Send + 'static> Outcome<Plain> for T {
    fn type_name() -> &'static str {
        type_of_result::<T>()
    }

    fn into_reply(self, call: &Call<'_>) -> Result<Reply, Fault> {
        call.reply(&self)
    }
}

impl<T: Serialize + Send + 'static, E: Into<Fault> + Send> Outcome<Fallible> for Result<T, E> {
    fn type_name() -> &'static str {
        type_of_result::<T>()
    }

    fn into_reply(self, call: &Call<'_>) -> Result<Reply, Fault> {
        match self {
            Ok(v) => call.reply(&v),
            Err(e) => Err(crate::fault::application_fault(e.into())),
        }
    }
}

/// Whether a parameter type may be left out by the caller (an `Option`).
fn is_optional<T: DeserializeOwned>() -> bool {
    T::deserialize(serde::de::value::UnitDeserializer::<crate::Error>::new()).is_ok()
}

fn info_for(name: String, params: &[(&'static str, bool)], ret: &'static str) -> MethodInfo {
    let mut info = MethodInfo::new(name);
    let required = params
        .iter()
        .rposition(|(_, optional)| !optional)
        .map_or(0, |i| i + 1);
    for n in required..=params.len() {
        info = info.signature(std::iter::once(ret).chain(params[..n].iter().map(|(ty, _)| *ty)));
    }
    info.params = (1..=params.len())
        .map(|i| format!("arg{i}").into())
        .collect();
    info
}

macro_rules! handlers {
    ($($arg:ident),*) => {
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, R, M, $($arg,)*> Handler<(Plain, M, ($($arg,)*))> for F
        where
            F: Fn($($arg),*) -> R + Send + Sync + 'static,
            R: Outcome<M>,
            $($arg: DeserializeOwned + Send + 'static,)*
        {
            fn info(&self, name: String) -> MethodInfo {
                info_for(name, &[$((type_of::<$arg>(), is_optional::<$arg>())),*], R::type_name())
            }

            fn call<'a>(&'a self, mut call: Call<'a>) -> MethodFuture<'a> {
                let mut run = || {
                    let mut index = 0;
                    $(
                        let $arg: $arg = call.param(index, "", type_of::<$arg>())?;
                        index += 1;
                    )*
                    call.finish_params(index)?;
                    self($($arg),*).into_reply(&call)
                };
                MethodFuture::ready(run())
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, R, M, $($arg,)*> Handler<(Async<Fut>, M, ($($arg,)*))> for F
        where
            F: Fn($($arg),*) -> Fut + Send + Sync + 'static,
            Fut: Future<Output = R> + Send + 'static,
            R: Outcome<M>,
            $($arg: DeserializeOwned + Send + 'static,)*
        {
            fn info(&self, name: String) -> MethodInfo {
                info_for(name, &[$((type_of::<$arg>(), is_optional::<$arg>())),*], R::type_name())
            }

            fn call<'a>(&'a self, mut call: Call<'a>) -> MethodFuture<'a> {
                MethodFuture::new(async move {
                    let mut index = 0;
                    $(
                        let $arg: $arg = call.param(index, "", type_of::<$arg>())?;
                        index += 1;
                    )*
                    call.finish_params(index)?;
                    self($($arg),*).await.into_reply(&call)
                })
            }
        }
    };
}

handlers!();
handlers!(A1);
handlers!(A1, A2);
handlers!(A1, A2, A3);
handlers!(A1, A2, A3, A4);
handlers!(A1, A2, A3, A4, A5);
handlers!(A1, A2, A3, A4, A5, A6);
handlers!(A1, A2, A3, A4, A5, A6, A7);
handlers!(A1, A2, A3, A4, A5, A6, A7, A8);
