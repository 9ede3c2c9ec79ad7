"""Helpers of run.sh: checks before the load, the load itself, and the table after it.

    python3 tool.py payloads DIR       # DIR/add.xml, DIR/echo.xml == Python's dumps
    python3 tool.py check PORT DIR     # the server answers both calls correctly
    python3 tool.py measure SERVER_PID PORT BODY CONNECTIONS SECONDS
                                       # quiet machine, warm-up, wrk run: one RESULT line
    python3 tool.py table RESULTS      # markdown tables, ratios, targets

`measure` guards against other work on the machine (a build in another terminal halves a
number without a trace): before the run it waits until both cores are idle, and after it
counts the CPU time that neither the server nor wrk used ("foreign", in % of one core, from
/proc/stat less the two processes' own CPU time). A run with more foreign time than
FOREIGN_LIMIT (%) is done again, up to TRIES times, and the quietest one is kept.
Environment: WARMUP (s), CLIENT_CPU, QUIET_WAIT (s, most to wait for idle cores),
FOREIGN_LIMIT, TRIES.
"""

import datetime
import http.client
import os
import subprocess
import sys
import time
import xmlrpc.client


def items(count):
    """The codec benchmark's data set (see shared specs, bench-payloads.md)."""
    start = datetime.datetime(2024, 1, 1)
    return [
        {
            "id": i,
            "name": f"user {i} & co" if i % 10 == 0 else f"user-{i:06}",
            "score": i * 0.25 + 0.125,
            "tags": ["alpha", "beta", f"t{i % 97}"],
            "when": xmlrpc.client.DateTime(start + datetime.timedelta(seconds=37 * i)),
        }
        for i in range(count)
    ]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def payloads(directory):
    expected = {
        "add.xml": xmlrpc.client.dumps((2, 3), methodname="add"),
        "echo.xml": xmlrpc.client.dumps((items(1000),), methodname="echo"),
    }
    for name, text in expected.items():
        got = read(f"{directory}/{name}")
        if got != text.encode():
            sys.exit(f"{name}: differs from Python's dumps ({len(got)} vs {len(text)} bytes)")
        print(f"{name}: {len(got)} bytes, identical to Python's dumps")


