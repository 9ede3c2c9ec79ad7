use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    #[xmlrpc(name = "system.listMethods")]
    pub fn methods(&self) -> Vec<String> {
        Vec::new()
    }
}

fn main() {}
