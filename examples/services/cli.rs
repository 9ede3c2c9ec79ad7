//! The command line every example server shares: `--addr HOST:PORT`.

use std::net::SocketAddr;

/// The address to serve on: `--addr HOST:PORT`, 127.0.0.1:8000 by default.
///
/// # Panics
///
/// On a malformed `--addr`, with a message that says what is expected; examples are
/// programs, and that is their usage error.
pub fn addr() -> SocketAddr {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:8000".to_owned();
    while let Some(arg) = args.next() {
        if arg == "--addr" {
            addr = args.next().unwrap_or_default();
        } else if let Some(value) = arg.strip_prefix("--addr=") {
            addr = value.to_owned();
        }
    }
    match addr.parse() {
        Ok(addr) => addr,
        Err(_) => panic!("--addr takes HOST:PORT, such as 127.0.0.1:8000; got {addr:?}"),
    }
}

/// Whether `--flag` was given.
pub fn flag(name: &str) -> bool {
    std::env::args().skip(1).any(|a| a == name)
}

/// Logs requests to standard error, as Python's servers do (`RUST_LOG` overrides).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}
