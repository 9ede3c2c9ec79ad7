use xmlrpc::xmlrpc_service;

pub struct Counter {
    n: i32,
}

#[xmlrpc_service]
impl Counter {
    pub fn increment(&mut self) -> i32 {
        self.n += 1;
        self.n
    }
}

fn main() {}
