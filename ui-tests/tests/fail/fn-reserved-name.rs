use xmlrpc::xmlrpc_function;

/// Lists nothing.
#[xmlrpc_function(name = "system.listMethods")]
fn list() -> Vec<String> {
    Vec::new()
}

fn main() {}
