// The client attribute goes on a trait that declares the server's methods.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub struct Supervisor;

fn main() {}
