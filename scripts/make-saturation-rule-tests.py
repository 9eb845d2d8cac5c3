#!/usr/bin/env python3
"""Writes the rule tests of the saturation, certificate and config-change rules (rules/tests/<rule>/<scenario>):
memory-pressure, pod-restarts, disk-pressure (they match the same alerts, so every scenario records answers for
all three), cert-expiry and config-change. A scenario gives, per step, the level before and after its instant
(metrics.compare), a value (metrics.query) or None (Prometheus answers with no series: the metric is absent);
steps a scenario leaves out answer with no series too. A scenario without `prometheus` has no prometheus.json
(Prometheus down). Rerun after changing a rule's queries: recorded answers are keyed by the query as sent."""
import json, os, re, shutil, yaml
from datetime import datetime, timezone

def ts(text):
    return int(datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc).timestamp())

def matrix(levels, at, until):
    """One point a minute over the hour before `at` (a 2 % wobble, so the series has some noise), then every
    15 s from `at` up to `until`; None: no series."""
    if levels is None:
        return {'status': 'success', 'data': {'resultType': 'matrix', 'result': []}}
    before, after = levels
    values = [[at - 60 * m, str(before * (1.02 if m % 2 else 1.0))] for m in range(60, 0, -1)]
    values += [[t, str(after)] for t in range(at, until + 1, 15)]
    return {'status': 'success', 'data': {'resultType': 'matrix', 'result': [{'metric': {}, 'values': values}]}}

def vector(value, at):
    if value is None:
        return {'status': 'success', 'data': {'resultType': 'vector', 'result': []}}
    return {'status': 'success', 'data': {'resultType': 'vector', 'result': [{'metric': {}, 'value': [at, str(value)]}]}}

def cel_vars(rule, labels):
    """The rule's vars for these labels: the few CEL shapes the rules use ('x' in labels ? labels.x : ...)."""
    out = {}
    for name, expr in rule.get('vars', {}).items():
        expr = ' '.join(expr.split())
        while True:
            m = re.match(r"'(\w+)' in labels \? labels\.(\w+) : (.*)$", expr)
            if not m:
                break
            if m.group(1) in labels:
                expr = 'labels.' + m.group(2)
                break
            expr = m.group(3)
        if expr.startswith('labels.'):
            out[name] = labels[expr[len('labels.'):]]
        else:
            out[name] = expr.strip("'")
    return out

def render(query, variables):
    for k in sorted(variables, key=len, reverse=True):
        # the values used here have no regex metacharacters or quotes, so they stand as they are
        assert re.fullmatch(r'[A-Za-z0-9_.:-]*', variables[k]), variables[k]
        query = query.replace('$' + k, variables[k])
    return query

RULES = {r: yaml.safe_load(open('rules/%s.yaml' % r)) for r in
         ['memory-pressure', 'pod-restarts', 'disk-pressure', 'cert-expiry', 'config-change', 'http-5xx-after-deploy']}
K8S = ['memory-pressure', 'pod-restarts', 'disk-pressure']

POD_ALERT = {'alertname': 'KubePodCrashLooping', 'namespace': 'shop', 'pod': 'checkout-7d9f8b6c5-x2x7z',
             'container': 'checkout', 'service': 'kube-state-metrics', 'severity': 'warning'}
SERVICE_ALERT = {'alertname': 'ContainerMemoryHigh', 'namespace': 'shop', 'service': 'checkout', 'severity': 'warning'}
HEALTHY = {'usage': (0.5, 0.52), 'oom_kills': (0, 0), 'restarts': (0, 0), 'crashloop': (0, 0), 'last_oom': 0,
           'last_error': 0, 'exit_code': 0, 'volume_usage': (0.4, 0.41), 'node_fs_usage': (0.5, 0.5),
           'node_condition': (0, 0)}
ABSENT = {k: None for k in HEALTHY}
K8S_FINDINGS = ['oom-killed', 'memory-near-limit', 'crash-loop', 'volume-full', 'node-filesystem-full', 'node-disk-pressure']

def k8s(labels, values, root, verdicts, partial=False):
    v = dict(HEALTHY)
    v.update(values)
    findings = {f: 'rules_out' for f in K8S_FINDINGS}
    findings.update(verdicts)
    return {'rules': K8S, 'labels': labels, 'startsAt': '2025-11-29T10:00:00Z', 'evaluatedAt': '2025-11-29T10:02:00Z',
            'prometheus': v, 'root': root, 'findings': findings, 'partial': partial}

