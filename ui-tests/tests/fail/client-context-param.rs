// A request context is what a server's method receives; a client sends none.
use xmlrpc::xmlrpc_client;

#[xmlrpc_client]
pub trait Calc {
    fn whoami(&self, ctx: &xmlrpc::Context) -> String;
}

fn main() {}
