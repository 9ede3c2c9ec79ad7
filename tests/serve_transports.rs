//! The runner's transports with real peers: CPython's `xmlrpc.client` over HTTPS (a private
//! authority made here) and over a Unix socket (as supervisorctl connects), HTTP/2 with curl
//! (h2c by prior knowledge, h2 by ALPN), and nginx's `scgi_pass` in front of the SCGI server
//! on a Unix socket and on TCP. Loopback and socket files in temporary folders only.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xmlrpc_axum::{Listener, Server, Tls, XmlRpc};
use xmlrpc_tests::certs::{TempDir, make_certificates, make_client_certificate};
use xmlrpc_tests::python;
use xmlrpc_tests::server::{HANG_GUARD, free_port};
use xmlrpc_tests::serving::{self, Nginx, SCGI_PARAMS, answer, call};

fn app() -> XmlRpc {
    XmlRpc::new(serving::endpoint())
}

/// Runs a Python script off the async runtime.
async fn py(script: String, args: Vec<String>) -> String {
    tokio::task::spawn_blocking(move || {
        let argv = format!("import sys; sys.argv = ['test'] + {args:?}\n");
        python::run(&format!("{argv}{script}"), b"")
    })
    .await
    .expect("the python task")
}

async fn run(program: &'static str, args: Vec<String>, package: &'static str) -> String {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        serving::run(program, &args, package)
    })
    .await
    .expect("the child task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_calls_over_https_with_a_private_authority() {
    let dir = TempDir::new("serve-https");
    let (_ca, cert, key) = make_certificates(dir.path());
    let tls = Tls::builder()
        .certificate_chain_file(&cert)
        .private_key_file(&key)
        .build()
        .expect("the certificate and key");
    let running = serving::spawn_http(Server::new().tls(tls), serving::loopback().await, app());
    let url = format!("https://127.0.0.1:{}/RPC2", running.tcp().port());
    let ca = dir.path().join("ca.pem").display().to_string();
    let out = py(
        "import ssl, xmlrpc.client\n\
         ctx = ssl.create_default_context(cafile=sys.argv[2])\n\
         p = xmlrpc.client.ServerProxy(sys.argv[1], context=ctx)\n\
         print(p.add(2, 3)); print(p.peer()); print(len(p.big(100000)))\n\
         try:\n    xmlrpc.client.ServerProxy(sys.argv[1]).add(1, 1); print('trusted')\n\
         except ssl.SSLError as e:\n    print('untrusted')\n"
            .to_owned(),
        vec![url, ca],
    )
    .await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "5");
    assert!(lines[1].starts_with("127.0.0.1:"), "{out}");
    assert_eq!(lines[2], "100000");
    assert_eq!(
        lines[3], "untrusted",
        "a client without the authority must not connect"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificates_are_verified_when_asked() {
    let dir = TempDir::new("serve-mtls");
    let (_ca, cert, key) = make_certificates(dir.path());
    let (client_cert, client_key) = make_client_certificate(dir.path());
    let ca = dir.path().join("ca.pem");
    let tls = Tls::builder()
        .certificate_chain_file(&cert)
        .private_key_file(&key)
        .client_ca_file(&ca)
        .build()
        .expect("the TLS settings");
    let running = serving::spawn_http(Server::new().tls(tls), serving::loopback().await, app());
    let url = format!("https://127.0.0.1:{}/RPC2", running.tcp().port());
    let out = py(
        "import ssl, xmlrpc.client\n\
         ctx = ssl.create_default_context(cafile=sys.argv[2])\n\
         try:\n    xmlrpc.client.ServerProxy(sys.argv[1], context=ctx).add(1, 1); print('let in')\n\
         except (ssl.SSLError, ConnectionError, OSError):\n    print('refused')\n\
         ctx.load_cert_chain(sys.argv[3], sys.argv[4])\n\
         print(xmlrpc.client.ServerProxy(sys.argv[1], context=ctx).add(2, 3))\n"
            .to_owned(),
        vec![
            url,
            ca.display().to_string(),
            client_cert.display().to_string(),
            client_key.display().to_string(),
        ],
    )
    .await;
    assert_eq!(out.lines().collect::<Vec<_>>(), ["refused", "5"], "{out}");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_speaks_http2_by_prior_knowledge_in_the_clear() {
    let dir = TempDir::new("serve-h2c");
    let body = dir.path().join("call.xml");
    std::fs::write(&body, call("add", &(20, 22))).expect("writing the call");
    let running = serving::spawn_http(Server::new(), serving::loopback().await, app());
    let url = format!("http://127.0.0.1:{}/RPC2", running.tcp().port());
    let out = run(
        "curl",
        vec![
            "-sS".into(),
            "--http2-prior-knowledge".into(),
            "-H".into(),
            "Content-Type: text/xml".into(),
            "--data-binary".into(),
            format!("@{}", body.display()),
            "-w".into(),
            "\nversion=%{http_version}".into(),
            url,
        ],
        "curl",
    )
    .await;
    let (xml, version) = out.rsplit_once('\n').expect("the body, then the version");
    assert_eq!(version, "version=2");
    assert_eq!(answer::<i32>(xml.as_bytes()), Ok(42));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_gets_http2_by_alpn_under_tls_and_http1_when_it_asks() {
    let dir = TempDir::new("serve-h2");
    let (_ca, cert, key) = make_certificates(dir.path());
    let body = dir.path().join("call.xml");
    std::fs::write(&body, call("add", &(1, 2))).expect("writing the call");
    let tls = Tls::builder()
        .certificate_chain_file(&cert)
        .private_key_file(&key)
        .build()
        .expect("the certificate and key");
    let running = serving::spawn_http(Server::new().tls(tls), serving::loopback().await, app());
    let url = format!("https://127.0.0.1:{}/RPC2", running.tcp().port());
    for (flag, expected) in [("--http2", "version=2"), ("--http1.1", "version=1.1")] {
        let out = run(
            "curl",
            vec![
                "-sS".into(),
                flag.into(),
                "--cacert".into(),
                dir.path().join("ca.pem").display().to_string(),
                "-H".into(),
                "Content-Type: text/xml".into(),
                "--data-binary".into(),
                format!("@{}", body.display()),
                "-w".into(),
                "\nversion=%{http_version}".into(),
                url.clone(),
            ],
            "curl",
        )
        .await;
        let (xml, version) = out.rsplit_once('\n').expect("the body, then the version");
        assert_eq!(version, expected);
        assert_eq!(answer::<i32>(xml.as_bytes()), Ok(3));
    }
    running.stop().await;
}

/// Python's `xmlrpc.client` over an `AF_UNIX` socket, as supervisorctl connects.
const UNIX_CLIENT: &str = "\
import http.client, os, socket, xmlrpc.client
class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost')
        self.unix_path = path
    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.unix_path)
        self.sock = s
class UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path):
        super().__init__()
        self.unix_path = path
    def make_connection(self, host):
        return UnixConnection(self.unix_path)
p = xmlrpc.client.ServerProxy('http://localhost/RPC2', transport=UnixTransport(sys.argv[1]))
print(p.add(2, 3))
print(p.peer())
print(os.getpid(), os.getuid())
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_calls_over_a_unix_socket_and_the_peer_has_its_credentials() {
    let dir = TempDir::new("serve-unix");
    let path = dir.path().join("rpc.sock");
    let listener = Listener::unix(&path)
        .mode(0o660)
        .bind()
        .expect("binding the socket");
    let mode = std::fs::metadata(&path)
        .expect("the socket file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o660);
    let running = serving::spawn_http(Server::new(), listener, app());
    let out = py(UNIX_CLIENT.to_owned(), vec![path.display().to_string()]).await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "5", "{out}");
    let (pid, uid) = lines[2].split_once(' ').expect("pid and uid");
    assert!(lines[1].starts_with("unix socket"), "{out}");
    assert!(lines[1].contains(&format!("pid {pid}")), "{out}");
    assert!(lines[1].contains(&format!("uid {uid}")), "{out}");
    running.stop().await;
    assert!(
        !path.exists(),
        "the server removes the socket file it bound"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_socket_file_is_replaced_and_a_live_one_refused() {
    let dir = TempDir::new("serve-stale");
    let path = dir.path().join("rpc.sock");
    // A socket file nobody accepts on, as a dead server leaves.
    drop(std::os::unix::net::UnixListener::bind(&path).expect("a socket"));
    assert!(path.exists());
    let listener = Listener::unix(&path)
        .mode(0o600)
        .bind()
        .expect("the stale file is replaced");
    let mode = std::fs::metadata(&path)
        .expect("the socket file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let running = serving::spawn_http(Server::new(), listener, app());

    // A live one: refused, and the server on it goes on.
    let err = Listener::unix(&path)
        .bind()
        .expect_err("a live socket is not taken over");
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    assert!(err.to_string().contains("another process serves"), "{err}");
    let out = py(UNIX_CLIENT.to_owned(), vec![path.display().to_string()]).await;
    assert_eq!(out.lines().next(), Some("5"));

    // Not a socket at all: refused, never removed.
    let file = dir.path().join("data.txt");
    std::fs::write(&file, b"keep me").expect("a file");
    let err = Listener::unix(&file)
        .bind()
        .expect_err("a regular file is not replaced");
    assert!(err.to_string().contains("is not a socket"), "{err}");
    assert_eq!(std::fs::read(&file).expect("still there"), b"keep me");
    running.stop().await;
}

/// The nginx `server` block that passes `/RPC2` to an SCGI server at `target`.
fn scgi_server_block(port: u16, target: &str) -> String {
    format!(
        "  server {{\n    listen 127.0.0.1:{port};\n    location /RPC2 {{\n{SCGI_PARAMS}      scgi_pass {target};\n    }}\n  }}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_through_nginx_scgi_pass_on_a_unix_socket_and_on_tcp() {
    let dir = TempDir::new("serve-nginx");
    let socket = dir.path().join("scgi.sock");
    let on_unix = serving::spawn_scgi(
        Server::new(),
        Listener::unix(&socket)
            .bind()
            .expect("binding the SCGI socket"),
        app(),
    );
    let on_tcp = serving::spawn_scgi(Server::new(), serving::loopback().await, app());
    let (unix_port, tcp_port) = (free_port(), free_port());
    let http = format!(
        "{}{}",
        scgi_server_block(unix_port, &format!("unix:{}", socket.display())),
        scgi_server_block(tcp_port, &on_tcp.tcp().to_string()),
    );
    let dir_path = dir.path().to_path_buf();
    let nginx = tokio::task::spawn_blocking(move || {
        let nginx = Nginx::start(&dir_path, unix_port, &http);
        let deadline = std::time::Instant::now() + HANG_GUARD;
        while std::net::TcpStream::connect(("127.0.0.1", tcp_port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "nginx does not listen on {tcp_port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        nginx
    })
    .await
    .expect("starting nginx");
    for port in [unix_port, tcp_port] {
        let out = py(
            "import xmlrpc.client\n\
             p = xmlrpc.client.ServerProxy(sys.argv[1])\n\
             print(p.add(2, 3)); print(p.peer()); print(len(p.big(200000)))\n\
             try:\n    p.nosuch()\nexcept xmlrpc.client.Fault as f:\n    print(f.faultCode)\n"
                .to_owned(),
            vec![format!("http://127.0.0.1:{port}/RPC2")],
        )
        .await;
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "5", "{out}");
        assert!(
            lines[1].starts_with("127.0.0.1:") && lines[1].ends_with("(forwarded)"),
            "the client's address from REMOTE_ADDR: {out}"
        );
        assert_eq!(lines[2], "200000");
        assert_eq!(lines[3], "-32601");
    }
    drop(nginx);
    on_unix.stop().await;
    on_tcp.stop().await;
}

/// One raw SCGI exchange: writes `request`, reads until the server closes.
async fn scgi_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    let _ = stream.write_all(request).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(HANG_GUARD, stream.read_to_end(&mut out))
        .await
        .expect("the server answers and closes");
    String::from_utf8_lossy(&out).into_owned()
}

fn netstring(vars: &[(&str, &str)]) -> Vec<u8> {
    let mut content = Vec::new();
    for (name, value) in vars {
        content.extend_from_slice(name.as_bytes());
        content.push(0);
        content.extend_from_slice(value.as_bytes());
        content.push(0);
    }
    let mut out = format!("{}:", content.len()).into_bytes();
    out.extend_from_slice(&content);
    out.push(b',');
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scgi_answers_calls_and_refuses_broken_framing_with_a_cgi_status() {
    let endpoint = serving::endpoint().wire_limit(4096);
    let running = serving::spawn_scgi(
        Server::new(),
        serving::loopback().await,
        XmlRpc::new(endpoint),
    );
    let addr = running.tcp();

    let body = call("add", &(2, 3));
    let length = body.len().to_string();
    let mut request = netstring(&[
        ("CONTENT_LENGTH", &length),
        ("SCGI", "1"),
        ("REQUEST_METHOD", "POST"),
        ("REQUEST_URI", "/RPC2"),
        ("REMOTE_ADDR", "203.0.113.7"),
        ("REMOTE_PORT", "4242"),
    ]);
    request.extend_from_slice(&body);
    let out = scgi_exchange(addr, &request).await;
    assert!(out.starts_with("Status: 200 OK\r\n"), "{out}");
    let (_, xml) = out.split_once("\r\n\r\n").expect("a head and a body");
    assert_eq!(answer::<i32>(xml.as_bytes()), Ok(5));

    let peer_call = call("peer", &());
    let length = peer_call.len().to_string();
    let mut peer = netstring(&[
        ("CONTENT_LENGTH", &length),
        ("SCGI", "1"),
        ("REMOTE_ADDR", "203.0.113.7"),
        ("REMOTE_PORT", "4242"),
    ]);
    peer.extend_from_slice(&peer_call);
    let out = scgi_exchange(addr, &peer).await;
    let (_, xml) = out.split_once("\r\n\r\n").expect("a head and a body");
    assert_eq!(
        answer::<String>(xml.as_bytes()),
        Ok("203.0.113.7:4242 (forwarded)".to_owned())
    );

    // HTTP sent to the SCGI port.
    let out = scgi_exchange(addr, b"POST /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(out.starts_with("Status: 400 Bad Request\r\n"), "{out}");
    assert!(out.contains("netstring"), "{out}");
    // A netstring beyond the header limit.
    let out = scgi_exchange(addr, b"99999999:CONTENT_LENGTH\x000\x00").await;
    assert!(
        out.starts_with("Status: 431 Request Header Fields Too Large\r\n"),
        "{out}"
    );
    // CONTENT_LENGTH not first.
    let out = scgi_exchange(addr, &netstring(&[("SCGI", "1"), ("CONTENT_LENGTH", "0")])).await;
    assert!(out.starts_with("Status: 400"), "{out}");
    assert!(out.contains("CONTENT_LENGTH"), "{out}");
    // A body above the endpoint's wire limit: 413 without reading it.
    let mut large = netstring(&[
        ("CONTENT_LENGTH", "100000"),
        ("SCGI", "1"),
        ("REQUEST_METHOD", "POST"),
    ]);
    large.extend_from_slice(&vec![b'x'; 100_000]);
    let out = scgi_exchange(addr, &large).await;
    assert!(out.starts_with("Status: 413"), "{out}");
    // A body cut short: 400 from the endpoint's adapter.
    let mut short = netstring(&[
        ("CONTENT_LENGTH", "500"),
        ("SCGI", "1"),
        ("REQUEST_METHOD", "POST"),
    ]);
    short.extend_from_slice(b"<?xml");
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connecting");
    stream.write_all(&short).await.expect("writing");
    stream.shutdown().await.expect("half-closing");
    let mut out = Vec::new();
    tokio::time::timeout(HANG_GUARD, stream.read_to_end(&mut out))
        .await
        .expect("answered")
        .expect("read");
    assert!(
        String::from_utf8_lossy(&out).starts_with("Status: 400"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_loopback_and_connect_info_for_the_apps_own_handlers() {
    use axum::extract::ConnectInfo;
    use axum::routing::get;
    let app = app().into_router().route(
        "/whoami",
        get(|ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>| async move { addr.to_string() }),
    );
    for bind in ["127.0.0.1:0", "[::1]:0"] {
        let listener = Listener::bind(bind).await.expect("a loopback listener");
        let running = serving::spawn_http(Server::new(), listener, app.clone());
        let addr = running.tcp();
        let mut stream = tokio::net::TcpStream::connect(addr)
            .await
            .expect("connecting");
        let local = stream.local_addr().expect("our address");
        stream
            .write_all(b"GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .expect("writing");
        let response = serving::read_response(&mut stream, Vec::new()).await;
        assert_eq!(response.status, 200);
        assert_eq!(
            response.text(),
            local.to_string(),
            "the handler sees the client"
        );
        let call = xmlrpc_tests::server::exchange(
            addr,
            &xmlrpc_tests::server::post("/RPC2", "", &call("peer", &())),
        )
        .await;
        let peer = answer::<String>(&call.body).expect("the peer");
        assert!(
            peer.starts_with(if bind.starts_with('[') {
                "[::1]:"
            } else {
                "127.0.0.1:"
            }),
            "{peer}"
        );
        running.stop().await;
    }
}
