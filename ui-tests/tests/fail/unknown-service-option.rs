use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service(prefix = "math")]
impl S {
    pub fn one(&self) -> i32 {
        1
    }
}

fn main() {}
