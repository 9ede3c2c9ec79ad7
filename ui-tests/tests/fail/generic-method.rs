use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn first<T: serde::de::DeserializeOwned>(&self, value: T) -> i32 {
        let _ = value;
        1
    }
}

fn main() {}
