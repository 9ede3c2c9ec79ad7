use xmlrpc::xmlrpc_service;

pub struct NotData;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn take(&self, value: NotData) -> i32 {
        let _ = value;
        1
    }
}

fn main() {}
