//! Plain functions and closures as methods: the Rust form of Python's `register_function`.
//!
//! [`Handler`] is implemented for the functions and closures that
//! [`Registry::function`](crate::Registry::function) accepts, and for the documented
//! functions of [`#[xmlrpc_function]`](crate::xmlrpc_function) ([`Function`]). The marker
//! types here only tell its implementations apart.
//!
//! A function's parameters are taken, in order, from:
//!
//! - the request's [`Context`], when the first parameter is `&Context`;
//! - the registry's state, for a parameter of type [`State<T>`] (see
//!   [`Registry::with_state`](crate::Registry::with_state));
//! - the call's XML-RPC parameters, for every other parameter (a `DeserializeOwned` type;
//!   trailing `Option`s may be left out by the caller).

use std::borrow::Cow;
use std::future::Future;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::fault::Fault;
use crate::service::call::Call;
use crate::service::context::Context;
use crate::service::reply::Reply;
use crate::service::{MethodFuture, MethodInfo};
use crate::signature::probe::{type_of, type_of_result};
use crate::signature::shape::{Shape, shape_of};

/// A function or closure that can be registered as a method with
/// [`Registry::function`](crate::Registry::function), on a registry whose state is `S`.
///
/// Implemented for `Fn`s of up to eight parameters, each a `DeserializeOwned` value read
/// from the call or a [`State<T>`] taken from the registry's state, optionally after a
/// first `&Context` parameter; returning a `Serialize` value or a `Result<T, E>` with
/// `E: Into<Fault>`, directly or from a future (an `async` block or `async fn`). And for
/// the documented functions of `#[xmlrpc_function]`, which may take `&Context` anywhere.
/// `M` is a marker that tells these cases apart; you never name it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be registered as an XML-RPC method on a registry whose state is `{S}`",
    note = "a method is a `Fn` whose parameters implement `DeserializeOwned` (or are `State<T>` with `T: FromRef<{S}>`, or a first `&Context`) and whose result implements `Serialize` (or is a `Result<T, E>` with `E: Into<Fault>`), returned directly or from a future"
)]
pub trait Handler<M, S = ()>: Send + Sync + 'static {
    /// The description of the method under `name`.
    fn info(&self, name: String) -> MethodInfo;

    /// Runs the method, with the registry's state.
    fn call<'a>(&'a self, call: Call<'a>, state: &'a S) -> MethodFuture<'a>;
}

/// A function made a method by [`#[xmlrpc_function]`](crate::xmlrpc_function): it knows its
/// method name, its help text, its parameters' names and its exact signature, so that
/// [`Registry::register`](crate::Registry::register) takes it alone.
///
/// The attribute implements it; there is no need to implement it by hand (a hand-written
/// [`Service`](crate::Service) is the general form).
///
/// ```
/// use xmlrpc::handler::Function;
/// use xmlrpc::xmlrpc_function;
///
/// /// Doubles a number.
/// #[xmlrpc_function(name = "math.double")]
/// fn double(x: i32) -> i32 { x * 2 }
///
/// assert_eq!(<double as Function>::NAME, "math.double");
/// let info = <double as Function>::info(&double, "math.double".into());
/// assert_eq!(info.help, "Doubles a number.");
/// assert_eq!(info.params, ["x"]);
/// assert_eq!(double(21), 42);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a documented XML-RPC function for a registry whose state is `{S}`",
    note = "put `#[xmlrpc::xmlrpc_function]` on the `fn`, register closures with `Registry::function(name, closure)`, and register a function taking `State<T>` on a registry whose state provides `T`"
)]
pub trait Function<S = ()>: Send + Sync + 'static {
    /// The method name it registers under: the function's name, or the attribute's
    /// `name = "..."`.
    const NAME: &'static str;

    /// The description of the method under `name`.
    fn info(&self, name: String) -> MethodInfo;

    /// Runs the method, with the registry's state.
    fn call<'a>(&'a self, call: Call<'a>, state: &'a S) -> MethodFuture<'a>;
}

