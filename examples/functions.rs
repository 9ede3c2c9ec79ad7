//! Plain functions and closures registered by name: Python's `register_function(f, name)`,
//! and its decorator form, which in Rust is registering a named `fn`.
//!
//! `cargo run --example functions`

use xmlrpc::{Fault, Registry};
use xmlrpc_examples::cli;

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
    cli::init_logging();
    let greeting = String::from("Hello");
    let mut registry = Registry::new();
    registry
        .function("add", adder_function)
        .and_then(|r| r.function("mul", mul))
        .and_then(|r| r.function("divide", divide))
        // A closure, capturing what it needs; trailing `Option`s may be left out.
        .and_then(|r| {
            r.function("greet", move |name: String, punctuation: Option<String>| {
                format!(
                    "{greeting}, {name}{}",
                    punctuation.unwrap_or_else(|| "!".into())
                )
            })
        })
        .map_err(std::io::Error::other)?;
    xmlrpc_axum::serve(cli::addr(), registry).await
}
