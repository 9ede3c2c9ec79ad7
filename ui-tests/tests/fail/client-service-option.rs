// `skip` and `expose` choose a service's methods; every method of a client trait is a call.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Calc {
    #[xmlrpc(skip)]
    fn add(&self, a: i32, b: i32) -> i32;
}

fn main() {}
