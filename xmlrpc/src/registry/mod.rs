//! [`Registry`]: services and functions by name, and the `system.*` methods.

pub mod handler;
pub(crate) mod rt;
mod system;

use std::collections::HashMap;
use std::sync::Arc;

pub use handler::{Handler, Outcome};

use crate::fault::Fault;
use crate::message::CallReader;
use crate::ser::{Dialect, NilStyle, Serializer};
use crate::service::{Call, Context, Encoding, MethodFuture, MethodInfo, Reply, Service};
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
}

/// A plain function registered under a name.
trait Method: Send + Sync {
    fn call<'a>(&'a self, call: Call<'a>) -> MethodFuture<'a>;
}

struct FunctionMethod<H, M> {
    handler: H,
    _marker: std::marker::PhantomData<fn() -> M>,
}

impl<H: Handler<M>, M: 'static> Method for FunctionMethod<H, M> {
    fn call<'a>(&'a self, call: Call<'a>) -> MethodFuture<'a> {
        self.handler.call(call)
    }
}

/// Where a name leads.
#[derive(Clone)]
enum Target {
    Function(Arc<dyn Method>),
    /// A service, and the length of its mount prefix (with its dot) to strip.
    Service(Arc<dyn Service>, usize),
}

/// The methods a server answers: services from `#[xmlrpc_service]` or hand-written,
/// plain functions and closures, and the `system.*` methods.
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
/// let mut registry = Registry::new();
/// registry
///     .function("add", |a: i32, b: i32| a + b)?
///     .function("pow", |x: i64, y: u32| x.pow(y))?;
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
pub struct Registry {
    index: HashMap<String, Target, BuildNameHasher>,
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

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("methods", &self.method_names())
            .field("allow_none", &self.allow_none)
            .field("dialect", &self.dialect)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

/// A handled call: the response document and what a request log wants to know.
#[derive(Debug, Clone)]
pub struct Handled<'a> {
    /// The `methodResponse` document.
    pub body: Vec<u8>,
    /// The method called, when the request could be read that far; borrowed from the
    /// request when possible.
    pub method: Option<std::borrow::Cow<'a, str>>,
    /// The fault code, when the answer is a fault.
    pub fault_code: Option<i32>,
}

/// A fast hash for method names: the registry's keys are chosen by the application, not by
/// callers, so the flooding resistance of the default hasher buys nothing here, while a call
/// hashes its name on every request.
#[derive(Default, Clone, Copy)]
struct BuildNameHasher;

struct NameHasher(u64);

impl std::hash::BuildHasher for BuildNameHasher {
    type Hasher = NameHasher;
    fn build_hasher(&self) -> NameHasher {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        // FNV-1a.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.ends_with('.') && !name.contains("..")
}

impl Registry {
    /// An empty registry with introspection and multicall on, nil allowed, the default
    /// dialect and limits.
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
        if self.index.contains_key(name) || system::is_builtin(self, name) {
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
    /// let mut registry = Registry::new();
    /// registry
    ///     .function("getData", || "42")?
    ///     .function("greet", |name: String, title: Option<String>| {
    ///         format!("Hello, {}{name}", title.map(|t| t + " ").unwrap_or_default())
    ///     })?
    ///     .function("fetch", fetch)?;
    /// let info = registry.method_info("greet").unwrap();
    /// assert_eq!(info.signatures, [vec!["string", "string"], vec!["string", "string", "string"]]);
    /// # Ok::<(), xmlrpc::RegistryError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The name is taken, or malformed.
    pub fn function<M: 'static, H: Handler<M>>(
        &mut self,
        name: &str,
        handler: H,
    ) -> Result<&mut Self, RegistryError> {
        self.claim(name)?;
        self.functions.push(handler.info(name.to_owned()));
        let method: Arc<dyn Method> = Arc::new(FunctionMethod {
            handler,
            _marker: std::marker::PhantomData,
        });
        self.index.insert(name.to_owned(), Target::Function(method));
        Ok(self)
    }

