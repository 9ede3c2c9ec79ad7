//! End to end over loopback: the example servers run as programs, and services served
//! in-process by xmlrpc-axum, called by CPython's own `xmlrpc.client` (and `http.client`
//! where the test needs to see headers).
//!
//! Each test starts its servers, runs one Python script that makes a batch of calls and
//! prints `key=observation` lines, and checks the observations here.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use xmlrpc::{Fault, Registry};
use xmlrpc_axum::XmlRpc;
use xmlrpc_tests::examples::ExampleServer;
use xmlrpc_tests::python;
use xmlrpc_tests::server::TestServer;

/// What the scripts share: a socket timeout as hang guard, and `out`/`call` to print
/// observations in ASCII.
const PRELUDE: &str = r#"
import sys, socket, gzip, http.client, urllib.request, urllib.error
import xmlrpc.client as xc
socket.setdefaulttimeout(60)
ARGS = sys.stdin.read().split()

def out(key, value):
    print(f"{key}={value}")

def observe(thunk):
    try:
        value = thunk()
    except xc.Fault as e:
        return f"Fault({e.faultCode}, {e.faultString!a})"
    except xc.ProtocolError as e:
        return f"ProtocolError({e.errcode})"
    if isinstance(value, str):
        return ascii(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ",".join(value) + "]"
    return ascii(value)

def call(key, thunk):
    out(key, observe(thunk))
"#;

/// Runs `script` after [`PRELUDE`] with `args` (whitespace-separated) on its stdin and
/// returns its observations by key.
fn run_python(script: &str, args: &[&str]) -> BTreeMap<String, String> {
    let output = python::run(&format!("{PRELUDE}\n{script}"), args.join(" ").as_bytes());
    let mut seen = BTreeMap::new();
    for line in output.lines() {
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("not a `key=value` line from python: {line:?}"));
        assert!(
            seen.insert(key.to_owned(), value.to_owned()).is_none(),
            "python printed {key:?} twice"
        );
    }
    seen
}

/// The observation `key`, which the script must have printed.
fn get<'a>(seen: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    seen.get(key)
        .unwrap_or_else(|| panic!("python printed no {key:?}; it printed {seen:#?}"))
}

/// What `system.listMethods` answers on `demo_server`, as the prelude prints it.
const DEMO_METHODS: &str = "[add,currentTime.getCurrentTime,getData,pow,system.getCapabilities,\
    system.listMethods,system.methodExist,system.methodHelp,system.methodSignature,system.multicall]";

/// The time zone the demo server runs in, five and a half hours east of UTC all year.
const ZONE: &str = "Asia/Kolkata";

/// A service for the tests that need a server in-process: the demo's `add`, `pow` and
/// `getData`.
fn registry() -> Registry {
    Registry::new()
        .function("add", |x: i64, y: i64| x.wrapping_add(y))
        .function("getData", || "42")
        .function("pow", |x: i64, y: u32| {
            x.checked_pow(y)
                .ok_or_else(|| Fault::new(1, format!("pow({x}, {y}) does not fit in 64 bits")))
        })
}

