#!/usr/bin/env python3
"""Generates the trace fixtures: checkout calls auth, then payments and inventory concurrently, plus an
uninstrumented redis GET. Windows: baseline (09:00-10:00Z) all fast; "slow-payments" (10:00-10:30Z) payments
slowed; "all-slow" every downstream slowed alike. Written as Zipkin v2 (shared client/server span ids, one
exact duplicate, one orphan span), Jaeger (raw: the payments host's clock 50 ms behind; adjusted: as
Jaeger's clock-skew adjuster shows it) and Tempo OTLP JSON (base64 ids). Also the rule tests' traces.json.
Run from the repository root: scripts/make-trace-fixtures.py"""
import base64, json, os

DAY = 1795946400  # 2026-11-29T10:00:00Z
RES = "src/test/resources/wiremock"
MS = 1000

def trace(i, t0, d):
    """Spans (dicts, times in µs) of one request; d: downstream durations in ms."""
    tid = "%016x%016x" % (0xabc0000 + i, 0x1000 + i)
    sid = lambda n: "%016x" % (0x5000000 * (i + 1) + n)
    spans, t = [], t0
    root = dict(id=sid(0), parent=None, svc="checkout", name="POST /orders", kind="SERVER", start=t, peer=None)
    spans.append(root)
    t += 2 * MS
    spans.append(dict(id=sid(1), parent=sid(0), svc="checkout", name="GET", kind="CLIENT", start=t, dur=2 * MS, peer="redis"))
    t += 3 * MS
    def call(n, svc, start, ms):
        spans.append(dict(id=sid(n), parent=sid(0), svc="checkout", name="POST /" + svc, kind="CLIENT", start=start,
                          dur=(ms + 2) * MS, peer=svc))
        spans.append(dict(id=sid(n), parent=sid(0), svc=svc, name="POST /" + svc, kind="SERVER", start=start + MS,
                          dur=ms * MS, peer=None, shared=True))
        return start + (ms + 2) * MS
    t = call(2, "auth", t, d["auth"])
    e1 = call(3, "payments", t + MS, d["payments"])
    e2 = call(4, "inventory", t + MS, d["inventory"])
    t = max(e1, e2) + 4 * MS
    root["dur"] = t - t0
    # a span whose parent was never reported (a dropped span)
    spans.append(dict(id=sid(9), parent="%016x" % 0xdead, svc="payments", name="ledger.write", kind=None,
                      start=t0 + 10 * MS, dur=1 * MS, peer=None, skew=True))
    if i % 3 == 0:  # a reporter that sent one span twice
        spans.append(dict(spans[2]))
    return tid, spans

def window(seed, start, n, d, step):
    return [trace(seed + i, (start + i * step) * 1000 * MS, d) for i in range(n)]

BASE = dict(auth=20, payments=30, inventory=25)
WINDOWS = {
    "baseline": window(0, DAY - 3600, 12, BASE, 300),
    "slow-payments": window(100, DAY, 12, dict(auth=20, payments=300, inventory=25), 120),
    "all-slow": window(200, DAY, 12, dict(auth=200, payments=210, inventory=205), 120),
}

def zipkin(traces):
    out = []
    for tid, spans in traces:
        tr = []
        for s in spans:
            z = {"traceId": tid, "id": s["id"], "name": s["name"].lower(), "timestamp": s["start"], "duration": s["dur"],
                 "localEndpoint": {"serviceName": s["svc"]}}
            if s["parent"]: z["parentId"] = s["parent"]
            if s["kind"]: z["kind"] = s["kind"]
            if s["peer"]: z["remoteEndpoint"] = {"serviceName": s["peer"]}
            if s.get("shared"): z["shared"] = True
            tr.append(z)
        out.append(tr)
    return out

def jaeger(traces, skewed):
    data = []
    for tid, spans in traces:
        procs, js, seen = {}, [], set()
        for s in spans:
            pid = "p%d" % (["checkout", "auth", "payments", "inventory"].index(s["svc"]) + 1)
            procs[pid] = {"serviceName": s["svc"], "tags": []}
            # OpenTelemetry gives the server side its own id, child of the client span
            sid = s["id"] if not s.get("shared") else s["id"][:-2] + "f" + s["id"][-1]
            if (sid, s["start"]) in seen: continue
            seen.add((sid, s["start"]))
            parent = s["id"] if s.get("shared") else s["parent"]
            start = s["start"] - (50 * MS if skewed and s["svc"] == "payments" else 0)
            tags = [{"key": "span.kind", "type": "string", "value": s["kind"].lower()}] if s["kind"] else []
            if s["peer"]: tags.append({"key": "peer.service", "type": "string", "value": s["peer"]})
            j = {"traceID": tid, "spanID": sid, "operationName": s["name"], "startTime": start, "duration": s["dur"],
                 "tags": tags, "processID": pid, "references": []}
            if parent: j["references"].append({"refType": "CHILD_OF", "traceID": tid, "spanID": parent})
            js.append(j)
        data.append({"traceID": tid, "spans": js, "processes": procs, "warnings": None})
    return {"data": data, "total": 0, "limit": 0, "offset": 0, "errors": None}

