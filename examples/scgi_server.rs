//! An XML-RPC endpoint served over SCGI, behind nginx: how rTorrent serves its API, and how
//! nginx (`scgi_pass`) hands requests to a long-running application.
//!
//! ```sh
//! cargo run --example scgi_server                        # SCGI on /tmp/xmlrpc-scgi.sock
//! cargo run --example scgi_server -- --tcp 127.0.0.1:4000
//! ```
//!
//! The nginx configuration that fronts it (`nginx -p . -c nginx.conf`; as an unprivileged
//! user, every path under the prefix):
//!
//! ```nginx
//! daemon off;
//! pid nginx.pid;
//! error_log error.log;
//! events {}
//! http {
//!     access_log access.log;
//!     client_body_temp_path body;
//!     scgi_temp_path scgi;
//!     server {
//!         listen 127.0.0.1:8080;
//!         location /RPC2 {
//!             include /etc/nginx/scgi_params;    # REQUEST_METHOD, REQUEST_URI, REMOTE_ADDR, ...
//!             scgi_pass unix:/tmp/xmlrpc-scgi.sock;
//!             # or, with --tcp: scgi_pass 127.0.0.1:4000;
//!         }
//!     }
//! }
//! ```
//!
//! Then the clients call nginx:
//!
//! ```sh
//! python3 -c "import xmlrpc.client as x; p = x.ServerProxy('http://127.0.0.1:8080/RPC2'); \
//!     print(p.add(2, 3), p.whoami())"
//! ```
//!
//! `whoami` answers the client's address as nginx reported it (`REMOTE_ADDR`,
//! `REMOTE_PORT`). The socket file is replaced when a dead server left it, refused when a live
//! one serves on it, and removed when the server stops (Ctrl-C or SIGTERM, after a drain).

use xmlrpc::{Context, Endpoint, Registry, xmlrpc_service};
use xmlrpc_axum::{Listener, Server, XmlRpc};

/// The methods behind nginx.
struct Api;

#[xmlrpc_service]
impl Api {
    /// Adds two integers.
    pub(crate) fn add(&self, a: i64, b: i64) -> i64 {
        a.wrapping_add(b)
    }

    /// The client's address, as the front server reported it.
    pub(crate) fn whoami(&self, ctx: &Context) -> String {
        ctx.peer().to_string()
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
    let tcp = std::env::args().skip_while(|arg| arg != "--tcp").nth(1);
    let listener = match tcp {
        Some(addr) => Listener::bind(addr).await?,
        // nginx's workers run as another user: let them connect.
        None => Listener::unix("/tmp/xmlrpc-scgi.sock").mode(0o666).bind()?,
    };
    let endpoint = Endpoint::new(Registry::new().service(Api));
    Server::new()
        .serve_scgi(listener, XmlRpc::new(endpoint))
        .await
}
