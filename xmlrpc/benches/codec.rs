//! Codec throughput: our decoder and encoder against serde_xmlrpc, dxr and
//! the `xmlrpc` crate (0.15), with bare quick-xml event loops for reference:
//! 0.42 is what dxr parses with, 0.31 what serde_xmlrpc parses with, so each
//! is the floor for that peer. (Our decoder has its own tokenizer.)
//!
//! Payloads are the CPython-shaped documents from `support/payload.rs`
//! (medium: 1000 structs, 558,067 bytes; large: 17918 structs, 10,047,961
//! bytes). Throughput is always reported against the payload size, encoders
//! included, so every MB/s figure in a group is comparable. Each timed
//! iteration includes dropping what it produced.
//!
//! Run `cargo bench --bench codec` inside `xmlrpc/` (`-p xmlrpc` alone is
//! ambiguous, the peer `xmlrpc` 0.15 being a dependency too), or
//! `python3 xmlrpc/benches/report.py` for the ratio tables. With
//! `XMLRPC_BENCH_REPEAT` set, the binary runs one case a fixed number of times
//! instead, for instruction counts (see `BENCHMARKS.md`).

#[allow(dead_code)]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};

use support::{cases, payload};

/// One payload the groups run over.
struct Payload {
    label: &'static str,
    xml: String,
}

fn main() {
    // Instruction counts: `XMLRPC_BENCH_REPEAT=N codec-<hash> <case> <payload>` runs one
    // case N times without criterion, for `valgrind --tool=callgrind`.
    if let Ok(n) = std::env::var("XMLRPC_BENCH_REPEAT") {
        let n: usize = n.parse().expect("a repeat count");
        let args: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        let (case, size) = match args.as_slice() {
            [case, size, ..] => (case.as_str(), size.as_str()),
            _ => panic!("usage: XMLRPC_BENCH_REPEAT=N codec <case> <medium|large>"),
        };
        let xml = &match size {
            "medium" => payload::medium_response(),
            "large" => payload::large_response(),
            other => panic!("no payload {other}"),
        };
        for _ in 0..n {
            match case {
                "ours_typed" => drop(black_box(cases::ours_typed(black_box(xml)))),
                "ours_value" => drop(black_box(cases::ours_value(black_box(xml)))),
                "quick_xml_scan" => drop(black_box(cases::quick_xml_scan(black_box(xml)))),
                other => panic!("no case {other}"),
            }
        }
        return;
    }

    payload::assert_reference_sizes();
    let payloads = [
        Payload {
            label: "medium",
            xml: payload::medium_response(),
        },
        Payload {
            label: "large",
            xml: payload::large_response(),
        },
    ];
    for (p, items) in payloads
        .iter()
        .zip([payload::MEDIUM_ITEMS, payload::LARGE_ITEMS])
    {
        cases::check_all(&p.xml, items as usize);
    }

    let mut c = Criterion::default().configure_from_args();
    for p in &payloads {
        decode_typed(&mut c, p);
        decode_value(&mut c, p);
        encode(&mut c, p);
        scan(&mut c, p);
    }
    c.final_summary();
}

/// Opens a group named `{kind}/{label}` with settings that keep the whole
/// run to a few minutes on a 2-core machine.
fn group<'c>(c: &'c mut Criterion, kind: &str, p: &Payload) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(format!("{kind}/{}", p.label));
    g.throughput(Throughput::Bytes(p.xml.len() as u64));
    g.warm_up_time(Duration::from_secs(1));
    if p.label == "large" {
        // Tens to hundreds of milliseconds per iteration: few, equal samples.
        g.sample_size(10);
        g.sampling_mode(SamplingMode::Flat);
        g.measurement_time(Duration::from_secs(4));
    } else {
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(2));
    }
    g
}

