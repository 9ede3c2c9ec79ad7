use xmlrpc::xmlrpc_service;

pub struct S;

#[xmlrpc_service]
impl S {
    // The second `name` is reported, in the same attribute or in another.
    #[xmlrpc(name = "one", name = "two")]
    pub fn ping(&self) -> bool {
        true
    }

    #[xmlrpc(name = "three")]
    #[xmlrpc(name = "four")]
    pub fn pong(&self) -> bool {
        false
    }
}

fn main() {}
