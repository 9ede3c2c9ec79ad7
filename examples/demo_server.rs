//! The twin of `python -m xmlrpc.server`: `pow`, `add`, `getData`, `currentTime.getCurrentTime`,
//! multicall and introspection, with a documentation page on GET.
//!
//! `cargo run --example demo_server [-- --addr 127.0.0.1:8000]`, then for instance
//! `python3 -c "import xmlrpc.client as x; print(x.ServerProxy('http://127.0.0.1:8000').pow(2, 9))"`.

use xmlrpc::Endpoint;
use xmlrpc_examples::{cli, demo};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    cli::init_logging();
    let endpoint = Endpoint::new(demo::registry()).documentation(demo::documentation());
    xmlrpc_axum::serve_endpoint(cli::addr(), endpoint).await
}
