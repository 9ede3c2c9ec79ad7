//! Python's `DocXMLRPCServer` example: a documentation page with its title, name and
//! description set, listing every method with its signature and help, and a form to try it.
//!
//! `cargo run --example doc_server`, then open http://127.0.0.1:8000/ in a browser.

use xmlrpc::{DocPage, Endpoint, Registry, xmlrpc_service};
use xmlrpc_examples::cli;

/// Some arithmetic.
struct Arithmetic;

#[xmlrpc_service]
impl Arithmetic {
    /// Add two integers together.
    pub(crate) fn add(&self, x: i64, y: i64) -> i64 {
        x.wrapping_add(y)
    }

    /// Split a sentence into its words.
    pub(crate) fn words(&self, sentence: String) -> Vec<String> {
        sentence.split_whitespace().map(str::to_owned).collect()
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    cli::init_logging();
    let mut registry = Registry::new();
    registry
        .service(Arithmetic)
        .map_err(std::io::Error::other)?;
    let page = DocPage::new()
        .title("DocXMLRPCServer Test Documentation")
        .name("DocXMLRPCServer Test Docs")
        .description(
            "This is an XML-RPC server. Its methods are listed below, with their signatures, \
             and each can be tried from this page.",
        );
    xmlrpc_axum::serve_endpoint(cli::addr(), Endpoint::new(registry).documentation(page)).await
}
