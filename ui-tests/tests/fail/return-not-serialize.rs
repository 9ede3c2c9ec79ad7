use xmlrpc::xmlrpc_service;

pub struct NotData;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn give(&self) -> NotData {
        NotData
    }
}

fn main() {}
