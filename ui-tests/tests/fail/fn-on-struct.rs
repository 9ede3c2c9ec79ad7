use xmlrpc::xmlrpc_function;

#[xmlrpc_function]
pub struct NotAFunction;

fn main() {}
