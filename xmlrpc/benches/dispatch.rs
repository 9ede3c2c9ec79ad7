//! What the service layer costs: the small `add(2, 3)` call through the code that
//! `#[xmlrpc_service]` generates and the registry, beside the same call decoded and encoded
//! by hand and the method called directly. Both include reading the request and writing the
//! response. And `system.multicall` of 100 `add` calls, whose sub-calls the registry
//! dispatches from the `Value`s it read.
//!
//! Run with `cargo bench -p xmlrpc@0.1.0 --bench dispatch`.
//!
//! For instruction counts, the same binary runs one case a fixed number of times without
//! criterion when `XMLRPC_BENCH_REPEAT` is set: `XMLRPC_BENCH_REPEAT=100 valgrind
//! --tool=callgrind target/release/deps/dispatch-<hash> multicall_100`. The difference
//! between two repeat counts is the cost of the extra iterations alone.

#![allow(missing_docs)]
// Set-up failures should stop the benchmark loudly.
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group};
use std::hint::black_box;
use xmlrpc::{
    Call, CallReader, Context, Encoding, Registry, Service, Struct, Value, xmlrpc_service,
};

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

/// How many sub-calls the multicall carries.
const SUB_CALLS: i32 = 100;

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

/// `system.multicall` of `add(i, i)` for i in 0..100, as Python's `MultiCall` sends it.
fn multicall_body() -> Vec<u8> {
    let calls: Vec<Value> = (0..SUB_CALLS)
        .map(|i| {
            let mut s = Struct::new();
            s.push("methodName", "add");
            s.push("params", vec![i, i]);
            Value::Struct(s)
        })
        .collect();
    xmlrpc::call_to_vec("system.multicall", &(calls,)).unwrap()
}

/// Checks the multicall's answer: one one-element array per call, holding `2 i`.
fn check_multicall(response: &[u8]) {
    let answer: xmlrpc::MethodResponse<Vec<(i32,)>> =
        xmlrpc::response_from_slice(response).unwrap();
    let sums = answer.into_result().unwrap();
    assert_eq!(sums.len(), SUB_CALLS as usize);
    for (i, (sum,)) in sums.into_iter().enumerate() {
        assert_eq!(sum, 2 * i as i32);
    }
}

/// Runs case `name` `n` times outside criterion, for instruction counts.
fn repeat(name: &str, n: usize) {
    let context = Context::new();
    let registry = Registry::new().service(Calculator);
    let add = ADD_CALL.as_bytes();
    let multi = multicall_body();
    for _ in 0..n {
        match name {
            "by_hand" => drop(black_box(by_hand(black_box(add)))),
            "service_macro" => drop(black_box(
                registry.handle_blocking(black_box(add), &context),
            )),
            "multicall_100" => {
                drop(black_box(
                    registry.handle_blocking(black_box(&multi), &context),
                ));
            }
            other => panic!("no case {other}"),
        }
    }
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

    let multi = multicall_body();
    check_multicall(&registry.handle_blocking(&multi, &context).body);
    let mut group = c.benchmark_group("multicall");
    group.throughput(criterion::Throughput::Elements(SUB_CALLS as u64));
    group.bench_function("add_x100", |b| {
        b.iter(|| registry.handle_blocking(black_box(&multi), &context).body);
    });
    group.finish();
}

criterion_group!(benches, dispatch);

fn main() {
    if let Ok(n) = std::env::var("XMLRPC_BENCH_REPEAT") {
        let n: usize = n.parse().unwrap();
        let name = std::env::args()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .unwrap_or_else(|| "multicall_100".to_owned());
        repeat(&name, n);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
