use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl Default for S {
    fn default() -> Self {
        S
    }
}

fn main() {}