/// Marks a documented [`Function`].
#[derive(Debug)]
pub struct Documented;

impl<S, F: Function<S>> Handler<Documented, S> for F {
    fn info(&self, name: String) -> MethodInfo {
        Function::info(self, name)
    }

    fn call<'a>(&'a self, call: Call<'a>, state: &'a S) -> MethodFuture<'a> {
        Function::call(self, call, state)
    }
}

/// Shared application state, taken from the registry's state by a function's parameter, as
/// axum's `State` extractor takes it from the router's.
///
/// A function that takes `State<T>` registers only on a registry whose state `S` provides
/// `T` (`T: FromRef<S>`): on [`Registry::new`](crate::Registry::new), whose state type is
/// inferred from the [`with_state`](crate::Registry::with_state) call that gives it. The
/// check happens when the function is registered, at compile time, as axum checks a
/// handler's state when it is routed.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use xmlrpc::{Context, Registry, State};
///
/// #[derive(Clone, Default)]
/// struct Counter(Arc<Mutex<i64>>);
///
/// let registry = Registry::new()
///     .function("bump", |State(counter): State<Counter>, by: i64| {
///         let mut n = counter.0.lock().unwrap();
///         *n += by;
///         *n
///     })
///     .with_state(Counter::default());
///
/// let call = xmlrpc::call_to_vec("bump", &(5,))?;
/// registry.handle_blocking(&call, &Context::new());
/// let answer = registry.handle_blocking(&call, &Context::new());
/// let n: xmlrpc::MethodResponse<i64> = xmlrpc::response_from_slice(&answer.body)?;
/// assert_eq!(n.into_result(), Ok(10));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A closure that asks for state the registry does not have is refused when it is
/// registered (the compiler's message names the closure and the registry's state type; the
/// ui tests show the same for `#[xmlrpc_function]`):
///
/// ```compile_fail,E0277
/// use xmlrpc::{Registry, State};
///
/// #[derive(Clone, Default)]
/// struct Store;
///
/// // `Registry` is `Registry<()>`: it has no `Store` to give.
/// fn with_count(registry: Registry) -> Registry {
///     registry.function("count", |State(_store): State<Store>| 0)
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State<T>(pub T);

impl<T> std::ops::Deref for State<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// How a part of the registry's state is taken from the whole, as axum's `FromRef`: a
/// function taking `State<T>` runs on a registry whose state is `S` when `T: FromRef<S>`.
///
/// Every `Clone` type is taken from itself. For an application state with several parts,
/// implement it once per part:
///
/// ```
/// use std::sync::{Arc, RwLock};
/// use xmlrpc::{FromRef, Registry, State};
///
/// #[derive(Clone, Default)]
/// struct Notes(Arc<RwLock<Vec<String>>>);
///
/// #[derive(Clone, Default)]
/// struct AppState { notes: Notes, name: &'static str }
///
/// impl FromRef<AppState> for Notes {
///     fn from_ref(state: &AppState) -> Notes { state.notes.clone() }
/// }
///
/// let registry = Registry::new()
///     .function("count", |State(notes): State<Notes>| notes.0.read().map_or(0, |n| n.len() as i32))
///     .function("name", |State(app): State<AppState>| app.name)
///     .with_state(AppState::default());
/// # let _ = registry;
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be taken from the registry's state `{S}`",
    label = "this function needs `{Self}` from the registry's state",
    note = "give the registry a state that provides it: `Registry::new().function(...).with_state(state)`, with `impl FromRef<{S}> for {Self}` when the state holds it as a part"
)]
pub trait FromRef<S> {
    /// Takes this part of the state.
    fn from_ref(state: &S) -> Self;
}

impl<T: Clone> FromRef<T> for T {
    fn from_ref(state: &T) -> T {
        state.clone()
    }
}

