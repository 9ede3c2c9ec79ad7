//! The classic XML-RPC validator suite's eight methods (`validator1.*`).
//!
//! `cargo run --example validator1`

use xmlrpc_examples::{cli, validator1};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    cli::init_logging();
    xmlrpc_axum::serve(cli::addr(), validator1::registry()).await
}
