use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn numbers(&self) -> impl serde::Serialize {
        vec![1, 2, 3]
    }
}

fn main() {}
