//! The endpoint of the case table as a CGI program, so that `tests/endpoint_cases.rs` can run
//! every row through the CGI adapter as a web server would: `--documented` adds the
//! documentation page.

use xmlrpc::CgiHandler;

fn main() -> std::io::Result<()> {
    let documented = std::env::args().any(|arg| arg == "--documented");
    CgiHandler::new(xmlrpc_tests::cases::endpoint(documented)).handle_request(None)
}