#[test]
fn python_calls_the_demo_and_the_calculator() {
    let demo_server = ExampleServer::start_with_env("demo_server", &[], &[("TZ", ZONE)]);
    let calc_server = ExampleServer::start("calculator", &[]);
    let seen = run_python(
        r#"
from datetime import datetime, timedelta, timezone
demo, calc = ARGS
for path in ("/", "/RPC2"):
    p = xc.ServerProxy(demo + path)
    call(f"demo{path} pow", lambda: p.pow(2, 3))
    call(f"demo{path} add", lambda: p.add(2, 3))
    call(f"demo{path} getData", lambda: p.getData())
    call(f"demo{path} listMethods", lambda: p.system.listMethods())
    call(f"demo{path} methodHelp", lambda: p.system.methodHelp("getData"))
    now = p.currentTime.getCurrentTime()
    parsed = datetime.strptime(now.value, "%Y%m%dT%H:%M:%S")
    # The server's local time, in its zone: UTC+05:30, whatever this machine's zone is.
    there = datetime.now(timezone(timedelta(hours=5, minutes=30))).replace(tzinfo=None)
    off = abs((parsed - there).total_seconds())
    out(f"demo{path} currentTime", f"{type(now).__name__} local to the server: {off < 120}")
    call(f"demo{path} overflow", lambda: p.pow(2, 100))
    call(f"demo{path} unknown", lambda: p.nosuch())
    call(f"demo{path} wrong type", lambda: p.add(2, "three"))
call("demo /nope", lambda: xc.ServerProxy(demo + "/nope").add(2, 3))

c = xc.ServerProxy(calc + "/RPC2")
call("calc pow", lambda: c.pow(2, 3))
call("calc add", lambda: c.add(2, 3))
call("calc mul", lambda: c.mul(5, 2))
call("calc listMethods", lambda: c.system.listMethods())
call("calc multicall", lambda: c.system.multicall([]))
call("calc /", lambda: xc.ServerProxy(calc + "/").add(2, 3))
"#,
        &[&demo_server.url(""), &calc_server.url("")],
    );

    for path in ["/", "/RPC2"] {
        let at = |what: &str| get(&seen, &format!("demo{path} {what}"));
        assert_eq!(at("pow"), "8");
        assert_eq!(at("add"), "5");
        assert_eq!(at("getData"), "'42'");
        assert_eq!(at("listMethods"), DEMO_METHODS);
        assert_eq!(at("methodHelp"), "\"Returns the string `'42'`.\"");
        assert_eq!(at("currentTime"), "DateTime local to the server: True");
        assert_eq!(
            at("overflow"),
            "Fault(1, 'pow(2, 100) does not fit in 64 bits')"
        );
        assert_eq!(
            at("unknown"),
            "Fault(-32601, 'method `nosuch` is not supported')"
        );
        assert_eq!(
            at("wrong type"),
            "Fault(-32602, 'parameter 2 of add: expected int, found string at params[1] (line 9, column 1)')"
        );
    }
    assert_eq!(get(&seen, "demo /nope"), "ProtocolError(404)");

    assert_eq!(get(&seen, "calc pow"), "8");
    assert_eq!(get(&seen, "calc add"), "5");
    assert_eq!(get(&seen, "calc mul"), "10");
    assert_eq!(
        get(&seen, "calc listMethods"),
        "[add,mul,pow,system.getCapabilities,system.listMethods,system.methodExist,\
         system.methodHelp,system.methodSignature]"
    );
    // The calculator switches multicall off, so the method does not exist there.
    assert_eq!(
        get(&seen, "calc multicall"),
        "Fault(-32601, 'method `system.multicall` is not supported')"
    );
    assert_eq!(get(&seen, "calc /"), "ProtocolError(404)");
}

#[test]
fn python_multicall_reports_faults_per_call() {
    let server = ExampleServer::start("demo_server", &[]);
    let seen = run_python(
        r#"
m = xc.MultiCall(xc.ServerProxy(ARGS[0]))
m.add(2, 3)
m.pow(2, 100)
m.getData()
m.noSuchMethod()
m.add(1)
m.pow(2, 10)
results = m()
for i in range(6):
    call(f"call {i}", lambda: results[i])
out("count", len(results.results))
"#,
        &[&server.url("/RPC2")],
    );
    assert_eq!(get(&seen, "count"), "6");
    assert_eq!(get(&seen, "call 0"), "5");
    assert_eq!(
        get(&seen, "call 1"),
        "Fault(1, 'pow(2, 100) does not fit in 64 bits')"
    );
    assert_eq!(get(&seen, "call 2"), "'42'");
    assert_eq!(
        get(&seen, "call 3"),
        "Fault(-32601, 'method `noSuchMethod` is not supported')"
    );
    assert_eq!(
        get(&seen, "call 4"),
        "Fault(-32602, 'add: missing parameter 2 (i8); 1 given')"
    );
    assert_eq!(get(&seen, "call 5"), "1024");
}

