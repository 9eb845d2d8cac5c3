#!/usr/bin/env python3
"""bench/jfr-top.py RECORDING.jfr [N] [FILTER] — where the CPU went, from JFR execution samples.

Prints the N (25) hottest methods by self samples (top frame) and by total samples (anywhere on the
stack), and the share of samples per package prefix (self). FILTER (optional) keeps only stacks with a
frame containing that text (e.g. a thread-name-independent method such as IntakeResource).
Needs `jfr` (the JDK's tool) on PATH."""
import collections, re, subprocess, sys

rec = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
flt = sys.argv[3] if len(sys.argv) > 3 else None
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", rec],
                     capture_output=True, text=True, check=True).stdout
self_c, total_c, pkg_c = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
frame_re = re.compile(r"^\s+([\w$.<>/\-]+)\(")
for block in out.split("jdk.ExecutionSample")[1:]:
    frames = [m.group(1) for m in (frame_re.match(l) for l in block.splitlines()) if m]
    if not frames or (flt and not any(flt in f for f in frames)):
        continue
    samples += 1
    self_c[frames[0]] += 1
    for f in set(frames):
        total_c[f] += 1
    pkg_c[".".join(frames[0].split(".")[:3])] += 1
print(f"{samples} samples{' with ' + flt if flt else ''}")
print("--- self (top frame)")
for f, c in self_c.most_common(n):
    print(f"{100 * c / samples:5.1f}% {f}")
print("--- total (on stack)")
for f, c in total_c.most_common(n * 2):
    print(f"{100 * c / samples:5.1f}% {f}")
print("--- self by package")
for f, c in pkg_c.most_common(n):
    print(f"{100 * c / samples:5.1f}% {f}")
