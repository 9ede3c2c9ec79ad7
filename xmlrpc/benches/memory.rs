//! Peak heap while decoding the large payload (10,047,961 bytes), ours and
//! each peer's, into a value tree and into typed structs.
//!
//! The workspace forbids `unsafe_code`, and `forbid` cannot be relaxed per
//! file, so this benchmark does not implement `GlobalAlloc` itself: it
//! installs the counting wrapper from the `cap` crate around the system
//! allocator. `cap` only tracks one all-time maximum, so every measurement
//! runs in a fresh child process (this same binary with `--child CASE`).
//! The child builds the payload in a single exact-size allocation, notes the
//! bytes live, decodes, and reports
//!
//! * peak: the highest number of live heap bytes during the decode, minus
//!   the bytes live before it (so the input itself is not counted), and
//! * retained: the live bytes still held by the decoded result.
//!
//! Requested sizes are counted, not what the allocator rounds them up to.
//!
//! Run: `cargo bench --bench memory` in `xmlrpc/`. Without `--bench` (as under
//! `cargo test --benches`) only the medium payload is measured, as a smoke
//! test.

#[allow(dead_code)]
mod support;

use std::alloc::System;
use std::process::Command;

use cap::Cap;

use support::{cases, payload};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// A measured decode: its name in the table and on the child command line.
struct Case {
    id: &'static str,
    kind: &'static str,
    library: &'static str,
}

const CASES: &[Case] = &[
    Case {
        id: "value-ours",
        kind: "Value",
        library: "ours",
    },
    Case {
        id: "value-serde_xmlrpc",
        kind: "Value",
        library: "serde_xmlrpc",
    },
    Case {
        id: "value-dxr",
        kind: "Value",
        library: "dxr",
    },
    Case {
        id: "value-xmlrpc",
        kind: "Value",
        library: "xmlrpc",
    },
    Case {
        id: "typed-ours",
        kind: "typed",
        library: "ours (DateTime)",
    },
    Case {
        id: "typed-ours-naive",
        kind: "typed",
        library: "ours (NaiveDateTime)",
    },
    Case {
        id: "typed-serde_xmlrpc",
        kind: "typed",
        library: "serde_xmlrpc (when: String)",
    },
    Case {
        id: "typed-dxr",
        kind: "typed",
        library: "dxr (via its Value)",
    },
    Case {
        id: "scan-quick_xml",
        kind: "scan",
        library: "quick-xml 0.42 events",
    },
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        let id = args.get(at + 1).expect("--child needs a case id");
        let medium = args.iter().any(|a| a == "--medium");
        child(id, medium);
        return;
    }
    let medium = !args.iter().any(|a| a == "--bench");
    parent(medium);
}

/// Runs every case in its own process and prints the markdown table.
fn parent(medium: bool) {
    let exe = std::env::current_exe().expect("path of this benchmark binary");
    let (label, input_len) = if medium {
        ("medium", payload::MEDIUM_LEN)
    } else {
        ("large", payload::LARGE_LEN)
    };
    println!(
        "Peak heap during decode of the {label} payload ({input_len} bytes); input not counted."
    );
    println!();
    println!(
        "| decode | library | peak heap (bytes) | peak / input | retained (bytes) | retained / input |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for case in CASES {
        let mut cmd = Command::new(&exe);
        cmd.arg("--child").arg(case.id);
        if medium {
            cmd.arg("--medium");
        }
        let out = cmd.output().expect("spawn measurement child");
        assert!(
            out.status.success(),
            "child {} failed: {}",
            case.id,
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("child prints UTF-8");
        let mut numbers = text
            .split_whitespace()
            .map(|n| n.parse::<usize>().expect("child prints numbers"));
        let peak = numbers.next().expect("peak");
        let retained = numbers.next().expect("retained");
        #[allow(clippy::cast_precision_loss)]
        let ratio = |n: usize| n as f64 / input_len as f64;
        println!(
            "| {} | {} | {peak} | {:.2}x | {retained} | {:.2}x |",
            case.kind,
            case.library,
            ratio(peak),
            ratio(retained)
        );
    }
}

/// Measures one case and prints `PEAK RETAINED` on stdout.
fn child(id: &str, medium: bool) {
    let xml = if medium {
        payload::medium_response()
    } else {
        payload::large_response()
    };
    match id {
        "value-ours" => measure(&xml, cases::ours_value),
        "value-serde_xmlrpc" => measure(&xml, cases::serde_xmlrpc_value),
        "value-dxr" => measure(&xml, cases::dxr_value),
        "value-xmlrpc" => measure(&xml, cases::xmlrpc_value),
        "typed-ours" => measure(&xml, cases::ours_typed),
        "typed-ours-naive" => measure(&xml, cases::ours_typed_naive),
        "typed-serde_xmlrpc" => measure(&xml, cases::serde_xmlrpc_typed),
        "typed-dxr" => measure(&xml, cases::dxr_typed),
        "scan-quick_xml" => measure(&xml, cases::quick_xml_scan),
        other => panic!("unknown case {other:?}"),
    }
}

fn measure<T>(xml: &str, decode: impl FnOnce(&str) -> T) {
    let before = ALLOCATOR.allocated();
    let result = decode(xml);
    let peak = ALLOCATOR.max_allocated().saturating_sub(before);
    let retained = ALLOCATOR.allocated().saturating_sub(before);
    drop(result);
    println!("{peak} {retained}");
}
