use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service(namespace = "a", namespace = "b")]
impl S {
    pub fn ping(&self) -> bool {
        true
    }
}

fn main() {}