def b64(h): return base64.b64encode(bytes.fromhex(h)).decode()

def otlp(tid, spans):
    by = {}
    for s in spans:
        sid = s["id"] if not s.get("shared") else s["id"][:-2] + "f" + s["id"][-1]
        parent = s["id"] if s.get("shared") else s["parent"]
        o = {"traceId": b64(tid), "spanId": b64(sid), "name": s["name"],
             "kind": "SPAN_KIND_" + (s["kind"] or "INTERNAL"),
             "startTimeUnixNano": str(s["start"] * 1000), "endTimeUnixNano": str((s["start"] + s["dur"]) * 1000),
             "attributes": ([{"key": "peer.service", "value": {"stringValue": s["peer"]}}] if s["peer"] else []),
             "status": {}}
        if parent: o["parentSpanId"] = b64(parent)
        by.setdefault(s["svc"], []).append(o)
    return {"batches": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": svc}}]},
                         "scopeSpans": [{"scope": {"name": "fixture"}, "spans": sp}]} for svc, sp in by.items()]}

def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")

for name, traces in WINDOWS.items():
    dump(f"{RES}/zipkin/traces-{name}.json", zipkin(traces))
    dump(f"{RES}/jaeger/traces-{name}.json", jaeger(traces, False))
    if name == "slow-payments":
        dump(f"{RES}/jaeger/traces-{name}-skewed.json", jaeger(traces, True))
    dump(f"{RES}/tempo/search-{name}.json", {"traces": [{"traceID": tid, "rootServiceName": "checkout",
        "rootTraceName": "POST /orders", "startTimeUnixNano": str(sp[0]["start"] * 1000),
        "durationMs": sp[0]["dur"] // MS} for tid, sp in traces[:6]], "metrics": {"inspectedTraces": len(traces)}})
    for tid, spans in traces[:6]:
        dump(f"{RES}/tempo/trace-{tid}.json", otlp(tid, spans))

# rule tests: latency-slow-dependency (alert at 10:00Z, diagnosed at 10:30Z; p95 0.12 s -> 0.45 s)
import datetime, sys
sys.path.insert(0, os.path.dirname(__file__))
import conventions as cv
iso = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
LATENCY = ('histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="checkout"}[1m])))')
points = [[t, "0.12"] for t in range(DAY - 3600, DAY, 60)] + [[t, "0.45"] for t in range(DAY, DAY + 1800 + 1, 60)]
TESTS = {"slow-payments": ("slow-payments", {"rootCause": {"rule": "latency-slow-dependency", "finding": "slow-dependency",
                                                            "confidence": "high"},
                                              "findings": {"slow-dependency": "supports", "no-single-dependency": "rules_out"}}),
         "all-downstreams-slow": ("all-slow", {"rootCause": {"rule": "latency-slow-dependency", "finding": "no-single-dependency",
                                                             "confidence": "low"},
                                               "findings": {"slow-dependency": "rules_out", "no-single-dependency": "supports"}}),
         "traces-down": (None, {"rootCause": None, "findings": {"slow-dependency": "no_data", "no-single-dependency": "no_data"}})}
for test, (after, expected) in TESTS.items():
    d = f"rules/tests/latency-slow-dependency/{test}"
    dump(f"{d}/alert.json", {"labels": {"alertname": "HighLatency", "service": "checkout", "severity": "warning"},
                             "annotations": {"summary": "p95 latency of checkout above 300 ms"},
                             "startsAt": iso(DAY), "evaluatedAt": iso(DAY + 1800)})
    # the rule asks for the signal http.latency_p95: first the convention is detected (OTel names, `service` label)
    dump(f"{d}/prometheus.json", [cv.detection("checkout", ("otel", "service")),
                                  {"query": LATENCY, "answer": {"status": "success", "data": {"resultType": "matrix",
                                  "result": [{"metric": {}, "values": points}]}}}]
         # downstream-errors matches the alert too: the service's client side stayed steady
         + cv.healthy_clients("otel", "checkout", "service", DAY - 3600, DAY + 1800))
    if after:
        dump(f"{d}/traces.json", [
            {"service": "checkout", "start": iso(DAY), "end": iso(DAY + 1800), "answer": zipkin(WINDOWS[after])},
            {"service": "checkout", "start": iso(DAY - 3600), "end": iso(DAY), "answer": zipkin(WINDOWS["baseline"])}])
    expected = dict(expected, findings=dict(expected["findings"], **{"failing-dependency": "rules_out",
                                                                    "slow-downstream": "rules_out"}))
    with open(f"{d}/expected.yaml", "w") as f:
        f.write("# generated by scripts/make-trace-fixtures.py\n")
        json.dump(expected, f, indent=1)  # JSON is YAML
        f.write("\n")
