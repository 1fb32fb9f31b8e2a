#!/usr/bin/env python3
"""Figures and verdict of one scripts/load/run.sh run, from the files it left in OUT.

usage: summarize.py OUT --calls N --hold S [--threads T] [--rate R] [--room-size K]

Reads the two snapshots a.* (start of the window) and b.* (end), the per-second stats.jsonl,
SIPp's statistics CSV and exit status. Prints the figures, a markdown table row, PASS or FAIL
with the reasons, and writes OUT/summary.json. Exit status: 0 PASS, 1 FAIL.
The criteria are documented in docs/benchmarks.md ("tutti serve under SIPp load").
"""
import argparse
import csv
import json
import os
import sys

PACKETS_PER_S = 50  # 20 ms G.711 frames, each way, per call
MAX_LATE_FRACTION = 1e-4  # late sends allowed, as a fraction of the packets due out
MIN_RATE_FRACTION = 0.999  # packets in/out per second, as a fraction of calls x 50


def read(out, name):
    with open(os.path.join(out, name)) as f:
        return f.read()


def proc_cpu_ticks(text):
    """utime + stime of a /proc/PID/stat line (fields 14 and 15), in clock ticks."""
    if not text.strip():
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def machine_ticks(text):
    """(busy, softirq, total) clock ticks of the aggregate 'cpu' line of /proc/stat."""
    v = [int(x) for x in text.split()[1:]]
    idle = v[3] + v[4]
    total = sum(v[:8])
    return total - idle, v[6], total


def tasks(text):
    """{tid: (name, ticks)} from run.sh's '<tid> <comm> <utime> <stime>' lines."""
    result = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 4:
            result[parts[0]] = (" ".join(parts[1:-2]), int(parts[-2]) + int(parts[-1]))
    return result


def sipp_counts(out):
    """(successful, failed) cumulative calls from the last row of SIPp's -trace_stat CSV."""
    try:
        with open(os.path.join(out, "sipp_stats.csv")) as f:
            rows = list(csv.reader(f, delimiter=";"))
    except OSError:
        return None, None
    if len(rows) < 2:
        return None, None
    header, last = rows[0], rows[-1]
    col = {name: i for i, name in enumerate(header)}
    return int(last[col["SuccessfulCall(C)"]]), int(last[col["FailedCall(C)"]])


