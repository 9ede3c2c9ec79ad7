use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    #[xmlrpc(nmae = "other")]
    pub fn one(&self) -> i32 {
        1
    }
}

fn main() {}
