#!/usr/bin/env python3
"""Plots Google Benchmark JSON output (--benchmark_out=F --benchmark_out_format=json) as PNGs.

Usage: scripts/plot_bench.py [--out-dir docs/bench] FILE.json [FILE.json ...]

Any mix of bench_engine and bench_kernels output may be given; a plot whose benchmarks are in
none of the files is skipped with a note, and a missing or unreadable file is reported and
skipped. Writes, as the data allows:
  room_tick_us.png          BM_RoomTick: tick time vs participants (log-log), one line per speakers
  us_per_participant.png    BM_RoomTick: us per participant vs participants, and the mix-stage
                            point (BM_RoomTickListenersSilentByAbsence) against its 0.1 us target
  many_rooms.png            BM_ManyRooms: mean / p50 / p99 tick time by thread count
  mix_minus_isa.png         BM_mix_minus/<isa>/<n>: throughput by ISA and frame size
With --benchmark_repetitions the median aggregate is used; otherwise the single run.
"""
import argparse
import json
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

MIX_STAGE_TARGET_US = 0.1
ISA_ORDER = ["scalar", "sse41", "avx2", "avx512", "neon"]


def load(paths):
    """Returns {run_name: benchmark entry}, preferring median aggregates over single runs."""
    runs = {}
    for path in paths:
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print(f"plot_bench: skipping {path}: {e}", file=sys.stderr)
            continue
        for b in data.get("benchmarks", []):
            if b.get("error_occurred"):
                continue
            name = b.get("run_name", b["name"])
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") == "median":
                    runs[name] = b
            elif name not in runs or runs[name].get("run_type") != "aggregate":
                runs[name] = b
    return runs


def parts(name):
    """'BM_RoomTick/1000/3/manual_time' -> ['BM_RoomTick', '1000', '3']."""
    return [p for p in name.split("/") if p not in ("manual_time", "real_time")]


def room_ticks(runs, family):
    """{speakers: [(participants, us_per_tick, us_per_participant)]} sorted by participants."""
    lines = defaultdict(list)
    for name, b in runs.items():
        p = parts(name)
        if p[0] != family or len(p) < 3:
            continue
        participants, speakers = int(p[1]), int(p[2])
        per_tick = b.get("us_per_tick", b["real_time"])
        per_participant = b.get("us_per_participant", per_tick / participants)
        lines[speakers].append((participants, per_tick, per_participant))
    return {s: sorted(v) for s, v in sorted(lines.items())}


def save(fig, out_dir, filename):
    path = os.path.join(out_dir, filename)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"plot_bench: wrote {path}")


def plot_room_tick(runs, out_dir):
    lines = room_ticks(runs, "BM_RoomTick")
    if not lines:
        print("plot_bench: no BM_RoomTick results; skipping room_tick_us.png")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for speakers, pts in lines.items():
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o",
                label=f"{speakers} talking")
    ax.axhline(20000, color="grey", linestyle=":", label="20 ms tick budget")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("participants in the room")
    ax.set_ylabel("tick time (µs)")
    ax.set_title("One room, 48 kHz, 20 ms tick, max_speakers = 3\n"
                 "(listeners send silent frames)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    save(fig, out_dir, "room_tick_us.png")


def plot_per_participant(runs, out_dir):
    lines = room_ticks(runs, "BM_RoomTick")
    absent = room_ticks(runs, "BM_RoomTickListenersSilentByAbsence")
    if not lines and not absent:
        print("plot_bench: no room results; skipping us_per_participant.png")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for speakers, pts in lines.items():
        ax.plot([p[0] for p in pts], [p[2] for p in pts], marker="o",
                label=f"{speakers} talking, listeners send silent frames")
    for speakers, pts in absent.items():
        ax.plot([p[0] for p in pts], [p[2] for p in pts], marker="*", markersize=14,
                linestyle="none", color="black",
                label=f"{speakers} talking, listeners send nothing (mix stage)")
    ax.axhline(MIX_STAGE_TARGET_US, color="red", linestyle="--",
               label=f"mix-stage target {MIX_STAGE_TARGET_US} µs (1,000 participants, 3 talking)")
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("participants in the room")
    ax.set_ylabel("µs per participant per tick")
    ax.set_title("Tick cost per participant (48 kHz, 20 ms)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    save(fig, out_dir, "us_per_participant.png")


def plot_many_rooms(runs, out_dir):
    rows = []
    for name, b in runs.items():
        p = parts(name)
        if p[0] == "BM_ManyRooms" and len(p) >= 2:
            rows.append((int(p[1]), b.get("mean_us", b["real_time"]), b.get("p50_us"),
                         b.get("p99_us")))
    if not rows:
        print("plot_bench: no BM_ManyRooms results; skipping many_rooms.png")
        return
    rows.sort()
    labels = ["serial (0)" if t == 0 else f"{t} thread" + ("s" if t > 1 else "")
              for t, *_ in rows]
    width = 0.27
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, (stat, column) in enumerate([("mean", 1), ("p50", 2), ("p99", 3)]):
        values = [r[column] if r[column] is not None else 0.0 for r in rows]
        xs = [x + (i - 1) * width for x in range(len(rows))]
        bars = ax.bar(xs, values, width, label=stat)
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    ax.set_xticks(range(len(rows)), labels)
    ax.set_xlabel("EngineConfig.threads")
    ax.set_ylabel("tick time (µs)")
    ax.set_title("1,000 rooms x 10 participants (2 talking), 48 kHz, 20 ms")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend()
    save(fig, out_dir, "many_rooms.png")


def plot_mix_minus(runs, out_dir):
    # {n: {isa: Gsamples/s}}
    table = defaultdict(dict)
    for name, b in runs.items():
        p = parts(name)
        if p[0] == "BM_mix_minus" and len(p) >= 3 and "items_per_second" in b:
            table[int(p[2])][p[1]] = b["items_per_second"] / 1e9
    if not table:
        print("plot_bench: no BM_mix_minus results; skipping mix_minus_isa.png")
        return
    sizes = sorted(table)
    isas = [i for i in ISA_ORDER if any(i in table[n] for n in sizes)]
    width = 0.8 / len(isas)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for k, isa in enumerate(isas):
        xs = [x + (k - (len(isas) - 1) / 2) * width for x in range(len(sizes))]
        ax.bar(xs, [table[n].get(isa, 0.0) for n in sizes], width, label=isa)
    ax.set_xticks(range(len(sizes)), [str(n) for n in sizes])
    ax.set_xlabel("frame length (samples)")
    ax.set_ylabel("Gsamples/s (CPU time)")
    ax.set_title("mix_minus throughput by ISA (scalar: -O2, no auto-vectorization)")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend()
    save(fig, out_dir, "mix_minus_isa.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="Google Benchmark JSON files")
    parser.add_argument("--out-dir", default="docs/bench")
    args = parser.parse_args()
    runs = load(args.files)
    if not runs:
        print("plot_bench: no benchmark results in the given files", file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    plot_room_tick(runs, args.out_dir)
    plot_per_participant(runs, args.out_dir)
    plot_many_rooms(runs, args.out_dir)
    plot_mix_minus(runs, args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
