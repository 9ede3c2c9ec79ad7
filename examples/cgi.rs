//! Python's `CGIXMLRPCRequestHandler`: answer one call per run, as a CGI script. With
//! `--doc`, GET is answered with the documentation page (`DocCGIXMLRPCRequestHandler`).
//!
//! Try it without a web server:
//! `printf '<methodCall><methodName>add</methodName><params><param><value><int>2</int></value></param><param><value><int>3</int></value></param></params></methodCall>' > /tmp/call.xml`
//! `REQUEST_METHOD=POST CONTENT_LENGTH=$(wc -c < /tmp/call.xml) cargo run -q --example cgi < /tmp/call.xml`

use xmlrpc::{CgiHandler, Endpoint};
use xmlrpc_examples::{calculator, cli, demo};

fn main() -> std::io::Result<()> {
    let mut endpoint = Endpoint::new(calculator::registry());
    if cli::flag("--doc") {
        endpoint = endpoint.documentation(
            demo::documentation()
                .title("CGI calculator")
                .name("CGI calculator"),
        );
    }
    CgiHandler::new(endpoint).handle_request(None)
}