#[test]
fn python_reads_the_documentation_page() {
    let server = ExampleServer::start("demo_server", &[]);
    let seen = run_python(
        r#"
with urllib.request.urlopen(ARGS[0] + "/") as r:
    out("status", r.status)
    out("content-type", r.headers["Content-Type"])
    out("html", r.read().hex())
call("post still works", lambda: xc.ServerProxy(ARGS[0] + "/").add(2, 3))
try:
    urllib.request.urlopen(urllib.request.Request(ARGS[0] + "/", method="PUT"))
    out("put", "answered")
except urllib.error.HTTPError as e:
    out("put", f"{e.code} Allow: {e.headers['Allow']}")
"#,
        &[&server.url("")],
    );
    assert_eq!(get(&seen, "status"), "200");
    assert_eq!(get(&seen, "content-type"), "text/html; charset=utf-8");
    let html = String::from_utf8(python::unhex(get(&seen, "html"))).expect("UTF-8 HTML");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<h1>XML-RPC demo server</h1>"), "{html}");
    let names = DEMO_METHODS.trim_matches(['[', ']']).split(',');
    for name in names {
        assert!(
            html.contains(&format!("<li><a href=\"#{name}\">{name}</a></li>")),
            "the page does not list {name}:\n{html}"
        );
        assert!(
            html.contains(&format!("<section class=\"method\" id=\"{name}\">")),
            "the page does not document {name}:\n{html}"
        );
    }
    // Help is rendered from Markdown.
    assert!(
        html.contains("<p>Returns the string <code>'42'</code>.</p>"),
        "{html}"
    );
    assert_eq!(get(&seen, "post still works"), "5");
    assert_eq!(get(&seen, "put"), "405 Allow: GET, HEAD, POST");
}

/// Counts the requests that arrive gzip-encoded and the responses that leave so.
#[derive(Debug, Default)]
struct GzipCounts {
    requests: AtomicUsize,
    responses: AtomicUsize,
}

fn counting(router: axum::Router, counts: Arc<GzipCounts>) -> axum::Router {
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let counts = Arc::clone(&counts);
            async move {
                let gzip = |v: Option<&axum::http::HeaderValue>| {
                    v.is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"))
                };
                if gzip(request.headers().get(header::CONTENT_ENCODING)) {
                    counts.requests.fetch_add(1, Ordering::SeqCst);
                }
                let response = next.run(request).await;
                if gzip(response.headers().get(header::CONTENT_ENCODING)) {
                    counts.responses.fetch_add(1, Ordering::SeqCst);
                }
                response
            }
        },
    ))
}

#[test]
fn python_sends_gzip_requests() {
    let counts = Arc::new(GzipCounts::default());
    let router = counting(XmlRpc::new(registry()).into_router(), Arc::clone(&counts));
    let server = TestServer::start(router);
    let seen = run_python(
        r#"
t = xc.Transport()
t.encode_threshold = 0
p = xc.ServerProxy(ARGS[0], transport=t)
call("add", lambda: p.add(2, 3))
call("getData", lambda: p.getData())
many = xc.MultiCall(p)
for i in range(60):
    many.add(i, i)
call("multicall", lambda: sum(many()))
"#,
        &[&server.url("/RPC2")],
    );
    assert_eq!(get(&seen, "add"), "5");
    assert_eq!(get(&seen, "getData"), "'42'");
    assert_eq!(
        get(&seen, "multicall"),
        (0..60).map(|i| 2 * i).sum::<i32>().to_string()
    );
    assert_eq!(
        counts.requests.load(Ordering::SeqCst),
        3,
        "Python gzipped its three requests"
    );
    // The answer to 60 calls is over the threshold, and Python accepts gzip by default.
    assert_eq!(counts.responses.load(Ordering::SeqCst), 1);
}

