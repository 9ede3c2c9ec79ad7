//! Arbitrary bytes as one `<value>`, with small limits so that the limit checks are
//! reached often. Whatever decodes must encode and decode back.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use xmlrpc::{Deserializer, Limits, Value};

fn with_small_limits(data: &[u8]) -> xmlrpc::Result<Value> {
    let limits = Limits::default()
        .max_depth(4)
        .max_string(64)
        .max_members(4)
        .max_elements(8)
        .max_input(4096);
    let mut de = Deserializer::from_slice(data)?.with_limits(limits);
    let v = Value::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

fuzz_target!(|data: &[u8]| {
    match xmlrpc::from_slice::<Value>(data) {
        Ok(v) => common::round_trip(&v),
        Err(e) => common::check_error(&e),
    }
    match with_small_limits(data) {
        Ok(v) => {
            common::round_trip(&v);
            // What passes small limits passes the defaults, to the same value.
            assert_eq!(xmlrpc::from_slice::<Value>(data).ok(), Some(v));
        }
        Err(e) => common::check_error(&e),
    }
});
