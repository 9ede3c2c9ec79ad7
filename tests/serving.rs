//! What the production-serving tests share: a probe service, servers run in-process with a
//! shutdown the test controls, raw connections, and peers (curl, nginx) as processes.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use xmlrpc::{Context, Endpoint, Registry, xmlrpc_service};
use xmlrpc_axum::{Listener, Server};

use crate::server::HANG_GUARD;

/// The methods the serving tests call.
#[derive(Debug)]
pub struct Probe;

#[xmlrpc_service]
impl Probe {
    /// `a + b`.
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a.wrapping_add(b)
    }

    /// Who called, as the transport said.
    pub fn peer(&self, ctx: &Context) -> String {
        ctx.peer().to_string()
    }

    /// Sleeps `ms` milliseconds, then answers `ms`.
    pub async fn sleep(&self, ms: u32) -> u32 {
        tokio::time::sleep(Duration::from_millis(u64::from(ms))).await;
        ms
    }

    /// A string of `n` bytes, for answers large enough to be compressed.
    pub fn big(&self, n: u32) -> String {
        "x".repeat(n as usize)
    }

    /// Logs an event from inside the call, for the tracing tests.
    pub fn hello(&self) -> &'static str {
        tracing::info!("hello from inside the method");
        "hello"
    }
}

/// The probe's endpoint, request log off.
pub fn endpoint() -> Endpoint {
    Endpoint::new(Registry::new().service(Probe)).log_requests(false)
}

/// A server running in-process on the test's runtime until [`Running::stop`].
#[derive(Debug)]
pub struct Running {
    /// Where it listens, when on TCP.
    pub addr: Option<SocketAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// The TCP address.
    ///
    /// # Panics
    ///
    /// When the server is not on TCP.
    pub fn tcp(&self) -> SocketAddr {
        self.addr.expect("a TCP server")
    }

