//! The documentation page in a real headless Chromium with JavaScript switched off, driven
//! over the W3C WebDriver protocol: the page lists the methods, its style applies under its
//! Content-Security-Policy, its plain try-it forms call them and show the endpoint's answer
//! page, and a form posted from another site is refused.
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

/// Drives the page with JavaScript switched off: prints `key=value` lines (values
/// hex-encoded where they are text).
const SCRIPT: &str = r##"
import sys, json, time, socket, urllib.request, urllib.error, urllib.parse
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

def hexed(text):
    return text.encode().hex()

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
        "--no-first-run", "--blink-settings=scriptEnabled=false", "--user-data-dir=" + profile]
prefs = {"profile.managed_default_content_settings.javascript": 2}
caps = {"capabilities": {"alwaysMatch": {
    "browserName": "chrome",
    "goog:chromeOptions": {"binary": chromium, "args": args, "prefs": prefs}}}}
session = wd("POST", "/session", caps)["sessionId"]
s = f"/session/{session}"

def find_all(css, root=None):
    base = s if root is None else f"{s}/element/{root}"
    return [e[ELEMENT] for e in wd("POST", base + "/elements", {"using": "css selector", "value": css})]

def text(element):
    return wd("GET", f"{s}/element/{element}/text")

def go(url):
    wd("POST", f"{s}/url", {"url": url})

def wait_for(css, gone=None):
    # The click starts a navigation that may still be under way: wait (bounded) until the
    # new page shows `css` (and the old one's `gone` is no more).
    for attempt in range(600):
        if find_all(css) and not (gone and find_all(gone)):
            return
        time.sleep(0.1)
    raise SystemExit(f"no {css} after the click")

def try_method(label, name, values):
    go(page)
    form, = find_all(f'form:has(input[name="method"][value="{name}"])')
    fields = find_all("input:not([type=hidden]), textarea", form)
    out(f"{label} fields", len(fields))
    for element, value in zip(fields, values):
        wd("POST", f"{s}/element/{element}/clear", {})
        wd("POST", f"{s}/element/{element}/value", {"text": value})
    button, = find_all("button", form)
    # A plain form: the click navigates to the endpoint's answer.
    wd("POST", f"{s}/element/{button}/click", {})
    wait_for("section.tried")
    out(f"{label} url", hexed(wd("GET", f"{s}/url")))
    shown = find_all(".result, .fault, .error")
    out(f"{label} shown", hexed(" | ".join(text(e) for e in shown)))
    refilled = find_all('form input[name="p1"]')
    out(f"{label} refilled", hexed(wd("GET", f"{s}/element/{refilled[0]}/property/value") if refilled else "-"))

try:
    # JavaScript is off: this page's script would change the text.
    go("data:text/html," + urllib.parse.quote('<p id="x">off</p><script>document.getElementById("x").textContent="on"</script>'))
    out("script probe", text(find_all("#x")[0]))

    go(page)
    out("title", hexed(wd("GET", f"{s}/title")))
    out("url", hexed(wd("GET", f"{s}/url")))
    out("nav", hexed(",".join(text(a) for a in find_all("nav li a"))))
    out("scripts", len(find_all("script")))
    # The page's style sheet applies: the policy allows it by its hash.
    body, = find_all("body")
    out("max-width", wd("GET", f"{s}/element/{body}/css/max-width"))
    out("pow signature", hexed(text(find_all('section[id="pow"] p.sig')[0])))
    out("pow labels", hexed(",".join(text(l) for l in find_all('section[id="pow"] label'))))

    try_method("add", "add", ["2", "3"])
    try_method("pow", "pow", ["2", "10"])
    try_method("overflow", "pow", ["2", "100"])
    try_method("getData", "getData", [])
    try_method("bad add", "add", ["2", "three"])

    # A form on another site (an opaque data: page) posting to the endpoint is refused.
    action = page
    evil = ('<form method="post" action="' + action + '">'
            '<input name="method" value="add"><input name="p1" value="1"><input name="p2" value="2">'
            '<button id="go">go</button></form>')
    go("data:text/html," + urllib.parse.quote(evil))
    wd("POST", f"{s}/element/{find_all('#go')[0]}/click", {})
    wait_for("body", gone="#go")
    out("cross-site", hexed(text(find_all("body")[0])))
finally:
    wd("DELETE", s)
"##;

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
    assert_eq!(
        seen.get("script probe").map(String::as_str),
        Some("off"),
        "JavaScript is off"
    );
    assert_eq!(unhex(&seen, "title"), "XML-RPC demo server");
    assert_eq!(unhex(&seen, "url"), page);
    assert_eq!(
        unhex(&seen, "nav"),
        "add,currentTime.getCurrentTime,getData,pow,system.getCapabilities,system.listMethods,\
         system.methodExist,system.methodHelp,system.methodSignature,system.multicall"
    );
    assert_eq!(seen.get("scripts").map(String::as_str), Some("0"));
    assert_eq!(
        seen.get("max-width").map(String::as_str),
        Some("960px"),
        "the style applies"
    );
    assert_eq!(unhex(&seen, "pow signature"), "pow(i8 x, i8 y) → i8");
    assert_eq!(unhex(&seen, "pow labels"), "x i8,y i8");

    // Each form, submitted, is answered by a page from the endpoint at the page's address.
    for label in ["add", "pow", "overflow", "getData", "bad add"] {
        assert_eq!(unhex(&seen, &format!("{label} url")), page, "{label}");
    }
    assert_eq!(seen.get("add fields").map(String::as_str), Some("2"));
    assert_eq!(unhex(&seen, "add shown"), "5 int");
    assert_eq!(
        unhex(&seen, "add refilled"),
        "2",
        "the form comes back filled"
    );
    assert_eq!(unhex(&seen, "pow shown"), "1024 int");
    assert_eq!(
        unhex(&seen, "overflow shown"),
        "fault 1: pow(2, 100) does not fit in 64 bits"
    );
    assert_eq!(seen.get("getData fields").map(String::as_str), Some("0"));
    assert_eq!(unhex(&seen, "getData shown"), "\"42\" string");
    // A value that is no integer: the endpoint says so, and calls nothing.
    assert_eq!(
        unhex(&seen, "bad add shown"),
        "parameter `arg2` (i8): \"three\" is not an i8 (a whole number of 64 bits)"
    );
    let refused = unhex(&seen, "cross-site");
    assert!(
        refused.contains("the form was sent from another site"),
        "a form from another site was answered: {refused:?}"
    );
}
