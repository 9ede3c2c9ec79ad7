//! The first example of Python's `xmlrpc.server` documentation: calls only at `/RPC2`,
//! introspection, `pow`, a function registered as `add`, and `mul` from a service.
//!
//! `cargo run --example calculator`, then from Python:
//! `s = xmlrpc.client.ServerProxy('http://127.0.0.1:8000/RPC2'); s.pow(2, 3); s.add(2, 3); s.mul(5, 2)`.

use xmlrpc::Endpoint;
use xmlrpc_examples::{calculator, cli};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    cli::init_logging();
    let endpoint = Endpoint::new(calculator::registry()).paths(["/RPC2"]);
    xmlrpc_axum::serve_endpoint(cli::addr(), endpoint).await
}
