#!/usr/bin/env python3
"""Builds the alert corpus (<source-id>.yaml) from real alert rules and hand-written expectations.

Usage:  python3 build.py            # rebuild every <source-id>.yaml from selections/*.yaml
        python3 build.py --check    # only validate the committed <source-id>.yaml files

Needs Python 3.8+ and PyYAML. Rebuilding needs the upstream repositories as bare git directories
(the `mirror:` key of each selection file; see SOURCES.md for the commit each one was read at).
Validation (--check) needs nothing but the committed files.

What is hand-written and what is derived
  selections/<source-id>.yaml is written by hand, by reading each rule: which rules to take, the
  expectation (`expect`: symptoms, also, target, why) and, where the defaults below do not fit,
  plausible label values. Nothing in this script classifies an alert: `expect` is copied as written;
  the only thing resolved is a target written as a label reference (`{service: $job}` -> the value
  the alert's `job` label got).

  The script derives, from the upstream rule:
  - labels: alertname + the rule's static labels + the labels the expression's result keeps. The
    result's labels are those of the leftmost vector operand of the top-level binary operators
    (`a / b > 1`, `a and b`; a scalar left operand such as `100 * x` is skipped); an aggregation
    `by (l...)` keeps l..., `without (l...)` drops them from its operand's labels, a bare `sum(...)`
    keeps none; histogram_quantile drops `le`; absent(sel) keeps sel's equality matchers;
    label_replace adds its destination; other functions keep their argument's labels. A raw
    selector keeps all the series' labels: `job`, `instance`, its matchers, and every label the
    rule's annotations use ($labels.x); a recording-rule selector (name with ':') keeps its matchers
    and, if the same upstream file records it, that recording rule's static labels.
  - values: per-alert `labels:` > the expression's equality matcher (`job="x"`) > the selection's
    `defaults:` > DEFAULTS below > first alternative of a simple regex matcher > "example".
  - annotations: the rule's, with {{ $labels.x }}, {{ $value }} (and humanize, humanizePercentage,
    humanizeDuration, printf) rendered from those values and the entry's `value:` (default 0.93).
  - generatorURL: http://prometheus.example:9090/graph?g0.expr=<url.QueryEscape(expr)>&g0.tab=1 as
    Prometheus 2.x builds it (Python's quote_plus with safe='' escapes exactly as Go's
    url.QueryEscape does). NOTE: real Prometheus puts the *re-printed* parsed expression there
    (whitespace and formatting normalised by its PromQL printer); we put the rule text as written,
    trimmed, so that decoding it gives `expr` back byte for byte.
  - fingerprint: Alertmanager's, FNV-1a 64 over the sorted label names and values, each followed by
    the 0xff separator (model.LabelSet.Fingerprint), as 16 hex digits.
  Grafana-managed entries (no expression) are given whole in their selection file.
"""
import glob
import hashlib
import os
import re
import subprocess
import sys
import urllib.parse
import zlib

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SYMPTOMS = {"errors", "latency", "availability", "saturation.cpu", "saturation.memory",
            "saturation.threads", "saturation.connections", "gc", "restarts", "disk",
            "certificate", "network", "cache", "queue"}

