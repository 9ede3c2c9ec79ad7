// The result is read from the server's answer: its type must implement Deserialize.
use xmlrpc::{Registry, xmlrpc_client};

pub struct Opaque;

#[xmlrpc_client]
pub trait Store {
    fn get(&self) -> Opaque;
}

async fn call(registry: &Registry) {
    let _ = StoreClient::new(registry).get().await;
}

fn main() {
    let _ = call;
}
