use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn consume(self) -> i32 {
        1
    }
}

fn main() {}
