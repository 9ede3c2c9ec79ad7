#!/usr/bin/env bash
# The load benchmark of BENCHMARKS.md ("Load"): run by hand, never in CI.
#
#   bash benches/load/run.sh
#
# Builds the Rust servers in release (benches/load/Cargo.toml, a workspace of its own), writes
# the two request bodies with the codec benchmark's payload generator (checked byte for byte
# against Python's xmlrpc.client.dumps), and starts four servers on 127.0.0.1, all pinned to
# one core (taskset -c SERVER_CPU):
#
#   bare     axum handler that reads the body and returns a constant response (the ceiling)
#   ours     #[xmlrpc_service] served by xmlrpc-axum, request log off
#   dxr      dxr_server 0.9 on axum, the same two methods
#   cpython  CPython's stock SimpleXMLRPCServer, logRequests=False
#
# It checks that each answers add(2, 3) and echo(1000 structs) correctly, then loads them with
# wrk (one thread, keep-alive, pinned to the other core) for each call size and connection
# count, server after server, in ROUNDS rounds: a warm-up, then the measured run. Each run
# first waits for idle cores and is done again when other processes took CPU time during it
# (see tool.py: a build in another terminal would otherwise skew a number unseen). Prints a
# markdown table of requests/s and p99 latency (medians of the rounds) with the ratios, and
# keeps the raw results in target/load-bench/. All servers are killed on exit.
#
# The load generator is wrk (Debian's package `wrk`); installed with apt-get when missing.
#
# Knobs (environment): SERVERS ("bare ours dxr cpython"), SIZES ("small large"),
# CONNS ("1 16 64"), ROUNDS (3), DURATION_SMALL / DURATION_LARGE (5, seconds a run),
# WARMUP (1, seconds), PORT (18470, first of four), SERVER_CPU (0), CLIENT_CPU (1), and
# tool.py's QUIET_WAIT (600, seconds), FOREIGN_LIMIT (5, % of a core), TRIES (3).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SERVERS=${SERVERS:-"bare ours dxr cpython"}
SIZES=${SIZES:-"small large"}
CONNS=${CONNS:-"1 16 64"}
DURATION_SMALL=${DURATION_SMALL:-5}
DURATION_LARGE=${DURATION_LARGE:-5}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-1}
PORT=${PORT:-18470}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
export WARMUP CLIENT_CPU
export PYTHONDONTWRITEBYTECODE=1
OUT="$ROOT/target/load-bench"
BIN="$ROOT/target/release/load_server"

step() { printf '\n=== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools ----
if ! command -v wrk >/dev/null 2>&1; then
    step "installing wrk (Debian package)"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else
        echo "error: wrk is missing: apt-get install wrk (as root)" >&2
        exit 1
    fi
fi
for tool in taskset python3 cargo; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is missing" >&2; exit 1; }
done
if [ "$(nproc --all)" -lt 2 ]; then
    echo "error: needs two cores, one for the server and one for wrk" >&2
    exit 1
fi

# ---------------------------------------------------------------- build ----
step "building the servers (release)"
cargo build --release --quiet --manifest-path "$HERE/Cargo.toml" --target-dir "$ROOT/target"

mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
rm -f "$OUT"/*.log
step "request bodies"
"$BIN" payloads "$OUT/payloads"
python3 "$HERE/tool.py" payloads "$OUT/payloads"

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc --all)"
    echo "kernel: $(uname -r)"
    echo "rustc: $(rustc --version)"
    echo "python: $(python3 --version 2>&1)"
    echo "wrk: $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
    echo "servers on cpu $SERVER_CPU, wrk on cpu $CLIENT_CPU; $ROUNDS rounds of ${DURATION_SMALL}s (small) / ${DURATION_LARGE}s (large) runs, each after a ${WARMUP}s warm-up"
} | tee "$OUT/machine.txt" >&2

# -------------------------------------------------------------- servers ----
# All servers run for the whole benchmark (an idle one costs nothing), so that each cell of
# the table can go round them in turn: a slow drift of the machine then touches them alike.
PIDS=()
stop_servers() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

declare -A PID_OF PORT_OF
start_server() { # NAME PORT
    case "$1" in
        cpython) taskset -c "$SERVER_CPU" python3 "$HERE/python_server.py" "$2" 2>>"$OUT/$1.log" & ;;
        *) taskset -c "$SERVER_CPU" "$BIN" "$1" "$2" 2>>"$OUT/$1.log" & ;;
    esac
    local pid=$!
    PIDS+=("$pid")
    PID_OF[$1]=$pid
    PORT_OF[$1]=$2
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "error: $1 server exited" >&2; exit 1; }
        sleep 0.1
    done
    echo "error: $1 server not listening on port $2 after 10 s" >&2
    exit 1
}

port=$PORT
for server in $SERVERS; do
    step "$server on port $port"
    start_server "$server" "$port"
    python3 "$HERE/tool.py" check "$port" "$OUT/payloads" >&2
    port=$((port + 1))
done

step "load: $ROUNDS round(s) per cell, server after server"
for size in $SIZES; do
    case "$size" in
        small) body="$OUT/payloads/add.xml"; seconds=$DURATION_SMALL ;;
        large) body="$OUT/payloads/echo.xml"; seconds=$DURATION_LARGE ;;
        *) echo "error: unknown size $size" >&2; exit 1 ;;
    esac
    for c in $CONNS; do
        for round in $(seq "$ROUNDS"); do
            for server in $SERVERS; do
                result=$(python3 "$HERE/tool.py" measure "${PID_OF[$server]}" "${PORT_OF[$server]}" "$body" "$c" "$seconds")
                echo "$server $size $c round=$round $result" | tee -a "$RESULTS" >&2
            done
        done
    done
done
stop_servers

step "results"
cat "$OUT/machine.txt"
python3 "$HERE/tool.py" table "$RESULTS" | tee "$OUT/table.md"
