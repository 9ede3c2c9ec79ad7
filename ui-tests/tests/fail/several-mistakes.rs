// Every mistake is reported at once, each where it is.
use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service(namespace = "bad name", colour = "blue", rename_all = "kebab")]
impl S {
    #[xmlrpc(nmae = "x")]
    pub fn one(&self) -> i32 {
        1
    }

    pub fn two(&mut self) -> i32 {
        2
    }

    pub fn three<T>(&self, t: T) -> i32 {
        let _ = t;
        3
    }

    #[xmlrpc(name = "one")]
    pub fn four(&self) -> i32 {
        4
    }
}

fn main() {}
