//! The client (`xmlrpc::client`) end to end, by area:
//!
//! - [`python`]: against CPython's own `xmlrpc.server`, running every call of the examples
//!   in Python's documentation and the `python -m xmlrpc.server` demo, plus nil, date-times,
//!   binary, Unicode, 64-bit integers, faults, multicall and HTTPS with a private CA;
//! - [`bare`]: against a bare HTTP server written here, which misbehaves on purpose: gzip,
//!   basic authentication, slow and silent servers, HTML error pages, dropped connections,
//!   connection counting, cookies, a proxy, redirects, oversized answers;
//! - [`own_server`]: against the toolkit's own axum server: typed clients, gzip both ways
//!   counted on the server, a supplied reqwest client, per-call headers and timeouts,
//!   answers' headers, the tracing span of each call;
//! - [`transports`]: HTTP over a Unix socket, and SCGI over TCP and a Unix socket against an
//!   SCGI server written here;
//! - [`supervisord`] and [`rtorrent`]: the real servers from Debian's packages, over a Unix
//!   socket and over SCGI;
//! - [`examples`]: the client examples run as programs, `odoo_client` against a stand-in
//!   that answers as Odoo does, over HTTPS.

use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use xmlrpc::client::{Client, blocking};
use xmlrpc::{CallError, DateTime, Fault};
use xmlrpc_tests::certs::{TempDir, make_certificates};

mod bare;
mod examples;
mod own_server;
mod python;
mod rtorrent;
mod supervisord;
mod transports;

/// One result of a multicall.
type Answer<T> = Result<T, Fault>;

/// Longer than any loopback exchange takes, even unoptimized on a busy machine: reaching it
/// means something hangs, and the test fails instead of blocking.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn client(url: &str) -> Client {
    Client::builder(url)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client")
}

fn blocking_client(url: &str) -> blocking::Client {
    blocking::Client::builder(url)
        .timeout(HANG_GUARD)
        .build_blocking()
        .expect("a valid client")
}

fn fault_of(err: CallError) -> Fault {
    match err {
        CallError::Fault(f) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Book {
    title: String,
    tags: Vec<String>,
    rating: f64,
    isbn: Option<String>,
    published: DateTime,
}

/// The path of `command` on the `PATH`.
///
/// # Panics
///
/// With one line that names the Debian package to install, when it is not there: the tests
/// of real servers fail rather than skip.
fn require(command: &str, package: &str) -> std::path::PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(command))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "`{command}` is not installed: this test needs Debian's package `{package}` (scripts/test installs it as root: apt-get install {package})"
        )
    })
}

/// A server process started by a test, stopped by its PID when dropped: SIGTERM first, so
/// that it stops what it runs itself, then SIGKILL if it has not exited in time.
struct Daemon {
    child: std::process::Child,
    name: &'static str,
}

impl Daemon {
    /// Starts `command` with `args` in `dir`, its output going to `dir/<name>.log`.
    fn start(
        name: &'static str,
        command: &std::path::Path,
        args: &[&std::ffi::OsStr],
        dir: &std::path::Path,
    ) -> Daemon {
        let log = std::fs::File::create(dir.join(format!("{name}.log"))).expect("a log file");
        let child = Command::new(command)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log file again"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Daemon { child, name }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until `ready` says yes, checking that the process is still running; bounded by
    /// [`HANG_GUARD`].
    fn wait_until(&mut self, what: &str, mut ready: impl FnMut() -> bool) {
        let started = std::time::Instant::now();
        while !ready() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited ({status}) before {what}", self.name);
            }
            assert!(
                started.elapsed() < HANG_GUARD,
                "{} did not get to {what} in time",
                self.name
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill")
            .args(["-TERM", &pid])
            .stdin(Stdio::null())
            .status();
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
