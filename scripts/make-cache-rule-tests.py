#!/usr/bin/env python3
"""Writes the rule tests of rules/cache-hit-rate.yaml (rules/tests/cache-hit-rate/*): an alert, the
Prometheus answers of a scenario, shaped like what the real stack records, and (some scenarios) the
Redis INFO snapshots the cache.hit_ratio step reads (redis.json; absent = Redis unreachable). Rerun after
changing the rule's queries: the recorded answers are keyed by the query as sent."""
import json, os, time, yaml

RULE = 'rules/cache-hit-rate.yaml'
OUT = 'rules/tests/cache-hit-rate'
START = 1764410400            # 2025-11-29T10:00:00Z, the alert's startsAt
EVALUATED = START + 120       # the diagnosis ran 2 minutes later
VARS = {'service': 'cache-a', 'rate_window': '1m'}

rule = yaml.safe_load(open(RULE))
queries = {}
for step in rule['steps']:
    if 'query' not in step['with']:
        continue
    q = step['with']['query']
    for k, v in VARS.items():
        q = q.replace('$' + k, v)
    queries[step['id']] = q

def matrix(before, after):
    # one point a minute over the hour before the alert, then every 15 s after it
    values = [[START - 60 * m, str(before)] for m in range(60, 0, -1)]
    values += [[START + 15 * i, str(after)] for i in range(0, 9)]
    return {'status': 'success', 'data': {'resultType': 'matrix', 'result': [{'metric': {}, 'values': values}]}}

def info(hits, misses, evicted, expired, used, maxmemory, policy, uptime):
    """One INFO answer as Redis 7 writes it: CRLF lines, '# Section' headers, values with colons."""
    human = lambda b: '%.2fM' % (b / 1048576) if b < 1 << 30 else '%.2fG' % (b / (1 << 30))
    lines = ['# Server', 'redis_version:7.0.15', 'redis_mode:standalone', 'tcp_port:6379',
             'uptime_in_seconds:%d' % uptime, 'executable:/usr/bin/redis-server', 'config_file:', '',
             '# Clients', 'connected_clients:42', 'blocked_clients:0', '',
             '# Memory', 'used_memory:%d' % used, 'used_memory_human:%s' % human(used),
             'maxmemory:%d' % maxmemory, 'maxmemory_human:%s' % (human(maxmemory) if maxmemory else '0B'),
             'maxmemory_policy:%s' % policy, '',
             '# Stats', 'rejected_connections:0', 'expired_keys:%d' % expired, 'evicted_keys:%d' % evicted,
             'keyspace_hits:%d' % hits, 'keyspace_misses:%d' % misses, '',
             '# Keyspace', 'db0:keys=180000,expires=1200,avg_ttl=86400000', '']
    return '\r\n'.join(lines)

def redis(per_second, memory):
    """Two snapshots 5 s apart, from the diagnosis time: counters grow by per_second (hits, misses,
    evictions, expirations per second); memory is (used, maxmemory, policy)."""
    base = {'hits': 9000000, 'misses': 400000, 'evicted': 1000, 'expired': 50000}
    samples = []
    for i, t in enumerate((EVALUATED, EVALUATED + 5)):
        c = {k: base[k] + int(i * 5 * per_second[k]) for k in base}
        samples.append({'at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t)),
                        'info': info(c['hits'], c['misses'], c['evicted'], c['expired'], *memory, 86400 + i * 5)})
    return {'cache-a': {'address': 'redis://10.0.0.5:6379/0', 'samples': samples}}

FULL = (1073741824, 1073741824, 'allkeys-lru')      # used_memory at maxmemory (1 GiB), LRU eviction
ROOMY = (52428800, 1073741824, 'allkeys-lru')       # 50 MiB of 1 GiB

