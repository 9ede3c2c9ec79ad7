//! The first example of Python's `xmlrpc.server` documentation: calls only at `/RPC2`,
//! introspection on, multicall off, `pow`, a function registered as `add`, and `mul` from a
//! service.
//!
//! ```sh
//! cargo run --example calculator [-- --addr 127.0.0.1:8000]
//! python3 -c "import xmlrpc.client as x; s = x.ServerProxy('http://127.0.0.1:8000/RPC2'); print(s.pow(2, 3), s.add(2, 3), s.mul(5, 2))"
//! ```

use xmlrpc::{Endpoint, Fault, Registry, xmlrpc_service};

/// Python's `MyFuncs`.
struct MyFuncs;

#[xmlrpc_service]
impl MyFuncs {
    /// Multiplies two numbers.
    pub(crate) fn mul(&self, x: i64, y: i64) -> i64 {
        x.wrapping_mul(y)
    }
}

/// Adds two numbers; registered as `add`, as Python's example registers
/// `adder_function` under that name.
fn adder_function(x: i64, y: i64) -> i64 {
    x.wrapping_add(y)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let registry = Registry::new()
        .function("pow", |x: i64, y: u32| {
            x.checked_pow(y)
                .ok_or_else(|| Fault::new(1, "the power does not fit in 64 bits"))
        })
        .function("add", adder_function)
        .service(MyFuncs)
        .multicall_enabled(false);
    xmlrpc_axum::serve_endpoint(addr, Endpoint::new(registry).paths(["/RPC2"])).await
}
