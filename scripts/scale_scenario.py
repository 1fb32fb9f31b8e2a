#!/usr/bin/env python3
"""Writes the scaling scenario of `tutti run`: ROOMS rooms of PER_ROOM callers for SECONDS.

Three callers per room talk (500, 700, 900 Hz), the rest listen; every room's first listener
must hear its three talkers. Usage: scripts/scale_scenario.py 50 10 30 > examples/scenarios/scale_50x10.yaml
"""
import sys

rooms, per_room, seconds = (int(a) for a in sys.argv[1:4])
tones = [500, 700, 900]
out = [f"# tutti run examples/scenarios/scale_{rooms}x{per_room}.yaml  (written by scripts/scale_scenario.py)",
       f"# {rooms} rooms x {per_room} callers for {seconds} s on PCMU: the report gives CPU and loss.",
       f"name: scale-{rooms}x{per_room}",
       "server:",
       "  engine: {rate_hz: 8000, threads: 2}",
       "  rooms:"]
for r in range(rooms):
    out.append(f"    - {{name: r{r}, number: \"{5000 + r}\", entry_tones: false, max_participants: {per_room}}}")
out.append("participants:")
for r in range(rooms):
    for p in range(per_room):
        audio = f"{{tone: {tones[p]}}}" if p < len(tones) else "silence"
        out.append(f"  - {{name: r{r}p{p}, codec: PCMU, audio: {audio}, send_on_answer: true}}")
out.append("timeline:")
for r in range(rooms):
    for p in range(per_room):
        # spread the calls over the first 5 s, 100 calls a second at most
        at = round((r * per_room + p) * 5.0 / (rooms * per_room), 2)
        out.append(f"  - {{at: {at}, do: call, who: r{r}p{p}, number: \"{5000 + r}\"}}")
out.append("expect:")
for r in range(rooms):
    listener = f"r{r}p{len(tones)}"
    talkers = ", ".join(f"r{r}p{i}" for i in range(len(tones)))
    out.append(f"  - {{who: {listener}, hears: [{talkers}], from: 8, to: {seconds - 1}}}")
out.append(f"duration: {seconds}")
print("\n".join(out))
