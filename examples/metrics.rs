//! Counting calls per method and fault code, and their time, for a metrics scrape: the
//! endpoint's outcome hook feeds the counters, and `/metrics` serves them in Prometheus's text
//! format beside the XML-RPC endpoint.
//!
//! ```sh
//! cargo run --example metrics [-- --addr 127.0.0.1:8000]
//! python3 -c "import xmlrpc.client as x; p = x.ServerProxy('http://127.0.0.1:8000/RPC2'); \
//!     p.add(1, 2); p.add(3, 4); p.system.listMethods()"
//! curl http://127.0.0.1:8000/metrics
//! ```
//!
//! The same outcomes are in the endpoint's tracing span (`rpc.method`,
//! `rpc.xmlrpc.fault_code`, `http.response.status_code`), for an OpenTelemetry layer instead.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use axum::routing::get;
use xmlrpc::endpoint::Outcome;
use xmlrpc::{Endpoint, Fault, Registry};
use xmlrpc_axum::XmlRpc;

/// Calls and seconds, by method and fault code.
#[derive(Debug, Default)]
struct Metrics {
    calls: BTreeMap<(String, String), (u64, f64)>,
}

impl Metrics {
    fn record(&mut self, outcome: &Outcome) {
        let method = outcome.method.clone().unwrap_or_else(|| "-".to_owned());
        let fault = outcome
            .fault_code
            .map_or_else(|| "none".to_owned(), |code| code.to_string());
        let entry = self.calls.entry((method, fault)).or_default();
        entry.0 += 1;
        entry.1 += outcome.elapsed.as_secs_f64();
    }

    /// Prometheus's text exposition format.
    fn render(&self) -> String {
        let mut out = String::from(
            "# TYPE xmlrpc_calls_total counter\n# TYPE xmlrpc_call_seconds_total counter\n",
        );
        for ((method, fault), (calls, seconds)) in &self.calls {
            let labels = format!(
                "method=\"{}\",fault_code=\"{fault}\"",
                method.escape_default()
            );
            let _ = writeln!(out, "xmlrpc_calls_total{{{labels}}} {calls}");
            let _ = writeln!(out, "xmlrpc_call_seconds_total{{{labels}}} {seconds}");
        }
        out
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let metrics = Arc::new(Mutex::new(Metrics::default()));

    let registry = Registry::new()
        .function("add", |a: i64, b: i64| a.wrapping_add(b))
        .function("divide", |a: i64, b: i64| {
            a.checked_div(b)
                .ok_or_else(|| Fault::new(1, "division by zero"))
        });
    let counters = Arc::clone(&metrics);
    let endpoint = Endpoint::new(registry)
        .paths(["/RPC2"])
        .log_requests(false)
        .on_outcome(move |outcome| {
            if let Ok(mut metrics) = counters.lock() {
                metrics.record(outcome);
            }
        });
    let app = XmlRpc::new(endpoint).into_router().route(
        "/metrics",
        get(move || async move {
            metrics
                .lock()
                .map(|m| m.render())
                .unwrap_or_else(|_| String::from("# the counters are poisoned\n"))
        }),
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    xmlrpc_axum::serve_router(listener, app).await
}
