use xmlrpc::xmlrpc_function;

/// Echoes anything.
#[xmlrpc_function]
fn echo<T: serde::Serialize>(value: T) -> T {
    value
}

fn main() {}