def active_in_window(out, t_a, t_b):
    samples = []
    with open(os.path.join(out, "stats.jsonl")) as f:
        for line in f:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if t_a <= row["t"] <= t_b:
                samples.append(row["stats"]["calls_active"] if row["stats"] else 0)
    return min(samples) if samples else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--calls", type=int, required=True)
    ap.add_argument("--hold", type=int, required=True)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--rate", type=int, default=0)
    ap.add_argument("--room-size", type=int, default=10)
    ap.add_argument("--nice", type=int, default=0)
    args = ap.parse_args()
    out, calls = args.out, args.calls
    hz = os.sysconf("SC_CLK_TCK")
    cores = os.cpu_count()
    s = {"calls": calls, "rooms": calls // args.room_size, "hold_s": args.hold,
         "threads": args.threads, "rate": args.rate, "nice": args.nice, "out": out}
    reasons = []

    sipp_rc = int(read(out, "sipp.rc").strip() or -1)
    ok, failed = sipp_counts(out)
    s.update(sipp_rc=sipp_rc, sipp_successful=ok, sipp_failed=failed,
             tutti_exit=int(read(out, "tutti.rc").strip() or -1))
    if sipp_rc != 0 or failed != 0 or ok != calls:
        reasons.append(f"SIPp: rc {sipp_rc}, {ok} successful, {failed} failed of {calls}")

    if not os.path.exists(os.path.join(out, "b.time")):
        reasons.append("the calls never were all up: " + read(out, "ramp.txt").strip())
        return finish(out, s, reasons)

    t_a, t_b = float(read(out, "a.time")), float(read(out, "b.time"))
    window = t_b - t_a
    a, b = json.loads(read(out, "a.stats.json")), json.loads(read(out, "b.stats.json"))
    if not a or not b:
        reasons.append("tutti did not answer /api/stats at a snapshot (crashed?)")
        return finish(out, s, reasons)
    d = {k: b[k] - a[k] for k in b if isinstance(b.get(k), int) and k in a}
    s["window_s"] = round(window, 2)
    s["delta"] = d
    s["calls_active"] = [a["calls_active"], b["calls_active"],
                         active_in_window(out, t_a, t_b)]

    tutti_a = proc_cpu_ticks(read(out, "a.tutti.stat"))
    tutti_b = proc_cpu_ticks(read(out, "b.tutti.stat"))
    if tutti_a is None or tutti_b is None:
        reasons.append("tutti's process was gone at a snapshot")
        return finish(out, s, reasons)
    tutti_core = (tutti_b - tutti_a) / hz / window  # cores busy
    s["tutti_cpu_pct"] = round(100 * tutti_core, 1)  # % of one core
    s["tutti_us_per_call_s"] = round(1e6 * tutti_core / calls, 1)  # µs CPU per s per call
    s["tutti_pct_per_100_calls"] = round(100 * tutti_core / calls * 100, 2)
    sipp_a = proc_cpu_ticks(read(out, "a.sipp.stat"))
    sipp_b = proc_cpu_ticks(read(out, "b.sipp.stat"))
    sipp_core = (sipp_b - sipp_a) / hz / window if sipp_a is not None and sipp_b else 0.0
    s["sipp_cpu_pct"] = round(100 * sipp_core, 1)
    busy_a, softirq_a, total_a = machine_ticks(read(out, "a.cpu"))
    busy_b, softirq_b, total_b = machine_ticks(read(out, "b.cpu"))
    machine_core = cores * (busy_b - busy_a) / max(total_b - total_a, 1)
    softirq_core = cores * (softirq_b - softirq_a) / max(total_b - total_a, 1)
    s["machine_cpu_pct"] = round(100 * machine_core, 1)  # of one core; cores x 100 is all
    # softirq: mostly loopback packet delivery, which the kernel charges to no process.
    s["softirq_cpu_pct"] = round(100 * softirq_core, 1)
    s["other_cpu_pct"] = round(100 * (machine_core - tutti_core - sipp_core - softirq_core), 1)
    s["loadavg"] = [read(out, "a.loadavg").split()[0], read(out, "b.loadavg").split()[0]]
    ta, tb = tasks(read(out, "a.tutti.tasks")), tasks(read(out, "b.tutti.tasks"))
    per_thread = {f"{name}/{tid}": (ticks - ta[tid][1]) / hz / window
                  for tid, (name, ticks) in tb.items() if tid in ta}
    s["tutti_threads_pct"] = {k: round(100 * v, 1) for k, v in
                              sorted(per_thread.items(), key=lambda kv: -kv[1]) if v > 0.001}

    expected = calls * PACKETS_PER_S
    s["rtp_in_pps"] = round(d["rtp_in"] / window)
    s["rtp_out_pps"] = round(d["rtp_out"] / window)
    s["expected_pps"] = expected
    s["engine_ticks_per_s"] = round(d["engine_ticks"] / window, 2)

    if min(x for x in s["calls_active"] if x is not None) != calls:
        reasons.append(f"calls_active in the window {s['calls_active']} != {calls}")
    if d["rtp_lost"] != 0:
        reasons.append(f"rtp_lost +{d['rtp_lost']}")
    if d["engine_skipped_ticks"] != 0:
        reasons.append(f"engine_skipped_ticks +{d['engine_skipped_ticks']}")
    if d["rtp_late_sends"] > MAX_LATE_FRACTION * expected * window:
        reasons.append(f"rtp_late_sends +{d['rtp_late_sends']}")
    if s["rtp_out_pps"] < MIN_RATE_FRACTION * expected:
        reasons.append(f"rtp_out {s['rtp_out_pps']}/s < {MIN_RATE_FRACTION} x {expected}")
    if s["rtp_in_pps"] < MIN_RATE_FRACTION * expected:
        reasons.append(f"rtp_in {s['rtp_in_pps']}/s < {MIN_RATE_FRACTION} x {expected}"
                       " (SIPp did not send them all)")
    for k in ("rtp_malformed", "rtp_foreign_source"):
        if d.get(k):
            reasons.append(f"{k} +{d[k]}")
    return finish(out, s, reasons)


def finish(out, s, reasons):
    s["passed"] = not reasons
    s["reasons"] = reasons
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(s, f, indent=2)
    print(json.dumps(s, indent=2))
    if "delta" in s:
        d = s["delta"]
        print("| calls | passed | tutti CPU % | µs CPU/s per call | SIPp CPU % | softirq % |"
              " others % | in pps | out pps | lost | late sends | late ticks | skipped ticks |")
        print(f"| {s['calls']} | {'yes' if s['passed'] else 'no'} | {s['tutti_cpu_pct']} |"
              f" {s['tutti_us_per_call_s']} | {s['sipp_cpu_pct']} | {s['softirq_cpu_pct']} |"
              f" {s['other_cpu_pct']} |"
              f" {s['rtp_in_pps']} | {s['rtp_out_pps']} | {d['rtp_lost']} |"
              f" {d['rtp_late_sends']} | {d['engine_late_ticks']} |"
              f" {d['engine_skipped_ticks']} |")
    print(("PASS" if s["passed"] else "FAIL: " + "; ".join(reasons)))
    return 0 if s["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
