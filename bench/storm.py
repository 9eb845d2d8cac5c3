#!/usr/bin/env python3
"""bench/storm.py — an alert storm against a running rootcause, with a counting fake Prometheus.

1. one 2,000-alert webhook body (one group);
2. 10,000 alerts over DURATION (60) s across 50 groups, sent as Alertmanager would: each group re-notified
   every 5 s with all its alerts so far (bodies grow to 200 alerts).
Reports: ack time per body (p50/p99/max), incidents created, diagnoses run, backend (Prometheus) queries
issued — they must scale with groups, not alerts —, deliveries pending over time, and whether every
alert sent is in the store. Usage: bench/storm.sh (starts the service and the fake Prometheus)."""
import json, os, sys, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP = os.environ.get("APP", "http://127.0.0.1:18280")
PROM_PORT = int(os.environ.get("PROM_PORT", "18290"))
DURATION = float(os.environ.get("DURATION", "60"))
GROUPS, PER_GROUP, INTERVAL = 50, 200, 5.0
queries = 0
lock = threading.Lock()

class Prometheus(BaseHTTPRequestHandler):
    def do_POST(self):
        global queries
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            queries += 1
        body = b'{"status":"success","data":{"resultType":"matrix","result":[]}}'
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a):
        pass

def alert(group, i, starts):
    return {"status": "firing", "labels": {"alertname": "CacheHitRateLow", "service": "storm-%d" % group,
            "instance": "10.9.%d.%d:9121" % (group, i), "severity": "warning"},
            "annotations": {"summary": "storm"}, "startsAt": starts, "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus/graph", "fingerprint": "%08x%08x" % (group, i)}

def body(group, alerts):
    return {"receiver": "bench", "status": "firing", "alerts": alerts, "version": "4",
            "groupLabels": {"alertname": "CacheHitRateLow", "service": "storm-%d" % group},
            "commonLabels": {"alertname": "CacheHitRateLow", "service": "storm-%d" % group},
            "commonAnnotations": {"summary": "storm"}, "externalURL": "http://alertmanager",
            "groupKey": '{}:{alertname="CacheHitRateLow", service="storm-%d"}' % group, "truncatedAlerts": 0}

def post(payload):
    data = json.dumps(payload).encode()
    t = time.perf_counter()
    req = urllib.request.Request(APP + "/api/v1/alerts/alertmanager", data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read(); status = r.status
    return (time.perf_counter() - t) * 1000, status, len(data)

def get(path):
    with urllib.request.urlopen(APP + path, timeout=60) as r:
        return json.loads(r.read())

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]

def main():
    server = ThreadingHTTPServer(("127.0.0.1", PROM_PORT), Prometheus)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    starts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
    big = body(999, [alert(999, i, starts) for i in range(2000)])
    ms, status, size = post(big)
    print("2000-alert body: %d bytes, ack %.0f ms, HTTP %d" % (size, ms, status))
    acks, depth, sent = [], [], {}
    t0 = time.time(); rounds = int(DURATION / INTERVAL)
    for r in range(rounds):
        target = PER_GROUP * (r + 1) // rounds
        for g in range(GROUPS):
            sent[g] = target
            ms, status, _ = post(body(g, [alert(g, i, starts) for i in range(target)]))
            acks.append(ms)
        health = get("/q/health/ready")
        store = [c["data"] for c in health["checks"] if c["name"] == "incident-store"][0]
        depth.append((round(time.time() - t0), store.get("pendingDeliveries"), store.get("pendingEffects")))
        time.sleep(max(0, t0 + (r + 1) * INTERVAL - time.time()))
    print("storm: %d bodies in %.0f s; ack p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
        len(acks), time.time() - t0, pct(acks, 50), pct(acks, 99), max(acks)))
    print("pending deliveries and outbox depth over time (s, deliveries, effects):", depth)
    deadline = time.time() + 120
    while time.time() < deadline:
        incidents = get("/api/v1/incidents?limit=1000")
        storm = [i for i in incidents if "storm-" in i["groupKey"] or "service=\"storm-999\"" in i["groupKey"]]
        stored = sum(i["alertCount"] for i in storm)
        diagnosed = sum(1 for i in storm if i["ticket"] is not None)
        if stored == 2000 + GROUPS * PER_GROUP and diagnosed == len(storm):
            break
        time.sleep(1)
    print("incidents: %d (groups: %d + the big one); alerts stored %d of %d sent; diagnosed %d" % (
        len(storm), GROUPS, stored, 2000 + GROUPS * PER_GROUP, diagnosed))
    print("backend queries: %d (%.1f per incident; alerts per incident ~%d)" % (
        queries, queries / max(1, len(storm)), (2000 + GROUPS * PER_GROUP) // max(1, len(storm))))
    lost = 2000 + GROUPS * PER_GROUP - stored
    print("RESULT lost_alerts=%d" % lost)
    sys.exit(1 if lost else 0)

main()
