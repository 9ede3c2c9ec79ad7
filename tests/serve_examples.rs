//! The serving examples run as their readers run them: `demo_server` on a Unix socket, over
//! HTTPS and over SCGI; `tls_server`, `scgi_server` and `metrics`; each stopped by SIGTERM to
//! its PID, and expected to exit 0 after its drain.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xmlrpc_tests::certs::{TempDir, make_certificates};
use xmlrpc_tests::examples::binary;
use xmlrpc_tests::python;
use xmlrpc_tests::server::{HANG_GUARD, free_port};
use xmlrpc_tests::serving::{answer, call};

/// An example program, stopped with SIGTERM by its PID.
struct Example {
    child: Child,
}

impl Example {
    /// Starts example `name` with `args`, and waits until `ready` says it serves.
    fn start(name: &str, args: &[&str], ready: impl Fn() -> bool) -> Example {
        let child = Command::new(binary(name))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting the example");
        let mut example = Example { child };
        let deadline = Instant::now() + HANG_GUARD;
        while !ready() {
            if let Ok(Some(status)) = example.child.try_wait() {
                panic!("{name} exited early: {status}");
            }
            assert!(Instant::now() < deadline, "{name} does not serve");
            std::thread::sleep(Duration::from_millis(20));
        }
        example
    }

    /// SIGTERM, then the exit status, which must be success.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + HANG_GUARD;
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting") {
                assert!(status.success(), "exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "does not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Example {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn tcp_up(port: u16) -> impl Fn() -> bool {
    move || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

fn unix_up(path: &Path) -> impl Fn() -> bool + '_ {
    move || std::os::unix::net::UnixStream::connect(path).is_ok()
}

#[test]
fn demo_server_on_a_unix_socket() {
    let dir = TempDir::new("demo-unix");
    let socket = dir.path().join("demo.sock");
    let path = socket.display().to_string();
    let demo = Example::start("demo_server", &["--unix", &path], unix_up(&socket));
    let script = "import http.client, socket, sys, xmlrpc.client\n\
        class C(http.client.HTTPConnection):\n    def connect(self):\n        \
        self.sock = socket.socket(socket.AF_UNIX); self.sock.connect(sys.argv[1])\n\
        class T(xmlrpc.client.Transport):\n    def make_connection(self, host):\n        return C('localhost')\n\
        print(xmlrpc.client.ServerProxy('http://localhost/RPC2', transport=T()).pow(2, 9))\n";
    let out = python::run(
        &format!("import sys; sys.argv = ['t', {path:?}]\n{script}"),
        b"",
    );
    assert_eq!(out.trim(), "512");
    demo.stop();
    assert!(!socket.exists(), "the socket file is removed at exit");
}

#[test]
fn demo_server_and_tls_server_over_https() {
    let dir = TempDir::new("demo-tls");
    let (_ca, cert, key) = make_certificates(dir.path());
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let ca = dir.path().join("ca.pem").display().to_string();
    let script = "import ssl, sys, xmlrpc.client\n\
        c = ssl.create_default_context(cafile=sys.argv[2])\n\
        print(xmlrpc.client.ServerProxy(sys.argv[1], context=c).add(2, 3))\n";
    for (name, cert_flag, key_flag) in [
        ("demo_server", "--tls-cert", "--tls-key"),
        ("tls_server", "--cert", "--key"),
    ] {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let example = Example::start(
            name,
            &["--addr", &addr, cert_flag, &cert, key_flag, &key],
            tcp_up(port),
        );
        let url = format!("https://{addr}/RPC2");
        let out = python::run(
            &format!("import sys; sys.argv = ['t', {url:?}, {ca:?}]\n{script}"),
            b"",
        );
        assert_eq!(out.trim(), "5", "{name}");
        example.stop();
    }
}

/// One SCGI call of `add(2, 3)` to `addr`; the CGI-style answer.
async fn scgi_add(addr: &str) -> String {
    let body = call("add", &(2, 3));
    let vars = format!(
        "CONTENT_LENGTH\0{}\0SCGI\x001\0REQUEST_METHOD\0POST\0REQUEST_URI\0/RPC2\0",
        body.len()
    );
    let mut request = format!("{}:{vars},", vars.len()).into_bytes();
    request.extend_from_slice(&body);
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    stream.write_all(&request).await.expect("writing");
    let mut out = Vec::new();
    tokio::time::timeout(HANG_GUARD, stream.read_to_end(&mut out))
        .await
        .expect("answered")
        .expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_server_and_scgi_server_over_scgi() {
    for (name, flag) in [("demo_server", "--scgi"), ("scgi_server", "--tcp")] {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let example =
            tokio::task::block_in_place(|| Example::start(name, &[flag, &addr], tcp_up(port)));
        let out = scgi_add(&addr).await;
        assert!(out.starts_with("Status: 200 OK\r\n"), "{name}: {out}");
        let (_, xml) = out.split_once("\r\n\r\n").expect("a head and a body");
        assert_eq!(answer::<i64>(xml.as_bytes()), Ok(5), "{name}");
        tokio::task::block_in_place(|| example.stop());
    }
}

#[test]
fn the_metrics_example_counts_calls_per_method() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let example = Example::start("metrics", &["--addr", &addr], tcp_up(port));
    let script = "import sys, xmlrpc.client\n\
        p = xmlrpc.client.ServerProxy(sys.argv[1] + '/RPC2')\n\
        p.add(1, 2); p.add(3, 4)\n\
        try:\n    p.divide(1, 0)\nexcept xmlrpc.client.Fault:\n    pass\n\
        import urllib.request\n\
        print(urllib.request.urlopen(sys.argv[1] + '/metrics').read().decode())\n";
    let url = format!("http://{addr}");
    let out = python::run(
        &format!("import sys; sys.argv = ['t', {url:?}]\n{script}"),
        b"",
    );
    assert!(
        out.contains("xmlrpc_calls_total{method=\"add\",fault_code=\"none\"} 2"),
        "{out}"
    );
    assert!(
        out.contains("xmlrpc_calls_total{method=\"divide\",fault_code=\"1\"} 1"),
        "{out}"
    );
    example.stop();
}