#[test]
fn large_responses_are_gzipped_when_asked() {
    let server = ExampleServer::start("demo_server", &[]);
    let seen = run_python(
        r#"
host, port = ARGS[0].split(":")
big = xc.dumps(([{"methodName": "getData", "params": []}] * 100,), "system.multicall").encode()
small = xc.dumps((2, 3), "add").encode()

def post(key, body, headers):
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.request("POST", "/RPC2", body, {"Content-Type": "text/xml", **headers})
    r = conn.getresponse()
    raw = r.read()
    out(f"{key} status", r.status)
    out(f"{key} encoding", r.getheader("Content-Encoding"))
    out(f"{key} vary", r.getheader("Vary"))
    out(f"{key} length", f"{int(r.getheader('Content-Length')) == len(raw)}")
    data = gzip.decompress(raw) if r.getheader("Content-Encoding") == "gzip" else raw
    out(f"{key} smaller", len(raw) < len(data))
    (result,), _ = xc.loads(data)
    out(f"{key} result", ascii(result))
    conn.close()

post("gzip", big, {"Accept-Encoding": "gzip"})
post("plain", big, {})
post("refused", big, {"Accept-Encoding": "gzip;q=0, identity"})
post("small", small, {"Accept-Encoding": "gzip"})
"#,
        &[&server.addr().to_string()],
    );
    let hundred = format!("[{}]", vec!["['42']"; 100].join(", "));
    assert_eq!(get(&seen, "gzip status"), "200");
    assert_eq!(get(&seen, "gzip encoding"), "gzip");
    assert_eq!(get(&seen, "gzip vary"), "accept-encoding");
    assert_eq!(get(&seen, "gzip length"), "True");
    assert_eq!(get(&seen, "gzip smaller"), "True");
    assert_eq!(get(&seen, "gzip result"), hundred);
    for key in ["plain", "refused"] {
        assert_eq!(get(&seen, &format!("{key} status")), "200");
        assert_eq!(get(&seen, &format!("{key} encoding")), "None");
        assert_eq!(get(&seen, &format!("{key} result")), hundred);
    }
    assert_eq!(get(&seen, "small encoding"), "None");
    assert_eq!(get(&seen, "small result"), "5");
}

/// The eight validator1 checks, with random inputs made by Python and expectations
/// computed by Python.
const VALIDATOR: &str = r#"
import random, string
from datetime import datetime, timedelta
seed, url, rounds = int(ARGS[0]), ARGS[1], int(ARGS[2])
rng = random.Random(seed)
p = xc.ServerProxy(url, allow_none=True)
ENTITIES = "<>&'\""
ALPHABET = string.ascii_letters + string.digits + " \t\n" + ENTITIES * 4 + "\u00e9\u4e2d\u20ac\U0001f600"

def text(lo=0, hi=40):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(lo, hi)))

def i32(bound=2**31 - 1):
    return rng.randint(-bound, bound)

def double():
    return rng.choice([rng.uniform(-1e6, 1e6), rng.random() * 10.0 ** rng.randint(-20, 20), 0.5, -2.0])

def when():
    start = datetime(1901, 1, 1)
    return xc.DateTime(start + timedelta(seconds=rng.randint(0, 198 * 365 * 86400)))

def binary():
    return xc.Binary(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64))))

def anything(depth=0):
    kinds = ["int", "str", "bool", "double", "date", "bin", "nil"]
    if depth < 3:
        kinds += ["array", "struct"]
    kind = rng.choice(kinds)
    if kind == "int": return i32()
    if kind == "str": return text()
    if kind == "bool": return rng.random() < 0.5
    if kind == "double": return double()
    if kind == "date": return when()
    if kind == "bin": return binary()
    if kind == "nil": return None
    if kind == "array": return [anything(depth + 1) for _ in range(rng.randint(0, 5))]
    return {text(1, 12): anything(depth + 1) for _ in range(rng.randint(0, 5))}

