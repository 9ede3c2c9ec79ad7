#!/usr/bin/env python3
"""Run the codec and memory benchmarks and print markdown tables.

Usage (from anywhere in the repository):

    python3 xmlrpc/benches/report.py            # run both benchmarks, then report
    python3 xmlrpc/benches/report.py --no-run   # report on the last run only

The benchmarks run from the xmlrpc/ directory: `-p xmlrpc` alone would be
ambiguous, since the peer `xmlrpc` 0.15 is in the dependency graph too.

Benchmark progress goes to stderr; the markdown goes to stdout. Criterion
results are read from $CARGO_TARGET_DIR/criterion (or target/criterion at the
workspace root), from each benchmark's new/benchmark.json and
new/estimates.json. The memory table is the output of the memory benchmark,
kept in criterion's directory as memory.md so that --no-run can reuse it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GROUP_KINDS = ("decode_typed", "decode_value", "encode", "scan")
SIZES = ("medium", "large")
LARGE_LEN = 10_047_961  # bytes of the large payload, the memory benchmark's input

# (group kind, our id, [(peer id, label)]) for the speed-up table.
COMPARISONS = [
    ("decode_typed", "ours/DateTime", [
        ("serde_xmlrpc/String-when", "serde_xmlrpc"),
        ("dxr/DateTime", "dxr"),
        ("xmlrpc/Value-only", "xmlrpc (Value only, no typed API)"),
    ]),
    ("decode_value", "ours/Value", [
        ("serde_xmlrpc/Value", "serde_xmlrpc"),
        ("dxr/Value", "dxr"),
        ("xmlrpc/Value", "xmlrpc"),
    ]),
    ("encode", "ours/typed", [
        ("serde_xmlrpc/typed", "serde_xmlrpc typed"),
        ("dxr/typed", "dxr typed"),
        ("xmlrpc/Value", "xmlrpc Value"),
    ]),
    ("encode", "ours/Value", [
        ("serde_xmlrpc/Value", "serde_xmlrpc Value"),
        ("dxr/Value", "dxr Value"),
        ("xmlrpc/Value", "xmlrpc Value"),
    ]),
]


def target_dir():
    env = os.environ.get("CARGO_TARGET_DIR")
    return Path(env) if env else ROOT / "target"


def criterion_dir():
    return target_dir() / "criterion"


def run(args, capture=False):
    env = dict(os.environ, CRITERION_HOME=str(criterion_dir()))
    print("+ " + " ".join(args), file=sys.stderr, flush=True)
    result = subprocess.run(
        args,
        cwd=ROOT / "xmlrpc",
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else sys.stderr,
    )
    return result.stdout


def load_criterion():
    """Maps "group/function/parameter" to (seconds per iteration, bytes)."""
    results = {}
    base = criterion_dir()
    for bench_file in base.glob("**/new/benchmark.json"):
        meta = json.loads(bench_file.read_text())
        if meta["group_id"].split("/")[0] not in GROUP_KINDS:
            continue
        estimates = json.loads((bench_file.parent / "estimates.json").read_text())
        # Criterion's headline figure: the slope under linear sampling, the
        # mean under flat sampling.
        typical = estimates.get("slope") or estimates["mean"]
        seconds = typical["point_estimate"] / 1e9
        nbytes = (meta.get("throughput") or {}).get("Bytes")
        results[meta["full_id"]] = (seconds, nbytes)
    return results


def fmt_time(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def mib_per_s(entry):
    seconds, nbytes = entry
    return nbytes / seconds / (1 << 20) if nbytes else float("nan")


def print_throughput(results):
    print("### Throughput (MiB/s of payload, as criterion prints it)")
    print()
    print("| group | benchmark | time / iter | MiB/s |")
    print("|---|---|---:|---:|")
    for size in SIZES:
        for kind in GROUP_KINDS:
            group = f"{kind}/{size}"
            rows = sorted(
                (key, value) for key, value in results.items() if key.startswith(group + "/")
            )
            for key, entry in rows:
                print(f"| {group} | {key[len(group) + 1:]} | {fmt_time(entry[0])} | {mib_per_s(entry):.1f} |")
    print()


def speedup(results, group, ours, peer):
    a = results.get(f"{group}/{ours}")
    b = results.get(f"{group}/{peer}")
    if not a or not b:
        return None
    return b[0] / a[0]


def print_ratios(results):
    print("### Ours vs peers (speed-up = peer time ÷ our time; above 1 means we are faster)")
    print()
    print("| row | ours | vs | " + " | ".join(SIZES) + " |")
    print("|---|---|---|" + "---:|" * len(SIZES))
    for kind, ours, peers in COMPARISONS:
        for peer, label in peers:
            cells = []
            for size in SIZES:
                ratio = speedup(results, f"{kind}/{size}", ours, peer)
                cells.append("n/a" if ratio is None else f"{ratio:.2f}x")
            print(f"| {kind} | {ours} | {label} | " + " | ".join(cells) + " |")
    for kind, ours in (("decode_typed", "ours/DateTime"), ("decode_value", "ours/Value")):
        for version in ("0.42", "0.31"):
            cells = []
            for size in SIZES:
                mine = results.get(f"{kind}/{size}/{ours}")
                scan = results.get(f"scan/{size}/quick_xml_scan/{version}")
                cells.append("n/a" if not mine or not scan else f"{scan[0] / mine[0]:.2f}x")
            label = f"bare quick-xml {version} event loop (no values built)"
            print(f"| {kind} | {ours} | {label} | " + " | ".join(cells) + " |")
    print()


def parse_memory(table):
    """Maps (kind, library) to peak / input from the memory benchmark table."""
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[3].endswith("x") and cells[2].isdigit():
            rows[(cells[0], cells[1])] = int(cells[2]) / LARGE_LEN
    return rows


def print_targets(results, memory):
    print("### Targets")
    print()
    print("| target | measured | met |")
    print("|---|---|---|")

    def speed_target(name, group_kind, ours, peer, goal):
        for size in SIZES:
            ratio = speedup(results, f"{group_kind}/{size}", ours, peer)
            if ratio is None:
                print(f"| {name} ({size}) | n/a | ? |")
            else:
                print(f"| {name} ({size}) | {ratio:.2f}x | {'yes' if ratio >= goal else 'NO'} |")

    speed_target("typed decode ≥ 1.5x serde_xmlrpc", "decode_typed", "ours/DateTime", "serde_xmlrpc/String-when", 1.5)
    speed_target("Value decode ≥ 1.5x serde_xmlrpc", "decode_value", "ours/Value", "serde_xmlrpc/Value", 1.5)
    speed_target("typed encode ≥ 1.2x xmlrpc's Value encoder", "encode", "ours/typed", "xmlrpc/Value", 1.2)
    for name, key, goal in (
        ("peak heap, Value decode ≤ 2x input", ("Value", "ours"), 2.0),
        ("peak heap, typed decode ≤ 0.7x input", ("typed", "ours (DateTime)"), 0.7),
    ):
        ratio = memory.get(key)
        if ratio is None:
            print(f"| {name} | n/a | ? |")
        else:
            print(f"| {name} | {ratio:.2f}x | {'yes' if ratio <= goal else 'NO'} |")
    print()


def main():
    no_run = "--no-run" in sys.argv[1:]
    memory_file = criterion_dir() / "memory.md"
    if not no_run:
        run(["cargo", "bench", "--bench", "codec"])
        table = run(["cargo", "bench", "--bench", "memory"], capture=True)
        memory_file.parent.mkdir(parents=True, exist_ok=True)
        memory_file.write_text(table)
    table = memory_file.read_text() if memory_file.exists() else ""

    results = load_criterion()
    print_throughput(results)
    print_ratios(results)
    print("### Peak heap (large payload)")
    print()
    print(table.strip() if table else "(memory benchmark not run yet)")
    print()
    print_targets(results, parse_memory(table))


if __name__ == "__main__":
    main()
