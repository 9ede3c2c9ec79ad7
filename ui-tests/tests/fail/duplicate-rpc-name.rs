use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }

    #[xmlrpc(name = "add")]
    pub fn add_floats(&self, a: f64, b: f64) -> f64 {
        a + b
    }
}

fn main() {}
