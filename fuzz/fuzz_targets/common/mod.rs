//! Checks shared by the fuzz targets.

#![allow(dead_code)]

use chrono::Timelike;
use xmlrpc::{DateTime, Fault, Value};

/// The longest error message allowed, in bytes: errors name what went wrong and where, and
/// never echo large parts of the input. Quoted input is cut at 40 characters, names at 32 or
/// 64, paths at 120; escaping (`\u{12}` for a control character) can make that several
/// hundred bytes, but never more than this.
pub const MAX_MESSAGE: usize = 1024;

/// Every decoding error must be short, carry a protocol fault code, and never be an
/// internal error: the input is at fault, not the codec.
pub fn check_error(e: &xmlrpc::Error) {
    let msg = e.to_string();
    assert!(
        msg.len() <= MAX_MESSAGE,
        "error message of {} bytes: {:.400}",
        msg.len(),
        msg
    );
    let code = e.fault_code();
    assert!(Fault::RESERVED.contains(&code), "code {code} for {msg}");
    assert_ne!(
        code,
        Fault::INTERNAL_ERROR,
        "internal error while decoding: {msg}"
    );
}

/// What the writer can send: everything but a date-time whose UTC year is outside
/// 0000-9999, which the `YYYYMMDDTHH:MM:SS` form cannot hold.
pub fn writable(v: &Value) -> bool {
    match v {
        Value::DateTime(dt) => {
            use chrono::Datelike;
            (0..=9999).contains(&dt.naive_utc().year())
        }
        Value::Array(items) => items.iter().all(writable),
        Value::Struct(members) => members.values().all(writable),
        _ => true,
    }
}

/// `v` as it reads back after writing: date-times travel in UTC, without offset and
/// without fraction of a second. Everything else travels exactly.
pub fn as_written(v: &Value) -> Value {
    match v {
        Value::DateTime(dt) => {
            let utc = dt.naive_utc();
            let whole = utc.with_nanosecond(0).expect("0 ns is a valid time");
            Value::DateTime(DateTime::new(whole))
        }
        Value::Array(items) => Value::Array(items.iter().map(as_written).collect()),
        Value::Struct(members) => {
            Value::Struct(members.iter().map(|(k, v)| (k, as_written(v))).collect())
        }
        other => other.clone(),
    }
}

/// Encodes a decoded value and decodes it again: it must come back as written, and a
/// second encoding must give the same bytes.
pub fn round_trip(v: &Value) {
    let xml = match xmlrpc::to_vec(v) {
        Ok(xml) => xml,
        Err(e) => {
            assert!(!writable(v), "a decoded value did not encode: {e}: {v:?}");
            assert!(e.to_string().contains("year"), "unexpected refusal: {e}");
            return;
        }
    };
    let back: Value = match xmlrpc::from_slice(&xml) {
        Ok(back) => back,
        Err(e) => panic!(
            "the encoding of a decoded value does not decode: {e}\n{}",
            String::from_utf8_lossy(&xml)
        ),
    };
    assert_eq!(back, as_written(v), "{}", String::from_utf8_lossy(&xml));
    let again = xmlrpc::to_vec(&back).expect("a value that was written once is written again");
    assert_eq!(again, xml, "the second encoding differs from the first");
}