def stooges(bound=1_000_000):
    s = {"moe": i32(bound), "larry": i32(bound), "curly": i32(bound)}
    for _ in range(rng.randint(0, 3)):
        s["extra " + text(1, 8)] = anything()
    return s

def check(name, got, expected):
    if got == expected:
        out(f"{name} {i}", "ok")
    else:
        out(f"{name} {i}", f"got {got!a} expected {expected!a}")

for i in range(rounds):
    structs = [stooges() for _ in range(rng.randint(0, 200))]
    check("arrayOfStructsTest", p.validator1.arrayOfStructsTest(structs),
          sum(s["curly"] for s in structs))

    s = text(0, 300)
    check("countTheEntities", p.validator1.countTheEntities(s), {
        "ctLeftAngleBrackets": s.count("<"), "ctRightAngleBrackets": s.count(">"),
        "ctAmpersands": s.count("&"), "ctApostrophes": s.count("'"), "ctQuotes": s.count('"')})

    s = stooges()
    check("easyStructTest", p.validator1.easyStructTest(s), s["moe"] + s["larry"] + s["curly"])

    s = {text(1, 12): anything() for _ in range(rng.randint(0, 12))}
    check("echoStructTest", p.validator1.echoStructTest(s), s)

    args = [i32(), rng.random() < 0.5, text(), double(), when(), binary()]
    check("manyTypesTest", p.validator1.manyTypesTest(*args), args)

    strings = [text() for _ in range(rng.randint(100, 200))]
    check("moderateSizeArrayCheck", p.validator1.moderateSizeArrayCheck(strings),
          strings[0] + strings[-1])

    calendar = {}
    for year in rng.sample(range(1990, 2010), 4) + [2000]:
        months = calendar.setdefault(str(year), {})
        for month in rng.sample(range(1, 13), 3) + [4]:
            days = months.setdefault(f"{month:02}", {})
            for day in rng.sample(range(1, 32), 3) + [1]:
                days[f"{day:02}"] = stooges()
    day = calendar["2000"]["04"]["01"]
    check("nestedStructTest", p.validator1.nestedStructTest(calendar),
          day["moe"] + day["larry"] + day["curly"])

    n = i32(2_000_000)
    check("simpleStructReturnTest", p.validator1.simpleStructReturnTest(n),
          {"times10": n * 10, "times100": n * 100, "times1000": n * 1000})
"#;

#[test]
fn validator1_passes_with_random_inputs_from_python() {
    const ROUNDS: usize = 20;
    let server = ExampleServer::start("validator1", &[]);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() % 1_000_000_007)
        .to_string();
    let seen = run_python(
        VALIDATOR,
        &[&seed, &server.url("/RPC2"), &ROUNDS.to_string()],
    );
    let checks = [
        "arrayOfStructsTest",
        "countTheEntities",
        "easyStructTest",
        "echoStructTest",
        "manyTypesTest",
        "moderateSizeArrayCheck",
        "nestedStructTest",
        "simpleStructReturnTest",
    ];
    assert_eq!(seen.len(), checks.len() * ROUNDS, "seed {seed}: {seen:#?}");
    let failures: Vec<_> = seen.iter().filter(|(_, v)| *v != "ok").collect();
    assert!(
        failures.is_empty(),
        "seed {seed}: validator1 checks failed: {failures:#?}"
    );
    for check in checks {
        for round in 0..ROUNDS {
            assert_eq!(get(&seen, &format!("{check} {round}")), "ok");
        }
    }
}

/// The doc comment of `pow` in examples/demo_server.rs, as `system.methodHelp` answers it.
const POW_HELP: &str = "Returns `x` to the power `y`, as Python's built-in `pow(2, 9)` answers; a fault when\nthe result does not fit in 64 bits.";

