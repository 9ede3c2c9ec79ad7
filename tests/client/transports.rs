//! The transports besides HTTP over TCP: HTTP over a Unix socket against the toolkit's axum
//! server, and SCGI over TCP and a Unix socket against an SCGI server written here, which
//! checks the framing of each request and can answer wrongly on purpose.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use xmlrpc::client::Client;
use xmlrpc::{CallError, Context, Registry, Value, xmlrpc_service};

use super::*;

/// Echoes what the transport told it.
struct Echo;

#[xmlrpc_service]
impl Echo {
    /// The value of the request's header `name`, or `""`.
    pub fn header(&self, ctx: &Context, name: String) -> String {
        ctx.header(&name).unwrap_or_default().to_owned()
    }

    /// Adds.
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }
}

fn registry() -> Registry {
    Registry::new().service(Echo)
}

/// `%2F` for each `/` of a socket path, as the `+unix` URLs write it.
fn encode(path: &std::path::Path) -> String {
    path.to_string_lossy()
        .replace('%', "%25")
        .replace('/', "%2F")
}

#[tokio::test]
async fn http_over_a_unix_socket_to_the_toolkit_server() {
    let dir = TempDir::new("http-unix");
    let socket = dir.0.join("rpc.sock");
    let listener = tokio::net::UnixListener::bind(&socket).expect("binding the socket");
    let router = xmlrpc_axum::XmlRpc::new(registry()).into_router();
    let served = tokio::spawn(async move { axum::serve(listener, router).await });

    let client = Client::builder(&format!("http+unix://{}/RPC2", encode(&socket)))
        .header("X-Api-Key", "k-1")
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    assert_eq!(
        client.url(),
        format!("http+unix://{}/RPC2", encode(&socket))
    );
    let echo = EchoClient::new(client.clone());
    assert_eq!(echo.add(2, 3).await.expect("add"), 5);
    assert_eq!(
        echo.header("x-api-key".into()).await.expect("header"),
        "k-1"
    );
    // The Host header of the URL form.
    assert_eq!(echo.header("host".into()).await.expect("host"), "localhost");
    let per_call: String = client
        .request("header")
        .arg("x-call")
        .header("x-call", "yes")
        .send()
        .await
        .expect("a call with a header");
    assert_eq!(per_call, "yes");
    let (sum, key) = echo
        .multicall()
        .add(1, 1)
        .header("x-api-key".into())
        .send()
        .await
        .expect("a multicall");
    assert_eq!((sum, key.as_deref()), (Ok(2), Ok("k-1")));

    // No socket there: a connection error, told apart from the others.
    let missing = Client::new(&format!(
        "http+unix://{}/RPC2",
        encode(&dir.0.join("none.sock"))
    ))
    .expect("a valid client");
    let err = missing.call::<i32>("add", (1, 2)).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    served.abort();
}

/// What the SCGI server does with a request.
#[derive(Clone, Copy, Debug)]
enum Behaviour {
    /// Answers through the registry, with `Status: 200 OK`.
    Answer,
    /// `Status: 404 Not Found` and a text body.
    NotFound,
    /// Bytes that are not a CGI head.
    Garbage,
    /// Reads the request and never answers.
    Silent,
    /// Announces a longer body than it sends.
    ShortBody,
}

/// A request as the SCGI server read it: the variables in order, and the body.
#[derive(Debug, Clone)]
struct ScgiRequest {
    vars: Vec<(String, String)>,
}

