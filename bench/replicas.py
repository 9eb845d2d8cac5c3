#!/usr/bin/env python3
"""Sends GROUPS new alert groups, each twice at once to two different replicas (an HA Alertmanager pair
behind a load balancer), from THREADS threads; prints intake figures. Used by bench/replicas.sh.
Env: APPS (comma-separated base URLs), BENCH_GROUPS (default 600), THREADS (default 16)."""
import json, os, sys, threading, time, urllib.request, uuid, queue

apps = os.environ["APPS"].split(",")
groups = int(os.environ.get("BENCH_GROUPS", "600"))
threads = int(os.environ.get("THREADS", "16"))
run = uuid.uuid4().hex[:8]

def body(g):
    labels = {"alertname": "HighErrorRate", "service": f"svc-{run}-{g}", "severity": "critical", "job": "api"}
    return json.dumps({"version": "4", "groupKey": "{}:{service=\"svc-%s-%d\"}" % (run, g), "truncatedAlerts": 0,
        "status": "firing", "receiver": "rootcause", "groupLabels": {"service": labels["service"]},
        "commonLabels": labels, "commonAnnotations": {"summary": f"5xx above 5% on svc-{run}-{g}"},
        "externalURL": "http://alertmanager-0:9093", "alerts": [{"status": "firing", "labels": labels,
        "annotations": {"summary": "5xx"}, "startsAt": "2026-12-02T07:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up", "fingerprint": "%016x" % g}]}).encode()

work = queue.Queue()
for g in range(groups):
    b = body(g)
    for copy in range(2):
        work.put((apps[(g + copy) % len(apps)], b))
answers, lat, lock = {}, [], threading.Lock()

def sender():
    while True:
        try:
            url, b = work.get_nowait()
        except queue.Empty:
            return
        t = time.monotonic()
        req = urllib.request.Request(url + "/api/v1/alerts/alertmanager", data=b, headers={"Content-Type": "application/json"})
        try:
            code = urllib.request.urlopen(req, timeout=30).status
        except urllib.error.HTTPError as e:
            code = e.code
        with lock:
            answers[code] = answers.get(code, 0) + 1
            lat.append((time.monotonic() - t) * 1000)

start = time.monotonic()
ts = [threading.Thread(target=sender) for _ in range(threads)]
[t.start() for t in ts]
[t.join() for t in ts]
took = time.monotonic() - start
lat.sort()
print(f"intake: {2 * groups} requests ({groups} groups x 2 copies) in {took:.2f} s = {2 * groups / took:.0f} req/s;"
      f" answers {answers}; ack p50 {lat[len(lat) // 2]:.1f} ms, p99 {lat[int(len(lat) * 0.99)]:.1f} ms")
sys.exit(0 if set(answers) <= {200, 202} and answers.get(202) == groups else 1)
