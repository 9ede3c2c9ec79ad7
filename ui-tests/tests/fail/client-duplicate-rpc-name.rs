// Two methods that would call the same XML-RPC method.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client(rename_all = "camelCase")]
pub trait Supervisor {
    fn get_state(&self) -> i32;

    #[xmlrpc(name = "getState")]
    fn state(&self) -> i32;
}

fn main() {}
