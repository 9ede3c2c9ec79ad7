use xmlrpc::xmlrpc_function;

pub struct NotData;

/// Takes something that cannot be read from a call.
#[xmlrpc_function]
fn take(value: NotData) -> i32 {
    let _ = value;
    1
}

fn main() {}