SCENARIOS = {
    # the alert names the pod; its last terminations are OOM kills: memory-pressure's cause, not a crash loop
    ('memory-pressure', 'oom-killed'): k8s(POD_ALERT, {
        'usage': (0.7, 0.99), 'oom_kills': (0, 0.4), 'restarts': (0, 0.4), 'crashloop': (0, 0.5), 'last_oom': 2,
        'exit_code': 137}, {'rule': 'memory-pressure', 'finding': 'oom-killed', 'confidence': 'medium',
        'causeContains': ['Containers of checkout-7d9f8b6c5-x2x7z are OOM-killed', '99% of its memory limit']},
        {'oom-killed': 'supports', 'memory-near-limit': 'supports'}),
    # the alert names the service: its pods by name; near the limit, no kill yet
    ('memory-pressure', 'near-limit'): k8s(SERVICE_ALERT, {'usage': (0.6, 0.93)},
        {'rule': 'memory-pressure', 'finding': 'memory-near-limit', 'confidence': 'medium',
         'causeContains': 'a container of checkout reached 93% of its memory limit'},
        {'memory-near-limit': 'supports'}),
    # high but as high as before: not new, and no kills
    ('memory-pressure', 'steady'): k8s(SERVICE_ALERT, {'usage': (0.91, 0.92)}, None, {}),
    # no memory limits set: kube-state-metrics is there (no OOM kill rules out), the ratio has no data
    ('memory-pressure', 'no-limits'): k8s(SERVICE_ALERT, {'usage': None}, None, {'memory-near-limit': 'no_data'}),
    # neither cAdvisor nor kube-state-metrics scraped: nothing is blamed, nothing ruled out
    ('memory-pressure', 'metrics-absent'): k8s(SERVICE_ALERT, ABSENT, None, {f: 'no_data' for f in K8S_FINDINGS}),
    ('pod-restarts', 'crash-loop'): k8s(POD_ALERT, {
        'restarts': (0, 0.5), 'crashloop': (0, 0.8), 'last_error': 1, 'exit_code': 1},
        {'rule': 'pod-restarts', 'finding': 'crash-loop', 'confidence': 'medium',
         'causeContains': ['Containers of checkout-7d9f8b6c5-x2x7z are crash-looping', 'highest exit code 1']},
        {'crash-loop': 'supports'}),
    # restarts as often as in the hour before (a slow, old restart habit), nothing new
    ('pod-restarts', 'steady'): k8s(POD_ALERT, {'restarts': (0.05, 0.05)}, None, {}),
    # kube-state-metrics absent, cAdvisor and kubelet there: restart findings say no data
    ('pod-restarts', 'kube-state-metrics-absent'): k8s(SERVICE_ALERT, {
        'oom_kills': None, 'restarts': None, 'crashloop': None, 'last_oom': None, 'last_error': None,
        'exit_code': None, 'usage': None, 'volume_usage': None, 'node_fs_usage': None, 'node_condition': None},
        None, {f: 'no_data' for f in K8S_FINDINGS}),
    # an alert about one claim (the kubelet's volume stats, service=kubelet): that claim is read
    ('disk-pressure', 'volume-full'): k8s(
        {'alertname': 'KubePersistentVolumeFillingUp', 'namespace': 'shop', 'persistentvolumeclaim': 'data-checkout-0',
         'service': 'kubelet', 'severity': 'critical'},
        {'volume_usage': (0.85, 0.99)},
        {'rule': 'disk-pressure', 'finding': 'volume-full', 'confidence': 'medium',
         'causeContains': 'is 99% full (before the alert: 85'},
        {'volume-full': 'supports'}),
    ('disk-pressure', 'node-disk-pressure'): k8s(SERVICE_ALERT | {'alertname': 'KubeletDiskPressure'},
        {'node_condition': (0, 1), 'node_fs_usage': (0.8, 0.96)},
        {'rule': 'disk-pressure', 'finding': 'node-disk-pressure', 'confidence': 'medium',
         'causeContains': 'reports DiskPressure (100% of the time since the alert'},
        {'node-disk-pressure': 'supports', 'node-filesystem-full': 'supports'}),
    # node_exporter's alert about a node (instance) and no pods: the node's filesystems
    ('disk-pressure', 'node-filesystem-full'): k8s(
        {'alertname': 'NodeFilesystemAlmostOutOfSpace', 'instance': 'node-a', 'mountpoint': '/', 'severity': 'critical'},
        {'node_fs_usage': (0.7, 0.98), 'volume_usage': None, 'usage': None, 'oom_kills': None, 'restarts': None,
         'crashloop': None, 'last_oom': None, 'last_error': None, 'exit_code': None},
        {'rule': 'disk-pressure', 'finding': 'node-filesystem-full', 'confidence': 'medium'},
        {'node-filesystem-full': 'supports', 'volume-full': 'no_data', 'oom-killed': 'no_data',
         'memory-near-limit': 'no_data', 'crash-loop': 'no_data'}),
    ('disk-pressure', 'steady'): k8s(SERVICE_ALERT | {'alertname': 'KubeletDiskPressure'},
        {'volume_usage': (0.93, 0.93)}, None, {}),
    ('disk-pressure', 'metrics-absent'): k8s(SERVICE_ALERT | {'alertname': 'KubeletDiskPressure'}, ABSENT, None,
        {f: 'no_data' for f in K8S_FINDINGS}),
    ('disk-pressure', 'prometheus-down'): dict(k8s(SERVICE_ALERT | {'alertname': 'KubeletDiskPressure'}, {}, None,
        {f: 'no_data' for f in K8S_FINDINGS}, partial=True), prometheus=None),
}

