use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service(namespace = "current time.")]
impl S {
    pub fn now(&self) -> i32 {
        1
    }
}

fn main() {}
