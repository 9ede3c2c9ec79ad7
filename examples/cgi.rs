//! Python's `CGIXMLRPCRequestHandler`: a CGI script that answers one call per run. With
//! `--doc`, GET is answered with the documentation page (`DocCGIXMLRPCRequestHandler`).
//!
//! Build it with `cargo build --example cgi` and point a web server's CGI at
//! `target/debug/examples/cgi`, or try it without one:
//!
//! ```sh
//! printf '<methodCall><methodName>add</methodName><params><param><value><int>2</int></value></param><param><value><int>3</int></value></param></params></methodCall>' > call.xml
//! REQUEST_METHOD=POST CONTENT_LENGTH=$(wc -c < call.xml) cargo run -q --example cgi < call.xml
//! REQUEST_METHOD=GET cargo run -q --example cgi -- --doc
//! ```

use xmlrpc::{CgiHandler, DocPage, Endpoint, Registry, xmlrpc_service};

/// Arithmetic for the script to serve.
struct Calculator;

#[xmlrpc_service]
impl Calculator {
    /// Adds two numbers.
    pub(crate) fn add(&self, x: i64, y: i64) -> i64 {
        x.wrapping_add(y)
    }

    /// Multiplies two numbers.
    pub(crate) fn mul(&self, x: i64, y: i64) -> i64 {
        x.wrapping_mul(y)
    }
}

fn main() -> std::io::Result<()> {
    let mut endpoint = Endpoint::new(Registry::new().service(Calculator));
    if std::env::args().any(|arg| arg == "--doc") {
        endpoint = endpoint.documentation(
            DocPage::new()
                .title("CGI calculator")
                .name("CGI calculator"),
        );
    }
    CgiHandler::new(endpoint).handle_request(None)
}
