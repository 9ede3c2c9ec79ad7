// Every mistake is reported at once, each where it is; the methods without one are still
// generated, so the call below is not an error.
use xmlrpc::{Registry, xmlrpc_client};

#[xmlrpc_client(namespace = "bad name", rename_all = "kebab")]
pub trait Calc {
    fn add(&self, a: i32, b: i32) -> i32;

    fn sub(a: i32, b: i32) -> i32;

    fn mul(&mut self, a: i32, b: i32) -> i32;

    #[xmlrpc(nmae = "x")]
    fn div(&self, a: i32, b: i32) -> i32;

    const PI: f64;
}

async fn call(registry: &Registry) {
    let _ = CalcClient::new(registry).add(1, 2).await;
}

fn main() {
    let _ = call;
}
