//! An axum app that already exists — its own routes and state — with an XML-RPC service
//! nested at `/RPC2` behind an authentication layer, whose user a method reads from the
//! request context, and tower-http's CORS and timeout layers applied as axum users apply
//! them.
//!
//! `cargo run --example mount_in_axum [-- --addr 127.0.0.1:8000]`, then
//! `python3 -c "import xmlrpc.client as x; print(x.ServerProxy('http://ada:secret@127.0.0.1:8000/RPC2').whoami())"`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;
use xmlrpc::{Context, Endpoint, Fault, Registry, xmlrpc_service};
use xmlrpc_axum::XmlRpc;

/// The app's own state.
#[derive(Clone, Default)]
struct AppState {
    visits: Arc<AtomicU64>,
}

/// Who the authentication layer let in.
#[derive(Clone, Debug)]
struct User(String);

/// The accounts: name and password.
const ACCOUNTS: &[(&str, &str)] = &[("ada", "secret"), ("grace", "cobol")];

/// Checks HTTP basic authentication and attaches the [`User`] to the request.
async fn authenticate(mut request: Request, next: Next) -> Response {
    let user = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| decode_basic(b64.trim()))
        .and_then(|(name, password)| {
            ACCOUNTS
                .iter()
                .find(|(n, p)| *n == name && *p == password)
                .map(|(n, _)| User((*n).to_owned()))
        });
    match user {
        Some(user) => {
            request.extensions_mut().insert(user);
            next.run(request).await
        }
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Basic realm=\"xmlrpc\"")],
            "authentication required\n",
        )
            .into_response(),
    }
}

/// `user:password` from base64, without a base64 dependency in the example: the standard
/// alphabet decoded by hand.
fn decode_basic(b64: &str) -> Option<(String, String)> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in b64.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    let text = String::from_utf8(out).ok()?;
    let (name, password) = text.split_once(':')?;
    Some((name.to_owned(), password.to_owned()))
}

/// The service the app exposes over XML-RPC.
struct Account;

#[xmlrpc_service]
impl Account {
    /// The authenticated user's name, as the authentication layer left it.
    pub(crate) fn whoami(&self, ctx: &Context) -> Result<String, Fault> {
        ctx.extensions()
            .get::<User>()
            .map(|u| u.0.clone())
            .ok_or_else(|| Fault::new(403, "not authenticated"))
    }

    /// Adds two numbers, for anyone who got in.
    pub(crate) fn add(&self, a: i64, b: i64) -> i64 {
        a.wrapping_add(b)
    }
}

async fn home(State(state): State<AppState>) -> String {
    let n = state.visits.fetch_add(1, Ordering::Relaxed) + 1;
    format!("The app's own page, visited {n} times. XML-RPC lives at /RPC2.\n")
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

    let rpc = XmlRpc::new(Endpoint::new(Registry::new().service(Account)).paths(["/"]))
        .into_router()
        .layer(middleware::from_fn(authenticate));

    let app = Router::new()
        .route("/", get(home))
        .route("/health", get(|| async { "ok\n" }))
        .nest("/RPC2", rpc)
        .layer(CorsLayer::permissive())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .with_state(AppState::default());

    let listener = tokio::net::TcpListener::bind(addr).await?;
    xmlrpc_axum::serve_router(listener, app).await
}
