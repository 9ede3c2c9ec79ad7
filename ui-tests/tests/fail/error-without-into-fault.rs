use xmlrpc::xmlrpc_service;

#[derive(Debug)]
pub struct MyError;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn fallible(&self) -> Result<i32, MyError> {
        Err(MyError)
    }
}

fn main() {}