CERT_ALERT = {'alertname': 'EndpointDown', 'service': 'checkout', 'severity': 'critical'}
def cert(labels, days_left, probe, root, findings):
    values = {'days_left': days_left, 'days_expired': None if days_left is None else -days_left, 'probe': probe}
    return {'rules': ['cert-expiry'], 'labels': labels, 'startsAt': '2025-11-29T10:00:00Z',
            'evaluatedAt': '2025-11-29T10:02:00Z', 'prometheus': values, 'root': root, 'findings': findings,
            'partial': False}

SCENARIOS.update({
    # expired 12 hours ago: the metric vanished, its last value (read over 7d) is in the past; probes fail
    ('cert-expiry', 'expired'): cert(CERT_ALERT, -0.5, (1, 0),
        {'rule': 'cert-expiry', 'finding': 'cert-expired', 'confidence': 'medium',
         'causeContains': ['served by checkout expired 0.5 days ago', 'succeeded 0% of the time since the alert']},
        {'cert-expired': 'supports', 'cert-expiring': 'rules_out'}),
    ('cert-expiry', 'expiring-soon'): cert(CERT_ALERT | {'alertname': 'SSLCertExpiringSoon', 'severity': 'warning'},
        3.2, (1, 1), {'rule': 'cert-expiry', 'finding': 'cert-expiring', 'confidence': 'medium',
                      'causeContains': 'expires in 3.2 days'},
        {'cert-expired': 'rules_out', 'cert-expiring': 'supports'}),
    # 3 days left, but the alert is about the endpoint failing: a near expiry does not make requests fail
    ('cert-expiry', 'expiring-not-the-cause'): cert(CERT_ALERT, 3.2, (1, 0), None,
        {'cert-expired': 'rules_out', 'cert-expiring': 'rules_out'}),
    ('cert-expiry', 'valid'): cert(CERT_ALERT, 61, (1, 0), None,
        {'cert-expired': 'rules_out', 'cert-expiring': 'rules_out'}),
    # no TLS probe of the service (plain HTTP, or no blackbox exporter): no data, never "ruled out"
    ('cert-expiry', 'metrics-absent'): cert(CERT_ALERT | {'alertname': 'SSLCertExpiringSoon'}, None, None, None,
        {'cert-expired': 'no_data', 'cert-expiring': 'no_data'}),
})

# config-change: a HighErrorRate alert, so the deploy rule, cert-expiry and the Kubernetes rules run too; they get
# "no series" answers (cert, Kubernetes) or the same HTTP series (deploy rule), and dependency-health finds the
# catalogued dependencies of checkout healthy.
HEALTHY_PROBES = [{'url': 'http://127.0.0.1:1808%d/health' % i, 'outcome': 'healthy', 'code': 200, 'latency_ms': 12.0,
                   'attempts': 1, 'error': None} for i in (1, 2, 3)]
CONFIG_ALERT = {'alertname': 'HighErrorRate', 'service': 'checkout', 'severity': 'critical'}
CHANGE_AT = '2025-11-29T10:05:00Z'
def change(id_, source, version, previous, at=CHANGE_AT):
    return {'id': id_, 'service': 'checkout', 'version': version, 'previousVersion': previous, 'author': 'bob',
            'time': at, 'kind': source, 'link': 'https://flags.example/checkout/' + id_}
def config(changes, errors, p99, p95, root, findings, partial=False):
    return {'rules': ['config-change', 'http-5xx-after-deploy', 'cert-expiry'] + K8S, 'labels': CONFIG_ALERT, 'probes': HEALTHY_PROBES,
            'startsAt': '2025-11-29T10:15:00Z', 'evaluatedAt': '2025-11-29T10:35:00Z', 'changes': changes,
            'prometheus': {'errors': errors, 'p99': p99, 'p95': p95}, 'root': root, 'findings': findings,
            'partial': partial}
