//! [`Registry`]: services and functions by name, and the `system.*` methods.

pub(crate) mod dispatch;
pub mod handler;
mod index;
pub(crate) mod rt;
pub(crate) mod system;

use std::collections::HashMap;
use std::sync::Arc;

use self::index::{Bound, BuildNameHasher, FunctionMethod, Method, Target};
use handler::Handler;
use handler::{Function, MethodDoc};

use crate::ser::dialect::Dialect;
use crate::service::{MethodInfo, Service};
use crate::xml::encoding::Charset;
use crate::xml::limits::Limits;

/// Why a registration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The name is taken already.
    #[error("method `{0}` is registered twice")]
    Duplicate(String),
    /// The name or prefix is empty or malformed.
    #[error(
        "invalid method name or prefix `{0}`: it must be non-empty, without leading, trailing or doubled dots"
    )]
    InvalidName(String),
    /// A [`MethodDoc`] names more or fewer parameters than the function reads from a call.
    #[error(
        "method `{method}` reads {expected} parameter(s) from a call, but {given} name(s) were given"
    )]
    ParamNames {
        /// The method.
        method: String,
        /// The parameters it reads.
        expected: usize,
        /// The names given.
        given: usize,
    },
}

/// The methods a server answers: services from `#[xmlrpc_service]` or hand-written,
/// documented functions from `#[xmlrpc_function]`, plain functions and closures, and the
/// `system.*` methods.
///
/// # State
///
/// `S` is the state the registry's functions still need, as in axum's `Router<S>`: a
/// function taking [`State<T>`](crate::State) registers only when `T: FromRef<S>`, and
/// [`Registry::with_state`] gives the state, making a `Registry` (`Registry<()>`) that can
/// be served. Without functions that take state, `S` is `()` throughout.
///
/// # Lookup
///
/// Every name is unique: registering a name twice is an error. A call is looked up among
/// the functions first, then among the services' listed methods, as Python's server does
/// with `register_function` before `register_instance`, then `system.*`.
///
/// # Settings
///
/// Like Python's server: introspection (`system.listMethods`, `system.methodHelp`,
/// `system.methodSignature`, plus `system.methodExist` and `system.getCapabilities`) and
/// multicall (`system.multicall`) are switches, on by default; [`Registry::allow_none`]
/// decides whether nil may be sent (on by default, unlike Python, because every peer reads
/// it); [`Registry::dialect`] how 64-bit integers are written; [`Registry::response_charset`]
/// the character encoding of responses (Python's `encoding`); [`Registry::limits`] what a
/// request may ask of the reader. Python's `use_builtin_types` has no counterpart: the Rust
/// types a method declares decide what it receives.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Context, MethodResponse, Registry};
///
/// let registry = Registry::new()
///     .function("add", |a: i32, b: i32| a + b)
///     .function("pow", |x: i64, y: u32| x.pow(y));
///
/// let request = xmlrpc::call_to_vec("add", &(2, 3))?;
/// let handled = registry.handle_blocking(&request, &Context::new());
/// let sum: MethodResponse<i32> = xmlrpc::response_from_slice(&handled.body)?;
/// assert_eq!(sum.into_result(), Ok(5));
/// assert_eq!(
///     registry.method_names(),
///     ["add", "pow", "system.getCapabilities", "system.listMethods", "system.methodExist",
///      "system.methodHelp", "system.methodSignature", "system.multicall"]
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Registry<S = ()> {
    index: HashMap<String, Target<S>, BuildNameHasher>,
    functions: Vec<MethodInfo>,
    /// The methods of the mounted services, with their full names.
    services: Vec<Vec<MethodInfo>>,
    introspection: bool,
    multicall: bool,
    allow_none: bool,
    dialect: Dialect,
    /// The charset of responses, when set apart from the dialect.
    charset: Option<Charset>,
    limits: Limits,
    max_multicall: usize,
}

impl<S> std::fmt::Debug for Registry<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut methods: Vec<&String> = self.index.keys().collect();
        methods.sort();
        f.debug_struct("Registry")
            .field("methods", &methods)
            .field("allow_none", &self.allow_none)
            .field("dialect", &self.dialect)
            .field("limits", &self.limits)
            .finish()
    }
}

impl<S: Send + Sync + 'static> Default for Registry<S> {
    fn default() -> Self {
        Registry::new()
    }
}

/// The panic of a refused registration, out of line.
#[cold]
#[track_caller]
fn refused(error: &RegistryError) -> ! {
    panic!("{error}")
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.ends_with('.') && !name.contains("..")
}

