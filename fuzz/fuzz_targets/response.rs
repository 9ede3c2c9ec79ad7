//! Arbitrary bytes as a `methodResponse`: a value or a fault, dynamic and typed. Whatever
//! decodes must encode and decode back; whatever fails must fail with a short message and
//! a protocol fault code.

#![no_main]

mod common;

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use xmlrpc::{MethodResponse, Value};

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Answer {
    ok: bool,
    items: Vec<(String, i32)>,
    extra: Option<HashMap<String, f64>>,
}

fuzz_target!(|data: &[u8]| {
    match xmlrpc::response_from_slice::<Value>(data) {
        Ok(MethodResponse::Value(v)) => {
            common::round_trip(&v);
            if common::writable(&v) {
                let xml = xmlrpc::response_to_vec(&v).expect("a decoded value encodes");
                let back = xmlrpc::response_from_slice::<Value>(&xml).expect("and decodes again");
                assert_eq!(back, MethodResponse::Value(common::as_written(&v)));
            }
        }
        Ok(MethodResponse::Fault(fault)) => {
            let xml = xmlrpc::fault_to_vec(&fault).expect("a fault always encodes");
            let back = xmlrpc::response_from_slice::<Value>(&xml).expect("and decodes again");
            assert_eq!(back, MethodResponse::Fault(fault));
        }
        Err(e) => common::check_error(&e),
    }
    if let Err(e) = xmlrpc::response_from_slice::<Answer>(data) {
        common::check_error(&e);
    }
    if let Err(e) = xmlrpc::response_from_slice::<serde::de::IgnoredAny>(data) {
        common::check_error(&e);
    }
});
