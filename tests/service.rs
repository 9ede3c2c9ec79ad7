//! `#[xmlrpc_service]` and the registry, in process: calls go in as bytes, responses come
//! out as bytes and are checked, faults included.

use serde::{Deserialize, Serialize};
use xmlrpc::{Context, Fault, MethodResponse, Registry, RegistryError, Value, xmlrpc_service};

/// The calculator of Python's `xmlrpc.server` documentation.
pub struct Calculator;

#[derive(Debug)]
pub struct DivideByZero;

impl From<DivideByZero> for Fault {
    fn from(_: DivideByZero) -> Fault {
        Fault::new(1, "division by zero")
    }
}

#[xmlrpc_service]
impl Calculator {
    /// Adds two integers.
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }

    /// Raises `x` to the power `y`.
    pub fn pow(&self, x: f64, y: f64) -> f64 {
        x.powf(y)
    }

    /// Multiplies, asynchronously.
    pub async fn mul(&self, x: i64, y: i64) -> i64 {
        x * y
    }

    /// Divides; dividing by zero is a fault.
    pub fn div(&self, x: i32, y: i32) -> Result<i32, DivideByZero> {
        if y == 0 { Err(DivideByZero) } else { Ok(x / y) }
    }

    /// Greets, with an optional title.
    #[xmlrpc(name = "greet.person")]
    pub fn greet(&self, name: &str, title: Option<String>) -> String {
        match title {
            Some(t) => format!("Hello, {t} {name}"),
            None => format!("Hello, {name}"),
        }
    }

    /// Says who is asking.
    pub fn whoami(&self, ctx: &Context) -> String {
        ctx.header("x-user").unwrap_or("anonymous").to_owned()
    }

    /// Panics.
    pub fn boom(&self) -> i32 {
        panic!("kaboom")
    }

    /// Returns nothing.
    pub fn nothing(&self) {}

    /// Pretends to be the protocol.
    pub fn impostor(&self) -> Result<i32, Fault> {
        Err(Fault::new_unchecked(-32601, "not really"))
    }

    #[xmlrpc(skip)]
    pub fn hidden(&self) -> i32 {
        0
    }

    #[allow(dead_code)]
    fn private_helper(&self) -> i32 {
        1
    }

    #[xmlrpc(name = "名前.überall")]
    fn unicode(&self) -> &'static str {
        "ok"
    }

    /// A constructor is left alone.
    #[allow(clippy::new_without_default)] // the point is a constructor the macro ignores
    pub fn new() -> Self {
        Calculator
    }
}

pub struct Clock;

#[xmlrpc_service(namespace = "currentTime", rename_all = "camelCase")]
impl Clock {
    /// Returns the current time.
    pub fn get_current_time(&self) -> xmlrpc::DateTime {
        xmlrpc::DateTime::now()
    }
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
pub struct Book {
    pub title: String,
    pub pages: u32,
}

pub struct Library;

#[xmlrpc_service]
impl Library {
    /// Echoes a book.
    pub fn echo(&self, book: Book) -> Book {
        book
    }

