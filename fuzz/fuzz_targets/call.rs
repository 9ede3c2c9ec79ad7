//! Arbitrary bytes as a `methodCall`: read dynamically (as `Value`s, all at once and one
//! by one) and into typed parameters. Whatever decodes must encode and decode back to
//! the same call; whatever fails must fail with a short message and a protocol fault code.

#![no_main]

mod common;

use std::borrow::Cow;
use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use xmlrpc::{Base64, CallReader, DateTime, Value};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Inner<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    count: Option<u16>,
    tags: Vec<String>,
    #[serde(default)]
    flag: bool,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
enum Shape {
    Point,
    Circle(f64),
    Rect { w: i64, h: i64 },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Strict {
    a: i32,
    b: Option<char>,
}

/// Parameters in order, as a server's method would take them.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Params<'a> {
    first: i32,
    #[serde(borrow)]
    second: Inner<'a>,
    third: Option<Shape>,
    fourth: (u8, f32, DateTime),
    fifth: Base64,
    sixth: BTreeMap<String, Value>,
    seventh: Strict,
}

fn dynamic(data: &[u8]) {
    let call = match CallReader::from_slice(data) {
        Ok(call) => call,
        Err(e) => return common::check_error(&e),
    };
    let method = call.method().to_owned();
    assert!(!method.is_empty());
    let params: Vec<Value> = match call.params() {
        Ok(params) => params,
        Err(e) => return common::check_error(&e),
    };
    let xml = match xmlrpc::call_to_vec(&method, &params) {
        Ok(xml) => xml,
        Err(e) => {
            assert!(
                !params.iter().all(common::writable),
                "a decoded call did not encode: {e}"
            );
            return;
        }
    };
    let back: xmlrpc::MethodCall = match xmlrpc::call_from_slice(&xml) {
        Ok(back) => back,
        Err(e) => panic!(
            "the encoding of a decoded call does not decode: {e}\n{}",
            String::from_utf8_lossy(&xml)
        ),
    };
    assert_eq!(back.method, method);
    let expected: Vec<Value> = params.iter().map(common::as_written).collect();
    assert_eq!(back.params, expected);
    for p in &params {
        common::round_trip(p);
    }
}

fn one_by_one(data: &[u8]) {
    let Ok(mut call) = CallReader::from_slice(data) else {
        return;
    };
    loop {
        match call.next_param::<Value>() {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => return common::check_error(&e),
        }
    }
    if let Err(e) = call.finish() {
        common::check_error(&e);
    }
}

fn typed(data: &[u8]) {
    let Ok(call) = CallReader::from_slice(data) else {
        return;
    };
    if let Err(e) = call.params::<Params<'_>>() {
        common::check_error(&e);
    }
    if let Ok(call) = CallReader::from_slice(data)
        && let Err(e) = call.params::<(i64, String, Vec<Option<bool>>)>()
    {
        common::check_error(&e);
    }
}

fuzz_target!(|data: &[u8]| {
    dynamic(data);
    one_by_one(data);
    typed(data);
});