DEFAULTS = {
    "instance": "10.0.3.7:9100", "namespace": "shop", "pod": "checkout-7d9f8b6c5-x2k4q",
    "container": "checkout", "service": "checkout", "node": "ip-10-0-3-7.eu-west-1.compute.internal",
    "device": "nvme0n1", "mountpoint": "/var/lib/docker", "fstype": "ext4", "cpu": "3",
    "deployment": "checkout", "statefulset": "orders-db", "daemonset": "fluent-bit", "job_name": "nightly-report-28734",
    "cronjob": "nightly-report", "persistentvolumeclaim": "data-orders-db-0", "horizontalpodautoscaler": "checkout",
    "replicaset": "checkout-7d9f8b6c5", "endpoint": "http-metrics", "queue": "orders", "vhost": "/",
    "topic": "orders", "consumergroup": "billing-consumer", "datname": "orders", "server": "10.0.5.21:8080",
    "backend": "checkout_backend", "proxy": "checkout_backend", "frontend": "https_front", "host": "shop.example.com",
    "code": "503", "status": "503", "method": "GET", "uri": "/api/orders", "handler": "/api/v1/orders",
    "destination_service_name": "checkout", "destination_workload": "checkout", "source_workload": "frontend",
    "envoy_cluster_name": "checkout", "cluster_name": "checkout", "le": "+Inf", "interface": "eth0",
    "reason": "OOMKilled", "phase": "Pending", "condition": "MemoryPressure", "resource": "pods",
    "scope": "resource", "verb": "LIST", "issuer": "letsencrypt-prod", "name": "checkout-tls",
    "exported_namespace": "shop", "target": "https://shop.example.com", "cn": "shop.example.com",
    "url": "https://shop.example.com/health", "operation": "find_traces", "grpc_service": "orders.OrderService",
    "grpc_method": "PlaceOrder", "alertmanager": "http://alertmanager-main-0:9093/api/v2/alerts",
    "integration": "webhook", "controller": "prometheus", "rule_group": "/etc/thanos/rules/app.yaml;app.rules",
    "cluster": "prod-eu-1", "region": "eu-west-1", "severity": "warning",
}

WHERE = "http://prometheus.example:9090"


# --------------------------------------------------------------------------------------- PromQL
AGGS = r"(sum|avg|min|max|count|group|stddev|stdvar|topk|bottomk|quantile|count_values|limitk|limit_ratio)"
SCALAR_FUNCS = {"time", "vector", "scalar", "pi", "minute", "hour", "day_of_month", "day_of_week",
                "days_in_month", "month", "year"}
OPS = ["and", "or", "unless", "==", "!=", ">=", "<=", ">", "<", "+", "-", "*", "/", "%", "^", "atan2"]