/// What a parameter of a function or closure is taken from: the call's next XML-RPC
/// parameter (any `DeserializeOwned` type), or the registry's state (a [`State<T>`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of an XML-RPC function on a registry whose state is `{S}`",
    note = "a parameter is read from the call (it implements `serde::Deserialize`), or is `State<T>` taken from the registry's state; `&Context` may come first"
)]
pub trait FromCall<S>: Sized + Send + 'static {
    /// The XML-RPC parameter this is, when it is one: its shape (for signatures and
    /// documentation pages), and whether the caller may leave it out.
    fn param() -> Option<(Shape, bool)>;

    /// Takes the value: reads parameter `index` (advancing it), or takes it from `state`.
    ///
    /// # Errors
    ///
    /// The fault [`Call::param`] gives for a missing or ill-typed parameter.
    fn from_call(call: &mut Call<'_>, index: &mut usize, state: &S) -> Result<Self, Fault>;
}

impl<S, T: DeserializeOwned + Send + 'static> FromCall<S> for T {
    fn param() -> Option<(Shape, bool)> {
        Some((shape_of::<T>(), is_optional::<T>()))
    }

    fn from_call(call: &mut Call<'_>, index: &mut usize, _state: &S) -> Result<Self, Fault> {
        let value = call.param(*index, "", type_of::<T>())?;
        *index += 1;
        Ok(value)
    }
}

#[diagnostic::do_not_recommend]
impl<S, T: FromRef<S> + Send + 'static> FromCall<S> for State<T> {
    fn param() -> Option<(Shape, bool)> {
        None
    }

    fn from_call(_call: &mut Call<'_>, _index: &mut usize, state: &S) -> Result<Self, Fault> {
        Ok(State(T::from_ref(state)))
    }
}

/// Help text and parameter names given by hand to a closure or an undocumented function,
/// for [`Registry::function_with`](crate::Registry::function_with).
///
/// ```
/// use xmlrpc::{MethodDoc, Registry};
///
/// let registry = Registry::new().function_with(
///     "add",
///     MethodDoc::new().help("Adds two integers.").params(["a", "b"]),
///     |a: i32, b: i32| a + b,
/// );
/// let info = registry.method_info("add").unwrap();
/// assert_eq!(info.help, "Adds two integers.");
/// assert_eq!(info.params, ["a", "b"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodDoc {
    pub(crate) help: Option<Cow<'static, str>>,
    pub(crate) params: Option<Vec<Cow<'static, str>>>,
}

impl MethodDoc {
    /// No help text, the parameters unnamed.
    pub fn new() -> Self {
        MethodDoc::default()
    }

    /// The help text, in Markdown (served by `system.methodHelp`, rendered on the
    /// documentation page).
    pub fn help(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(text.into());
        self
    }

