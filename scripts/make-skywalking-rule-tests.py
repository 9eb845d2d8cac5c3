#!/usr/bin/env python3
"""Writes the rule tests of rules/skywalking-service.yaml (rules/tests/skywalking-service/*): a SkyWalking alarm as
alert/SkyWalkingAlarmParser makes it from OAP's webhook (labels alertname = the rule name, skywalking_scope, service,
severity from the level tag; the rule's MQE in rootcause_expression), the OAP's MQE answers of a scenario
(skywalking.json, keyed by "host=<service> key=<MQE>" as items.compare asks; one value per minute, as execExpression
answers at MINUTE step) and the expected verdicts. Prometheus is absent (no prometheus.json), so the Prometheus-based
rules the same symptom selects end no_data: the SkyWalking rule is the one that can answer. The numbers are made up
around the default alarm rules' thresholds (alarm-settings.yml: service_resp_time > 1000 ms, service_sla < 80 %)."""
import json, os, random, yaml

START = 1764410400            # 2025-11-29T10:00:00Z, the alarm's startTime / 1000
ALERT_TIMES = {'startsAt': '2025-11-29T10:00:00Z', 'evaluatedAt': '2025-11-29T10:05:00Z'}


def samples(before, after, jitter=0.0, seed=1):
    # one value a minute: the hour before the alarm, then the 10 minutes after it
    r = random.Random(seed)
    out = [[START - 60 * m, 0, round(before + r.uniform(-jitter, jitter), 3)] for m in range(60, 0, -1)]
    return out + [[START + 60 * i, 0, round(after + r.uniform(-jitter, jitter), 3)] for i in range(0, 10)]


UNITS = {'service_resp_time': 'ms', 'service_cpm': 'calls/min', 'service_sla/100': '%'}


def mqe(service, key, values):
    return {'query': f'host={service} key={key}', 'answer': {
        'host': service, 'key': key, 'itemId': key, 'name': key, 'units': UNITS[key], 'method': 'execExpression',
        'samples': values, 'warnings': []}}


def failed(service, key, reason):
    return {'query': f'host={service} key={key}', 'answer': {'status': 'error', 'reason': reason}}


def alarm(service, rule, expression, message, level='CRITICAL'):
    return {'labels': {'alertname': rule, 'skywalking_scope': 'SERVICE', 'service': service,
                       'severity': level.lower(), 'level': level},
            'annotations': {'summary': message, 'skywalking_entity': service, 'rootcause_expression': expression,
                            'rootcause_expression_language': 'skywalking'}}


def sw_span(trace, segment, span_id, parent, refs, service, start, end, endpoint, kind, peer='', layer='Http'):
    # one Span of OAP's queryTrace answer (apache/skywalking-query-protocol trace.graphqls, commit 3e99edc)
    return {'traceId': trace, 'segmentId': segment, 'spanId': span_id, 'parentSpanId': parent, 'refs': refs,
            'serviceCode': service, 'serviceInstanceName': service + '-1@10.0.0.1', 'startTime': start, 'endTime': end,
            'endpointName': endpoint, 'type': kind, 'peer': peer, 'component': 'SpringMVC', 'isError': False,
            'layer': layer, 'tags': [], 'logs': []}


def sw_trace(n, start_ms, checkout_ms, pay_ms, inv_ms, r):
    # checkout (the trace's entry: its caller is not instrumented) calls payments, then inventory, one after the other
    trace, seg = f'{n:032x}.41.{start_ms}0001', f'{n:024x}.41.{start_ms}0001'
    pay_seg, inv_seg = f'{n:024x}.52.{start_ms}0002', f'{n:024x}.63.{start_ms}0003'
    jit = lambda v: int(round(v * r.uniform(0.95, 1.05)))
    pay, inv = jit(pay_ms), jit(inv_ms)
    t0, p0, i0 = start_ms, start_ms + 5, start_ms + 5 + pay + 5
    ref = lambda parent_seg, parent_span: [{'traceId': trace, 'parentSegmentId': parent_seg, 'parentSpanId': parent_span,
                                           'type': 'CROSS_PROCESS'}]
    return [sw_span(trace, seg, 0, -1, [], 'checkout', t0, max(i0 + inv + 5, t0 + jit(checkout_ms)), 'POST:/orders', 'Entry'),
            sw_span(trace, seg, 1, 0, [], 'checkout', p0, p0 + pay, '/pay', 'Exit', 'payments:8080'),
            sw_span(trace, pay_seg, 0, -1, ref(seg, 1), 'payments', p0 + 2, p0 + pay - 2, 'POST:/pay', 'Entry'),
            sw_span(trace, seg, 2, 0, [], 'checkout', i0, i0 + inv, '/stock', 'Exit', 'inventory:8080'),
            sw_span(trace, inv_seg, 0, -1, ref(seg, 2), 'inventory', i0 + 2, i0 + inv - 2, 'GET:/stock', 'Entry')]