def match_close(s, i):
    """index of the bracket closing the one at s[i]."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack, q = [], None
    j = i
    while j < len(s):
        c = s[j]
        if q:
            if c == "\\":
                j += 2
                continue
            if c == q:
                q = None
        elif c in "\"'`":
            q = c
        elif c in pairs:
            stack.append(pairs[c])
        elif c in ")}]":
            stack.pop()
            if not stack:
                return j
        j += 1
    raise ValueError("unbalanced: " + s)


def split_top(s):
    """operands and operators at depth 0 of a PromQL expression."""
    parts, ops, cur, i, q, depth = [], [], "", 0, None, 0
    while i < len(s):
        c = s[i]
        if q:
            cur += c
            if c == "\\":
                cur += s[i + 1]
                i += 2
                continue
            if c == q:
                q = None
            i += 1
            continue
        if c in "\"'`":
            q = c
        elif c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if depth == 0 and c not in "({[)}]":
            found = None
            for op in OPS:
                if op.isalpha() or op == "atan2":
                    if s.startswith(op, i) and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "_:")) \
                            and (i + len(op) >= len(s) or not (s[i + len(op)].isalnum() or s[i + len(op)] in "_:")):
                        found = op
                        break
                elif s.startswith(op, i):
                    found = op
                    break
            # a '-' or '+' in an exponent (1e-05) or a duration is not an operator
            if found in ("-", "+") and re.search(r"\d[eE]$", cur):
                found = None
            if found and cur.strip() == "" and found in ("-", "+"):
                found = None  # unary
            if found:
                parts.append(cur)
                ops.append(found)
                cur = ""
                i += len(found)
                continue
        cur += c
        i += 1
    parts.append(cur)
    return parts, ops


MOD_RE = re.compile(r"^\s*(bool\s*)?((on|ignoring)\s*\(([^)]*)\)\s*)?((group_left|group_right)\s*(\(([^)]*)\))?\s*)?")


def strip_mods(operand):
    m = MOD_RE.match(operand)
    extra = set()
    if m and m.group(6) == "group_left" and m.group(8):
        extra = {x.strip() for x in m.group(8).split(",") if x.strip()}
    return operand[m.end():] if m else operand, extra


def is_number(s):
    s = s.strip()
    return re.fullmatch(r"[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+|Inf|NaN|0x[0-9a-fA-F]+)", s) is not None \
        or re.fullmatch(r"\d+[smhdwy]", s) is not None


def split_args(s):
    out, cur, depth, q = [], "", 0, None
    for c in s:
        if q:
            cur += c
            if c == q:
                q = None
            continue
        if c in "\"'`":
            q = c
        elif c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return out


def matchers(sel):
    """(name, [(label, op, value)]) of a vector selector text."""
    m = re.match(r"\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{(.*?)\})?", sel, re.S)
    name = m.group(1)
    ms = []
    if m.group(3):
        for lm in re.finditer(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"', m.group(3)):
            ms.append((lm.group(1), lm.group(2), lm.group(3)))
        # quoted metric name inside braces (Prometheus 3)
    return name, ms


class Result:
    def __init__(self, labels, open_=False, scalar=False, hints=None):
        self.labels = dict(labels)  # name -> value hint or None
        self.open = open_  # unaggregated: all the series' labels
        self.scalar = scalar


def labels_of(expr, ctx):
    expr = re.sub(r"(?m)^\s*#.*$", "", expr)
    parts, ops = split_top(expr.strip())
    first = None
    extra = set()
    for idx, p in enumerate(parts):
        p, ex = strip_mods(p) if idx > 0 else (p, set())
        if idx > 0 and ops[idx - 1] in ("or",) and first is not None:
            break
        r = operand(p, ctx)
        if idx > 0:
            extra |= ex
        if r.scalar:
            continue
        first = r
        # group_left labels of the *next* operator
        if idx < len(ops):
            _, ex2 = strip_mods(parts[idx + 1])
            extra |= ex2
        break
    if first is None:
        return Result({}, scalar=True)
    for e in extra:
        first.labels.setdefault(e, None)
    return first


def operand(p, ctx):
    p = p.strip()
    while p.startswith("-") or p.startswith("+"):
        p = p[1:].strip()
    if p == "" or is_number(p):
        return Result({}, scalar=True)
    # offset / @ modifiers and subquery ranges at the end
    p = re.sub(r"\s+offset\s+-?\d+[smhdwy]\s*$", "", p)
    p = re.sub(r"\s+@\s+\S+\s*$", "", p)
    if p.startswith("("):
        end = match_close(p, 0)
        inner = p[1:end]
        rest = p[end + 1:].strip()
        if rest.startswith("["):  # subquery
            rest = rest[match_close(rest, 0) + 1:].strip()
        if rest == "":
            return labels_of(inner, ctx)
    m = re.match(AGGS + r"\s*((by|without)\s*\(([^)]*)\)\s*)?\(", p, re.I)
    if m:
        agg = m.group(1).lower()
        start = m.end() - 1
        end = match_close(p, start)
        body = p[start + 1:end]
        mode, lab = (m.group(3) or "").lower() or None, m.group(4)
        tail = p[end + 1:].strip()
        m2 = re.match(r"(by|without)\s*\(([^)]*)\)", tail, re.I)
        if m2:
            mode, lab = m2.group(1).lower(), m2.group(2)
        args = split_args(body)
        inner_expr = args[-1]
        names = [x.strip() for x in (lab or "").split(",") if x.strip()]
        if agg in ("topk", "bottomk", "limitk", "limit_ratio"):
            return labels_of(inner_expr, ctx)
        if mode == "by":
            inner = labels_of(inner_expr, ctx)
            return Result({n: inner.labels.get(n) for n in names})
        inner = labels_of(inner_expr, ctx)
        if mode == "without":
            for n in names:
                inner.labels.pop(n, None)
            inner.dropped = set(names) | getattr(inner, "dropped", set())
            return inner
        if agg == "count_values":
            return Result({args[0].strip().strip('"'): None})
        return Result({})
    m = re.match(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*\(", p)
    if m and not p[:m.end()].rstrip("(").strip().endswith("}"):
        fn = m.group(1)
        end = match_close(p, m.end() - 1)
        args = split_args(p[m.end():end])
        if fn in SCALAR_FUNCS:
            return Result({}, scalar=True)
        if fn in ("absent", "absent_over_time"):
            sel = re.sub(r"\[[^\]]*\]\s*$", "", args[0].strip())
            sel = split_top(sel)[0][0]
            if sel.strip().startswith("("):
                sel = sel.strip()[1:match_close(sel.strip(), 0)]
                sel = split_top(sel)[0][0]
            _, ms = matchers(sel)
            return Result({l: v for l, op, v in ms if op == "="})
        if fn == "histogram_quantile":
            r = labels_of(args[1], ctx)
            r.labels.pop("le", None)
            return r
        if fn in ("label_replace", "label_join"):
            r = labels_of(args[0], ctx)
            r.labels.setdefault(args[1].strip().strip('"'), None)
            return r
        for a in args:
            if not is_number(a) and not re.fullmatch(r'\s*"[^"]*"\s*', a):
                return labels_of(re.sub(r"\[[^\]]*\]\s*$", "", a.strip()), ctx)
        return Result({}, scalar=True)
    # vector selector
    sel = re.sub(r"\[[^\]]*\]\s*$", "", p)
    name, ms = matchers(sel)
    if name is None:
        for l, op, v in ms:
            if l == "__name__":
                name = v
    lab = {}
    for l, op, v in ms:
        if l == "__name__":
            continue
        if op == "=":
            lab[l] = v
        elif op == "=~":
            alt = v.split("|")[0]
            lab.setdefault(l, ("~", alt))
    if name and ":" in name:
        rec = ctx.get("records", {}).get(name)
        if rec:
            for k, v in rec.items():
                lab.setdefault(k, v)
        return Result(lab, open_=False)
    lab.setdefault("job", None)
    lab.setdefault("instance", None)
    return Result(lab, open_=True)


# ------------------------------------------------------------------------------------ rendering
def fnv_fingerprint(labels):
    h = 0xcbf29ce484222325
    for k in sorted(labels):
        for b in k.encode() + b"\xff" + str(labels[k]).encode() + b"\xff":
            h ^= b
            h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def humanize(v):
    v = float(v)
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(v) >= div:
            return "%.4g%s" % (v / div, unit)
    return "%.4g" % v


def humanize_duration(v):
    v = float(v)
    if v >= 86400:
        return "%dd %dh %dm %ds" % (v // 86400, v % 86400 // 3600, v % 3600 // 60, v % 60)
    if v >= 3600:
        return "%dh %dm %ds" % (v // 3600, v % 3600 // 60, v % 60)
    if v >= 60:
        return "%dm %ds" % (v // 60, v % 60)
    if v >= 1:
        return "%.4gs" % v
    return "%.4gms" % (v * 1000)


def render(text, labels, value, external):
    if text is None:
        return None

    def one(m):
        body = m.group(1).strip().strip("-").strip()
        lm = re.search(r"\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)", body)
        if lm:
            return str(labels.get(lm.group(1), "<no value>"))
        lm = re.search(r'index \$labels "([^"]+)"', body)
        if lm:
            return str(labels.get(lm.group(1), "<no value>"))
        lm = re.search(r"\$externalLabels\.([a-zA-Z_]+)", body)
        if lm:
            return external.get(lm.group(1), "<no value>")
        if body == "$labels":
            return "map[" + " ".join("%s:%s" % (k, labels[k]) for k in sorted(labels)) + "]"
        if "$value" in body:
            pm = re.search(r'printf\s+"([^"]+)"', body)
            if "humanizePercentage" in body:
                return "%.4g%%" % (float(value) * 100)
            if "humanizeDuration" in body:
                return humanize_duration(value)
            if "humanize1024" in body:
                return humanize(value)
            if "humanize" in body:
                return humanize(value)
            if pm:
                try:
                    return pm.group(1) % float(value)
                except TypeError:
                    return str(value)
            return str(value)
        if is_number(body):
            return body
        if body.startswith("$externalURL"):
            return WHERE
        return m.group(0)

    def with_block(m):
        v = labels.get(m.group(1))
        return m.group(2).replace("{{ . }}", v).replace("{{.}}", v) if v else ""

    text = re.sub(r"\{\{-?\s*with [^\n]*?\| query.*?\{\{-?\s*end\s*-?\}\}", "12.4G", text, flags=re.S)
    text = re.sub(r"\{\{-?\s*with \$labels\.([a-zA-Z_]+)\s*-?\}\}(.*?)\{\{-?\s*end\s*-?\}\}", with_block, text, flags=re.S)
    out = re.sub(r"\{\{(.*?)\}\}", one, text, flags=re.S)
    return out


def gen_url(expr):
    return WHERE + "/graph?g0.expr=" + urllib.parse.quote_plus(expr, safe="") + "&g0.tab=1"


# --------------------------------------------------------------------------------------- loading
def git_show(mirror, path):
    return subprocess.run(["git", "--git-dir", mirror, "show", "HEAD:" + path], check=True,
                          capture_output=True, text=True).stdout


def load_rules(mirror, path, cache={}):
    key = (mirror, path)
    if key in cache:
        return cache[key]
    text = git_show(mirror, path)
    alerts, records = [], {}
    if path.endswith(".go"):
        alerts = load_pyrra(text)
    else:
        for doc in yaml.safe_load_all(text):
            if not doc:
                continue
            if "spec" in doc:
                doc = doc["spec"]
            for g in doc.get("groups") or []:
                for r in g.get("rules") or []:
                    if "alert" in r:
                        alerts.append((g["name"], r))
                    elif "record" in r:
                        records.setdefault(r["record"], []).append(r.get("labels") or {})
    cache[key] = (alerts, records)
    return cache[key]


def load_pyrra(text):
    out = []
    for m in re.finditer(r'Alert:\s*"([^"]+)"', text):
        start = m.start()
        grp = re.findall(r'Name:\s*"([^"]+)"', text[:start])
        chunk = text[start:text.find("}, {", start) if text.find("}, {", start) > 0 else start + 3000]
        chunk = chunk.split("}},")[0]
        expr = re.search(r"Expr:\s*intstr\.FromString\(`([^`]*)`\)", chunk).group(1)
        fr = re.search(r'For:\s*monitoringDuration\("([^"]+)"\)', chunk)
        labels = dict(re.findall(r'"([^"]+)":\s*"([^"]*)"', re.search(r"Labels:\s*map\[string\]string\{([^}]*)\}", chunk).group(1)))
        am = re.search(r"Annotations:\s*map\[string\]string\{(.*?)\},?\s*$", chunk, re.S)
        ann = dict(re.findall(r'"([^"]+)":\s*"([^"]*)"', am.group(1))) if am else {}
        rule = {"alert": m.group(1), "expr": expr, "labels": labels, "annotations": ann}
        if fr:
            rule["for"] = fr.group(1)
        out.append((grp[-1] if grp else "pyrra", rule))
    return out


def pick_record_labels(records, expr):
    """recording-rule name -> static labels, choosing the variant whose labels match expr's matchers."""
    out = {}
    for name, variants in records.items():
        for sel in re.finditer(re.escape(name) + r"\{([^}]*)\}", expr):
            ms = dict(re.findall(r'([a-zA-Z_]+)="([^"]*)"', sel.group(1)))
            for v in variants:
                if all(v.get(k) == val for k, val in ms.items() if k in v):
                    out[name] = dict(v)
                    break
            break
    return out