#[test]
fn python_reads_pows_documentation_from_the_demo() {
    let server = ExampleServer::start("demo_server", &[]);
    let seen = run_python(
        r#"
p = xc.ServerProxy(ARGS[0] + "/RPC2")
out("help", p.system.methodHelp("pow").encode().hex())
call("signature", lambda: p.system.methodSignature("pow"))
with urllib.request.urlopen(ARGS[0] + "/RPC2") as r:
    out("csp", r.headers["Content-Security-Policy"].encode().hex())
    out("html", r.read().hex())
"#,
        &[&server.url("")],
    );
    let help = String::from_utf8(python::unhex(get(&seen, "help"))).expect("UTF-8");
    assert_eq!(help, POW_HELP);
    assert_eq!(get(&seen, "signature"), "[['i8', 'i8', 'i8']]");
    let csp = String::from_utf8(python::unhex(get(&seen, "csp"))).expect("UTF-8");
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    let html = String::from_utf8(python::unhex(get(&seen, "html"))).expect("UTF-8 HTML");
    assert!(
        html.contains("<code>pow(i8 x, i8 y) &#8594; i8</code>"),
        "the page shows pow without its parameter names:\n{html}"
    );
    assert!(
        html.contains("<label for=\"pow.p1\">x <code>i8</code>"),
        "{html}"
    );
    assert!(
        html.contains("<label for=\"pow.p2\">y <code>i8</code>"),
        "{html}"
    );
    assert!(
        html.contains("<p>Returns <code>x</code> to the power <code>y</code>"),
        "{html}"
    );
}

#[test]
fn python_uses_the_state_example() {
    let server = ExampleServer::start("state", &[]);
    let seen = run_python(
        r#"
base = ARGS[0]
p = xc.ServerProxy(base + "/RPC2")
call("add milk", lambda: p.notes.add({"title": "milk", "body": "two litres", "tags": ["shop"]}))
call("add eggs", lambda: p.notes.add({"title": "eggs", "body": "six"}))
call("add untitled", lambda: p.notes.add({"title": " ", "body": "?"}))
call("titles", lambda: [n["title"] for n in p.notes.list()])
call("tagged", lambda: [n["title"] for n in p.notes.list("shop")])
call("author", lambda: p.notes.get(1)["author"])
call("delete", lambda: p.notes.delete(2)["title"])
call("deleted", lambda: p.notes.get(2))
call("name", lambda: p.app.name())
call("help", lambda: p.system.methodHelp("notes.list"))
with urllib.request.urlopen(base + "/notes") as r:
    out("page", r.read().decode().encode().hex())
"#,
        &[&server.url("")],
    );
    assert_eq!(get(&seen, "add milk"), "1");
    assert_eq!(get(&seen, "add eggs"), "2");
    assert_eq!(
        get(&seen, "add untitled"),
        "Fault(400, 'a note needs a title')"
    );
    assert_eq!(get(&seen, "titles"), "[milk,eggs]");
    assert_eq!(get(&seen, "tagged"), "[milk]");
    assert!(
        get(&seen, "author").starts_with("'Python-xmlrpc/"),
        "{seen:?}"
    );
    assert_eq!(get(&seen, "delete"), "'eggs'");
    assert_eq!(get(&seen, "deleted"), "Fault(404, 'no note 2')");
    assert_eq!(get(&seen, "name"), "'Notes'");
    assert_eq!(
        get(&seen, "help"),
        "'Every note, oldest first; only those with `tag` when it is given.'"
    );
    // The app's own route reads the store the functions changed.
    let page = String::from_utf8(python::unhex(get(&seen, "page"))).expect("UTF-8");
    assert!(
        page.starts_with("1 notes\n1: milk (Python-xmlrpc/"),
        "{page}"
    );
}