    /// Registers a service's methods under their own names (Python's `register_instance`).
    ///
    /// # Errors
    ///
    /// One of its names is taken, or malformed.
    pub fn service<S: Service>(&mut self, service: S) -> Result<&mut Self, RegistryError> {
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
    /// let mut registry = Registry::new();
    /// registry.service_at("currentTime", Clock)?;
    /// assert!(registry.method_names().contains(&"currentTime.getCurrentTime".to_owned()));
    /// # Ok::<(), xmlrpc::RegistryError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The prefix is malformed, or one of the full names is taken.
    pub fn service_at<S: Service>(
        &mut self,
        prefix: &str,
        service: S,
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

    /// Turns the introspection methods on or off (Python's
    /// `register_introspection_functions`).
    pub fn introspection(&mut self, on: bool) -> &mut Self {
        self.introspection = on;
        self
    }

    /// Turns `system.multicall` on or off (Python's `register_multicall_functions`).
    pub fn multicall(&mut self, on: bool) -> &mut Self {
        self.multicall = on;
        self
    }

    /// Whether nil may be sent (Python's `allow_none`). When off, a method whose result
    /// holds `None` or `()` answers with fault [`Fault::INTERNAL_ERROR`] saying so, as
    /// Python answers "cannot marshal None unless allow_none is enabled".
    pub fn allow_none(&mut self, on: bool) -> &mut Self {
        self.allow_none = on;
        self
    }

    /// How replies write 64-bit integers and nil; see [`Dialect`]. Nil is refused
    /// whatever the dialect says when [`Registry::allow_none`] is off.
    pub fn dialect(&mut self, dialect: Dialect) -> &mut Self {
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
    /// let mut registry = Registry::new();
    /// registry
    ///     .function("price", || "5 € für Käse")?
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
    pub fn response_charset(&mut self, charset: Charset) -> &mut Self {
        self.charset = Some(charset);
        self
    }

    /// The limits requests are read with.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// The most calls one `system.multicall` may carry (1000 by default).
    pub fn max_multicall(&mut self, calls: usize) -> &mut Self {
        self.max_multicall = calls;
        self
    }

    /// The limits in force.
    pub fn request_limits(&self) -> Limits {
        self.limits
    }

    /// How replies are written.
    pub fn encoding(&self) -> Encoding {
        let mut dialect = self.dialect;
        if !self.allow_none {
            dialect.nil = NilStyle::Refuse;
        }
        if let Some(charset) = self.charset {
            dialect.charset = charset;
        }
        Encoding { dialect }
    }

    /// Every callable name, sorted, `system.*` included when switched on.
    pub fn method_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.index.keys().cloned().collect();
        names.extend(system::names(self).map(str::to_owned));
        names.sort();
        names
    }

    /// The description of method `name`, with its full name.
    pub fn method_info(&self, name: &str) -> Option<MethodInfo> {
        if let Some(info) = self.functions.iter().find(|m| m.name == name) {
            return Some(info.clone());
        }
        if let Some(info) = self
            .services
            .iter()
            .flat_map(|methods| methods.iter())
            .find(|m| m.name == name)
        {
            return Some(info.clone());
        }
        system::info(self, name)
    }

    /// Every method's description, sorted by name.
    pub fn methods(&self) -> Vec<MethodInfo> {
        self.method_names()
            .iter()
            .filter_map(|n| self.method_info(n))
            .collect()
    }

    /// Handles a request body: reads the call, runs the method and writes the response,
    /// which is a fault for anything that went wrong, from malformed XML to a panicking
    /// method. Never fails.
    pub async fn handle<'a>(&self, body: &'a [u8], context: &Context) -> Handled<'a> {
        let reader = match CallReader::from_slice_with_limits(body, self.limits) {
            Ok(reader) => reader,
            Err(e) => return self.fault_response(None, &e.to_fault()),
        };
        let method = reader.method_cow();
        let call = Call::new(reader, context, self.encoding());
        match self.dispatch(call, &method).await {
            Ok(reply) => Handled {
                body: reply.into_response(),
                method: Some(method),
                fault_code: None,
            },
            Err(fault) => self.fault_response(Some(method), &fault),
        }
    }

    /// [`Registry::handle`] on the current thread, for CGI scripts and tests. Methods that
    /// need a runtime (tokio timers or sockets) must be called through `handle` inside one.
    pub fn handle_blocking<'a>(&self, body: &'a [u8], context: &Context) -> Handled<'a> {
        rt::block_on(self.handle(body, context))
    }

    fn fault_response<'a>(
        &self,
        method: Option<std::borrow::Cow<'a, str>>,
        fault: &Fault,
    ) -> Handled<'a> {
        let mut ser = Serializer::with_dialect(Vec::with_capacity(256), self.encoding().dialect);
        let _infallible_on_vec = ser.fault(fault);
        Handled {
            body: ser.into_inner(),
            method,
            fault_code: Some(fault.code()),
        }
    }

    /// Finds the method of a call whose name, `name`, was read, and runs it; a panic in it
    /// becomes a fault.
    fn dispatch<'a>(
        &'a self,
        call: Call<'a>,
        name: &'a str,
    ) -> rt::CatchUnwind<'a, MethodFuture<'a>> {
        // Synchronous methods run right here, so a panic may come from this very call.
        let started = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match self.index.get(name) {
                Some(Target::Function(f)) => f.call(call),
                Some(Target::Service(s, strip)) => s.call(&name[*strip..], call),
                None => match system::lookup(self, name) {
                    Some(builtin) => builtin.run(self, call),
                    None => MethodFuture::ready(Err(Fault::method_not_found(name))),
                },
            }
        }));
        let run = started.unwrap_or_else(|payload| {
            MethodFuture::ready(Err(rt::panic_fault(name, payload.as_ref())))
        });
        rt::CatchUnwind::new(run, name)
    }

    /// Runs one call given as a name and `Value` parameters, as `system.multicall` does for
    /// each of its calls: the method reads its parameters from the values, and its reply
    /// is encoded without a document head, to go into the multicall's answer.
    async fn dispatch_values(
        &self,
        name: &str,
        params: &[crate::Value],
        context: &Context,
    ) -> Result<Reply, Fault> {
        let call = Call::from_values(name, params, context, self.encoding());
        self.dispatch(call, name).await
    }
}
