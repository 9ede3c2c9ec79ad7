//! An XML-RPC server over HTTPS, with TLS set up in code: the certificate and key from PEM
//! files, HTTP/2 and HTTP/1.1 offered by ALPN, a health route that turns 503 while the server
//! drains after Ctrl-C or SIGTERM.
//!
//! Make a certificate for trying it out (a real one comes from your authority, or ACME):
//!
//! ```sh
//! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
//!     -keyout key.pem -out cert.pem -days 30 -subj /CN=localhost \
//!     -addext subjectAltName=DNS:localhost,IP:127.0.0.1
//! cargo run --example tls_server -- --cert cert.pem --key key.pem [--addr 127.0.0.1:8443]
//! python3 -c "import ssl, xmlrpc.client as x; \
//!     c = ssl.create_default_context(cafile='cert.pem'); \
//!     print(x.ServerProxy('https://127.0.0.1:8443/RPC2', context=c).add(2, 3))"
//! curl --cacert cert.pem https://127.0.0.1:8443/ready
//! ```

use axum::http::StatusCode;
use axum::routing::get;
use xmlrpc::{Endpoint, Registry};
use xmlrpc_axum::{Listener, Server, Tls, XmlRpc};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let arg = |name: &str| std::env::args().skip_while(|arg| arg != name).nth(1);
    let addr = arg("--addr").unwrap_or_else(|| "127.0.0.1:8443".to_owned());
    let (Some(cert), Some(key)) = (arg("--cert"), arg("--key")) else {
        eprintln!("usage: tls_server --cert CERT.pem --key KEY.pem [--addr HOST:PORT]");
        std::process::exit(2);
    };

    // TLS: the chain and key as PEM; `.client_ca_file(...)` would also ask clients for
    // certificates signed by that authority.
    let tls = Tls::builder()
        .certificate_chain_file(cert)
        .private_key_file(key)
        .build()?;

    let registry = Registry::new().function("add", |a: i64, b: i64| a.wrapping_add(b));
    let server = Server::new().tls(tls);
    let ready = server.readiness();
    let app = XmlRpc::new(Endpoint::new(registry)).into_router().route(
        "/ready",
        get(move || async move {
            if ready.is_ready() {
                (StatusCode::OK, "ready\n")
            } else {
                (StatusCode::SERVICE_UNAVAILABLE, "draining\n")
            }
        }),
    );
    server.serve(Listener::bind(addr).await?, app).await
}
