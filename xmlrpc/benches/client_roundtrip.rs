//! What a call costs the client: round trips per second of `add(i, 1)` on one kept-alive
//! loopback connection, against the same small server, for this crate's client (async and
//! blocking), dxr's client (`dxr_client`, on the same reqwest) and CPython's `ServerProxy`.
//!
//! The server is a bare HTTP/1.1 loop on its own thread that answers through a
//! [`Registry`](xmlrpc::Registry), so that it costs every client the same. Rounds of each
//! client are interleaved and the best round is kept, which filters out the noise of a busy
//! machine. The ratios are against this crate's async client: above 1 is slower than it.
//!
//! Run with `cargo bench -p xmlrpc@0.1.0 --bench client_roundtrip` (add `-- --calls 2000`
//! or `-- --rounds 3` to change the size).

#![allow(missing_docs)]
// Set-up failures should stop the benchmark loudly.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use xmlrpc::{Caller, Context, Registry};

/// Starts the server on its own thread and returns its address and accepted-connection
/// counter. It lives until the process ends.
fn start_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mut registry = Registry::new();
            registry.function("add", |a: i32, b: i32| a + b).unwrap();
            let registry = Arc::new(registry);
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                stream.set_nodelay(true).unwrap();
                tokio::spawn(serve(stream, registry.clone()));
            }
        });
    });
    (addr, connections)
}

/// Answers requests on one connection until the client closes it.
async fn serve(stream: tokio::net::TcpStream, registry: Arc<Registry>) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let context = Context::new();
    let mut line = String::new();
    let mut out = Vec::with_capacity(512);
    loop {
        let mut length = 0usize;
        let mut first = true;
        loop {
            line.clear();
            match read.read_line(&mut line).await {
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
        if read.read_exact(&mut body).await.is_err() {
            return;
        }
        let answer = registry.handle(&body, &context).await.body;
        out.clear();
        out.extend_from_slice(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
                answer.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&answer);
        if write.write_all(&out).await.is_err() {
            return;
        }
    }
}

/// One client under test: runs `calls` calls and returns the time they took.
type Run<'a> = Box<dyn FnMut(usize) -> Duration + 'a>;

fn ours_async(runtime: &tokio::runtime::Runtime, url: &str) -> Run<'static> {
    let client = xmlrpc::client::Client::new(url).unwrap();
    let runtime = runtime.handle().clone();
    Box::new(move |calls| {
        runtime.block_on(async {
            let start = Instant::now();
            for i in 0..calls {
                let i = i32::try_from(i).unwrap();
                let sum: i32 = client.call("add", &(i, 1)).await.unwrap();
                assert_eq!(sum, i + 1);
            }
            start.elapsed()
        })
    })
}

fn ours_caller(runtime: &tokio::runtime::Runtime, url: &str) -> Run<'static> {
    let client = xmlrpc::client::Client::new(url).unwrap();
    let runtime = runtime.handle().clone();
    Box::new(move |calls| {
        runtime.block_on(async {
            let start = Instant::now();
            for i in 0..calls {
                let i = i32::try_from(i).unwrap();
                // The path the typed clients of `#[xmlrpc_service]` take.
                let sum: i32 = Caller::call(&client, "add", &(i, 1)).await.unwrap();
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
            let sum: i32 = client.call("add", &(i, 1)).unwrap();
            assert_eq!(sum, i + 1);
        }
        start.elapsed()
    })
}

fn dxr(runtime: &tokio::runtime::Runtime, url: &str) -> Run<'static> {
    let client = dxr_client::ClientBuilder::new(dxr_client::Url::parse(url).unwrap()).build();
    let runtime = runtime.handle().clone();
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

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once, small.
    let quick = !std::env::args().any(|a| a == "--bench");
    let calls = arg("--calls", if quick { 50 } else { 5000 });
    let rounds = arg("--rounds", if quick { 1 } else { 5 });

    let (addr, connections) = start_server();
    let url = format!("http://{addr}/RPC2");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

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
        "client round trips of add(i, 1), {calls} calls per round, best of {rounds}, one connection each"
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
