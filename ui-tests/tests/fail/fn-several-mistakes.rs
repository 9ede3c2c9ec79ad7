use xmlrpc::xmlrpc_function;

/// Every option mistake at once, and a mistake in the signature.
#[xmlrpc_function(name = "a", namespace = "b", name = "c")]
fn several(ctx: xmlrpc::Context, x: impl Into<i32>) -> i32 {
    let _ = ctx;
    x.into()
}

fn main() {}
