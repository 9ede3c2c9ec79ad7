//! What a call costs the client: round trips per second of `add(i, 1)` on one kept-alive
//! loopback connection, against the same small server, for this crate's client (async and
//! blocking), dxr's client (`dxr_client`, on the same reqwest) and CPython's `ServerProxy`.
//!
//! The server is a bare HTTP/1.1 loop, a thread per connection, that answers through a
//! [`Registry`](xmlrpc::Registry), so that it costs every client the same. Rounds of each
//! client are interleaved and the best round is kept, which filters out the noise of a busy
//! machine. The ratios are against this crate's async client: above 1 is slower than it.
//!
//! Run with `cargo bench -p xmlrpc@0.1.0 --bench client_roundtrip` (add `-- --calls 2000`
//! or `-- --rounds 3` to change the size). The benchmark pins itself to one CPU with
//! `taskset` when it can (see `pin_to_one_cpu`); `-- --unpinned` measures without.

#![allow(missing_docs)]
// Set-up failures should stop the benchmark loudly.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::io::{BufRead, BufReader, Read, Write};
use xmlrpc::{Caller, Context, Registry};

/// Starts the server and returns its address and accepted-connection counter. It lives
/// until the process ends: one thread accepts, and each connection gets a thread of its own
/// with blocking reads and writes, so that no scheduler stands between the clients and the
/// registry, and a client's idle connection costs the others nothing.
fn start_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
    let registry = Arc::new(registry);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            stream.set_nodelay(true).unwrap();
            let registry = registry.clone();
            std::thread::spawn(move || serve(stream, &registry));
        }
    });
    (addr, connections)
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: std::net::TcpStream, registry: &Registry) {
    let mut write = stream.try_clone().unwrap();
    let mut read = BufReader::new(stream);
    let context = Context::new();
    let mut line = String::new();
    let mut out = Vec::with_capacity(512);
    loop {
        let mut length = 0usize;
        let mut first = true;
        loop {
            line.clear();
            match read.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if first {
                first = false;
                continue;
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if read.read_exact(&mut body).is_err() {
            return;
        }
        let answer = registry.handle_blocking(&body, &context).body;
        out.clear();
        out.extend_from_slice(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                answer.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&answer);
        if write.write_all(&out).is_err() {
            return;
        }
    }
}

/// One client under test: runs `calls` calls and returns the time they took.
type Run<'a> = Box<dyn FnMut(usize) -> Duration + 'a>;

fn ours_async(runtime: &Arc<tokio::runtime::Runtime>, url: &str) -> Run<'static> {
    let client = xmlrpc::client::Client::new(url).unwrap();
    let runtime = runtime.clone();
    Box::new(move |calls| {
        runtime.block_on(async {
            let start = Instant::now();
            for i in 0..calls {
                let i = i32::try_from(i).unwrap();
                let sum: i32 = client.call("add", (i, 1)).await.unwrap();
                assert_eq!(sum, i + 1);
            }
            start.elapsed()
        })
    })
}

fn ours_caller(runtime: &Arc<tokio::runtime::Runtime>, url: &str) -> Run<'static> {
    let client = xmlrpc::client::Client::new(url).unwrap();
    let runtime = runtime.clone();
    Box::new(move |calls| {
        runtime.block_on(async {
            let start = Instant::now();
            for i in 0..calls {
                let i = i32::try_from(i).unwrap();
                // The path the typed clients of `#[xmlrpc_service]` take.
                let sum: i32 = Caller::call(&client, "add", (i, 1)).await.unwrap();
                assert_eq!(sum, i + 1);
            }
            start.elapsed()
        })
    })
}

fn ours_blocking(url: &str) -> Run<'static> {
    let client = xmlrpc::client::blocking::Client::new(url).unwrap();
    Box::new(move |calls| {
        let start = Instant::now();
        for i in 0..calls {
            let i = i32::try_from(i).unwrap();
            let sum: i32 = client.call("add", (i, 1)).unwrap();
            assert_eq!(sum, i + 1);
        }
        start.elapsed()
    })
}

fn dxr(runtime: &Arc<tokio::runtime::Runtime>, url: &str) -> Run<'static> {
    let client = dxr_client::ClientBuilder::new(dxr_client::Url::parse(url).unwrap()).build();
    let runtime = runtime.clone();
    Box::new(move |calls| {
        runtime.block_on(async {
            let start = Instant::now();
            for i in 0..calls {
                let i = i32::try_from(i).unwrap();
                let sum: i32 = client.call("add", (i, 1)).await.unwrap();
                assert_eq!(sum, i + 1);
            }
            start.elapsed()
        })
    })
}