NONE = ['bad-deploy', 'slower-after-deploy']
SCENARIOS.update({
    # a config change 10 minutes before the alert, and a deploy yesterday (outside the lookback)
    ('config-change', 'config-then-5xx'): config(
        [change('cfg-481', 'config', 'PAYMENT_TIMEOUT_MS=200', 'PAYMENT_TIMEOUT_MS=2000'),
         change('ci-1287', 'deploy', '1.42.0', '1.41.3', '2025-11-28T16:00:00Z')],
        (0.002, 0.08), (0.25, 0.3), (0.1, 0.2),
        {'rule': 'config-change', 'finding': 'raised-errors', 'confidence': 'high',
         'causeContains': ['A config change of checkout, not a deploy: PAYMENT_TIMEOUT_MS=200 (was PAYMENT_TIMEOUT_MS=2000',
                           'raised the 5xx ratio from 0.202% to 8%']},
        {'raised-errors': 'supports', 'raised-latency': 'rules_out', 'bad-deploy': 'rules_out'}),
    ('config-change', 'flag-then-latency'): config(
        [change('flag-77', 'flag', 'new-pricing=on', 'new-pricing=off')],
        (0.002, 0.0021), (0.25, 1.2), (0.1, 0.6),
        {'rule': 'config-change', 'finding': 'raised-latency', 'confidence': 'medium',
         'causeContains': ['A flag change of checkout, not a deploy: new-pricing=on (was new-pricing=off',
                           'raised p99 latency from 0.253 s to 1.2 s']},
        {'raised-errors': 'rules_out', 'raised-latency': 'supports', 'bad-deploy': 'rules_out'}),
    # a flag flipped, nothing moved: not the cause
    ('config-change', 'flag-no-shift'): config(
        [change('flag-78', 'flag', 'dark-mode=on', 'dark-mode=off')],
        (0.002, 0.0021), (0.25, 0.26), (0.1, 0.1), None,
        {'raised-errors': 'rules_out', 'raised-latency': 'rules_out', 'bad-deploy': 'rules_out'}),
    # a config change, but the service exports no HTTP metrics: no data, never a blame
    ('config-change', 'metrics-absent'): config(
        [change('cfg-482', 'config', 'POOL_SIZE=5', 'POOL_SIZE=50')], None, None, None, None,
        {'raised-errors': 'no_data', 'raised-latency': 'no_data', 'bad-deploy': 'rules_out'}),
    ('config-change', 'changes-down'): config(None, (0.002, 0.08), (0.25, 0.4), (0.1, 0.2), None,
        {'raised-errors': 'no_data', 'raised-latency': 'no_data', 'bad-deploy': 'no_data'}, partial=True),
})

def recordings(s):
    at_alert = ts(s['startsAt'])
    now = ts(s['evaluatedAt'])
    out = {}
    for rule_id in s['rules']:
        rule = RULES[rule_id]
        variables = cel_vars(rule, s['labels'])
        variables['rate_window'] = '1m'
        for step in rule['steps']:
            if 'query' not in step.get('with', {}):
                continue
            q = render(step['with']['query'], variables)
            value = s['prometheus'].get(step['id'])
            if step['type'] == 'metrics.query':
                answer = vector(value, now)
            else:
                at = ts(CHANGE_AT) if str(step['with'].get('at', '')).startswith('steps.') else at_alert
                answer = matrix(value, at, now)
            if q in out and out[q] != answer:
                raise SystemExit('%s: one query, two answers: %s' % (rule_id, q))
            out[q] = answer
    return [{'query': q, 'answer': a} for q, a in out.items()]

for (rule_id, name), s in SCENARIOS.items():
    d = os.path.join('rules/tests', rule_id, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    alert = {'labels': s['labels'], 'annotations': {'summary': '%s (rule test)' % s['labels']['alertname']},
             'startsAt': s['startsAt'], 'evaluatedAt': s['evaluatedAt']}
    json.dump(alert, open(os.path.join(d, 'alert.json'), 'w'), indent=2)
    if s['prometheus'] is not None:
        json.dump(recordings(s), open(os.path.join(d, 'prometheus.json'), 'w'), indent=1)
    if s.get('changes') is not None:
        json.dump(s['changes'], open(os.path.join(d, 'changes.json'), 'w'), indent=1)
    if s.get('probes') is not None:
        json.dump(s['probes'], open(os.path.join(d, 'probes.json'), 'w'), indent=1)
    with open(os.path.join(d, 'expected.yaml'), 'w') as f:
        f.write('# generated by scripts/make-saturation-rule-tests.py\n')
        expected = {'rootCause': s['root'], 'findings': s['findings']}
        if 'config-change' not in s['rules']:
            # the deploy rule that config-change tests also run detects the metric convention first; those
            # detection answers are not recorded here yet, so whether the report is partial is not asserted
            expected['partial'] = s['partial']
        yaml.safe_dump(expected, f, sort_keys=False)
    print('wrote', d)
