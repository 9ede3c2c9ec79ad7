// The client is shared by every call: `&self`, not `&mut self`.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Calc {
    fn add(&mut self, a: i32, b: i32) -> i32;
}

fn main() {}
