use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service(rename_all = "kebab-case")]
impl S {
    pub fn get_time(&self) -> i32 {
        1
    }
}

fn main() {}
