use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn transport(&self) -> &'static str {
        "tcp"
    }
}

fn main() {}
