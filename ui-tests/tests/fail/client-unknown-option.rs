// An option the attribute does not have.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client(namespace = "calc", colour = "blue")]
pub trait Calc {
    fn add(&self, a: i32, b: i32) -> i32;
}

fn main() {}