impl<S: Send + Sync + 'static> Registry<S> {
    /// An empty registry with introspection and multicall on, nil allowed, the default
    /// dialect and limits.
    ///
    /// Its state type `S` is inferred: `()` unless its functions take
    /// [`State`](crate::State), in which case [`Registry::with_state`] gives it.
    pub fn new() -> Self {
        Registry {
            index: HashMap::default(),
            functions: Vec::new(),
            services: Vec::new(),
            introspection: true,
            multicall: true,
            allow_none: true,
            dialect: Dialect::new(),
            charset: None,
            limits: Limits::default(),
            max_multicall: 1000,
        }
    }

    fn claim(&self, name: &str) -> Result<(), RegistryError> {
        if !valid_name(name) {
            return Err(RegistryError::InvalidName(name.to_owned()));
        }
        if self.index.contains_key(name) || system::is_reserved(name) {
            return Err(RegistryError::Duplicate(name.to_owned()));
        }
        Ok(())
    }

    /// Registers a function or closure as method `name` (Python's
    /// `register_function(f, name)`). Its parameters are read straight into its parameter
    /// types; trailing `Option` parameters may be left out by the caller.
    ///
    /// ```
    /// use xmlrpc::{Fault, Registry};
    ///
    /// async fn fetch(id: u32) -> Result<String, Fault> {
    ///     if id == 0 { Err(Fault::new(404, "no such record")) } else { Ok(format!("record {id}")) }
    /// }
    ///
    /// let registry = Registry::new()
    ///     .function("getData", || "42")
    ///     .function("greet", |name: String, title: Option<String>| {
    ///         format!("Hello, {}{name}", title.map(|t| t + " ").unwrap_or_default())
    ///     })
    ///     .function("fetch", fetch);
    /// let info = registry.method_info("greet").unwrap();
    /// assert_eq!(info.signatures, [vec!["string", "string"], vec!["string", "string", "string"]]);
    /// ```
    ///
    /// # Panics
    ///
    /// The name is taken or malformed: a mistake in the program, as axum's `Router::route`
    /// treats a conflicting route. Names read at run time go through
    /// [`Registry::try_function`].
    #[track_caller]
    pub fn function<M: 'static, H: Handler<M, S>>(mut self, name: &str, handler: H) -> Self {
        if let Err(e) = self.try_function(name, handler) {
            refused(&e);
        }
        self
    }

    /// [`Registry::function`] for a name that may be refused: a name read at run time, say.
    /// It keeps the registry, so that a loop can go on registering.
    ///
    /// ```
    /// use xmlrpc::{Registry, RegistryError};
    ///
    /// let mut registry = Registry::new();
    /// for name in ["ping", "pong", "ping"] {
    ///     match registry.try_function(name, || "ok") {
    ///         Ok(_) => {}
    ///         Err(RegistryError::Duplicate(name)) => assert_eq!(name, "ping"),
    ///         Err(other) => panic!("{other}"),
    ///     }
    /// }
    /// assert!(registry.method_info("pong").is_some());
    /// ```
    ///
    /// # Errors
    ///
    /// [`RegistryError::Duplicate`] when the name is taken, [`RegistryError::InvalidName`]
    /// when it is malformed.
    pub fn try_function<M: 'static, H: Handler<M, S>>(
        &mut self,
        name: &str,
        handler: H,
    ) -> Result<&mut Self, RegistryError> {
        self.try_function_with(name, MethodDoc::new(), handler)
    }

    /// [`Registry::function`] with help text and parameter names given by hand, for a
    /// closure or a function without `#[xmlrpc_function]`.
    ///
    /// ```
    /// use xmlrpc::{MethodDoc, Registry};
    ///
    /// let registry = Registry::new().function_with(
    ///     "greet",
    ///     MethodDoc::new().help("Greets `name`.").params(["name"]),
    ///     |name: String| format!("Hello, {name}!"),
    /// );
    /// assert_eq!(registry.method_info("greet").unwrap().params, ["name"]);
    /// ```
    ///
    /// # Panics
    ///
    /// As [`Registry::function`], and when `doc` names more or fewer parameters than the
    /// function reads from a call; [`Registry::try_function_with`] returns the error
    /// instead.
    #[track_caller]
    pub fn function_with<M: 'static, H: Handler<M, S>>(
        mut self,
        name: &str,
        doc: MethodDoc,
        handler: H,
    ) -> Self {
        if let Err(e) = self.try_function_with(name, doc, handler) {
            refused(&e);
        }
        self
    }

    /// [`Registry::function_with`], returning the error instead of panicking.
    ///
    /// # Errors
    ///
    /// As [`Registry::try_function`], and [`RegistryError::ParamNames`] when `doc` names
    /// more or fewer parameters than the function reads from a call.
    pub fn try_function_with<M: 'static, H: Handler<M, S>>(
        &mut self,
        name: &str,
        doc: MethodDoc,
        handler: H,
    ) -> Result<&mut Self, RegistryError> {
        self.claim(name)?;
        let mut info = handler.info(name.to_owned());
        if let Some(params) = doc.params {
            if params.len() != info.params.len() {
                return Err(RegistryError::ParamNames {
                    method: name.to_owned(),
                    expected: info.params.len(),
                    given: params.len(),
                });
            }
            info.params = params;
        }
        if let Some(help) = doc.help {
            info.help = help;
        }
        self.functions.push(info);
        let method: Arc<dyn Method<S>> = Arc::new(FunctionMethod {
            handler,
            _marker: std::marker::PhantomData,
        });
        self.index.insert(name.to_owned(), Target::Function(method));
        Ok(self)
    }

    /// Registers a documented function under its own name: a `fn` with
    /// [`#[xmlrpc_function]`](crate::xmlrpc_function), whose `///` comment is its help and
    /// whose parameter names and types make its signature (Python's `register_function(f)`,
    /// which takes the name and docstring from `f`).
    ///
    /// ```
    /// use xmlrpc::{Fault, Registry, xmlrpc_function};
    ///
    /// /// Returns `x` to the power `y`.
    /// #[xmlrpc_function]
    /// fn pow(x: i64, y: u32) -> Result<i64, Fault> {
    ///     x.checked_pow(y).ok_or_else(|| Fault::new(1, "too large"))
    /// }
    ///
    /// let registry = Registry::new().register(pow);
    /// let info = registry.method_info("pow").unwrap();
    /// assert_eq!(info.help, "Returns `x` to the power `y`.");
    /// assert_eq!(info.params, ["x", "y"]);
    /// assert_eq!(info.signatures, [vec!["i8", "i8", "i8"]]);
    /// // It is still a function.
    /// assert_eq!(pow(2, 10), Ok(1024));
    /// ```
    ///
    /// Under another name, it keeps its documentation: `.function("power", pow)`.
    ///
    /// # Panics
    ///
    /// Its name is taken; [`Registry::try_register`] returns the error instead.
    #[track_caller]
    pub fn register<F: Function<S>>(mut self, function: F) -> Self {
        if let Err(e) = self.try_register(function) {
            refused(&e);
        }
        self
    }

    /// [`Registry::register`], returning the error instead of panicking.
    ///
    /// # Errors
    ///
    /// [`RegistryError::Duplicate`] when its name is taken.
    pub fn try_register<F: Function<S>>(
        &mut self,
        function: F,
    ) -> Result<&mut Self, RegistryError> {
        self.try_function(F::NAME, function)
    }

    /// Gives the registry the state its functions take as [`State<T>`](crate::State),
    /// making a registry that can be served, as axum's `Router::with_state` does.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use xmlrpc::{Context, Endpoint, Registry, State};
    ///
    /// #[derive(Clone, Default)]
    /// struct Hits(Arc<AtomicU64>);
    ///
    /// let registry = Registry::new()
    ///     .function("hit", |State(hits): State<Hits>| hits.0.fetch_add(1, Ordering::SeqCst) + 1)
    ///     .with_state(Hits::default());
    /// let endpoint = Endpoint::new(registry);
    /// # let _ = endpoint;
    /// ```
    pub fn with_state(self, state: S) -> Registry {
        let state = Arc::new(state);
        let index = self
            .index
            .into_iter()
            .map(|(name, target)| {
                let target = match target {
                    Target::Function(method) => {
                        let bound: Arc<dyn Method<()>> = Arc::new(Bound {
                            method,
                            state: Arc::clone(&state),
                        });
                        Target::Function(bound)
                    }
                    Target::Service(service, strip) => Target::Service(service, strip),
                };
                (name, target)
            })
            .collect();
        Registry {
            index,
            functions: self.functions,
            services: self.services,
            introspection: self.introspection,
            multicall: self.multicall,
            allow_none: self.allow_none,
            dialect: self.dialect,
            charset: self.charset,
            limits: self.limits,
            max_multicall: self.max_multicall,
        }
    }

    /// Registers a service's methods under their own names (Python's `register_instance`).
    ///
    /// # Panics
    ///
    /// One of its names is taken or malformed; [`Registry::try_service`] returns the error
    /// instead.
    #[track_caller]
    pub fn service<T: Service>(mut self, service: T) -> Self {
        if let Err(e) = self.try_service(service) {
            refused(&e);
        }
        self
    }

    /// [`Registry::service`], returning the error instead of panicking.
    ///
    /// # Errors
    ///
    /// One of its names is taken, or malformed.
    pub fn try_service<T: Service>(&mut self, service: T) -> Result<&mut Self, RegistryError> {
        self.mount(String::new(), Arc::new(service))
    }

    /// Registers a service's methods under `prefix.` (`prefix.method`), the way Python's
    /// dotted names put `getCurrentTime` under `currentTime`.
    ///
    /// ```
    /// use xmlrpc::{Registry, Service};
    /// # use xmlrpc::{Call, Fault, MethodFuture, MethodInfo};
    /// # struct Clock;
    /// # impl Service for Clock {
    /// #     fn methods(&self) -> Vec<MethodInfo> { vec![MethodInfo::new("getCurrentTime")] }
    /// #     fn call<'a>(&'a self, m: &'a str, call: Call<'a>) -> MethodFuture<'a> {
    /// #         MethodFuture::ready(call.reply(&xmlrpc::DateTime::now()))
    /// #     }
    /// # }
    /// let registry = Registry::new().service_at("currentTime", Clock);
    /// assert!(registry.method_names().contains(&"currentTime.getCurrentTime".to_owned()));
    /// ```
    ///
    /// # Panics
    ///
    /// The prefix is malformed, or one of the full names is taken;
    /// [`Registry::try_service_at`] returns the error instead.
    #[track_caller]
    pub fn service_at<T: Service>(mut self, prefix: &str, service: T) -> Self {
        if let Err(e) = self.try_service_at(prefix, service) {
            refused(&e);
        }
        self
    }

    /// [`Registry::service_at`], returning the error instead of panicking.
    ///
    /// # Errors
    ///
    /// The prefix is malformed, or one of the full names is taken.
    pub fn try_service_at<T: Service>(
        &mut self,
        prefix: &str,
        service: T,
    ) -> Result<&mut Self, RegistryError> {
        if !valid_name(prefix) {
            return Err(RegistryError::InvalidName(prefix.to_owned()));
        }
        self.mount(format!("{prefix}."), Arc::new(service))
    }

    fn mount(
        &mut self,
        prefix: String,
        service: Arc<dyn Service>,
    ) -> Result<&mut Self, RegistryError> {
        let mut methods = service.methods();
        let mut seen = std::collections::HashSet::new();
        for m in &mut methods {
            let full = format!("{prefix}{}", m.name);
            self.claim(&full)?;
            if !seen.insert(full.clone()) {
                return Err(RegistryError::Duplicate(full));
            }
            m.name = full.into();
        }
        for m in &methods {
            self.index.insert(
                m.name.to_string(),
                Target::Service(Arc::clone(&service), prefix.len()),
            );
        }
        self.services.push(methods);
        Ok(self)
    }

    /// Whether the introspection methods answer (on by default; Python's
    /// `register_introspection_functions`): `system.listMethods`, `system.methodHelp`,
    /// `system.methodSignature`, `system.methodExist` and `system.getCapabilities`.
    pub fn introspection_enabled(mut self, on: bool) -> Self {
        self.introspection = on;
        self
    }

    /// Whether `system.multicall` answers (on by default; Python's
    /// `register_multicall_functions`).
    pub fn multicall_enabled(mut self, on: bool) -> Self {
        self.multicall = on;
        self
    }

    /// Whether nil may be sent (Python's `allow_none`). When off, a method whose result
    /// holds `None` or `()` answers with fault [`Fault::INTERNAL_ERROR`](crate::Fault::INTERNAL_ERROR) saying so, as
    /// Python answers "cannot marshal None unless allow_none is enabled".
    pub fn allow_none(mut self, on: bool) -> Self {
        self.allow_none = on;
        self
    }

    /// How replies write 64-bit integers and nil; see [`Dialect`]. Nil is refused
    /// whatever the dialect says when [`Registry::allow_none`] is off.
    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// The character encoding of responses, as Python's `SimpleXMLRPCServer(encoding=...)`
    /// sets it: UTF-8 by default. In a single-byte charset, characters it cannot hold are
    /// written as character references and the XML declaration names the charset; every
    /// XML-RPC client reads such a response back to the same strings. This setting wins
    /// over the charset of [`Registry::dialect`], whichever is set first.
    ///
    /// ```
    /// use xmlrpc::{Charset, Context, Registry};
    ///
    /// let registry = Registry::new()
    ///     .function("price", || "5 € für Käse")
    ///     .response_charset(Charset::ISO_8859_1);
    /// let request = xmlrpc::call_to_vec("price", &())?;
    /// let body = registry.handle_blocking(&request, &Context::new()).body;
    /// assert!(body.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
    /// let text = b"5 &#8364; f\xfcr K\xe4se";
    /// assert!(body.windows(text.len()).any(|w| w == text));
    /// let answer: xmlrpc::MethodResponse<String> = xmlrpc::response_from_slice(&body)?;
    /// assert_eq!(answer.into_result().unwrap(), "5 € für Käse");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn response_charset(mut self, charset: Charset) -> Self {
        self.charset = Some(charset);
        self
    }

    /// The limits requests are read with.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The most calls one `system.multicall` may carry (1000 by default).
    pub fn max_multicall(mut self, calls: usize) -> Self {
        self.max_multicall = calls;
        self
    }
}
