//! The twin of `python -m xmlrpc.server`: `pow`, `add`, `getData` returning `'42'`,
//! `currentTime.getCurrentTime`, multicall and introspection.

use xmlrpc::{DateTime, DocPage, Fault, Registry, xmlrpc_service};

/// Python's `ExampleService`.
#[derive(Debug)]
pub struct ExampleService;

#[xmlrpc_service]
impl ExampleService {
    /// Returns the string `'42'`.
    #[xmlrpc(name = "getData")]
    pub fn get_data(&self) -> &'static str {
        "42"
    }
}

/// Python's `ExampleService.currentTime`, under its dotted name.
#[derive(Debug)]
pub struct CurrentTime;

#[xmlrpc_service(namespace = "currentTime", rename_all = "camelCase")]
impl CurrentTime {
    /// Returns the server's local date and time.
    pub fn get_current_time(&self) -> DateTime {
        DateTime::now()
    }
}

/// `pow(x, y)` for integers, as Python's built-in answers `pow(2, 9)`.
///
/// # Errors
///
/// A fault when the result does not fit in 64 bits.
pub fn pow(x: i64, y: u32) -> Result<i64, Fault> {
    x.checked_pow(y)
        .ok_or_else(|| Fault::new(1, format!("pow({x}, {y}) does not fit in 64 bits")))
}

/// The registry of the demo server.
///
/// # Panics
///
/// Never: the names are fixed and distinct.
pub fn registry() -> Registry {
    let mut registry = Registry::new();
    registry
        .function("pow", pow)
        .and_then(|r| r.function("add", |x: i64, y: i64| x.wrapping_add(y)))
        .and_then(|r| r.service(ExampleService))
        .and_then(|r| r.service(CurrentTime))
        .expect("distinct method names");
    registry
}

/// The documentation page shown on GET.
pub fn documentation() -> DocPage {
    DocPage::new()
        .title("XML-RPC demo server")
        .name("XML-RPC demo server")
        .description("The methods of Python's `python -m xmlrpc.server` demo, served from Rust.")
}
