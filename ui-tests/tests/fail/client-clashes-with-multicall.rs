// `send` sends the generated multicall; the XML-RPC method keeps its name with `name`.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Mailer {
    fn send(&self, to: &str) -> bool;
}

fn main() {}