    /// Lists books.
    pub fn list(&self, n: Option<u8>) -> Vec<Book> {
        (0..n.unwrap_or(1))
            .map(|i| Book {
                title: format!("b{i}"),
                pages: i.into(),
            })
            .collect()
    }
}

/// What `system.listMethods` answers for [`registry`], written out: sorted, with the
/// attribute names and namespaces applied and the private and skipped methods left out.
const ALL_METHODS: [&str; 20] = [
    "add",
    "boom",
    "currentTime.getCurrentTime",
    "div",
    "getData",
    "greet.person",
    "impostor",
    "lib.echo",
    "lib.list",
    "mul",
    "nothing",
    "pow",
    "system.getCapabilities",
    "system.listMethods",
    "system.methodExist",
    "system.methodHelp",
    "system.methodSignature",
    "system.multicall",
    "whoami",
    "名前.überall",
];

fn registry() -> Registry {
    Registry::new()
        .service(Calculator)
        .service(Clock)
        .service_at("lib", Library)
        .function("getData", || "42")
}

fn call<P: Serialize + ?Sized>(r: &Registry, method: &str, params: &P) -> MethodResponse<Value> {
    let body = xmlrpc::call_to_vec(method, params).unwrap();
    let handled = r.handle_blocking(&body, &Context::new());
    xmlrpc::response_from_slice(&handled.body).unwrap()
}

fn fault_of(r: MethodResponse<Value>) -> Fault {
    match r {
        MethodResponse::Fault(f) => f,
        MethodResponse::Value(v) => panic!("expected a fault, got {v}"),
    }
}

fn value_of(r: MethodResponse<Value>) -> Value {
    r.into_result().unwrap()
}

#[test]
fn python_documentation_examples() {
    let r = registry();
    assert_eq!(value_of(call(&r, "pow", &(2.0, 3.0))), Value::Double(8.0));
    assert_eq!(value_of(call(&r, "add", &(2, 3))), Value::Int(5));
    assert_eq!(value_of(call(&r, "mul", &(5, 2))), Value::Int(10));
    assert_eq!(value_of(call(&r, "getData", &())), Value::from("42"));
    assert!(
        value_of(call(&r, "currentTime.getCurrentTime", &()))
            .as_datetime()
            .is_some()
    );
}

#[test]
fn names_follow_attributes_and_visibility() {
    let r = registry();
    let listed: Vec<String> = xmlrpc::response_from_slice::<Vec<String>>(
        &r.handle_blocking(
            &xmlrpc::call_to_vec("system.listMethods", &()).unwrap(),
            &Context::new(),
        )
        .body,
    )
    .unwrap()
    .into_result()
    .unwrap();
    assert_eq!(listed, ALL_METHODS);
    assert_eq!(r.method_names(), ALL_METHODS);
    for absent in ["hidden", "private_helper", "new", "greet"] {
        assert!(!listed.contains(&absent.to_owned()), "{absent} exposed");
    }
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    assert_eq!(value_of(call(&r, "名前.überall", &())), Value::from("ok"));
}

#[test]
fn help_comes_from_doc_comments() {
    let r = registry();
    assert_eq!(
        value_of(call(&r, "system.methodHelp", &("add",))),
        Value::from("Adds two integers.")
    );
    assert_eq!(
        value_of(call(&r, "system.methodHelp", &("getData",))),
        Value::from("")
    );
    let f = fault_of(call(&r, "system.methodHelp", &("nope",)));
    assert_eq!(f.code(), Fault::INVALID_PARAMS);
}

#[test]
fn signatures_come_from_rust_types() {
    let r = registry();
    let sig = |name: &str| value_of(call(&r, "system.methodSignature", &(name,))).to_string();
    assert_eq!(sig("add"), r#"[["int", "int", "int"]]"#);
    assert_eq!(sig("pow"), r#"[["double", "double", "double"]]"#);
    assert_eq!(sig("mul"), r#"[["i8", "i8", "i8"]]"#);
    assert_eq!(sig("div"), r#"[["int", "int", "int"]]"#);
    assert_eq!(
        sig("greet.person"),
        r#"[["string", "string"], ["string", "string", "string"]]"#
    );
    assert_eq!(sig("whoami"), r#"[["string"]]"#);
    assert_eq!(sig("nothing"), r#"[["nil"]]"#);
    assert_eq!(sig("lib.echo"), r#"[["struct", "struct"]]"#);
    assert_eq!(sig("lib.list"), r#"[["array"], ["array", "int"]]"#);
    assert_eq!(
        sig("currentTime.getCurrentTime"),
        r#"[["dateTime.iso8601"]]"#
    );
    assert_eq!(sig("getData"), r#"[["string"]]"#);
    assert_eq!(sig("system.multicall"), r#"[["array", "array"]]"#);
}

#[test]
fn trailing_options_may_be_left_out() {
    let r = registry();
    assert_eq!(
        value_of(call(&r, "greet.person", &("Ada",))),
        Value::from("Hello, Ada")
    );
    assert_eq!(
        value_of(call(&r, "greet.person", &("Ada", "Dr."))),
        Value::from("Hello, Dr. Ada")
    );
    assert_eq!(
        value_of(call(&r, "greet.person", &("Ada", ()))),
        Value::from("Hello, Ada")
    );
    assert_eq!(
        value_of(call(&r, "lib.list", &()))
            .as_array()
            .map(<[Value]>::len),
        Some(1)
    );
    assert_eq!(
        value_of(call(&r, "lib.list", &(3,)))
            .as_array()
            .map(<[Value]>::len),
        Some(3)
    );
}

#[test]
fn bad_params_name_the_method_the_parameter_and_the_types() {
    let r = registry();
    let f = fault_of(call(&r, "add", &(1, "two")));
    assert_eq!(f.code(), Fault::INVALID_PARAMS);
    assert!(
        f.string()
            .starts_with("parameter 2 `b` of add: expected int, found string at params[1]"),
        "{}",
        f.string()
    );
    let f = fault_of(call(&r, "add", &(1,)));
    assert_eq!(f.string(), "add: missing parameter 2 `b` (int); 1 given");
    let f = fault_of(call(&r, "add", &(1, 2, 3)));
    assert_eq!(f.string(), "add takes 2 parameters, 3 given");
    let f = fault_of(call(
        &r,
        "lib.echo",
        &(Value::Struct(
            [("title", Value::from(1))].into_iter().collect(),
        ),),
    ));
    assert!(
        f.string().starts_with(
            "parameter 1 `book` of lib.echo: expected string, found int at params[0].title"
        ),
        "{}",
        f.string()
    );
    let f = fault_of(call(&r, "getData", &(1,)));
    assert_eq!(f.string(), "getData takes 0 parameters, 1 given");
}

#[test]
fn faults_unknown_methods_panics_and_application_errors() {
    let r = registry();
    let f = fault_of(call(&r, "nope.nothing", &()));
    assert_eq!(
        (f.code(), f.string()),
        (
            Fault::METHOD_NOT_FOUND,
            "method `nope.nothing` is not supported"
        )
    );
    let f = fault_of(call(&r, "boom", &()));
    assert_eq!(
        (f.code(), f.string()),
        (Fault::INTERNAL_ERROR, "method boom panicked: kaboom")
    );
    // The registry goes on serving after a panic.
    assert_eq!(value_of(call(&r, "add", &(1, 1))), Value::Int(2));
    let f = fault_of(call(&r, "div", &(1, 0)));
    assert_eq!((f.code(), f.string()), (1, "division by zero"));
    let f = fault_of(call(&r, "impostor", &()));
    assert_eq!(
        (f.code(), f.string()),
        (Fault::APPLICATION_ERROR, "[-32601] not really")
    );
    let handled = r.handle_blocking(b"<methodCall><methodName>add", &Context::new());
    assert_eq!(handled.fault_code, Some(Fault::PARSE_ERROR));
    let handled = r.handle_blocking(
        b"<?xml version='1.0' encoding='x-nope'?><methodCall/>",
        &Context::new(),
    );
    assert_eq!(handled.fault_code, Some(Fault::UNSUPPORTED_ENCODING));
}

#[test]
fn methods_read_the_request_context() {
    let r = registry();
    let mut ctx = Context::new();
    ctx.headers_mut().insert("x-user", "ada".parse().unwrap());
    let body = xmlrpc::call_to_vec("whoami", &()).unwrap();
    let handled = r.handle_blocking(&body, &ctx);
    let who: MethodResponse<String> = xmlrpc::response_from_slice(&handled.body).unwrap();
    assert_eq!(who.into_result().unwrap(), "ada");
    assert_eq!(value_of(call(&r, "whoami", &())), Value::from("anonymous"));
}

#[test]
fn multicall_runs_each_call_and_isolates_faults() {
    let r = registry();
    let calls = vec![
        Value::Struct(
            [
                ("methodName", Value::from("getData")),
                ("params", Value::Array(vec![])),
            ]
            .into_iter()
            .collect(),
        ),
        Value::Struct(
            [
                ("methodName", Value::from("pow")),
                ("params", Value::from(vec![2.0, 9.0])),
            ]
            .into_iter()
            .collect(),
        ),
        Value::Struct(
            [
                ("methodName", Value::from("div")),
                ("params", Value::from(vec![1, 0])),
            ]
            .into_iter()
            .collect(),
        ),
        Value::Struct(
            [
                ("methodName", Value::from("system.multicall")),
                ("params", Value::Array(vec![Value::Array(vec![])])),
            ]
            .into_iter()
            .collect(),
        ),
        Value::Struct(
            [
                ("methodName", Value::from("add")),
                ("params", Value::from(vec![1, 2])),
            ]
            .into_iter()
            .collect(),
        ),
        Value::from("not a struct"),
    ];
    let out = value_of(call(&r, "system.multicall", &(calls,)));
    assert_eq!(
        out.to_string(),
        r#"[["42"], [512.0], {faultCode: 1, faultString: "division by zero"}, {faultCode: -32600, faultString: "system.multicall: a nested system.multicall is not allowed"}, [3], {faultCode: -32602, faultString: "system.multicall: each call must be a struct, found string"}]"#
    );
    let small = registry().max_multicall(1);
    let two = vec![
        Value::Struct(
            [("methodName", Value::from("getData"))]
                .into_iter()
                .collect()
        );
        2
    ];
    let f = fault_of(call(&small, "system.multicall", &(two,)));
    assert_eq!(
        (f.code(), f.string()),
        (
            Fault::LIMIT_EXCEEDED,
            "system.multicall: 2 calls exceed the limit of 1"
        )
    );
}

#[test]
fn capabilities_and_method_exist() {
    let r = registry();
    let caps = value_of(call(&r, "system.getCapabilities", &()));
    for key in ["faults_interop", "introspect", "multicall", "nil", "i8"] {
        assert!(caps[key]["specUrl"].as_str().is_some(), "{key}: {caps}");
    }
    assert_eq!(caps["faults_interop"]["specVersion"], Value::Int(20010516));
    assert_eq!(
        value_of(call(&r, "system.methodExist", &("add",))),
        Value::Bool(true)
    );
    assert_eq!(
        value_of(call(&r, "system.methodExist", &("sub",))),
        Value::Bool(false)
    );
}

#[test]
fn system_methods_can_be_switched_off() {
    let mut r = registry()
        .introspection_enabled(false)
        .multicall_enabled(false);
    assert_eq!(
        fault_of(call(&r, "system.listMethods", &())).code(),
        Fault::METHOD_NOT_FOUND
    );
    assert_eq!(
        fault_of(call(&r, "system.multicall", &(Vec::<Value>::new(),))).code(),
        Fault::METHOD_NOT_FOUND
    );
    let without_system: Vec<&str> = ALL_METHODS
        .into_iter()
        .filter(|n| !n.starts_with("system."))
        .collect();
    assert_eq!(r.method_names(), without_system);
    // Switched off or not, the names stay the registry's: the same list the macro checks.
    assert_eq!(
        r.try_function("system.listMethods", || vec!["mine"]).err(),
        Some(RegistryError::Duplicate("system.listMethods".into()))
    );
}

#[test]
fn allow_none_off_refuses_nil_results() {
    let r = registry();
    assert_eq!(value_of(call(&r, "nothing", &())), Value::Nil);
    let r = r.allow_none(false);
    let f = fault_of(call(&r, "nothing", &()));
    assert_eq!(f.code(), Fault::INTERNAL_ERROR);
    assert!(f.string().contains("allow_none is off"), "{}", f.string());
    let caps = value_of(call(&r, "system.getCapabilities", &()));
    assert!(caps.get("nil").is_none());
}

#[test]
fn registrations_reject_duplicates_and_bad_names() {
    let mut r = registry();
    let duplicate = |name: &str| Some(RegistryError::Duplicate(name.to_owned()));
    let invalid = |name: &str| Some(RegistryError::InvalidName(name.to_owned()));
    let err = r.try_function("add", || 1).err();
    assert_eq!(err, duplicate("add"));
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("method `add` is registered twice")
    );
    assert_eq!(r.try_service(Calculator).err(), duplicate("add"));
    assert_eq!(
        r.try_service_at("lib", Library).err(),
        duplicate("lib.echo")
    );
    assert!(r.try_service_at("lib2", Library).is_ok());
    assert_eq!(r.try_function("", || 1).err(), invalid(""));
    assert_eq!(r.try_function(".x", || 1).err(), invalid(".x"));
    assert_eq!(r.try_service_at("a..b", Library).err(), invalid("a..b"));
    assert_eq!(
        r.try_function("system.multicall", || 1).err(),
        duplicate("system.multicall")
    );
    // What was refused left the registry as it was.
    assert_eq!(value_of(call(&r, "add", &(1, 2))), Value::Int(3));
}

#[test]
#[should_panic(expected = "method `add` is registered twice")]
fn the_builder_panics_on_a_duplicate_name() {
    let _ = registry().function("add", || 1);
}

#[test]
#[should_panic(expected = "invalid method name or prefix `a..b`")]
fn the_builder_panics_on_a_malformed_prefix() {
    let _: Registry = Registry::new().service_at("a..b", Library);
}

#[test]
fn functions_and_closures_sync_and_async() {
    async fn fetch(id: u32) -> Result<String, Fault> {
        if id == 0 {
            Err(Fault::new(404, "no such record"))
        } else {
            Ok(format!("record {id}"))
        }
    }
    fn double(x: i32) -> i32 {
        x * 2
    }
    let offset = 10;
    let r = Registry::new()
        .function("double", double)
        .function("offset", move |x: i32| x + offset)
        .function("fetch", fetch)
        .function("later", |x: i32| async move { x + 1 })
        .function("book", |title: String| Book { title, pages: 1 });
    assert_eq!(value_of(call(&r, "double", &(4,))), Value::Int(8));
    assert_eq!(value_of(call(&r, "offset", &(4,))), Value::Int(14));
    assert_eq!(value_of(call(&r, "fetch", &(7,))), Value::from("record 7"));
    assert_eq!(
        fault_of(call(&r, "fetch", &(0,))).string(),
        "no such record"
    );
    assert_eq!(value_of(call(&r, "later", &(1,))), Value::Int(2));
    assert_eq!(value_of(call(&r, "book", &("t",)))["pages"], Value::Int(1));
    // A closure's own result type is known only as `Serialize`: `any`, never a guess.
    let sig = value_of(call(&r, "system.methodSignature", &("book",))).to_string();
    assert_eq!(sig, r#"[["any", "string"]]"#);
    let sig = value_of(call(&r, "system.methodSignature", &("fetch",))).to_string();
    assert_eq!(sig, r#"[["string", "i8"]]"#);
}

pub struct Dynamic;

/// A hand-written dispatcher, as Python's `_dispatch`.
impl xmlrpc::Service for Dynamic {
    fn methods(&self) -> Vec<xmlrpc::MethodInfo> {
        vec![
            xmlrpc::MethodInfo::new("sum")
                .signature(["int", "array"])
                .help("Sums its parameters."),
        ]
    }

    fn call<'a>(&'a self, method: &'a str, mut call: xmlrpc::Call<'a>) -> xmlrpc::MethodFuture<'a> {
        xmlrpc::MethodFuture::new(async move {
            match method {
                "sum" => {
                    let numbers: Vec<i64> = call.all_params()?;
                    call.reply(&numbers.iter().sum::<i64>())
                }
                other => Err(Fault::method_not_found(other)),
            }
        })
    }
}

#[test]
fn hand_written_services_dispatch_like_python() {
    let r = Registry::new().service_at("dyn", Dynamic);
    assert_eq!(value_of(call(&r, "dyn.sum", &(1, 2, 3))), Value::Int(6));
    assert_eq!(
        value_of(call(&r, "system.methodHelp", &("dyn.sum",))),
        Value::from("Sums its parameters.")
    );
    assert!(
        fault_of(call(&r, "dyn.sum", &("x",)))
            .string()
            .starts_with("invalid parameters of dyn.sum: expected int, found string")
    );
}

#[test]
fn typed_client_calls_the_registry_in_process() {
    let r = registry();
    let calc = CalculatorClient::new(&r);
    xmlrpc::__private::block_on(async {
        assert_eq!(calc.add(2, 3).await.unwrap(), 5);
        assert_eq!(calc.mul(5, 2).await.unwrap(), 10);
        assert_eq!(calc.greet("Ada", None).await.unwrap(), "Hello, Ada");
        assert_eq!(calc.unicode().await.unwrap(), "ok");
        let err = calc.div(1, 0).await.unwrap_err();
        assert_eq!(err.fault().map(Fault::code), Some(1));
        calc.nothing().await.unwrap();
        let book = Book {
            title: "t".into(),
            pages: 2,
        };
        // Mounted under a prefix, the service's names need it.
        let unprefixed = LibraryClient::new(&r);
        assert_eq!(
            unprefixed
                .echo(book.clone())
                .await
                .unwrap_err()
                .fault()
                .map(Fault::code),
            Some(Fault::METHOD_NOT_FOUND)
        );
        let lib = LibraryClient::with_prefix(&r, "lib");
        assert_eq!(lib.echo(book.clone()).await.unwrap(), book);
        assert_eq!(lib.list(Some(2)).await.unwrap().len(), 2);
    });
}
