//! Plain functions and closures registered by name: Python's `register_function(f, name)`,
//! and its decorator form, which in Rust is registering a named `fn`.
//!
//! `cargo run --example functions [-- --addr 127.0.0.1:8000]`

use xmlrpc::{Fault, Registry};

/// Python's `@server.register_function(name='add')` on `adder_function`.
fn adder_function(x: i64, y: i64) -> i64 {
    x.wrapping_add(y)
}

/// Python's `@server.register_function` on `mul`.
fn mul(x: i64, y: i64) -> i64 {
    x.wrapping_mul(y)
}

/// An `async fn` works the same; errors become faults.
async fn divide(x: f64, y: f64) -> Result<f64, Fault> {
    if y == 0.0 {
        Err(Fault::new(1, "division by zero"))
    } else {
        Ok(x / y)
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let addr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let greeting = String::from("Hello");
    let registry = Registry::new()
        .function("add", adder_function)
        .function("mul", mul)
        .function("divide", divide)
        // A closure, capturing what it needs; trailing `Option`s may be left out.
        .function("greet", move |name: String, punctuation: Option<String>| {
            format!(
                "{greeting}, {name}{}",
                punctuation.unwrap_or_else(|| "!".into())
            )
        });
    xmlrpc_axum::serve(addr, registry).await
}
