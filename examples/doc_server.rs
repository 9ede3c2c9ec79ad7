//! Python's `DocXMLRPCServer` example: a documentation page with its title, name and
//! description set, listing every method with its signature and help, and a form to try it.
//!
//! `cargo run --example doc_server [-- --addr 127.0.0.1:8000]`, then open
//! <http://127.0.0.1:8000/> in a browser.

use xmlrpc::{DocPage, Endpoint, Registry, xmlrpc_service};

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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let addr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let registry = Registry::new().service(Arithmetic);
    let page = DocPage::new()
        .title("DocXMLRPCServer Test Documentation")
        .name("DocXMLRPCServer Test Docs")
        .description(
            "This is an XML-RPC server. Its methods are listed below, with their signatures, \
             and each can be tried from this page.",
        );
    xmlrpc_axum::serve_endpoint(addr, Endpoint::new(registry).documentation(page)).await
}
