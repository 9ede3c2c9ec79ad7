//! Hostile input: every document here must be refused with an `Err` (never a panic, a hang
//! or a stack overflow), with a short message that says what was wrong without echoing the
//! input, and with the interoperability fault code that answers it.
//!
//! Each decode runs on its own thread with the default 2 MiB stack, behind a generous hang
//! detector (it fails a test that never answers; it does not measure speed). Memory is
//! checked in a child process that runs one test alone with a counting allocator capped a
//! little above what the decoder may need: a decoder that allocates in proportion to a
//! hostile input aborts that child instead of passing.
//!
//! One module per area, one `#[test]` per hostile document (the [`hostile_cases!`] rows),
//! so that a failure names its case.

use std::sync::mpsc;
use std::time::Duration;

use serde::Deserialize;
use serde::de::IgnoredAny;
use xmlrpc::{CallReader, Deserializer, Error, ErrorKind, Fault, Limits, MethodResponse, Value};

/// Counts every allocation of this test binary, so that the memory test can cap them.
#[global_allocator]
static ALLOC: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

/// Longer than any decode here needs, even unoptimized on a busy machine; reaching it
/// means the decoder hangs.
const HANG_BOUND: Duration = Duration::from_secs(60);

/// The longest acceptable error message.
const MAX_MESSAGE: usize = 300;

const PARSE_ERROR: i32 = Fault::PARSE_ERROR;
const UNSUPPORTED_ENCODING: i32 = Fault::UNSUPPORTED_ENCODING;
const INVALID_CHARACTER: i32 = Fault::INVALID_CHARACTER;
const INVALID_REQUEST: i32 = Fault::INVALID_REQUEST;
const INVALID_PARAMS: i32 = Fault::INVALID_PARAMS;
const LIMIT_EXCEEDED: i32 = Fault::LIMIT_EXCEEDED;

/// One `#[test]` per row: `name: input, decode => FAULT_CODE, "what the message says";`.
/// Each row's document must be refused by `decode` with that fault code and a short
/// message containing the needle ([`refused`]).
macro_rules! hostile_cases {
    ($($(#[$attr:meta])* $name:ident: $input:expr, $decode:expr => $code:expr, $needle:expr;)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                $crate::refused(stringify!($name), $input, $decode, $code, $needle);
            }
        )*
    };
}

mod encodings;
mod entities;
mod fuzz_regressions;
mod limits;
mod memory;
mod nesting;
mod shapes;
mod trailing;
mod truncation;
mod types;
mod xml_syntax;

// ---------------------------------------------------------------------------------------
// Harness

/// Runs `f` on a fresh thread (default stack size) and returns its result; a panic in `f`
/// (a stack overflow aborts the whole process) fails the test, and so does no answer within
/// [`HANG_BOUND`].
fn guarded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(what.chars().take(60).collect())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("a thread");
    match rx.recv_timeout(HANG_BOUND) {
        Ok(v) => {
            handle.join().expect("the thread ends after answering");
            v
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: no answer within {HANG_BOUND:?}: the decoder hangs")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread answers unless it panics"),
        },
    }
}

/// A way of reading a document.
type Decode = fn(&[u8]) -> xmlrpc::Result<()>;

fn as_value(b: &[u8]) -> xmlrpc::Result<()> {
    xmlrpc::from_slice::<Value>(b).map(drop)
}

fn as_call(b: &[u8]) -> xmlrpc::Result<()> {
    xmlrpc::call_from_slice::<Vec<Value>>(b).map(drop)
}

fn as_response(b: &[u8]) -> xmlrpc::Result<()> {
    xmlrpc::response_from_slice::<Value>(b).map(drop)
}