def resolve_value(name, hint, entry, defaults):
    if name in (entry.get("labels") or {}):
        return str(entry["labels"][name])
    if isinstance(hint, str):
        return hint
    if name == "job" and "job" in defaults:
        return str(defaults["job"])
    if name in defaults:
        return str(defaults[name])
    if name in DEFAULTS:
        return DEFAULTS[name]
    if isinstance(hint, tuple):
        alt = hint[1]
        alt = re.sub(r"\.\*|\.\+", "", alt)
        alt = re.sub(r"[\\^$()\[\]?*+]", "", alt)
        if alt:
            return alt
    return "example"


def build_entry(entry, sel, idx):
    if sel.get("grafana"):
        return build_grafana(entry, sel, idx)
    mirror = sel["mirror"]
    path = entry.get("file") or (entry["mixin"] + "/prometheus_rules_out/prometheus_alerts.yaml"
                                 if "mixin" in entry else sel["file"])
    alerts, records = load_rules(mirror, path)
    cands = [(g, r) for g, r in alerts if r["alert"] == entry["rule"]]
    if not cands:
        raise SystemExit("no rule %s in %s" % (entry["rule"], path))
    g, r = cands[entry.get("n", 0)]
    expr = str(r["expr"]).strip()
    ctx = {"records": pick_record_labels(records, expr)}
    res = labels_of(expr, ctx)
    labels = {}
    names = dict(res.labels)
    if res.open:
        ann_text = " ".join(str(v) for v in (r.get("annotations") or {}).values())
        for lm in re.finditer(r"\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)", ann_text):
            names.setdefault(lm.group(1), None)
    for extra in entry.get("series_labels", []):
        names.setdefault(extra, None)
    for n in entry.get("drop_labels", []):
        names.pop(n, None)
    defaults = dict(sel.get("defaults") or {})
    defaults.update((sel.get("file_defaults") or {}).get(path, {}))
    for n, hint in names.items():
        labels[n] = resolve_value(n, hint, entry, defaults)
    for k, v in (r.get("labels") or {}).items():
        labels[k] = str(v)
    labels["alertname"] = r["alert"]
    value = entry.get("value", 0.93)
    ext = {"cluster": "prod-eu-1"}
    ann = {k: render(str(v), labels, value, ext) for k, v in (r.get("annotations") or {}).items()}
    alert = {
        "status": "firing",
        "labels": dict(sorted(labels.items())),
        "annotations": dict(sorted(ann.items())),
        "startsAt": start_time(idx),
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": gen_url(expr),
        "fingerprint": fnv_fingerprint(labels),
    }
    out = {"rule": r["alert"], "group": entry.get("group", g)}
    if entry.get("renamed"):
        out["renamed"] = True
        out["original_rule"] = r["alert"]
        out["rule"] = entry["renamed"]
        alert["labels"]["alertname"] = entry["renamed"]
        alert["labels"] = dict(sorted(alert["labels"].items()))
        alert["fingerprint"] = fnv_fingerprint(alert["labels"])
    if entry.get("opaque"):
        out["opaque"] = True
    out["file"] = path
    out["expr"] = expr
    out["expect"] = resolve_expect(entry["expect"], alert["labels"])
    out["alert"] = alert
    return out