/// CPython's `ServerProxy`, timed by Python itself after a warm-up call, so that starting
/// the interpreter is not counted. `None` when there is no `python3`.
fn python(url: &str) -> Option<Run<'static>> {
    let probe = Command::new("python3").arg("--version").output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let url = url.to_owned();
    Some(Box::new(move |calls| {
        let script = "import sys, time, xmlrpc.client as c\n\
                      proxy = c.ServerProxy(sys.argv[1])\n\
                      n = int(sys.argv[2])\n\
                      assert proxy.add(0, 1) == 1\n\
                      start = time.perf_counter()\n\
                      for i in range(n):\n    assert proxy.add(i, 1) == i + 1\n\
                      print(time.perf_counter() - start)\n";
        let out = Command::new("python3")
            .args(["-I", "-c", script, &url, &calls.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "python3 failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let seconds: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        Duration::from_secs_f64(seconds)
    }))
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs the benchmark again pinned to one CPU with `taskset`, unless it already is, was
/// asked not to be (`--unpinned`) or `taskset` is missing. Pinned, a round trip is two
/// context switches on one core; spread over two, it also pays for waking an idle core,
/// which on a virtual machine costs tens of microseconds and varies with where the
/// scheduler puts the threads, and drowns the clients' own costs.
fn pin_to_one_cpu() -> Option<std::process::ExitStatus> {
    const PINNED: &str = "XMLRPC_CLIENT_BENCH_PINNED";
    if std::env::var_os(PINNED).is_some() || std::env::args().any(|a| a == "--unpinned") {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    Command::new("taskset")
        .arg("-c")
        .arg("0")
        .arg(exe)
        .args(std::env::args_os().skip(1))
        .env(PINNED, "1")
        .status()
        .ok()
}

fn main() {
    if let Some(status) = pin_to_one_cpu() {
        std::process::exit(status.code().unwrap_or(1));
    }
    let pinned = std::env::var_os("XMLRPC_CLIENT_BENCH_PINNED").is_some();
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, small.
    let quick = !std::env::args().any(|a| a == "--bench");
    let calls = arg("--calls", if quick { 50 } else { 5000 });
    let rounds = arg("--rounds", if quick { 1 } else { 5 });

    let (addr, connections) = start_server();
    let url = format!("http://{addr}/RPC2");
    // `Runtime::block_on`, not a handle's: only it drives a current-thread runtime's I/O.
    let runtime = Arc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
    );

    let mut clients: Vec<(&str, Run<'static>)> = vec![
        ("xmlrpc (async)", ours_async(&runtime, &url)),
        (
            "xmlrpc (Caller, typed clients)",
            ours_caller(&runtime, &url),
        ),
        ("xmlrpc (blocking)", ours_blocking(&url)),
        ("dxr_client 0.9", dxr(&runtime, &url)),
    ];
    if let Some(run) = python(&url) {
        clients.push(("CPython ServerProxy", run));
    } else {
        println!("(python3 not found: CPython's row is left out)");
    }

    // Warm up: connections opened, caches and branch predictors filled.
    for (name, run) in &mut clients {
        let before = connections.load(Ordering::SeqCst);
        run(calls.min(200));
        let opened = connections.load(Ordering::SeqCst) - before;
        assert!(opened <= 1, "{name} opened {opened} connections");
    }

    let mut best = vec![Duration::MAX; clients.len()];
    for _ in 0..rounds {
        for (i, (_, run)) in clients.iter_mut().enumerate() {
            best[i] = best[i].min(run(calls));
        }
    }

    let per_call = |d: Duration| d.as_secs_f64() / calls as f64;
    let ours = per_call(best[0]);
    println!(
        "client round trips of add(i, 1), {calls} calls per round, best of {rounds}, one \
         connection each, {}",
        if pinned {
            "client and server pinned to one CPU"
        } else {
            "not pinned (noisy: see pin_to_one_cpu)"
        }
    );
    println!(
        "{:<32} {:>12} {:>12} {:>10}",
        "client", "calls/s", "us/call", "time ratio"
    );
    for ((name, _), time) in clients.iter().zip(&best) {
        let t = per_call(*time);
        println!(
            "{name:<32} {:>12.0} {:>12.1} {:>10.2}",
            1.0 / t,
            t * 1e6,
            t / ours
        );
    }
}
