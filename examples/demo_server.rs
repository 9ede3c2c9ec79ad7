//! The twin of `python -m xmlrpc.server`: `pow`, `add`, `getData`,
//! `currentTime.getCurrentTime`, multicall and introspection, with a documentation page on
//! GET.
//!
//! ```sh
//! cargo run --example demo_server                 # serves on 127.0.0.1:8000
//! cargo run --example demo_server -- --addr 127.0.0.1:9000
//! python3 -c "import xmlrpc.client as x; print(x.ServerProxy('http://127.0.0.1:8000').pow(2, 9))"
//! ```
//!
//! The same endpoint on every transport the toolkit serves (one at a time):
//!
//! ```sh
//! cargo run --example demo_server -- --unix /tmp/demo.sock      # HTTP on a Unix socket
//! cargo run --example demo_server -- --tls-cert cert.pem --tls-key key.pem   # HTTPS
//! cargo run --example demo_server -- --scgi 127.0.0.1:4000      # SCGI, for nginx's scgi_pass
//! cargo run --example demo_server -- --scgi /tmp/demo-scgi.sock # SCGI on a Unix socket
//! ```
//!
//! (`openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout
//! key.pem -out cert.pem -days 30 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1`
//! makes a certificate to try HTTPS with.) Ctrl-C or SIGTERM stops it after a graceful drain.

use std::net::SocketAddr;

use xmlrpc::{DateTime, DocPage, Endpoint, Fault, Registry, xmlrpc_function, xmlrpc_service};
use xmlrpc_axum::{Listener, Server, Tls, XmlRpc};

/// Python's `ExampleService`.
struct ExampleService;

#[xmlrpc_service]
impl ExampleService {
    /// Returns the string `'42'`.
    #[xmlrpc(name = "getData")]
    pub(crate) fn get_data(&self) -> &'static str {
        "42"
    }
}

/// Python's `ExampleService.currentTime`, under its dotted name.
struct CurrentTime;

#[xmlrpc_service(namespace = "currentTime", rename_all = "camelCase")]
impl CurrentTime {
    /// Returns the server's local date and time.
    pub(crate) fn get_current_time(&self) -> DateTime {
        DateTime::now()
    }
}

/// Returns `x` to the power `y`, as Python's built-in `pow(2, 9)` answers; a fault when
/// the result does not fit in 64 bits.
#[xmlrpc_function]
fn pow(x: i64, y: u32) -> Result<i64, Fault> {
    x.checked_pow(y)
        .ok_or_else(|| Fault::new(1, format!("pow({x}, {y}) does not fit in 64 bits")))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // Requests are logged to standard error, as Python's server logs them (RUST_LOG filters).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();

    let registry = Registry::new()
        .register(pow)
        .function("add", |x: i64, y: i64| x.wrapping_add(y))
        .service(ExampleService)
        .service(CurrentTime);
    let page = DocPage::new()
        .title("XML-RPC demo server")
        .name("XML-RPC demo server")
        .description("The methods of Python's `python -m xmlrpc.server` demo, served from Rust.");
    let endpoint = XmlRpc::new(Endpoint::new(registry).documentation(page));

    let mut server = Server::new();
    if let Some((cert, key)) = args.tls {
        server = server.tls(
            Tls::builder()
                .certificate_chain_file(cert)
                .private_key_file(key)
                .build()?,
        );
    }
    match (args.unix, args.scgi) {
        (Some(path), _) => server.serve(Listener::unix(path).bind()?, endpoint).await,
        (None, Some(scgi)) => {
            let listener = match scgi.parse::<SocketAddr>() {
                Ok(addr) => Listener::bind(addr).await?,
                Err(_) => Listener::unix(scgi).bind()?,
            };
            server.serve_scgi(listener, endpoint).await
        }
        (None, None) => {
            server
                .serve(Listener::bind(args.addr).await?, endpoint)
                .await
        }
    }
}

/// The command line: where to serve, and how.
struct Args {
    addr: String,
    unix: Option<String>,
    tls: Option<(String, String)>,
    scgi: Option<String>,
}

impl Args {
    /// Reads the flags; a mistake prints the usage and exits with status 2.
    fn parse() -> Args {
        let mut args = Args {
            addr: "127.0.0.1:8000".to_owned(),
            unix: None,
            tls: None,
            scgi: None,
        };
        let (mut cert, mut key) = (None, None);
        let mut argv = std::env::args().skip(1);
        while let Some(flag) = argv.next() {
            let value = argv
                .next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")));
            match flag.as_str() {
                "--addr" => args.addr = value,
                "--unix" => args.unix = Some(value),
                "--scgi" => args.scgi = Some(value),
                "--tls-cert" => cert = Some(value),
                "--tls-key" => key = Some(value),
                other => usage(&format!("unknown flag {other}")),
            }
        }
        args.tls = match (cert, key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => usage("--tls-cert and --tls-key go together"),
        };
        if args.unix.is_some() && args.scgi.is_some() {
            usage("--unix and --scgi are two ways to serve: choose one");
        }
        if args.tls.is_some() && args.scgi.is_some() {
            usage("SCGI has no TLS: the front server speaks it");
        }
        args
    }
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "demo_server: {problem}\nusage: demo_server [--addr HOST:PORT | --unix PATH | --scgi HOST:PORT|PATH] [--tls-cert FILE --tls-key FILE]"
    );
    std::process::exit(2)
}