/// Reads `input` with `decode` and checks that it fails with `code` and a short message
/// containing `needle`. Returns the error for further checks.
#[track_caller]
fn refused(
    what: &str,
    input: impl Into<Vec<u8>>,
    decode: Decode,
    code: i32,
    needle: &str,
) -> Error {
    let input = input.into();
    let len = input.len();
    let result = guarded(what, move || decode(&input));
    let err = match result {
        Ok(()) => panic!("{what}: a hostile document of {len} bytes was accepted"),
        Err(err) => err,
    };
    check(what, &err, code, needle);
    err
}

/// Checks an error's fault code, message and length.
#[track_caller]
fn check(what: &str, err: &Error, code: i32, needle: &str) {
    assert!(
        !needle.is_empty(),
        "{what}: an empty needle is found in any message"
    );
    let msg = err.to_string();
    assert!(
        msg.len() < MAX_MESSAGE,
        "{what}: message of {} bytes: {:.400}...",
        msg.len(),
        msg
    );
    assert!(
        msg.contains(needle),
        "{what}: message {msg:?} does not say {needle:?}"
    );
    assert_eq!(
        err.fault_code(),
        code,
        "{what}: wrong fault code for {msg:?} ({:?})",
        err.kind()
    );
}

/// A `methodCall` of `method` with these `<param>` bodies (each a `<value>`).
fn call_doc(params: &[&str]) -> String {
    let mut doc =
        String::from("<?xml version=\"1.0\"?><methodCall><methodName>m</methodName><params>");
    for p in params {
        doc.push_str("<param>");
        doc.push_str(p);
        doc.push_str("</param>");
    }
    doc.push_str("</params></methodCall>");
    doc
}

/// A `methodResponse` holding `value`.
fn response_doc(value: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><methodResponse><params><param>{value}</param></params></methodResponse>"
    )
}

/// `n` arrays nested in one another around `leaf`.
fn nested_arrays(n: usize, leaf: &str) -> String {
    let mut doc = String::with_capacity(n * 42 + leaf.len());
    for _ in 0..n {
        doc.push_str("<value><array><data>");
    }
    doc.push_str(leaf);
    for _ in 0..n {
        doc.push_str("</data></array></value>");
    }
    doc
}

/// `n` structs nested in one another around `leaf`, each with one member named `name`.
fn nested_structs(n: usize, name: &str, leaf: &str) -> String {
    let mut doc = String::new();
    for _ in 0..n {
        doc.push_str("<value><struct><member><name>");
        doc.push_str(name);
        doc.push_str("</name>");
    }
    doc.push_str(leaf);
    for _ in 0..n {
        doc.push_str("</member></struct></value>");
    }
    doc
}

/// `n` bare `<value>` elements nested in one another.
fn nested_values(n: usize) -> String {
    let mut doc = "<value>".repeat(n);
    doc.push('x');
    doc.push_str(&"</value>".repeat(n));
    doc
}

/// One value read with `limits`.
fn value_with(limits: Limits, doc: &[u8]) -> xmlrpc::Result<Value> {
    let mut de = Deserializer::from_slice(doc)?.with_limits(limits);
    let v = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// A call's parameters read with `limits`.
fn call_with(limits: Limits, doc: &[u8]) -> xmlrpc::Result<Vec<Value>> {
    CallReader::from_slice_with_limits(doc, limits)?.params()
}

/// A response read with `limits`.
fn response_with(limits: Limits, doc: &[u8]) -> xmlrpc::Result<MethodResponse<Value>> {
    xmlrpc::read_response(Deserializer::from_slice(doc)?.with_limits(limits))
}

/// A typed struct with one member the reader must skip.
#[derive(Debug, Deserialize, PartialEq)]
struct Known {
    known: i32,
}

/// A struct with member `ignored` holding `inner`, then member `known`.
fn with_ignored_member(inner: &str) -> String {
    format!(
        "<value><struct><member><name>ignored</name>{inner}</member>\
         <member><name>known</name><value><int>7</int></value></member></struct></value>"
    )
}

fn as_known(b: &[u8]) -> xmlrpc::Result<()> {
    xmlrpc::from_slice::<Known>(b).map(drop)
}