fn decode_typed(c: &mut Criterion, p: &Payload) {
    let xml = p.xml.as_str();
    let mut g = group(c, "decode_typed", p);
    g.bench_function(BenchmarkId::new("ours", "DateTime"), |b| {
        b.iter(|| cases::ours_typed(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("ours", "NaiveDateTime"), |b| {
        b.iter(|| cases::ours_typed_naive(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("serde_xmlrpc", "String-when"), |b| {
        b.iter(|| cases::serde_xmlrpc_typed(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("dxr", "DateTime"), |b| {
        b.iter(|| cases::dxr_typed(black_box(xml)));
    });
    // No typed mapping in the `xmlrpc` crate: its value parse stands in.
    g.bench_function(BenchmarkId::new("xmlrpc", "Value-only"), |b| {
        b.iter(|| cases::xmlrpc_value(black_box(xml)));
    });
    g.finish();
}

fn decode_value(c: &mut Criterion, p: &Payload) {
    let xml = p.xml.as_str();
    let mut g = group(c, "decode_value", p);
    g.bench_function(BenchmarkId::new("ours", "Value"), |b| {
        b.iter(|| cases::ours_value(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("serde_xmlrpc", "Value"), |b| {
        b.iter(|| cases::serde_xmlrpc_value(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("dxr", "Value"), |b| {
        b.iter(|| cases::dxr_value(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("xmlrpc", "Value"), |b| {
        b.iter(|| cases::xmlrpc_value(black_box(xml)));
    });
    g.finish();
}

fn encode(c: &mut Criterion, p: &Payload) {
    // Inputs come from each library's own decoder, outside the timing.
    let xml = p.xml.as_str();
    let ours_items = cases::ours_typed(xml);
    let ours_value = cases::ours_value(xml);
    let sx_items = cases::serde_xmlrpc_typed(xml);
    let sx_value = cases::serde_xmlrpc_value(xml);
    let dxr_items = cases::dxr_typed(xml);
    let dxr_response = cases::dxr_response(xml);
    let xmlrpc_value = cases::xmlrpc_value(xml);

    let mut g = group(c, "encode", p);
    g.bench_function(BenchmarkId::new("ours", "typed"), |b| {
        b.iter(|| cases::ours_encode_typed(black_box(&ours_items)));
    });
    g.bench_function(BenchmarkId::new("ours", "Value"), |b| {
        b.iter(|| cases::ours_encode_value(black_box(&ours_value)));
    });
    g.bench_function(BenchmarkId::new("serde_xmlrpc", "typed"), |b| {
        b.iter(|| cases::serde_xmlrpc_encode_typed(black_box(&sx_items)));
    });
    // Its encoder takes the value by move: the clone happens in untimed
    // setup, the drop inside the encoder is part of the measurement.
    g.bench_function(BenchmarkId::new("serde_xmlrpc", "Value"), |b| {
        b.iter_batched(
            || sx_value.clone(),
            cases::serde_xmlrpc_encode_value,
            BatchSize::LargeInput,
        );
    });
    g.bench_function(BenchmarkId::new("dxr", "typed"), |b| {
        b.iter(|| cases::dxr_encode_typed(black_box(&dxr_items)));
    });
    g.bench_function(BenchmarkId::new("dxr", "Value"), |b| {
        b.iter(|| cases::dxr_encode_value(black_box(&dxr_response)));
    });
    g.bench_function(BenchmarkId::new("xmlrpc", "Value"), |b| {
        b.iter(|| cases::xmlrpc_encode_value(black_box(&xmlrpc_value)));
    });
    g.finish();
}

fn scan(c: &mut Criterion, p: &Payload) {
    let xml = p.xml.as_str();
    let mut g = group(c, "scan", p);
    g.bench_function(BenchmarkId::new("quick_xml_scan", "0.42"), |b| {
        b.iter(|| cases::quick_xml_scan(black_box(xml)));
    });
    g.bench_function(BenchmarkId::new("quick_xml_scan", "0.31"), |b| {
        b.iter(|| cases::quick_xml_031_scan(black_box(xml)));
    });
    g.finish();
}
