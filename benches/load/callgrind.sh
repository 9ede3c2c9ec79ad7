#!/usr/bin/env bash
# User-space instructions per small request of one load server, under load: BENCHMARKS.md,
# "Where the small call's time goes". Counts instructions, so a busy machine changes the
# time it takes, not the number.
#
#   bash benches/load/callgrind.sh [SERVER] [BINARY]
#
# SERVER is a mode of load_server (ours by default; bare, dxr); BINARY the load_server to run
# (the one run.sh builds by default, target/release/load_server). The server runs under
# `valgrind --tool=callgrind` pinned to one core; wrk (16 connections, keep-alive, the
# `add(2, 3)` body) warms it up for WARMUP seconds, the counters are zeroed, wrk loads it for
# SECONDS more, the counters are dumped, and the script prints the instructions per request
# (total Ir of the dump / requests wrk completed) and keeps the dump in target/load-bench/.
#
# Needs valgrind (Debian's `valgrind`) and wrk (`wrk`). Knobs: CONNS (16), WARMUP (5),
# SECONDS_LOADED (20), PORT (18490), SERVER_CPU (0), CLIENT_CPU (1).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SERVER=${1:-ours}
BIN=${2:-$ROOT/target/release/load_server}
CONNS=${CONNS:-16}
WARMUP=${WARMUP:-5}
SECONDS_LOADED=${SECONDS_LOADED:-20}
PORT=${PORT:-18490}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
OUT="$ROOT/target/load-bench"
mkdir -p "$OUT"

for tool in valgrind callgrind_control wrk taskset; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is missing" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "error: no load_server at $BIN: build it (see run.sh)" >&2; exit 1; }

"$BIN" payloads "$OUT/payloads"
DUMP="$OUT/callgrind.$SERVER.out"
rm -f "$DUMP" "$DUMP".*
taskset -c "$SERVER_CPU" valgrind --tool=callgrind --callgrind-out-file="$DUMP" \
    "$BIN" "$SERVER" "$PORT" 2>"$OUT/callgrind.$SERVER.log" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT

for _ in $(seq 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    kill -0 "$PID" 2>/dev/null || { echo "error: the server exited" >&2; exit 1; }
    sleep 0.1
done

load() { # SECONDS
    BODY_FILE="$OUT/payloads/add.xml" taskset -c "$CLIENT_CPU" \
        wrk -t1 -c"$CONNS" -d"$1"s --timeout 30s -s "$HERE/post.lua" "http://127.0.0.1:$PORT/" |
        sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p'
}
load "$WARMUP" >/dev/null
callgrind_control -z "$PID" >/dev/null
requests=$(load "$SECONDS_LOADED")
callgrind_control -d "$PID" >/dev/null
# The dump is written next to DUMP with a counter suffix; the totals line sums every thread.
dump=$(ls -t "$DUMP".* | head -n1)
total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$dump" | head -n1)
[ -n "$total" ] && [ "$requests" -gt 0 ] || { echo "error: no totals or no requests" >&2; exit 1; }
echo "$SERVER: $total instructions / $requests requests = $((total / requests)) per request ($dump)"