def port_span(s):
    # the span as source/skywalking/SkyWalkingTraces maps it, written as the trace recordings are (Zipkin v2 JSON,
    # ruletest/replay/ReplayTraceSource): id <segment>-<span>, parent in the segment or through the first ref
    kind = {'Entry': 'SERVER', 'Exit': 'CLIENT', 'Local': 'INTERNAL'}[s['type']]
    z = {'traceId': s['traceId'], 'id': f"{s['segmentId']}-{s['spanId']}", 'name': s['endpointName'], 'kind': kind,
         'timestamp': s['startTime'] * 1000, 'duration': (s['endTime'] - s['startTime']) * 1000,
         'localEndpoint': {'serviceName': s['serviceCode']}}
    if s['parentSpanId'] >= 0:
        z['parentId'] = f"{s['segmentId']}-{s['parentSpanId']}"
    elif s['refs']:
        z['parentId'] = f"{s['refs'][0]['parentSegmentId']}-{s['refs'][0]['parentSpanId']}"
    if s['type'] == 'Exit' and s['peer']:
        z['remoteEndpoint'] = {'serviceName': s['peer']}
    return z


def sw_traces(window_start, window_end, count, checkout_ms, pay_ms, inv_ms, seed):
    # count traces of checkout spread over [window_start, window_end) (epoch seconds), keyed as traces.* steps ask
    r = random.Random(seed)
    step = (window_end - window_start) // count
    iso = lambda t: __import__('datetime').datetime.fromtimestamp(t, __import__('datetime').timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    traces = [sw_trace(seed * 1000 + i, (window_start + i * step) * 1000, checkout_ms, pay_ms, inv_ms, r) for i in range(count)]
    return {'service': 'checkout', 'start': iso(window_start), 'end': iso(window_end),
            'answer': [[port_span(s) for s in t] for t in traces]}


def write(folder, alert_body, expected, answers=None, graph=None, traces=None):
    folder = os.path.join('rules/tests', folder)
    os.makedirs(folder, exist_ok=True)
    if os.path.exists(os.path.join(folder, 'skywalking.json')):
        os.remove(os.path.join(folder, 'skywalking.json'))
    json.dump(dict(alert_body, **ALERT_TIMES), open(os.path.join(folder, 'alert.json'), 'w'), indent=2)
    if os.path.exists(os.path.join(folder, 'graph.json')):
        os.remove(os.path.join(folder, 'graph.json'))
    if graph is not None:
        json.dump({'edges': [{'caller': c, 'callee': d, 'origins': ['skywalking']} for c, d in graph]},
                  open(os.path.join(folder, 'graph.json'), 'w'), indent=1)
    if answers is not None:
        json.dump(answers, open(os.path.join(folder, 'skywalking.json'), 'w'), indent=1)
    if os.path.exists(os.path.join(folder, 'traces.json')):
        os.remove(os.path.join(folder, 'traces.json'))
    if traces is not None:
        json.dump(traces, open(os.path.join(folder, 'traces.json'), 'w'), indent=1)
    with open(os.path.join(folder, 'expected.yaml'), 'w') as f:
        f.write('# generated by scripts/make-skywalking-rule-tests.py\n')
        yaml.safe_dump(expected, f, sort_keys=False)


SLOW = alarm('checkout', 'service_resp_time_rule', 'avg(service_resp_time) > 1000',
             'Response time of service checkout is more than 1000ms in 3 minutes of last 10 minutes.')
FAIL = alarm('checkout', 'service_sla_rule', 'sum(service_sla < 8000) >= 2',
             'Successful rate of service checkout is lower than 80% in 2 minutes of last 10 minutes', 'WARNING')
R = 'skywalking-service/'
write('skywalking-service/overload', SLOW,
      {'rootCause': {'rule': 'skywalking-service', 'finding': 'load-rose', 'confidence': 'medium'},
       'findings': {R + 'load-rose': 'supports', R + 'slower-at-same-load': 'rules_out', R + 'failing-calls': 'rules_out',
                    R + 'slow-downstream': 'no_data'}},
      [mqe('checkout', 'service_resp_time', samples(85.0, 1450.0, 10.0, 1)),
       mqe('checkout', 'service_cpm', samples(120.0, 410.0, 8.0, 2)),
       mqe('checkout', 'service_sla/100', samples(99.9, 99.7, 0.05, 3))])
write('skywalking-service/slower-at-same-load', SLOW,
      {'rootCause': {'rule': 'skywalking-service', 'finding': 'slower-at-same-load', 'confidence': 'low'},
       'findings': {R + 'load-rose': 'rules_out', R + 'slower-at-same-load': 'supports', R + 'failing-calls': 'rules_out'}},
      [mqe('checkout', 'service_resp_time', samples(85.0, 1320.0, 10.0, 4)),
       mqe('checkout', 'service_cpm', samples(120.0, 124.0, 8.0, 5)),
       mqe('checkout', 'service_sla/100', samples(99.9, 99.8, 0.05, 6))])
write('skywalking-service/failing-calls', FAIL,
      {'rootCause': {'rule': 'skywalking-service', 'finding': 'failing-calls', 'confidence': 'medium'},
       'findings': {R + 'load-rose': 'rules_out', R + 'slower-at-same-load': 'rules_out', R + 'failing-calls': 'supports'}},
      [mqe('checkout', 'service_resp_time', samples(85.0, 92.0, 10.0, 7)),
       mqe('checkout', 'service_cpm', samples(120.0, 118.0, 8.0, 8)),
       mqe('checkout', 'service_sla/100', samples(99.9, 71.0, 0.05, 9))])
# the OAP answered GraphQL errors (HTTP 200 with "errors"): nothing is concluded, nothing ruled out
OAP_DOWN = 'SkyWalking execExpression failed: Exception while fetching data (/result) : storage unavailable'
write('skywalking-service/oap-errors', SLOW,
      {'rootCause': None,
       'findings': {R + 'load-rose': 'no_data', R + 'slower-at-same-load': 'no_data', R + 'failing-calls': 'no_data'}},
      [failed('checkout', k, OAP_DOWN) for k in ('service_resp_time', 'service_cpm', 'service_sla/100')])
# the topology (graph.json, as SkyWalkingTopology reads getGlobalTopology) says checkout calls payments and inventory;
# payments slowed, inventory did not: the downstream is named, with the topology cited
TOPOLOGY = [('checkout', 'payments'), ('checkout', 'inventory'), ('frontend', 'checkout')]
write('skywalking-service/slow-downstream', SLOW,
      {'rootCause': {'rule': 'skywalking-service', 'finding': 'slow-downstream', 'confidence': 'medium'},
       'findings': {R + 'slow-downstream': 'supports', R + 'load-rose': 'rules_out', R + 'failing-calls': 'rules_out',
                    R + 'slow-downstream-traced': 'no_data'}},
      [mqe('checkout', 'service_resp_time', samples(85.0, 1320.0, 10.0, 10)),
       mqe('checkout', 'service_cpm', samples(120.0, 124.0, 8.0, 11)),
       mqe('checkout', 'service_sla/100', samples(99.9, 99.8, 0.05, 12)),
       mqe('payments', 'service_resp_time', samples(40.0, 1210.0, 5.0, 13)),
       mqe('inventory', 'service_resp_time', samples(22.0, 23.0, 3.0, 14))],
      TOPOLOGY)
# the same incident with SkyWalking's traces too (rootcause.sources.traces.kind=skywalking): the critical path of
# checkout's traced requests shows the time going to payments, the hour before against the alarm's first five minutes
# (the step's windows: 1h before the alarm, the alarm to the evaluation); the traced finding is the root cause, the
# topology's agrees
write('skywalking-service/slow-downstream-traced', SLOW,
      {'rootCause': {'rule': 'skywalking-service', 'finding': 'slow-downstream-traced', 'confidence': 'high'},
       'findings': {R + 'slow-downstream-traced': 'supports', R + 'slow-downstream': 'supports',
                    R + 'load-rose': 'rules_out', R + 'failing-calls': 'rules_out'}},
      [mqe('checkout', 'service_resp_time', samples(85.0, 1320.0, 10.0, 10)),
       mqe('checkout', 'service_cpm', samples(120.0, 124.0, 8.0, 11)),
       mqe('checkout', 'service_sla/100', samples(99.9, 99.8, 0.05, 12)),
       mqe('payments', 'service_resp_time', samples(40.0, 1210.0, 5.0, 13)),
       mqe('inventory', 'service_resp_time', samples(22.0, 23.0, 3.0, 14))],
      TOPOLOGY,
      [sw_traces(START, START + 300, 12, 1320, 1205, 21, 15), sw_traces(START - 3600, START, 12, 85, 36, 21, 16)])
