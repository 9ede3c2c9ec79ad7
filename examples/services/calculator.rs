//! The first example of Python's `xmlrpc.server` documentation: `pow`, an adder registered
//! as `add`, and `mul` from a service, at `/RPC2` only, with introspection.

use xmlrpc::{Registry, xmlrpc_service};

/// Python's `MyFuncs`.
#[derive(Debug)]
pub struct MyFuncs;

#[xmlrpc_service]
impl MyFuncs {
    /// Multiplies two numbers.
    pub fn mul(&self, x: i64, y: i64) -> i64 {
        x.wrapping_mul(y)
    }
}

/// Adds two numbers; registered as `add`.
pub fn adder_function(x: i64, y: i64) -> i64 {
    x.wrapping_add(y)
}

/// The registry of the calculator.
///
/// # Panics
///
/// Never: the names are fixed and distinct.
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    registry
        .function("pow", crate::demo::pow)
        .and_then(|r| r.function("add", adder_function))
        .and_then(|r| r.service(MyFuncs))
        .expect("distinct method names");
    registry.multicall(false);
    registry
}
