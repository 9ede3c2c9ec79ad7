//! Character encodings by XML's meaning, against the peers that use them: the bytes Perl's
//! RPC::XML sends (a `us-ascii` declaration over raw UTF-8), ISO-8859-1 and windows-1252
//! documents, responses and requests written in a single-byte charset and read back by
//! CPython's `xmlrpc.client`, and a real RPC::XML client calling a registry over HTTP.
//!
//! Needs `python3` and Perl's RPC::XML (Debian package `librpc-xml-perl`); each test that
//! runs one fails with a one-line message naming what is missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use xmlrpc::{Charset, Context, Dialect, MethodResponse, Registry, Serializer, Value};
use xmlrpc_tests::python;

/// A registry with `echo`, which answers its string parameter.
fn echo_registry() -> Registry {
    Registry::new().function("echo", |s: String| s)
}

/// The string a `methodResponse` holds.
#[track_caller]
fn answer(body: &[u8]) -> String {
    match xmlrpc::response_from_slice::<String>(body) {
        Ok(MethodResponse::Value(s)) => s,
        Ok(MethodResponse::Fault(f)) => panic!("a fault: {f}"),
        Err(e) => panic!("unreadable: {e}: {:?}", String::from_utf8_lossy(body)),
    }
}

/// The bytes of the call `RPC::XML::request->new('echo', 'héllo €')->as_string` gives with
/// RPC::XML 0.82 (Debian's `librpc-xml-perl`): declared `us-ascii`, written in UTF-8.
const RPC_XML_ECHO: &[u8] = b"<?xml version=\"1.0\" encoding=\"us-ascii\"?><methodCall>\
<methodName>echo</methodName><params><param><value><string>h\xc3\xa9llo \xe2\x82\xac</string>\
</value></param></params></methodCall>";

#[test]
fn the_bytes_rpc_xml_sends_echo_unchanged() {
    let registry = echo_registry();
    let handled = registry.handle_blocking(RPC_XML_ECHO, &Context::new());
    assert_eq!(handled.fault_code, None);
    assert_eq!(answer(&handled.body), "héllo €");
    // Read directly, and as a dynamic call.
    let call: xmlrpc::MethodCall = xmlrpc::call_from_slice(RPC_XML_ECHO).expect("readable");
    assert_eq!(call.params, [Value::from("héllo €")]);
    // Bytes that are neither ASCII nor UTF-8 are refused, saying where, never guessed.
    let mut latin1 = RPC_XML_ECHO.to_vec();
    let at = latin1
        .windows(2)
        .position(|w| w == b"\xc3\xa9")
        .expect("the é");
    latin1.splice(at..at + 2, [0xe9]);
    let handled = registry.handle_blocking(&latin1, &Context::new());
    assert_eq!(handled.fault_code, Some(xmlrpc::Fault::INVALID_CHARACTER));
    let fault = xmlrpc::response_from_slice::<Value>(&handled.body)
        .expect("a fault document")
        .into_result()
        .expect_err("a fault");
    assert!(
        fault.string().contains(&format!(
            "byte 0xE9 at offset {at}, which is neither ASCII, as the document declares, nor UTF-8"
        )),
        "{fault}"
    );
}

fn declared(label: &str, text: &[u8]) -> Vec<u8> {
    let mut doc =
        format!("<?xml version=\"1.0\" encoding=\"{label}\"?><value><string>").into_bytes();
    doc.extend_from_slice(text);
    doc.extend_from_slice(b"</string></value>");
    doc
}

#[test]
fn latin1_bytes_0x80_to_0x9f_are_the_c1_controls() {
    let bytes: Vec<u8> = (0x80..=0x9F).collect();
    let expected: String = (0x80u32..=0x9F).filter_map(char::from_u32).collect();
    for label in [
        "ISO-8859-1",
        "iso-8859-1",
        "latin1",
        "l1",
        "ISO_8859-1",
        "latin-1",
        "cp819",
        "IBM819",
    ] {
        let read: String = xmlrpc::from_slice(&declared(label, &bytes)).expect(label);
        assert_eq!(read, expected, "{label}");
    }
    // And every other byte is its code point.
    let all: Vec<u8> = (0xA0..=0xFF).collect();
    let read: String = xmlrpc::from_slice(&declared("latin1", &all)).expect("readable");
    assert!(read.chars().map(u32::from).eq(0xA0..=0xFF));
}

#[test]
fn windows_1252_bytes_are_its_letters() {
    let bytes = b"\x80 \x8a \x8e \x91\x92 \x93\x94 \x96 \x99 \x9f";
    for label in ["windows-1252", "cp1252", "x-cp1252"] {
        let read: String = xmlrpc::from_slice(&declared(label, bytes)).expect(label);
        assert_eq!(read, "€ Š Ž ‘’ “” – ™ Ÿ", "{label}");
    }
}

#[test]
fn us_ascii_documents_of_ascii_read_as_written() {
    let read: String =
        xmlrpc::from_slice(&declared("US-ASCII", b"plain &#233;")).expect("readable");
    assert_eq!(read, "plain é");
}

/// Python's `loads` on documents written in several charsets: `ascii()` of the string.
const PYTHON_LOADS_STRING: &str = r#"
import sys, xmlrpc.client as x
for line in sys.stdin:
    (value,), _ = x.loads(bytes.fromhex(line.strip()))
    print(ascii(value))
"#;