impl ScgiRequest {
    fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one SCGI request: the netstring of variables, then `CONTENT_LENGTH` bytes.
async fn read_scgi<S: AsyncRead + Unpin>(stream: &mut S) -> Option<(ScgiRequest, Vec<u8>)> {
    let mut len = Vec::new();
    loop {
        let b = stream.read_u8().await.ok()?;
        if b == b':' {
            break;
        }
        len.push(b);
        if len.len() > 10 {
            return None;
        }
    }
    let len: usize = std::str::from_utf8(&len).ok()?.parse().ok()?;
    let mut head = vec![0; len + 1];
    stream.read_exact(&mut head).await.ok()?;
    if head.pop() != Some(b',') {
        return None;
    }
    let parts: Vec<String> = head
        .split(|&b| b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let vars: Vec<(String, String)> = parts
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect();
    let length: usize = vars.first()?.1.parse().ok()?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some((ScgiRequest { vars }, body))
}

/// Serves one connection: reads the request, records it, answers as `behaviour` says, and
/// closes.
async fn serve_scgi<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    registry: Arc<Registry>,
    seen: Arc<Mutex<Vec<ScgiRequest>>>,
    behaviour: Behaviour,
) {
    let Some((request, body)) = read_scgi(&mut stream).await else {
        return;
    };
    let mut context = Context::new();
    for (name, value) in &request.vars {
        if let Some(header) = name.strip_prefix("HTTP_") {
            let header = header.replace('_', "-").to_ascii_lowercase();
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(header.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                context.headers_mut().insert(n, v);
            }
        }
    }
    seen.lock().expect("not poisoned").push(request);
    let answer = match behaviour {
        Behaviour::Answer => {
            let xml = registry.handle(&body, &context).await.body;
            let mut out = format!(
                "Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nX-Served-By: scgi-test\r\n\r\n",
                xml.len()
            )
            .into_bytes();
            out.extend_from_slice(&xml);
            out
        }
        Behaviour::NotFound => {
            b"Status: 404 Not Found\nContent-Type: text/plain\n\nno such script".to_vec()
        }
        Behaviour::Garbage => b"this is not a CGI head".to_vec(),
        Behaviour::ShortBody => {
            b"Status: 200 OK\r\nContent-Length: 1000\r\n\r\n<?xml version=\"1.0\"?>".to_vec()
        }
        Behaviour::Silent => {
            tokio::time::sleep(HANG_GUARD * 2).await;
            return;
        }
    };
    let _ = stream.write_all(&answer).await;
    let _ = stream.shutdown().await;
}

/// An SCGI server on a loopback port or a Unix socket, serving each connection as
/// `behaviour` says, keeping every request.
struct ScgiServer {
    seen: Arc<Mutex<Vec<ScgiRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ScgiServer {
    fn tcp(behaviour: Behaviour) -> (ScgiServer, String) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("its address");
        let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let registry = Arc::new(registry());
        let kept = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_scgi(
                    stream,
                    registry.clone(),
                    kept.clone(),
                    behaviour,
                ));
            }
        });
        (ScgiServer { seen, task }, format!("scgi://{addr}/RPC2"))
    }

    fn unix(socket: &std::path::Path, behaviour: Behaviour) -> ScgiServer {
        let listener = tokio::net::UnixListener::bind(socket).expect("binding the socket");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let registry = Arc::new(registry());
        let kept = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_scgi(
                    stream,
                    registry.clone(),
                    kept.clone(),
                    behaviour,
                ));
            }
        });
        ScgiServer { seen, task }
    }

    fn requests(&self) -> Vec<ScgiRequest> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

impl Drop for ScgiServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[tokio::test]
async fn scgi_over_tcp_frames_each_request_as_the_protocol_says() {
    let (server, url) = ScgiServer::tcp(Behaviour::Answer);
    let client = Client::builder(&url)
        .header("X-Api-Key", "k-2")
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let echo = EchoClient::new(client.clone());
    assert_eq!(echo.add(20, 22).await.expect("add"), 42);
    assert_eq!(
        echo.header("x-api-key".into()).await.expect("header"),
        "k-2"
    );
    let answer = client
        .request("header")
        .arg("x-call")
        .header("X-Call", "per call")
        .send_response::<String>()
        .await
        .expect("an answer");
    assert_eq!(answer.value(), "per call");
    assert_eq!(
        answer.headers().get("x-served-by").map(|v| v.as_bytes()),
        Some(&b"scgi-test"[..])
    );
    assert_eq!(answer.status(), http::StatusCode::OK);
    // A fault comes back as one.
    let err = client.call::<i32>("add", ("one", 2)).await.unwrap_err();
    assert_eq!(
        err.fault().map(xmlrpc::Fault::code),
        Some(xmlrpc::Fault::INVALID_PARAMS)
    );
    // And a multicall, in the standard shape.
    let (a, b) = echo
        .multicall()
        .add(1, 2)
        .add(3, 4)
        .send()
        .await
        .expect("a multicall");
    assert_eq!((a, b), (Ok(3), Ok(7)));

    let requests = server.requests();
    assert_eq!(requests.len(), 5, "one connection per call");
    for request in &requests {
        let names: Vec<&str> = request.vars.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(&names[..2], ["CONTENT_LENGTH", "SCGI"], "{names:?}");
        assert_eq!(request.var("SCGI"), Some("1"));
        assert_eq!(request.var("REQUEST_METHOD"), Some("POST"));
        assert_eq!(request.var("REQUEST_URI"), Some("/RPC2"));
        assert_eq!(request.var("CONTENT_TYPE"), Some("text/xml"));
        assert_eq!(request.var("HTTP_X_API_KEY"), Some("k-2"));
        assert!(
            request
                .var("HTTP_USER_AGENT")
                .is_some_and(|ua| ua.starts_with("xmlrpc-rust/")),
            "{request:?}"
        );
    }
    assert_eq!(requests[2].var("HTTP_X_CALL"), Some("per call"));
}

