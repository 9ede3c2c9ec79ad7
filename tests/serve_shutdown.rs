//! Graceful shutdown of the production runner: SIGTERM to a server process, and a caller's
//! shutdown future in-process. A call in flight finishes with its answer, the listener is
//! closed at once, keep-alive connections close, and the drain deadline bounds it all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use xmlrpc::{Endpoint, Registry};
use xmlrpc_axum::{Server, XmlRpc};
use xmlrpc_tests::certs::TempDir;
use xmlrpc_tests::server::{self, HANG_GUARD};
use xmlrpc_tests::serving::{self, answer, call};

/// The server process, killed by its PID if a test fails before it exits.
struct Process {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Process {
    fn start(release: &std::path::Path, drain_seconds: u32) -> (Process, SocketAddr) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_serve-slow"))
            .arg("--release")
            .arg(release)
            .args(["--drain-timeout", &drain_seconds.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting serve-slow");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut process = Process { child, lines };
        let listening = process.expect_line("listening ");
        let addr = listening
            .trim_start_matches("listening ")
            .parse()
            .expect("the address serve-slow printed");
        (process, addr)
    }

    /// Waits for the next line starting with `prefix`.
    fn expect_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + HANG_GUARD;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(e) => panic!("serve-slow did not print {prefix:?}: {e}"),
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for the process to exit; its status.
    fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + HANG_GUARD;
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for serve-slow") {
                return status;
            }
            assert!(Instant::now() < deadline, "serve-slow does not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// POSTs `body` on a new connection, answers through a channel: the status and body, or
/// `None` when the connection closed without an answer.
fn call_in_background(addr: SocketAddr, body: Vec<u8>) -> mpsc::Receiver<Option<(u16, Vec<u8>)>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(addr).expect("connecting");
        stream
            .set_read_timeout(Some(HANG_GUARD))
            .expect("a read timeout");
        stream
            .write_all(&server::post("/RPC2", "", &body))
            .expect("writing the call");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let _ = tx.send(parse(&raw));
    });
    rx
}

fn parse(raw: &[u8]) -> Option<(u16, Vec<u8>)> {
    let text = String::from_utf8_lossy(raw);
    let status = text.get(9..12)?.parse().ok()?;
    let head_end = text.find("\r\n\r\n")?;
    Some((status, raw[head_end + 4..].to_vec()))
}

