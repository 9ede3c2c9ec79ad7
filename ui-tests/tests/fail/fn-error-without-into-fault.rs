use xmlrpc::xmlrpc_function;

#[derive(Debug)]
pub struct MyError;

/// Fails with an error that has no fault.
#[xmlrpc_function]
fn fail() -> Result<i32, MyError> {
    Err(MyError)
}

fn main() {}
