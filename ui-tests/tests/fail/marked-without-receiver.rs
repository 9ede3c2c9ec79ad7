use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    #[xmlrpc(name = "make")]
    pub fn new() -> Self {
        S
    }
}

fn main() {}