SCENARIOS = {
    'penetration': ({'hit_ratio': (0.97, 0.04), 'misses': (12, 410), 'expirations': (0.5, 0.6), 'evictions': (0, 0)},
                    {'rule': 'cache-hit-rate', 'finding': 'cache-penetration', 'confidence': 'medium'},
                    {'cache-penetration': 'supports', 'mass-expiry': 'rules_out', 'eviction-pressure': 'rules_out'}),
    'mass-expiry': ({'hit_ratio': (0.95, 0.08), 'misses': (15, 380), 'expirations': (1, 360), 'evictions': (0, 0)},
                    {'rule': 'cache-hit-rate', 'finding': 'mass-expiry', 'confidence': 'medium'},
                    {'cache-penetration': 'rules_out', 'mass-expiry': 'supports', 'eviction-pressure': 'rules_out'}),
    'eviction': ({'hit_ratio': (0.9, 0.2), 'misses': (20, 300), 'expirations': (1, 1), 'evictions': (0, 250)},
                 {'rule': 'cache-hit-rate', 'finding': 'eviction-pressure', 'confidence': 'medium'},
                 {'cache-penetration': 'rules_out', 'mass-expiry': 'rules_out', 'eviction-pressure': 'supports'}),
    'hits-steady': ({'hit_ratio': (0.96, 0.95), 'misses': (12, 13), 'expirations': (0.5, 0.5), 'evictions': (0, 0)},
                    None,
                    {'cache-penetration': 'rules_out', 'mass-expiry': 'rules_out', 'eviction-pressure': 'rules_out'}),
    'prometheus-down': (None, None,
                        {'cache-penetration': 'no_data', 'mass-expiry': 'no_data', 'eviction-pressure': 'no_data'}),
    # With Redis INFO: a full cache seen directly is a second kind of evidence, so eviction keeps "high".
    'eviction-maxmemory': ({'hit_ratio': (0.9, 0.2), 'misses': (20, 300), 'expirations': (1, 1), 'evictions': (0, 250)},
                           {'rule': 'cache-hit-rate', 'finding': 'eviction-pressure', 'confidence': 'high',
                            'causeContains': 'Redis INFO: used_memory 1.00G of maxmemory 1.00G (100%) with allkeys-lru,'
                                             ' 250 evictions/s, hit ratio 20% over 5 s'},
                           {'cache-penetration': 'rules_out', 'mass-expiry': 'rules_out', 'eviction-pressure': 'supports'},
                           redis({'hits': 75, 'misses': 300, 'evicted': 250, 'expired': 1}, FULL)),
    # Penetration does not cite INFO (it cannot tell never-cached keys from others): still medium, not partial.
    'penetration-info': ({'hit_ratio': (0.97, 0.04), 'misses': (12, 410), 'expirations': (0.5, 0.6), 'evictions': (0, 0)},
                         {'rule': 'cache-hit-rate', 'finding': 'cache-penetration', 'confidence': 'medium'},
                         {'cache-penetration': 'supports', 'mass-expiry': 'rules_out', 'eviction-pressure': 'rules_out'},
                         redis({'hits': 17, 'misses': 410, 'evicted': 0, 'expired': 0.6}, ROOMY)),
    # Redis refuses us (no password configured): the metrics still conclude, at medium, and the report is partial.
    'redis-noauth': ({'hit_ratio': (0.9, 0.2), 'misses': (20, 300), 'expirations': (1, 1), 'evictions': (0, 250)},
                     {'rule': 'cache-hit-rate', 'finding': 'eviction-pressure', 'confidence': 'medium',
                      'causeContains': 'Redis INFO: not read: redis://10.0.0.5:6379/0 requires authentication'},
                     {'cache-penetration': 'rules_out', 'mass-expiry': 'rules_out', 'eviction-pressure': 'supports'},
                     {'cache-a': {'status': 'error', 'error': 'redis://10.0.0.5:6379/0 requires authentication: '
                                  'NOAUTH Authentication required.'}}),
    # An idle cache: no lookups between the snapshots, so no ratio (no_data, not an error), nothing concluded.
    'redis-idle': ({'hit_ratio': (0.96, 0.95), 'misses': (12, 13), 'expirations': (0.5, 0.5), 'evictions': (0, 0)},
                   None,
                   {'cache-penetration': 'rules_out', 'mass-expiry': 'rules_out', 'eviction-pressure': 'rules_out'},
                   redis({'hits': 0, 'misses': 0, 'evicted': 0, 'expired': 0}, ROOMY)),
}

for name, scenario in SCENARIOS.items():
    series, root, findings = scenario[:3]
    recorded_redis = scenario[3] if len(scenario) > 3 else None
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    alert = {'labels': {'alertname': 'CacheHitRateLow', 'service': 'cache-a', 'severity': 'critical'},
             'annotations': {'summary': 'Cache hit ratio for cache-a is low'},
             'startsAt': '2025-11-29T10:00:00Z', 'evaluatedAt': '2025-11-29T10:02:00Z'}
    json.dump(alert, open(os.path.join(d, 'alert.json'), 'w'), indent=2)
    if series is not None:
        recs = [{'query': queries[step], 'answer': matrix(*series[step])} for step in queries]
        json.dump(recs, open(os.path.join(d, 'prometheus.json'), 'w'), indent=1)
    elif os.path.exists(os.path.join(d, 'prometheus.json')):
        os.remove(os.path.join(d, 'prometheus.json'))
    if recorded_redis is not None:
        json.dump(recorded_redis, open(os.path.join(d, 'redis.json'), 'w'), indent=1)
    elif os.path.exists(os.path.join(d, 'redis.json')):
        os.remove(os.path.join(d, 'redis.json'))
    # partial: Prometheus or Redis could not answer (no recording = down, a recorded error)
    partial = series is None or recorded_redis is None or 'error' in recorded_redis.get('cache-a', {})
    with open(os.path.join(d, 'expected.yaml'), 'w') as f:
        f.write('# generated by scripts/make-cache-rule-tests.py\n')
        yaml.safe_dump({'rootCause': root, 'findings': findings, 'partial': partial}, f, sort_keys=False)
print('wrote', ', '.join(SCENARIOS))