#[test]
fn python_reads_responses_in_a_configured_charset() {
    let text = "€ and é, ß, 日本, \u{1F600}, <&>\r";
    let mut docs = Vec::new();
    for charset in [
        Charset::ISO_8859_1,
        Charset::US_ASCII,
        Charset::WINDOWS_1252,
        Charset::for_label("iso-8859-15").expect("known"),
        Charset::UTF_8,
    ] {
        let registry = Registry::new()
            .function("text", move || text)
            .response_charset(charset);
        let request = xmlrpc::call_to_vec("text", &()).expect("encodable");
        let body = registry.handle_blocking(&request, &Context::new()).body;
        if charset != Charset::UTF_8 {
            let head = format!("<?xml version=\"1.0\" encoding=\"{}\"?>", charset.name());
            assert!(body.starts_with(head.as_bytes()), "{charset}");
        }
        // Our reader agrees.
        assert_eq!(answer(&body), text, "{charset}");
        docs.push((charset, body));
    }
    // ISO-8859-1 holds é and ß as single bytes, and € as a reference, never as 0x80.
    let latin1 = &docs[0].1;
    assert!(latin1.windows(8).any(|w| w == b"&#8364; "), "{latin1:?}");
    assert!(latin1.windows(3).any(|w| w == b" \xe9,"));
    assert!(!latin1.contains(&0x80));
    // windows-1252 holds € as 0x80.
    assert!(docs[2].1.windows(2).any(|w| w == b"\x80 "));
    let input: String = docs.iter().map(|(_, d)| python::hex(d) + "\n").collect();
    let out = python::run(PYTHON_LOADS_STRING, input.as_bytes());
    let expected = r"'\u20ac and \xe9, \xdf, \u65e5\u672c, \U0001f600, <&>\r'";
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), docs.len(), "{out}");
    for ((charset, _), line) in docs.iter().zip(lines) {
        assert_eq!(
            line, expected,
            "python read the {charset} response otherwise"
        );
    }
}

/// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 for `registry`, which keeps
/// every request body it receives. Enough for clients that close after each call.
struct Server {
    url: String,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Server {
    fn start(registry: Registry) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}/RPC2", listener.local_addr().expect("an address"));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&bodies);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(body) = serve_one(&registry, stream) else {
                    continue;
                };
                kept.lock().unwrap_or_else(|e| e.into_inner()).push(body);
            }
        });
        Server { url, bodies }
    }

    fn bodies(&self) -> Vec<Vec<u8>> {
        self.bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Reads one request, answers it, and returns its body.
fn serve_one(registry: &Registry, stream: std::net::TcpStream) -> Option<Vec<u8>> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let response = registry.handle_blocking(&body, &Context::new()).body;
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        response.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&response).ok()?;
    Some(body)
}

#[test]
fn the_client_writes_requests_in_its_charset() {
    let server = Server::start(echo_registry());
    let client = xmlrpc::client::Client::builder(&server.url)
        .charset(Charset::ISO_8859_1)
        .keep_alive(false)
        .build_blocking()
        .expect("a client");
    let sent = "5 € für Käse";
    let back: String = client.call("echo", (sent,)).expect("an answer");
    assert_eq!(back, sent);
    let bodies = server.bodies();
    let body = bodies.last().expect("a request");
    assert!(body.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodCall>"));
    let text = b"5 &#8364; f\xfcr K\xe4se";
    assert!(
        body.windows(text.len()).any(|w| w == text),
        "{:?}",
        String::from_utf8_lossy(body)
    );
    // The same charset through a serializer, as the client writes it.
    let mut ser =
        Serializer::with_dialect(Vec::new(), Dialect::new().with_charset(Charset::ISO_8859_1));
    ser.call("echo", &(sent,)).expect("encodable");
    assert_eq!(&ser.into_inner(), body);
}

/// Perl's RPC::XML client, as Debian ships it.
fn perl_rpc_xml() {
    let present = Command::new("perl")
        .args(["-MRPC::XML::Client", "-e", "1"])
        .output()
        .is_ok_and(|out| out.status.success());
    assert!(
        present,
        "this test needs Perl's RPC::XML client: install the Debian package librpc-xml-perl"
    );
}

/// Calls `echo` with a non-ASCII string through RPC::XML, and prints the answer's UTF-8
/// as hex, then the string the client sent the same way.
const PERL_CLIENT: &str = r#"
use strict; use warnings; use utf8;
use Encode qw(encode_utf8);
use RPC::XML::Client;
my $client = RPC::XML::Client->new($ARGV[0]);
my $sent = "h\x{e9}llo \x{20ac} \x{65e5}\x{672c}";
my $answer = $client->send_request('echo', RPC::XML::string->new($sent));
die "no answer: $answer\n" unless ref $answer;
die "a fault: " . $answer->string . "\n" if $answer->is_fault;
print unpack('H*', encode_utf8($answer->value)), "\n";
print unpack('H*', encode_utf8($sent)), "\n";
"#;

#[test]
fn perl_rpc_xml_calls_a_registry_over_http() {
    perl_rpc_xml();
    let server = Server::start(echo_registry());
    let out = Command::new("perl")
        .args(["-e", PERL_CLIENT, &server.url])
        .output()
        .expect("perl runs");
    assert!(
        out.status.success(),
        "the Perl client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("hex");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0], lines[1], "the string came back changed");
    assert_eq!(
        String::from_utf8(python::unhex(lines[0])).expect("UTF-8"),
        "héllo € 日本"
    );
    // What went over the wire: a `us-ascii` declaration over raw UTF-8.
    let bodies = server.bodies();
    let body = bodies.last().expect("a request");
    assert!(
        body.starts_with(b"<?xml version=\"1.0\" encoding=\"us-ascii\"?>"),
        "{:?}",
        String::from_utf8_lossy(body)
    );
    assert!(body.windows(2).any(|w| w == b"\xc3\xa9"), "raw UTF-8 for é");
}