#[tokio::test]
async fn scgi_over_a_unix_socket_by_url_and_by_setting() {
    let dir = TempDir::new("scgi-unix");
    let socket = dir.0.join("scgi.sock");
    let server = ScgiServer::unix(&socket, Behaviour::Answer);
    let by_url = Client::builder(&format!("scgi+unix://{}/app", encode(&socket)))
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    assert_eq!(by_url.call::<i32>("add", (1, 2)).await.expect("add"), 3);
    let by_setting = Client::builder("scgi://localhost:1/RPC2")
        .unix_socket(&socket)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    assert_eq!(
        by_setting.url(),
        format!("scgi+unix://{}/RPC2", encode(&socket))
    );
    assert_eq!(by_setting.call::<i32>("add", (2, 2)).await.expect("add"), 4);
    let requests = server.requests();
    assert_eq!(requests[0].var("REQUEST_URI"), Some("/app"));
    assert_eq!(requests[1].var("REQUEST_URI"), Some("/RPC2"));

    let missing = Client::new(&format!("scgi+unix://{}", encode(&dir.0.join("none"))))
        .expect("a valid client");
    let err = missing.call::<i32>("add", (1, 2)).await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}

#[tokio::test]
async fn scgi_answers_that_are_not_results() {
    let (_not_found, url) = ScgiServer::tcp(Behaviour::NotFound);
    let err = client(&url).call::<i32>("add", (1, 2)).await.unwrap_err();
    let CallError::Http {
        status,
        headers,
        content_type,
        snippet,
    } = &err
    else {
        panic!("expected an HTTP error, got {err:?}")
    };
    assert_eq!(status.as_u16(), 404);
    assert_eq!(content_type.as_deref(), Some("text/plain"));
    assert!(headers.get("content-type").is_some());
    assert_eq!(snippet, "no such script");

    let (_garbage, url) = ScgiServer::tcp(Behaviour::Garbage);
    let err = client(&url).call::<i32>("add", (1, 2)).await.unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("malformed SCGI answer"), "{err}");

    let (_short, url) = ScgiServer::tcp(Behaviour::ShortBody);
    let err = client(&url).call::<i32>("add", (1, 2)).await.unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("of the 1000 bytes"), "{err}");

    let (_silent, url) = ScgiServer::tcp(Behaviour::Silent);
    let err = client(&url)
        .request("add")
        .arg(&1)
        .arg(&2)
        .timeout(Duration::from_millis(300))
        .send::<i32>()
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Timeout), "{err:?}");
    let reading = Client::builder(&url)
        .read_timeout(Duration::from_millis(300))
        .build()
        .expect("a valid client");
    let err = reading.call::<i32>("add", (1, 2)).await.unwrap_err();
    assert!(matches!(err, CallError::Timeout), "{err:?}");
}

#[tokio::test]
async fn an_scgi_answer_beyond_the_cap_is_refused() {
    let (_server, url) = ScgiServer::tcp(Behaviour::Answer);
    let small = Client::builder(&url)
        .max_response_size(50)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    // The answer is about 110 bytes.
    let err = small.call::<i32>("add", (1, 2)).await.unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(
        matches!(e.kind(), xmlrpc::ErrorKind::LimitExceeded { limit: 50, .. }),
        "{e}"
    );
    let values = client(&url)
        .call_value("add", &[Value::Int(1), Value::Int(1)])
        .await
        .expect("add");
    assert_eq!(values, Value::Int(2));
}
