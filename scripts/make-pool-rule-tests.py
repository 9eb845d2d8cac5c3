#!/usr/bin/env python3
"""Writes the rule tests of the metrics-only application rules (rules/tests/<rule>/<scenario>):
connection-pool-exhaustion, thread-pool-saturation, jvm-gc-pauses. Each scenario gives, per step, the
level before and after the alert (or None: Prometheus answers with no series, as for a metric the app
does not export); Prometheus down is a scenario without prometheus.json. Rerun after changing a rule's
queries: the recorded answers are keyed by the query as sent."""
import json, os, yaml

START = 1764410400            # 2025-11-29T10:00:00Z, the alert's startsAt
VARS = {'service': 'checkout', 'rate_window': '1m'}

def matrix(levels):
    if levels is None:
        return {'status': 'success', 'data': {'resultType': 'matrix', 'result': []}}
    before, after = levels
    # one point a minute over the hour before the alert, then every 15 s for the 2 minutes after it
    values = [[START - 60 * m, str(before)] for m in range(60, 0, -1)]
    values += [[START + 15 * i, str(after)] for i in range(0, 9)]
    return {'status': 'success', 'data': {'resultType': 'matrix', 'result': [{'metric': {}, 'values': values}]}}

RULES = {
    'connection-pool-exhaustion': ('HikariConnectionsPending', {
        'pool-exhausted': (
            {'usage': (0.45, 1.0), 'pending': (0, 38), 'timeouts': (0, 4.5), 'acquire': (0.002, 1.8)},
            {'finding': 'pool-exhausted', 'confidence': 'medium'},
            {'pool-exhausted': 'supports', 'connections-not-opening': 'rules_out'}),
        'database-refusing': (
            {'usage': (0.3, 0.35), 'pending': (0, 6), 'timeouts': (0, 2.0), 'acquire': (0.002, 30)},
            {'finding': 'connections-not-opening', 'confidence': 'medium'},
            {'pool-exhausted': 'rules_out', 'connections-not-opening': 'supports'}),
        'pool-healthy': (
            {'usage': (0.4, 0.55), 'pending': (0, 0), 'timeouts': (0, 0), 'acquire': (0.002, 0.003)},
            None,
            {'pool-exhausted': 'rules_out', 'connections-not-opening': 'rules_out'}),
        'prometheus-down': (None, None, {'pool-exhausted': 'no_data', 'connections-not-opening': 'no_data'}),
    }),
    'thread-pool-saturation': ('ThreadPoolSaturated', {
        # a Spring app: executor and Tomcat metrics, no Vert.x worker pool
        'executor-saturated': (
            {'executor_usage': (0.4, 1.0), 'executor_queued': (0, 250), 'tomcat_usage': (0.3, 0.35), 'rejected': None},
            {'finding': 'executor-saturated', 'confidence': 'medium'},
            {'executor-saturated': 'supports', 'tomcat-threads-exhausted': 'rules_out', 'tasks-rejected': 'no_data'}),
        'tomcat-exhausted': (
            {'executor_usage': (0.2, 0.25), 'executor_queued': (0, 0), 'tomcat_usage': (0.5, 1.0), 'rejected': None},
            {'finding': 'tomcat-threads-exhausted', 'confidence': 'medium'},
            {'executor-saturated': 'rules_out', 'tomcat-threads-exhausted': 'supports', 'tasks-rejected': 'no_data'}),
        # a Quarkus app: Vert.x worker pools, no Tomcat, no ExecutorService metrics
        'worker-pool-rejecting': (
            {'executor_usage': None, 'executor_queued': None, 'tomcat_usage': None, 'rejected': (0, 12)},
            {'finding': 'tasks-rejected', 'confidence': 'medium'},
            {'executor-saturated': 'no_data', 'tomcat-threads-exhausted': 'no_data', 'tasks-rejected': 'supports'}),
        # queue grew but threads were not all busy: not saturation (e.g. a burst absorbed in time)
        'pools-healthy': (
            {'executor_usage': (0.3, 0.6), 'executor_queued': (0, 3), 'tomcat_usage': (0.3, 0.5), 'rejected': (0, 0)},
            None,
            {'executor-saturated': 'rules_out', 'tomcat-threads-exhausted': 'rules_out', 'tasks-rejected': 'rules_out'}),
        'prometheus-down': (None, None, {'executor-saturated': 'no_data', 'tomcat-threads-exhausted': 'no_data',
                                         'tasks-rejected': 'no_data'}),
    }),
    'jvm-gc-pauses': ('JvmGcPauseHigh', {
        'heap-full': (
            {'gc_time': (0.01, 0.32), 'gc_pause_max': (0.05, 2.4), 'heap_after_gc': (0.62, 0.97)},
            {'finding': 'heap-exhaustion', 'confidence': 'medium'},
            {'heap-exhaustion': 'supports', 'allocation-pressure': 'rules_out'}),
        'allocation-spike': (
            {'gc_time': (0.01, 0.12), 'gc_pause_max': (0.04, 0.35), 'heap_after_gc': (0.4, 0.45)},
            {'finding': 'allocation-pressure', 'confidence': 'medium'},
            {'heap-exhaustion': 'rules_out', 'allocation-pressure': 'supports'}),
        # a heap that is full but barely collected: GC is not what hurts
        'gc-quiet': (
            {'gc_time': (0.01, 0.012), 'gc_pause_max': (0.04, 0.05), 'heap_after_gc': (0.91, 0.92)},
            None,
            {'heap-exhaustion': 'rules_out', 'allocation-pressure': 'rules_out'}),
        'prometheus-down': (None, None, {'heap-exhaustion': 'no_data', 'allocation-pressure': 'no_data'}),
    }),
}

for rule_id, (alertname, scenarios) in RULES.items():
    rule = yaml.safe_load(open('rules/%s.yaml' % rule_id))
    queries = {}
    for step in rule['steps']:
        q = step['with']['query']
        for k, v in VARS.items():
            q = q.replace('$' + k, v)
        queries[step['id']] = q
    for name, (series, root, findings) in scenarios.items():
        d = os.path.join('rules/tests', rule_id, name)
        os.makedirs(d, exist_ok=True)
        alert = {'labels': {'alertname': alertname, 'service': VARS['service'], 'severity': 'critical'},
                 'annotations': {'summary': '%s on %s' % (alertname, VARS['service'])},
                 'startsAt': '2025-11-29T10:00:00Z', 'evaluatedAt': '2025-11-29T10:02:00Z'}
        json.dump(alert, open(os.path.join(d, 'alert.json'), 'w'), indent=2)
        if series is not None:
            recs = [{'query': queries[s], 'answer': matrix(series[s])} for s in queries]
            json.dump(recs, open(os.path.join(d, 'prometheus.json'), 'w'), indent=1)
        elif os.path.exists(os.path.join(d, 'prometheus.json')):
            os.remove(os.path.join(d, 'prometheus.json'))
        if root is not None:
            root = dict(rule=rule_id, **root)
        with open(os.path.join(d, 'expected.yaml'), 'w') as f:
            f.write('# generated by scripts/make-pool-rule-tests.py\n')
            yaml.safe_dump({'rootCause': root, 'findings': findings, 'partial': series is None}, f, sort_keys=False)
    print('wrote', rule_id + ':', ', '.join(scenarios))
