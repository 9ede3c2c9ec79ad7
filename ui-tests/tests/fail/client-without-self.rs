// A client method is called on the client: it takes `&self`.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Calc {
    fn add(a: i32, b: i32) -> i32;
}

fn main() {}
