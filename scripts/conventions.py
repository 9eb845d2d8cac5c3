"""Renders the PromQL of rules/conventions.yaml as the service does (dev.rootcause.diagnosis.ConventionResolver),
for the scripts that write rule tests: recorded Prometheus answers are keyed by the query as sent."""
import re, yaml

TABLE = yaml.safe_load(open('rules/conventions.yaml'))['conventions']
CATALOGUE = (yaml.safe_load(open('rules/services.yaml')) or {}).get('services') or {}


def quote(v):
    # Go string-literal escaping of the characters a test value might hold
    return v.replace('\\', '\\\\').replace('"', '\\"')


def labels_of(service):
    s = CATALOGUE.get(service) or {}
    return s.get('labels') or ({'service': service} if service in CATALOGUE else {})


def detect_query(service):
    """The one instant query that detects a service's convention."""
    labels = labels_of(service)
    terms = []
    for name, c in TABLE.items():
        for label in c['service_labels']:
            value = labels.get(label, service)
            terms.append('label_replace(label_replace(group(%s{%s="%s"}), "convention", "%s", "", ""), "service_label", "%s", "", "")'
                         % (c['detect'], label, quote(value), name, label))
    return ' or '.join(terms)


def detect_answer(*matches, t=0):
    """Prometheus' answer to detect_query when these (convention, label) pairs have series."""
    return {'status': 'success', 'data': {'resultType': 'vector', 'result': [
        {'metric': {'convention': c, 'service_label': l}, 'value': [t, '1']} for c, l in matches]}}


def detection(service, *matches):
    """A prometheus.json entry: the detection query and its answer."""
    return {'query': detect_query(service), 'answer': detect_answer(*matches)}


def signal_query(convention, signal, service, label, rate_window='1m'):
    s = TABLE[convention]['signals'][signal]
    q = s if isinstance(s, str) else s['query']
    value = labels_of(service).get(label, service)
    q = re.sub(r'\$service_label(?![a-zA-Z0-9_])', label, q)
    q = q.replace('$service_value', quote(value)).replace('$rate_window', rate_window)
    return re.sub(r'\$service(?![a-zA-Z0-9_])', quote(service), q)


def signal_by(convention, signal):
    s = TABLE[convention]['signals'][signal]
    return None if isinstance(s, str) else s['by']


def healthy_clients(convention, service, label, start, end, names=('auth', 'payments'), errors=0.001, seconds=0.05):
    """prometheus.json entries for downstream-errors' two signals when every dependency stayed steady (empty for a
    convention without client metrics), so a test of another rule on the same alert records every answer."""
    out = []
    for sig, level in (('http.client_error_ratio', errors), ('http.client_latency_mean', seconds)):
        if sig in TABLE[convention]['signals']:
            values = [[t, repr(level)] for t in range(start, end + 1, 60)]
            out.append({'query': signal_query(convention, sig, service, label), 'answer': {'status': 'success', 'data': {
                'resultType': 'matrix', 'result': [{'metric': {signal_by(convention, sig): n}, 'values': values} for n in names]}}})
    return out