    /// The names of the XML-RPC parameters, in order: one per parameter read from the
    /// call (a `&Context` or `State` parameter has none).
    pub fn params<I, N>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Cow<'static, str>>,
    {
        self.params = Some(names.into_iter().map(Into::into).collect());
        self
    }
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
/// Marks a function whose first parameter is `&Context`.
#[derive(Debug)]
pub struct WithContext<M>(PhantomData<M>);

/// What a function's result becomes: a reply or a fault.
pub trait Outcome<M>: Send {
    /// The success type's XML-RPC name, for signatures: the standard types by their
    /// `TypeId`, `any` for the others (a generic function cannot ask a type more; give a
    /// precise signature with `#[xmlrpc_function]`).
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
    T::deserialize(serde::de::value::UnitDeserializer::<crate::error::Error>::new()).is_ok()
}

/// The description of a function whose XML-RPC parameters are `params` (their shapes and
/// whether each may be left out), returning `ret`; the parameters named `arg1`, `arg2`, ...
fn info_for(name: String, params: &[Option<(Shape, bool)>], ret: &'static str) -> MethodInfo {
    let params: Vec<&(Shape, bool)> = params.iter().flatten().collect();
    let mut info = MethodInfo::new(name);
    let required = params
        .iter()
        .rposition(|(_, optional)| !optional)
        .map_or(0, |i| i + 1);
    for n in required..=params.len() {
        info = info.signature(
            std::iter::once(Cow::Borrowed(ret))
                .chain(params[..n].iter().map(|(shape, _)| shape.ty.clone())),
        );
    }
    info.params = (1..=params.len())
        .map(|i| format!("arg{i}").into())
        .collect();
    info.param_shapes = params.iter().map(|(shape, _)| shape.clone()).collect();
    info
}

macro_rules! handlers {
    ($($arg:ident),*) => {
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, R, M, S, $($arg,)*> Handler<(Plain, M, ($($arg,)*)), S> for F
        where
            F: Fn($($arg),*) -> R + Send + Sync + 'static,
            R: Outcome<M>,
            $($arg: FromCall<S>,)*
        {
            fn info(&self, name: String) -> MethodInfo {
                info_for(name, &[$($arg::param()),*], R::type_name())
            }

            fn call<'a>(&'a self, mut call: Call<'a>, state: &'a S) -> MethodFuture<'a> {
                let mut run = || {
                    let mut index = 0;
                    $(let $arg = $arg::from_call(&mut call, &mut index, state)?;)*
                    call.finish_params(index)?;
                    self($($arg),*).into_reply(&call)
                };
                MethodFuture::ready(run())
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, R, M, S, $($arg,)*> Handler<(Async<Fut>, M, ($($arg,)*)), S> for F
        where
            F: Fn($($arg),*) -> Fut + Send + Sync + 'static,
            Fut: Future<Output = R> + Send + 'static,
            R: Outcome<M>,
            S: Sync,
            $($arg: FromCall<S>,)*
        {
            fn info(&self, name: String) -> MethodInfo {
                info_for(name, &[$($arg::param()),*], R::type_name())
            }

            fn call<'a>(&'a self, mut call: Call<'a>, state: &'a S) -> MethodFuture<'a> {
                MethodFuture::new(async move {
                    let mut index = 0;
                    $(let $arg = $arg::from_call(&mut call, &mut index, state)?;)*
                    call.finish_params(index)?;
                    self($($arg),*).await.into_reply(&call)
                })
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, R, M, S, $($arg,)*> Handler<(WithContext<Plain>, M, ($($arg,)*)), S> for F
        where
            F: for<'c> Fn(&'c Context, $($arg),*) -> R + Send + Sync + 'static,
            R: Outcome<M>,
            $($arg: FromCall<S>,)*
        {
            fn info(&self, name: String) -> MethodInfo {
                info_for(name, &[$($arg::param()),*], R::type_name())
            }

            fn call<'a>(&'a self, mut call: Call<'a>, state: &'a S) -> MethodFuture<'a> {
                let mut run = || {
                    let mut index = 0;
                    $(let $arg = $arg::from_call(&mut call, &mut index, state)?;)*
                    call.finish_params(index)?;
                    self(call.context(), $($arg),*).into_reply(&call)
                };
                MethodFuture::ready(run())
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, R, M, S, $($arg,)*> Handler<(WithContext<Async<Fut>>, M, ($($arg,)*)), S> for F
        where
            F: for<'c> Fn(&'c Context, $($arg),*) -> Fut + Send + Sync + 'static,
            Fut: Future<Output = R> + Send + 'static,
            R: Outcome<M>,
            S: Sync,
            $($arg: FromCall<S>,)*
        {
            fn info(&self, name: String) -> MethodInfo {
                info_for(name, &[$($arg::param()),*], R::type_name())
            }

            fn call<'a>(&'a self, mut call: Call<'a>, state: &'a S) -> MethodFuture<'a> {
                MethodFuture::new(async move {
                    let mut index = 0;
                    $(let $arg = $arg::from_call(&mut call, &mut index, state)?;)*
                    call.finish_params(index)?;
                    self(call.context(), $($arg),*).await.into_reply(&call)
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
