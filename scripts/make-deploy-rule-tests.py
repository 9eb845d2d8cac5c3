#!/usr/bin/env python3
"""Writes the rule tests of rules/http-5xx-after-deploy.yaml (rules/tests/http-5xx-after-deploy/*): an
alert, the recorded change events and the Prometheus answers of a scenario. Rerun after changing the
rule's signals or rules/conventions.yaml: the recorded answers are keyed by the query as sent. The classic
Prometheus client's scenarios sit at the top; the other conventions' in <convention>/ (the detection query
answers that convention)."""
import json, os, sys, yaml
sys.path.insert(0, os.path.dirname(__file__))
import conventions as cv

RULE = 'rules/http-5xx-after-deploy.yaml'
OUT = 'rules/tests/http-5xx-after-deploy'
DEPLOY = 1764410400           # 2025-11-29T10:00:00Z
STARTS = DEPLOY + 15 * 60     # the alert fired 15 minutes after the deploy
EVALUATED = STARTS + 120
VARS = {'service': 'checkout', 'rate_window': '1m'}

rule = yaml.safe_load(open(RULE))
# the convention's service label as the detection answers it
LABELS = {'classic': 'service', 'micrometer': 'application', 'otel': 'service_name', 'istio': 'destination_service_name',
          'ingress-nginx': 'service'}

def queries(convention):
    return {step['id']: cv.signal_query(convention, step['with']['signal'], 'checkout', LABELS[convention])
            for step in rule['steps'] if 'signal' in step['with']}

def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')

def matrix(before, after, rise_at=DEPLOY):
    # a point a minute from 30 minutes before the deploy to the diagnosis, with +-3 % wobble (the series'
    # own noise); the level changes at rise_at
    values = []
    for i, t in enumerate(range(DEPLOY - 1800, EVALUATED + 1, 60)):
        level = before if t < rise_at else after
        wobble = 1 + 0.03 * ((i % 3) - 1)
        values.append([t, repr(round(level * wobble, 6))])
    return {'status': 'success', 'data': {'resultType': 'matrix', 'result': [{'metric': {}, 'values': values}]}}

DEPLOY_EVENT = {'id': 'ci-checkout-1287', 'service': 'checkout', 'version': '1.42.0', 'previousVersion': '1.41.3',
                'commitRange': '9f1c2e7..b41d0aa', 'author': 'alice', 'time': iso(DEPLOY), 'kind': 'deploy',
                'link': 'https://ci.example/checkout/pipelines/1287'}
ALL_OUT = {'bad-deploy': 'rules_out', 'slower-after-deploy': 'rules_out'}

SCENARIOS = {
    # deploy, then the 5xx ratio jumps 0.2 % -> 8 % and p99 0.25 s -> 1.9 s
    'deploy-then-5xx': ([DEPLOY_EVENT], {'errors': (0.002, 0.08), 'p99': (0.25, 1.9), 'p95': (0.12, 0.8)},
                        {'rule': 'http-5xx-after-deploy', 'finding': 'bad-deploy', 'confidence': 'high',
                         'causeContains': ['Deploy 1.42.0 of checkout (was 1.41.3, deploy at 2025-11-29T10:00:00Z)',
                                           '5xx ratio from 0.2% to 8%', 'p99 latency went from 0.25s to 1.9s']},
                        {'bad-deploy': 'supports', 'slower-after-deploy': 'supports'}),
    # no change of checkout in the two hours before the alert
    'no-deploy': ([], None, None, ALL_OUT),
    # the 5xx ratio was already up 15 minutes before the deploy
    '5xx-before-deploy': ([DEPLOY_EVENT], {'errors': (0.002, 0.08, DEPLOY - 900), 'p99': (0.25, 0.26), 'p95': (0.12, 0.12)},
                          None, ALL_OUT),
    # deployed, and nothing moved
    'deploy-no-change': ([DEPLOY_EVENT], {'errors': (0.002, 0.0021), 'p99': (0.25, 0.26), 'p95': (0.12, 0.12)},
                         None, ALL_OUT),
    # the change backends are down: nothing can be concluded, and the report says so
    'changes-down': (None, None, None, {'bad-deploy': 'no_data', 'slower-after-deploy': 'no_data'}),
}

def flat_by(label, names, level):
    # the per-dependency client series of a healthy service (downstream-errors reads them)
    values = [[t, repr(level)] for t in range(DEPLOY - 3600, EVALUATED + 1, 60)]
    return {'status': 'success', 'data': {'resultType': 'matrix', 'result': [
        {'metric': {label: n}, 'values': values} for n in names]}}

CASES = [(c, n) for c in LABELS for n in SCENARIOS if c == 'classic' or n in ('deploy-then-5xx', 'deploy-no-change', '5xx-before-deploy')]
for convention, name in CASES:
    changes, series, root, findings = SCENARIOS[name]
    d = os.path.join(OUT, name) if convention == 'classic' else os.path.join(OUT, convention, name)
    qs = queries(convention)
    os.makedirs(d, exist_ok=True)
    alert = {'labels': {'alertname': 'HighErrorRate', 'service': 'checkout', 'severity': 'critical'},
             'annotations': {'summary': '5xx ratio of checkout above 5 %'},
             'startsAt': iso(STARTS), 'evaluatedAt': iso(EVALUATED)}
    json.dump(alert, open(os.path.join(d, 'alert.json'), 'w'), indent=2)
    for f, content in (('changes.json', changes),
                       ('prometheus.json', None if series is None else
                        [cv.detection('checkout', (convention, LABELS[convention]))]
                        + [{'query': qs[s], 'answer': matrix(*series[s])} for s in qs]
                        # downstream-errors matches the alert too: the dependencies stayed healthy
                        + [{'query': cv.signal_query(convention, sig, 'checkout', LABELS[convention]),
                            'answer': flat_by(cv.signal_by(convention, sig), ['auth', 'payments'], level)}
                           for sig, level in (('http.client_error_ratio', 0.001), ('http.client_latency_mean', 0.05))
                           if sig in cv.TABLE[convention]['signals']])):
        path = os.path.join(d, f)
        if content is None:
            if os.path.exists(path):
                os.remove(path)
        else:
            json.dump(content, open(path, 'w'), indent=1)
    with open(os.path.join(d, 'expected.yaml'), 'w') as f:
        f.write('# generated by scripts/make-deploy-rule-tests.py\n')
        # the change backends being down makes the report partial (other rules matching the alert, such as
        # dependency probes without recordings, may add to it, so "not partial" is not asserted)
        expected = {'rootCause': root, 'findings': dict(findings)}
        if series is not None and 'http.client_error_ratio' in cv.TABLE[convention]['signals']:
            expected['findings']['failing-dependency'] = 'rules_out'
            expected['findings']['slow-downstream'] = 'rules_out'
        if changes is None:
            expected['partial'] = True
        yaml.safe_dump(expected, f, sort_keys=False, allow_unicode=True)
print('wrote', ', '.join(c + '/' + n for c, n in CASES))
