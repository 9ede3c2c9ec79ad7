//! What the service layer costs: the small `add(2, 3)` call through the code that
//! `#[xmlrpc_service]` generates and the registry, beside the same call decoded and encoded
//! by hand and the method called directly. Both include reading the request and writing the
//! response.
//!
//! Run with `cargo bench -p xmlrpc@0.1.0 --bench dispatch`.

#![allow(missing_docs)]
// Set-up failures should stop the benchmark loudly.
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use xmlrpc::{Call, CallReader, Context, Encoding, Registry, Service, xmlrpc_service};

#[derive(Debug)]
pub struct Calculator;

#[xmlrpc_service]
impl Calculator {
    /// Adds two integers.
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }
}

/// The request exactly as Python's `ServerProxy` sends it (187 bytes).
const ADD_CALL: &str = "<?xml version='1.0'?>\n<methodCall>\n<methodName>add</methodName>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n<param>\n<value><int>3</int></value>\n</param>\n</params>\n</methodCall>\n";

fn by_hand(body: &[u8]) -> Vec<u8> {
    let mut call = CallReader::from_slice(body).unwrap();
    assert_eq!(call.method(), "add");
    let a: i32 = call.next_param().unwrap().unwrap();
    let b: i32 = call.next_param().unwrap().unwrap();
    call.finish().unwrap();
    xmlrpc::response_to_vec(&Calculator.add(a, b)).unwrap()
}

/// The generated code alone: the call handed straight to the service, no registry.
fn through_service(body: &[u8], context: &Context) -> Vec<u8> {
    let reader = CallReader::from_slice(body).unwrap();
    let method = reader.method_cow();
    let call = Call::new(reader, context, Encoding::default());
    xmlrpc::__private::block_on(Calculator.call(&method, call))
        .unwrap()
        .into_response()
}

fn dispatch(c: &mut Criterion) {
    assert_eq!(ADD_CALL.len(), 187);
    let body = ADD_CALL.as_bytes();
    let registry = Registry::new().service(Calculator);
    let closures = Registry::new().function("add", |a: i32, b: i32| a + b);
    let context = Context::new();
    assert_eq!(registry.handle_blocking(body, &context).body, by_hand(body));
    assert_eq!(closures.handle_blocking(body, &context).body, by_hand(body));
    assert_eq!(through_service(body, &context), by_hand(body));

    let mut group = c.benchmark_group("dispatch_add");
    group.bench_function("by_hand", |b| b.iter(|| by_hand(black_box(body))));
    group.bench_function("generated_code", |b| {
        b.iter(|| through_service(black_box(body), &context));
    });
    group.bench_function("service_macro", |b| {
        b.iter(|| registry.handle_blocking(black_box(body), &context).body);
    });
    group.bench_function("closure", |b| {
        b.iter(|| closures.handle_blocking(black_box(body), &context).body);
    });
    group.finish();
}

criterion_group!(benches, dispatch);
criterion_main!(benches);
