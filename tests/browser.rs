//! The documentation page in a real headless Chromium, driven over the W3C WebDriver
//! protocol: the page lists the methods, and its try-it forms call them from the browser.
//!
//! The test starts `chromedriver` on a free loopback port; a Python script (standard
//! library only) speaks WebDriver's HTTP/JSON to it and prints what the page shows.

use std::fs::File;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use xmlrpc_tests::examples::ExampleServer;
use xmlrpc_tests::python;
use xmlrpc_tests::server::free_port;

/// The first of `names` found on the `PATH`.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// `chromedriver` running in its own process group, which is killed (with the browsers it
/// started) on drop.
struct Driver {
    child: Child,
    log: PathBuf,
}

impl Driver {
    fn start(port: u16, scratch: &Path) -> Driver {
        let chromedriver = which(&["chromedriver"]).unwrap_or_else(|| {
            panic!(
                "chromedriver is required by the browser test and is not on the PATH; \
                 install Debian's `chromium` and `chromium-driver` packages (scripts/test installs them)"
            )
        });
        let log = scratch.join("chromedriver.log");
        let stderr = File::create(&log).expect("creating the chromedriver log");
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("starting chromedriver: {e}"));
        Driver { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and every browser process it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Drives the page: prints `key=value` lines (values hex-encoded where they are text).
const SCRIPT: &str = r#"
import sys, json, time, socket, urllib.request, urllib.error
socket.setdefaulttimeout(60)
driver, page, chromium, profile = sys.stdin.read().split("\n")[:4]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

def wd(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(driver + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]
    except urllib.error.HTTPError as e:
        raise SystemExit(f"WebDriver {method} {path} failed: {e.code} {e.read()[:2000]!a}")

def out(key, value):
    print(f"{key}={value}")

# chromedriver answers /status once it listens.
for attempt in range(300):
    try:
        if wd("GET", "/status").get("ready"):
            break
    except (urllib.error.URLError, ConnectionError, OSError):
        pass
    time.sleep(0.1)
else:
    raise SystemExit("chromedriver did not become ready")

args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + profile]
caps = {"capabilities": {"alwaysMatch": {
    "browserName": "chrome",
    "goog:chromeOptions": {"binary": chromium, "args": args}}}}
session = wd("POST", "/session", caps)["sessionId"]
s = f"/session/{session}"

def find_all(css, root=None):
    base = s if root is None else f"{s}/element/{root}"
    return [e[ELEMENT] for e in wd("POST", base + "/elements", {"using": "css selector", "value": css})]

def text(element):
    return wd("GET", f"{s}/element/{element}/text")

def try_method(label, name, values):
    form, = find_all(f'form[data-method="{name}"]')
    inputs = find_all("input", form)
    out(f"{label} inputs", len(inputs))
    for element, value in zip(inputs, values):
        wd("POST", f"{s}/element/{element}/clear", {})
        wd("POST", f"{s}/element/{element}/value", {"text": value})
    button, = find_all("button", form)
    result, = find_all("pre.result", form)
    # The form shows the last answer until the new one arrives: wait for a change.
    before = text(result)
    wd("POST", f"{s}/element/{button}/click", {})
    shown = ""
    for attempt in range(600):
        shown = text(result)
        if shown != before and ("</methodResponse>" in shown or shown.startswith("error")):
            break
        time.sleep(0.1)
    out(f"{label} result", shown.encode().hex())

try:
    wd("POST", f"{s}/url", {"url": page})
    out("title", wd("GET", f"{s}/title").encode().hex())
    out("url", wd("GET", f"{s}/url").encode().hex())
    out("nav", ",".join(text(a) for a in find_all("nav li a")).encode().hex())
    try_method("add", "add", ["2", "3"])
    try_method("pow", "pow", ["2", "10"])
    try_method("getData", "getData", [])
    try_method("bad add", "add", ["2", "three"])
finally:
    wd("DELETE", s)
"#;

fn unhex(seen: &std::collections::BTreeMap<String, String>, key: &str) -> String {
    let hex = seen
        .get(key)
        .unwrap_or_else(|| panic!("the script printed no {key:?}: {seen:#?}"));
    String::from_utf8(python::unhex(hex)).expect("UTF-8 text")
}

#[test]
fn documentation_page_lists_methods_and_tries_them_in_chromium() {
    let chromium = which(&["chromium", "chromium-browser"]).unwrap_or_else(|| {
        panic!(
            "chromium is required by the browser test and is not on the PATH; install \
             Debian's `chromium` and `chromium-driver` packages (scripts/test installs them)"
        )
    });
    // The demo server itself, as `cargo run --example demo_server` runs it.
    let server = ExampleServer::start("demo_server", &[]);
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "browser-{}-{}",
        std::process::id(),
        free_port()
    ));
    let profile = scratch.join("profile");
    std::fs::create_dir_all(&profile).expect("creating a fresh browser profile");
    let port = free_port();
    let driver = Driver::start(port, &scratch);
    let page = server.url("/RPC2");
    let input = format!(
        "http://127.0.0.1:{port}\n{page}\n{}\n{}\n",
        chromium.display(),
        profile.display()
    );
    let output = std::panic::catch_unwind(|| python::run(SCRIPT, input.as_bytes()));
    let output = match output {
        Ok(output) => output,
        Err(panic) => {
            eprintln!("--- chromedriver log ---\n{}", driver.log());
            std::panic::resume_unwind(panic);
        }
    };
    drop(driver);
    let _ = std::fs::remove_dir_all(&scratch);

    let seen: std::collections::BTreeMap<String, String> = output
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(unhex(&seen, "title"), "XML-RPC demo server");
    assert_eq!(unhex(&seen, "url"), page);
    assert_eq!(
        unhex(&seen, "nav"),
        "add,currentTime.getCurrentTime,getData,pow,system.getCapabilities,system.listMethods,\
         system.methodExist,system.methodHelp,system.methodSignature,system.multicall"
    );

    assert_eq!(seen.get("add inputs").map(String::as_str), Some("2"));
    let add = unhex(&seen, "add result");
    assert!(add.starts_with("HTTP 200\n"), "{add}");
    assert!(add.contains("<int>5</int>"), "the page shows {add:?}");

    let pow = unhex(&seen, "pow result");
    assert!(pow.contains("<int>1024</int>"), "the page shows {pow:?}");

    assert_eq!(seen.get("getData inputs").map(String::as_str), Some("0"));
    let data = unhex(&seen, "getData result");
    assert!(
        data.contains("<string>42</string>"),
        "the page shows {data:?}"
    );

    // A value that is no integer: the server answers with a fault, which the page shows.
    let fault = unhex(&seen, "bad add result");
    assert!(fault.starts_with("HTTP 200\n"), "{fault}");
    assert!(fault.contains("<fault>"), "the page shows {fault:?}");
}
