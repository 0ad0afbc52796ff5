#!/usr/bin/env python3
"""Summarise the recipe server's timeline (bench/run-recipes.sh) for the requests BEFORE..AFTER of one run:
time to the first request, ramp-up to full concurrency, mean in flight while busy, and the tail after the last
arrival. With the process's start and end (Unix seconds), also the time from start to the first
request and from the last answer to the end. Usage: timeline.py TIMELINE BEFORE AFTER [T0 T1] [--rows]"""
import sys

path, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = []
for line in open(path):
    t, inflight, total = (int(x) for x in line.split())
    if before < total <= after or (total == after and inflight > 0):
        rows.append((t, inflight, total))
if not rows:
    sys.exit("no rows")

t0 = rows[0][0]
peak = max(r[1] for r in rows)
full = next((r[0] - t0 for r in rows if r[1] >= 0.95 * peak), None)
last_arrival = next(r[0] for r in rows if r[2] == after) - t0
end = rows[-1][0] - t0
mean = sum(r[1] for r in rows) / len(rows)
below = sum(1 for r in rows if r[1] < 0.9 * peak) * 50
print(f"span {end} ms, peak {peak} in flight, 95 % of peak after {full} ms, mean {mean:.1f} in flight, "
      f"{below} ms below 90 % of peak, last arrival at {last_arrival} ms (tail {end - last_arrival} ms)")
args = [a for a in sys.argv[4:] if not a.startswith("--")]
if len(args) == 2:
    p0, p1 = (float(a) * 1000 for a in args)
    print(f"process {p1 - p0:.0f} ms: start to first request {t0 - p0:.0f} ms, last answer to exit {p1 - rows[-1][0]:.0f} ms")
if "--rows" in sys.argv:
    for t, i, n in rows:
        print(t - t0, i, n, "#" * (i // 2))