def build_grafana(entry, sel, idx):
    labels = dict(entry["labels"])
    labels["alertname"] = entry["rule"]
    labels.setdefault("grafana_folder", entry.get("group"))
    ann = dict(entry.get("annotations") or {})
    uid = hashlib.sha1(entry["rule"].encode()).hexdigest()[:14]
    alert = {
        "status": "firing",
        "labels": dict(sorted(labels.items())),
        "annotations": dict(sorted(ann.items())),
        "startsAt": start_time(idx),
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://grafana.example:3000/alerting/grafana/%s/view" % uid,
        "fingerprint": fnv_fingerprint(labels),
        "silenceURL": "http://grafana.example:3000/alerting/silence/new?alertmanager=grafana&matcher=__alert_rule_uid__%%3D%s" % uid,
        "valueString": entry.get("valueString") or value_string(labels, entry),
    }
    out = {"rule": entry["rule"], "group": entry.get("group"), "adapted_from": entry.get("adapted_from"),
           **({"opaque": True} if entry.get("opaque") else {}),
           "expr": None, "expect": resolve_expect(entry["expect"], alert["labels"]), "alert": alert}
    return out


def value_string(labels, entry):
    """Grafana's valueString: the query's labels (not the rule's own) and the reduced and threshold values."""
    own = set(entry.get("rule_labels", [])) | {"alertname", "grafana_folder"}
    ql = ", ".join("%s=%s" % (k, v) for k, v in sorted(labels.items()) if k not in own)
    v = entry.get("value", 0.93)
    return "[ var='B' labels={%s} value=%s ], [ var='C' labels={%s} value=1 ]" % (ql, v, ql)


