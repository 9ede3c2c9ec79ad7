// The server takes definite types.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Store {
    fn put<T: serde::Serialize>(&self, value: T) -> bool;
}

fn main() {}
