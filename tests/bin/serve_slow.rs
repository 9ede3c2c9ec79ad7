//! A server process for the serving tests (tests/serve_shutdown.rs): the production runner
//! with a slow method, stopped by a signal like any service.
//!
//! ```text
//! serve-slow --addr 127.0.0.1:0 --release FILE [--drain-timeout SECONDS]
//! serve-slow --systemd --release FILE     # the socket systemd hands over (LISTEN_FDS)
//! ```
//!
//! Prints `listening ADDR` on standard output once bound, and `slow started` when a call of
//! `slow` begins; `slow` answers `"done"` once FILE exists (looked for every 20 ms, for at
//! most 120 s). `add(a, b)` answers at once. Exits 0 after the drain.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use xmlrpc::{Endpoint, Registry};
use xmlrpc_axum::{Listener, Server, XmlRpc};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut addr = "127.0.0.1:0".to_owned();
    let mut release = None;
    let mut drain = 30;
    let mut systemd = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().unwrap_or_default(),
            "--systemd" => systemd = true,
            "--release" => release = args.next().map(PathBuf::from),
            "--drain-timeout" => drain = args.next().and_then(|s| s.parse().ok()).unwrap_or(30),
            other => panic!("serve-slow: unknown argument {other:?}"),
        }
    }
    let Some(release) = release else {
        panic!("serve-slow: --release FILE is required");
    };
    let registry = Registry::new()
        .function("add", |a: i32, b: i32| a + b)
        .function("slow", move || {
            let release = release.clone();
            async move {
                say("slow started");
                for _ in 0..6000 {
                    if release.exists() {
                        return "done";
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                "gave up"
            }
        });
    let listener = if systemd {
        Listener::from_systemd()?.expect("serve-slow --systemd: no LISTEN_FDS")
    } else {
        Listener::bind(addr.as_str()).await?
    };
    say(&format!("listening {}", listener.local_addr()?));
    Server::new()
        .drain_timeout(Duration::from_secs(drain))
        .serve(
            listener,
            XmlRpc::new(Endpoint::new(registry).log_requests(false)),
        )
        .await?;
    say("stopped");
    Ok(())
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