def post(port, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/", body, {"Content-Type": "text/xml"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            sys.exit(f"HTTP {response.status}: {data[:200]!r}")
        return data
    finally:
        conn.close()


def plain(value):
    """DateTime objects compare by value only through their text."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, xmlrpc.client.DateTime):
        return ("dateTime", value.value)
    return value


def check(port, directory):
    sizes = []
    for name, want in (("add.xml", 5), ("echo.xml", None)):
        body = read(f"{directory}/{name}")
        data = post(port, body)
        (got,), _ = xmlrpc.client.loads(data)
        if want is None:
            (want,), _ = xmlrpc.client.loads(body)
        if plain(got) != plain(want):
            sys.exit(f"{name}: wrong result from the server on port {port}")
        sizes.append(f"{name.split('.')[0]} response {len(data)} bytes")
    print("correct: " + ", ".join(sizes))


HZ = os.sysconf("SC_CLK_TCK")
HERE = os.path.dirname(os.path.abspath(__file__))


def busy_jiffies():
    """CPU time spent by processes on the whole machine: user, nice, system, steal.

    Interrupt and softirq time is left out: loopback traffic is processed there, and it
    belongs to the run, not to anyone else."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, _irq, _softirq, steal = fields[:8]
    return user + nice + system + steal


def process_jiffies(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def wait_quiet(limit_s):
    """Until two seconds in a row with less than 5% of one core busy, at most limit_s."""
    started = time.monotonic()
    quiet = 0
    while quiet < 2 and time.monotonic() - started < limit_s:
        before = busy_jiffies()
        time.sleep(1)
        quiet = quiet + 1 if busy_jiffies() - before < 0.05 * HZ else 0
    waited = time.monotonic() - started
    if quiet < 2:
        print(f"warning: the machine stayed busy for {waited:.0f} s; measuring anyway",
              file=sys.stderr)
    return waited


def wrk(port, body, connections, seconds):
    """One wrk run; its RESULT fields and its own CPU time in jiffies."""
    command = ["taskset", "-c", os.environ.get("CLIENT_CPU", "1"),
               "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
               "-s", os.path.join(HERE, "post.lua"), f"http://127.0.0.1:{port}/"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, BODY_FILE=body))
    try:
        out, _ = proc.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("error: wrk did not finish")
    # communicate() reaped the child; its CPU time is in our children's times.
    lines = [l for l in out.splitlines() if l.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"error: wrk failed: {out}")
    return dict(f.split("=") for f in lines[0].split()[1:])


def children_jiffies():
    t = os.times()
    return round((t.children_user + t.children_system) * HZ)


def measure(server_pid, port, body, connections, seconds):
    warmup = int(os.environ.get("WARMUP", "2"))
    limit = float(os.environ.get("FOREIGN_LIMIT", "5"))
    tries = int(os.environ.get("TRIES", "3"))
    quiet_wait = float(os.environ.get("QUIET_WAIT", "600"))
    best = None
    for attempt in range(1, tries + 1):
        waited = wait_quiet(quiet_wait)
        if warmup > 0:
            wrk(port, body, connections, warmup)
        total0, server0, own0 = busy_jiffies(), process_jiffies(server_pid), children_jiffies()
        started = time.monotonic()
        result = wrk(port, body, connections, seconds)
        elapsed = time.monotonic() - started
        total = busy_jiffies() - total0
        server = process_jiffies(server_pid) - server0
        client = children_jiffies() - own0
        foreign = max(0.0, (total - server - client) / HZ / elapsed * 100)
        result.update(foreign_pct=str(round(foreign)),
                      server_cpu_pct=str(round(server / HZ / elapsed * 100)),
                      client_cpu_pct=str(round(client / HZ / elapsed * 100)),
                      try_=str(attempt), waited_s=str(round(waited)))
        if best is None or foreign < int(best["foreign_pct"]):
            best = result
        if foreign <= limit:
            break
        print(f"  try {attempt}: {foreign:.0f}% of a core used by other processes; again",
              file=sys.stderr)
    print(" ".join(f"{k.rstrip('_')}={v}" for k, v in best.items()))


SERVERS = [("bare", "bare axum"), ("ours", "ours"), ("dxr", "dxr"), ("cpython", "CPython")]
TARGETS = {"small": ("bare", 0.8), "large": ("dxr", 5.0)}


def table(path):
    """Medians of the rounds; each ratio is of the medians, with the range of the ratios
    round by round (the two servers of a round ran back to back) in brackets."""
    runs = {}
    errors = []
    limit = float(os.environ.get("FOREIGN_LIMIT", "5"))
    disturbed = []
    with open(path) as f:
        for line in f:
            server, size, conns, *fields = line.split()
            r = dict(field.split("=") for field in fields)
            r = {k: int(v) for k, v in r.items()}
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            runs.setdefault((server, size, int(conns)), {})[r.get("round", 1)] = r
            where = f"{server} {size} c={conns} round {r.get('round', 1)}"
            if r.get("foreign_pct", 0) > limit:
                disturbed.append(f"{where}: {r['foreign_pct']}%")
            errs = {k[4:]: v for k, v in r.items() if k.startswith("err_") and v}
            if errs:
                errors.append(f"{where}: " + ", ".join(f"{v} {k}" for k, v in errs.items()))

    names = dict(SERVERS)
    present = [key for key, _ in SERVERS if any(k[0] == key for k in runs)]
    ratios = [key for key in present if key != "ours"] if "ours" in present else []
    rounds = max((len(r) for r in runs.values()), default=0)
    verdicts = []
    for size, title in (("small", "Small call, `add(2, 3)`"), ("large", "Large call, echo of 1000 structs")):
        conns = sorted({k[2] for k in runs if k[1] == size})
        if not conns:
            continue
        print(f"\n{title}: requests/s and p99 latency, median of {rounds} rounds\n")
        head = ["connections"]
        for key in present:
            head += [f"{names[key]} req/s", f"{names[key]} p99"]
        head += [f"ours / {names[key]}" for key in ratios]
        print("| " + " | ".join(head) + " |")
        print("|" + "---:|" * len(head))
        base, floor = TARGETS[size]
        met = True
        for c in conns:
            cells = [str(c)]
            for key in present:
                r = runs.get((key, size, c))
                if r:
                    cells += [rate(median(x["rps"] for x in r.values())),
                              ms(median(x["p99_us"] for x in r.values()))]
                else:
                    cells += ["-", "-"]
            ours = runs.get(("ours", size, c), {})
            for key in ratios:
                other = runs.get((key, size, c), {})
                paired = [ours[n]["rps"] / other[n]["rps"] for n in ours if n in other and other[n]["rps"] > 0]
                if not paired:
                    cells.append("-")
                    met = met and key != base
                    continue
                ratio = median(x["rps"] for x in ours.values()) / median(x["rps"] for x in other.values())
                spread = f" ({min(paired):.2f}-{max(paired):.2f})" if len(paired) > 1 else ""
                cells.append(f"{ratio:.2f}x{spread}")
                if key == base and ratio < floor:
                    met = False
            print("| " + " | ".join(cells) + " |")
        if base in ratios:
            verdict = "met" if met else "MISSED"
            verdicts.append(f"- {size} calls, ours at least {floor}x {names[base]} at every connection count: {verdict}")
    if verdicts:
        print("\nTargets (ratios of the medians):\n")
        print("\n".join(verdicts))
    all_runs = [r for rs in runs.values() for r in rs.values()]
    foreign = max((r.get("foreign_pct", 0) for r in all_runs), default=0)
    print(f"\nOther processes used at most {foreign}% of a core during any measured run.")
    if disturbed:
        print(f"Runs over {limit:g}% (quietest of the tries kept): " + "; ".join(disturbed))
    if errors:
        print("\nwrk errors (connect/read/write/status/timeout):\n")
        print("\n".join(f"- {e}" for e in errors))


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def rate(rps):
    return f"{rps:,.0f}" if rps >= 100 else f"{rps:.1f}"


def ms(us):
    return f"{us / 1000:.2f} ms" if us < 100_000 else f"{us / 1000:,.0f} ms"


def main():
    command, *args = sys.argv[1:]
    if command == "payloads":
        payloads(*args)
    elif command == "check":
        check(int(args[0]), args[1])
    elif command == "measure":
        measure(int(args[0]), int(args[1]), args[2], int(args[3]), int(args[4]))
    elif command == "table":
        table(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