    /// Starts the drain, as a signal would.
    pub fn start_drain(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Starts the drain and waits for the server to return.
    ///
    /// # Panics
    ///
    /// When it does not return within [`HANG_GUARD`], or fails.
    pub async fn stop(mut self) {
        self.start_drain();
        self.finished().await;
    }

    /// Waits for the server to return (after [`Running::start_drain`]).
    ///
    /// # Panics
    ///
    /// As [`Running::stop`].
    pub async fn finished(self) {
        tokio::time::timeout(HANG_GUARD, self.done)
            .await
            .expect("the server stops within the hang guard")
            .expect("the server task did not panic")
            .expect("the server returns Ok");
    }
}

/// Serves `app` over HTTP with `server` on a listener, stopping on [`Running::stop`].
pub fn spawn_http(server: Server, listener: Listener, app: impl Into<axum::Router>) -> Running {
    spawn(server, listener, app.into(), false)
}

/// Serves `app` over SCGI with `server` on a listener.
pub fn spawn_scgi(server: Server, listener: Listener, app: impl Into<axum::Router>) -> Running {
    spawn(server, listener, app.into(), true)
}

fn spawn(server: Server, listener: Listener, app: axum::Router, scgi: bool) -> Running {
    let addr = match listener.local_addr().expect("the listener's address") {
        xmlrpc_axum::ListenAddr::Tcp(addr) => Some(addr),
        _ => None,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = server.shutdown_signal(async {
        let _ = stopped.await;
    });
    let done = tokio::spawn(async move {
        if scgi {
            server.serve_scgi(listener, app).await
        } else {
            server.serve(listener, app).await
        }
    });
    Running {
        addr,
        stop: Some(stop),
        done,
    }
}

/// A loopback TCP listener on a free port.
///
/// # Panics
///
/// When none can be bound.
pub async fn loopback() -> Listener {
    Listener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port")
}

/// The XML of a call.
///
/// # Panics
///
/// When the parameters cannot be written.
pub fn call<P: serde::Serialize>(method: &str, params: &P) -> Vec<u8> {
    xmlrpc::call_to_vec(method, params).expect("a writable call")
}

/// The value of a `methodResponse`, or its fault.
///
/// # Panics
///
/// When the body is not a response of type `T`.
pub fn answer<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, xmlrpc::Fault> {
    let response: xmlrpc::MethodResponse<T> = xmlrpc::response_from_slice(body)
        .unwrap_or_else(|e| panic!("not a response ({e}): {}", String::from_utf8_lossy(body)));
    response.into_result()
}

/// Runs a program to its end within [`HANG_GUARD`], returning its standard output; `what`
/// names the Debian package that brings it, for the message when it is missing.
///
/// # Panics
///
/// When it cannot start, fails, or hangs.
pub fn run(program: &str, args: &[&str], package: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} (Debian package `{package}`) is needed: {e}"));
    let deadline = std::time::Instant::now() + HANG_GUARD;
    loop {
        match child.try_wait().expect("waiting for the child") {
            Some(_) => break,
            None if std::time::Instant::now() > deadline => {
                let _ = child.kill();
                panic!("{program} {args:?} hangs");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let out = child.wait_with_output().expect("the child's output");
    assert!(
        out.status.success(),
        "{program} {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// nginx, run unprivileged in the foreground with a configuration and every file of its own
/// in a temporary folder, stopped by its PID when dropped.
#[derive(Debug)]
pub struct Nginx {
    child: Child,
}

impl Nginx {
    /// Starts nginx with `http_block` (the inside of its `http { }`) in `dir`, and waits until
    /// it listens on `port`.
    ///
    /// # Panics
    ///
    /// When nginx is not installed (naming the Debian package), refuses the configuration,
    /// or does not listen within [`HANG_GUARD`].
    pub fn start(dir: &Path, port: u16, http_block: &str) -> Nginx {
        let which = Command::new("nginx")
            .arg("-v")
            .stderr(Stdio::null())
            .status();
        if !matches!(which, Ok(status) if status.success()) {
            panic!(
                "nginx is needed by this test: install the Debian package `nginx` (scripts/test does, as root)"
            );
        }
        let d = dir.display();
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log info;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  access_log {d}/access.log;\n  client_body_temp_path {d}/client_body;\n  \
             proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  \
             scgi_temp_path {d}/scgi;\n{http_block}\n}}\n"
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("writing nginx.conf");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting nginx");
        let mut nginx = Nginx { child };
        let deadline = std::time::Instant::now() + HANG_GUARD;
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
                panic!("nginx exited ({status}):\n{log}");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "nginx does not listen on port {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM by PID (nginx's fast shutdown), then reaped.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `scgi_param` lines of Debian's `/etc/nginx/scgi_params`, which `include scgi_params`
/// brings: what nginx tells an SCGI server.
pub const SCGI_PARAMS: &str = "\
    scgi_param REQUEST_METHOD $request_method;\n\
    scgi_param REQUEST_URI $request_uri;\n\
    scgi_param QUERY_STRING $query_string;\n\
    scgi_param CONTENT_TYPE $content_type;\n\
    scgi_param DOCUMENT_URI $document_uri;\n\
    scgi_param DOCUMENT_ROOT $document_root;\n\
    scgi_param SCGI 1;\n\
    scgi_param SERVER_PROTOCOL $server_protocol;\n\
    scgi_param REQUEST_SCHEME $scheme;\n\
    scgi_param HTTPS $https if_not_empty;\n\
    scgi_param REMOTE_ADDR $remote_addr;\n\
    scgi_param REMOTE_PORT $remote_port;\n\
    scgi_param SERVER_PORT $server_port;\n\
    scgi_param SERVER_NAME $server_name;\n";

/// Reads one HTTP/1.1 response from any stream (`already` holds bytes read before): up to the
/// end its `Content-Length` announces, or until the server closes.
///
/// # Panics
///
/// When the stream ends before a response head, or the head is not HTTP/1.1.
pub async fn read_response<R>(stream: &mut R, already: Vec<u8>) -> crate::server::RawResponse
where
    R: tokio::io::AsyncRead + Unpin,
{
    use tokio::io::AsyncReadExt;
    let mut buf = already;
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = match stream.read(&mut chunk).await {
            Ok(n) => n,
            Err(e) => panic!(
                "reading a response: {e}; got {:?}",
                String::from_utf8_lossy(&buf)
            ),
        };
        assert!(
            n > 0,
            "closed before a response head: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP/1.1 status line: {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = buf[head_end + 4..].to_vec();
    let mut chunk = [0u8; 8192];
    while length.is_none_or(|length| body.len() < length) {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    if let Some(length) = length {
        body.truncate(length);
    }
    crate::server::RawResponse {
        status,
        headers,
        body,
    }
}
