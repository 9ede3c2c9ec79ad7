// The server runs the method: the trait only declares it.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Calc {
    fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }
}

fn main() {}
