//! The twin of `python -m xmlrpc.server`: `pow`, `add`, `getData`,
//! `currentTime.getCurrentTime`, multicall and introspection, with a documentation page on
//! GET.
//!
//! ```sh
//! cargo run --example demo_server                 # serves on 127.0.0.1:8000
//! cargo run --example demo_server -- --addr 127.0.0.1:9000
//! python3 -c "import xmlrpc.client as x; print(x.ServerProxy('http://127.0.0.1:8000').pow(2, 9))"
//! ```

use xmlrpc::{DateTime, DocPage, Endpoint, Fault, Registry, xmlrpc_function, xmlrpc_service};

/// Python's `ExampleService`.
struct ExampleService;

#[xmlrpc_service]
impl ExampleService {
    /// Returns the string `'42'`.
    #[xmlrpc(name = "getData")]
    pub(crate) fn get_data(&self) -> &'static str {
        "42"
    }
}

/// Python's `ExampleService.currentTime`, under its dotted name.
struct CurrentTime;

#[xmlrpc_service(namespace = "currentTime", rename_all = "camelCase")]
impl CurrentTime {
    /// Returns the server's local date and time.
    pub(crate) fn get_current_time(&self) -> DateTime {
        DateTime::now()
    }
}

/// Returns `x` to the power `y`, as Python's built-in `pow(2, 9)` answers; a fault when
/// the result does not fit in 64 bits.
#[xmlrpc_function]
fn pow(x: i64, y: u32) -> Result<i64, Fault> {
    x.checked_pow(y)
        .ok_or_else(|| Fault::new(1, format!("pow({x}, {y}) does not fit in 64 bits")))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // Requests are logged to standard error, as Python's server logs them (RUST_LOG filters).
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

    let registry = Registry::new()
        .register(pow)
        .function("add", |x: i64, y: i64| x.wrapping_add(y))
        .service(ExampleService)
        .service(CurrentTime);
    let page = DocPage::new()
        .title("XML-RPC demo server")
        .name("XML-RPC demo server")
        .description("The methods of Python's `python -m xmlrpc.server` demo, served from Rust.");
    xmlrpc_axum::serve_endpoint(addr, Endpoint::new(registry).documentation(page)).await
}