def resolve_expect(exp, labels):
    e = {"symptoms": list(exp.get("symptoms") or [])}
    if exp.get("also"):
        e["also"] = list(exp["also"])
    t = exp.get("target", "none")
    if isinstance(t, dict):
        t = {k: (labels.get(v[1:], "<missing %s>" % v) if isinstance(v, str) and v.startswith("$") else v)
             for k, v in t.items()}
    e["target"] = t
    if exp.get("why"):
        e["why"] = exp["why"]
    return e


def start_time(idx):
    m = idx % 60
    h = 10 + (idx // 60) % 10
    return "2026-11-30T%02d:%02d:00Z" % (h, m)


# ------------------------------------------------------------------------------------ validation
REQUIRED_ALERT = ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"]


def validate():
    files = sorted(glob.glob(os.path.join(HERE, "*.yaml")))
    fps, errors, per_source, per_sym, none_count, total = {}, [], {}, {}, 0, 0
    also_count = {}
    for f in files:
        doc = yaml.safe_load(open(f))
        src = doc["source"]
        for i, a in enumerate(doc["alerts"]):
            where = "%s#%d %s" % (os.path.basename(f), i, a.get("rule"))
            for k in ("rule", "group", "expr", "expect", "alert"):
                if k not in a:
                    errors.append(where + ": missing " + k)
            al = a["alert"]
            for k in REQUIRED_ALERT:
                if k not in al:
                    errors.append(where + ": alert missing " + k)
            if al["labels"].get("alertname") != a["rule"]:
                errors.append(where + ": alertname differs from rule")
            ex = a["expect"]
            for s in ex["symptoms"] + ex.get("also", []):
                if s not in SYMPTOMS:
                    errors.append(where + ": unknown symptom " + s)
            if not ex["symptoms"] and not ex.get("why"):
                errors.append(where + ": no symptom and no why")
            t = ex["target"]
            if t != "none":
                if not isinstance(t, dict) or not t:
                    errors.append(where + ": bad target")
                elif any("<missing" in str(v) for v in t.values()):
                    errors.append(where + ": unresolved target " + str(t))
            url = al["generatorURL"]
            if a["expr"] is None:
                if "g0.expr" in url or "/alerting/grafana/" not in url:
                    errors.append(where + ": grafana-managed alert with an expression URL")
            else:
                q = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
                if q.get("g0.expr", [None])[0] != a["expr"]:
                    errors.append(where + ": generatorURL does not decode to expr")
            fp = al["fingerprint"]
            if not re.fullmatch(r"[0-9a-f]{16}", fp):
                errors.append(where + ": bad fingerprint")
            if fp in fps:
                errors.append(where + ": fingerprint also in " + fps[fp])
            fps[fp] = where
            if fnv_fingerprint(al["labels"]) != fp:
                errors.append(where + ": fingerprint is not the labels' fingerprint")
            for v in list(al["annotations"].values()):
                if "<no value>" in str(v):
                    print("WARN", where, "annotation has <no value>:", str(v)[:100])
                if "{{" in str(v):
                    errors.append(where + ": untemplated annotation " + str(v)[:80])
            total += 1
            per_source[src] = per_source.get(src, 0) + 1
            if not ex["symptoms"]:
                none_count += 1
            for s in ex["symptoms"]:
                per_sym[s] = per_sym.get(s, 0) + 1
            for s in ex.get("also", []):
                also_count[s] = also_count.get(s, 0) + 1
    return errors, per_source, per_sym, also_count, none_count, total


def main():
    if "--check" not in sys.argv:
        for sf in sorted(glob.glob(os.path.join(HERE, "selections", "*.yaml"))):
            sel = yaml.safe_load(open(sf))
            out = {"source": sel["source"], "alerts": []}
            base = zlib.crc32(sel["source"].encode()) % 7
            for i, e in enumerate(sel["alerts"]):
                out["alerts"].append(build_entry(e, sel, i * 3 + base))
            dst = os.path.join(HERE, sel["source"] + ".yaml")
            with open(dst, "w") as fh:
                fh.write("# Generated by build.py from selections/%s (expectations hand-written there).\n"
                         % os.path.basename(sf))
                yaml.dump(out, fh, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    errors, per_source, per_sym, also, none_count, total = validate()
    for e in errors:
        print("ERROR", e)
    print("total", total)
    print("| source | alerts | share |\n|---|---:|---:|")
    for s, n in sorted(per_source.items(), key=lambda x: -x[1]):
        print("| %s | %d | %.0f %% |" % (s, n, 100.0 * n / total))
    print("\n| symptom (primary) | alerts | also |\n|---|---:|---:|")
    for s in sorted(SYMPTOMS):
        print("| %s | %d | %d |" % (s, per_sym.get(s, 0), also.get(s, 0)))
    print("| (none: `symptoms: []`) | %d (%.0f %%) | |" % (none_count, 100.0 * none_count / max(total, 1)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