/// Connects until the connection is refused, within the hang guard.
fn wait_until_refused(addr: SocketAddr) {
    let deadline = Instant::now() + HANG_GUARD;
    loop {
        match std::net::TcpStream::connect(addr) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => return,
            _ => {}
        }
        assert!(Instant::now() < deadline, "the listener is still open");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_lets_the_call_in_flight_finish_refuses_new_connections_and_exits_0() {
    let dir = TempDir::new("sigterm");
    let release = dir.path().join("release");
    let (mut process, addr) = Process::start(&release, 30);

    let slow = call_in_background(addr, call("slow", &()));
    process.expect_line("slow started");
    process.signal("TERM");

    wait_until_refused(addr);
    // The call is still running: it cannot end before the release file exists.
    assert!(
        matches!(slow.try_recv(), Err(mpsc::TryRecvError::Empty)),
        "the slow call ended before it was released"
    );
    std::fs::write(&release, b"go").expect("writing the release file");

    let (status, body) = slow
        .recv_timeout(HANG_GUARD)
        .expect("the slow call answers")
        .expect("an HTTP answer, not a closed connection");
    assert_eq!(status, 200);
    assert_eq!(answer::<String>(&body), Ok("done".to_owned()));
    process.expect_line("stopped");
    let status = process.wait();
    assert!(status.success(), "serve-slow exited with {status}");
}

#[test]
fn the_drain_deadline_bounds_a_call_that_does_not_end() {
    let dir = TempDir::new("drain-deadline");
    let release = dir.path().join("release");
    let (mut process, addr) = Process::start(&release, 1);

    let slow = call_in_background(addr, call("slow", &()));
    process.expect_line("slow started");
    process.signal("TERM");

    // Never released: the deadline closes its connection, and the process still exits 0.
    let status = process.wait();
    assert!(status.success(), "serve-slow exited with {status}");
    let cut = slow
        .recv_timeout(HANG_GUARD)
        .expect("the call's connection ends");
    assert_eq!(cut, None, "the call was cut, not answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_future_drains_in_process() {
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel::<()>();
    let gate = Arc::clone(&release);
    let registry = Registry::new()
        .function("wait", move || {
            let gate = Arc::clone(&gate);
            let started_tx = started_tx.clone();
            async move {
                let _ = started_tx.send(());
                let _permit = gate.acquire().await;
                "done"
            }
        })
        .function("add", |a: i32, b: i32| a + b);
    let server = Server::new();
    let ready = server.readiness();
    let app = XmlRpc::new(Endpoint::new(registry).log_requests(false));
    let mut running = serving::spawn_http(server, serving::loopback().await, app);
    let addr = running.tcp();

    // An idle keep-alive connection, and a call that waits.
    let mut idle = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    let add = call("add", &(2, 3));
    idle.write_all(&keep_alive_post(&add))
        .await
        .expect("writing");
    let first = server::read_response(&mut idle).await;
    assert_eq!(answer::<i32>(&first.body), Ok(5));
    let mut busy = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    busy.write_all(&keep_alive_post(&call("wait", &())))
        .await
        .expect("writing");
    tokio::time::timeout(HANG_GUARD, started.recv())
        .await
        .expect("the call starts");
    assert!(ready.is_ready());

    running.start_drain();
    let deadline = Instant::now() + HANG_GUARD;
    while ready.is_ready() {
        assert!(Instant::now() < deadline, "readiness stays true");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::task::spawn_blocking(move || wait_until_refused(addr))
        .await
        .expect("the refusal check");
    // The idle connection is closed at once, the busy one answers first.
    assert_eq!(
        read_eof(&mut idle).await,
        0,
        "the idle connection is closed"
    );
    release.add_permits(1);
    let last = server::read_response(&mut busy).await;
    assert_eq!(last.status, 200);
    assert_eq!(answer::<String>(&last.body), Ok("done".to_owned()));
    assert_eq!(last.header("connection"), Some("close"));
    assert_eq!(read_eof(&mut busy).await, 0, "closed after its response");
    running.finished().await;
}

fn keep_alive_post(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads until the server closes; the bytes that came first (none, for a clean close).
async fn read_eof(stream: &mut tokio::net::TcpStream) -> usize {
    use tokio::io::AsyncReadExt;
    let mut rest = Vec::new();
    match tokio::time::timeout(HANG_GUARD, stream.read_to_end(&mut rest)).await {
        Ok(_) => rest.len(),
        Err(_) => panic!("the server keeps the connection open"),
    }
}

/// What systemd does for socket activation: binds the socket, hands it over as descriptor 3
/// with `LISTEN_FDS=1`, and stops the service with SIGTERM.
const SYSTEMD: &str = "\
import os, signal, socket, subprocess, sys, xmlrpc.client
s = socket.socket()
s.bind(('127.0.0.1', 0))
s.listen(16)
os.dup2(s.fileno(), 3)
env = dict(os.environ, LISTEN_FDS='1')
child = subprocess.Popen([sys.argv[1], '--systemd', '--release', sys.argv[2]], pass_fds=(3,), env=env,
                         stdout=subprocess.DEVNULL)
try:
    port = s.getsockname()[1]
    print(xmlrpc.client.ServerProxy('http://127.0.0.1:%d/RPC2' % port).add(2, 3))
    child.send_signal(signal.SIGTERM)
    print(child.wait(timeout=60))
finally:
    if child.poll() is None:
        child.kill()
";

#[test]
fn a_socket_handed_over_by_systemd_is_served() {
    let dir = TempDir::new("systemd");
    let release = dir.path().join("release").display().to_string();
    let program = env!("CARGO_BIN_EXE_serve-slow");
    let out = xmlrpc_tests::python::run(
        &format!("import sys; sys.argv = ['t', {program:?}, {release:?}]\n{SYSTEMD}"),
        b"",
    );
    assert_eq!(out.lines().collect::<Vec<_>>(), ["5", "0"], "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scgi_server_drains_alike() {
    let release = Arc::new(tokio::sync::Semaphore::new(0));
    let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel::<()>();
    let gate = Arc::clone(&release);
    let registry = Registry::new().function("wait", move || {
        let gate = Arc::clone(&gate);
        let started_tx = started_tx.clone();
        async move {
            let _ = started_tx.send(());
            let _permit = gate.acquire().await;
            "done"
        }
    });
    let app = XmlRpc::new(Endpoint::new(registry).log_requests(false));
    let mut running = serving::spawn_scgi(Server::new(), serving::loopback().await, app);
    let addr = running.tcp();

    // A front server's connection that has sent nothing yet, and a call in flight.
    let mut idle = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    let body = call("wait", &());
    let vars = format!(
        "CONTENT_LENGTH\0{}\0SCGI\x001\0REQUEST_METHOD\0POST\0",
        body.len()
    );
    let mut request = format!("{}:{vars},", vars.len()).into_bytes();
    request.extend_from_slice(&body);
    let mut busy = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    busy.write_all(&request).await.expect("writing");
    tokio::time::timeout(HANG_GUARD, started.recv())
        .await
        .expect("the call starts");

    running.start_drain();
    tokio::task::spawn_blocking(move || wait_until_refused(addr))
        .await
        .expect("the refusal check");
    assert_eq!(
        read_eof(&mut idle).await,
        0,
        "the idle connection is closed"
    );
    release.add_permits(1);
    let mut out = Vec::new();
    tokio::time::timeout(
        HANG_GUARD,
        tokio::io::AsyncReadExt::read_to_end(&mut busy, &mut out),
    )
    .await
    .expect("answered")
    .expect("read");
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("Status: 200 OK\r\n"), "{out}");
    let (_, xml) = out.split_once("\r\n\r\n").expect("a head and a body");
    assert_eq!(answer::<String>(xml.as_bytes()), Ok("done".to_owned()));
    running.finished().await;
}
