#!/usr/bin/env python3
"""Converts IntelligentDDS/Nezha's rca_data into the replay fixtures of this folder (see README.md).

Usage: convert.py <nezha git dir> <out dir>   (reads with `git show`, so a bare mirror is enough)
Deterministic: the same commit gives the same files byte for byte (gzip mtime 0, sorted keys).
"""
import collections, csv, datetime, gzip, io, json, subprocess, sys

GIT, OUT = sys.argv[1], sys.argv[2]
COMMIT = subprocess.run(['git', '--git-dir', GIT, 'rev-parse', 'HEAD'], capture_output=True, text=True, check=True).stdout.strip()
BEFORE, AFTER = 30 * 60, 10 * 60          # seconds of pod metrics kept around each fault
TRACE_STEP = 15                            # seconds per trace-derived latency point
SYSTEMS = {
    'online-boutique': {'days': ['2022-08-22', '2022-08-23'], 'entry': 'frontend'},
    'train-ticket': {'days': ['2023-01-29', '2023-01-30'], 'entry': 'ts-gateway-service'},
}
POD_SIGNALS = {  # fixture signal -> Nezha column (per pod, per minute)
    'latency_p90': 'PodServerLatencyP90(s)', 'latency_p99': 'PodServerLatencyP99(s)',
    'client_latency_p90': 'PodClientLatencyP90(s)', 'cpu': 'CpuUsageRate(%)', 'memory': 'MemoryUsageRate(%)',
    'workload': 'PodWorkload(Ops)',
}


def git_text(path):
    r = subprocess.run(['git', '--git-dir', GIT, 'show', f'{COMMIT}:{path}'], capture_output=True)
    return r.stdout.decode() if r.returncode == 0 else None


def ls(path):
    r = subprocess.run(['git', '--git-dir', GIT, 'ls-tree', '--name-only', f'{COMMIT}:{path}'], capture_output=True, text=True)
    return r.stdout.split() if r.returncode == 0 else []


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return None if v != v else float(f'{v:.4g}')


def epoch(row):
    """The row's minute from its Time column (UTC): some TimeStamp columns are off (adservice on 2022-08-22 reads 1861…)."""
    return int(datetime.datetime.strptime(row['Time' if 'Time' in row else 'time'][:19], '%Y-%m-%d %H:%M:%S')
               .replace(tzinfo=datetime.timezone.utc).timestamp())


def fault_time(f):
    """When the fault began, epoch seconds. The list gives a time (UTC, as the metrics' Time column) and a timestamp.
    Where they differ by minutes the timestamp is right (upstream commit 385204e checked it against the CPU data, and
    recommendationservice at 07:09:43 on 2022-08-22 agrees); Train Ticket's timestamps are all ~8 hours off (a time zone
    slip; its time matches the metrics and the trace file names), so there the time is used."""
    listed = int(datetime.datetime.strptime(f['inject_time'], '%Y-%m-%d %H:%M:%S').replace(tzinfo=datetime.timezone.utc).timestamp())
    stamp = int(f['inject_timestamp'])
    return stamp if abs(stamp - listed) < 600 else listed


def service_of(pod):
    return pod.rsplit('-', 2)[0]


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def convert(system, spec):
    faults, days, edges = [], [], collections.Counter()
    for day in spec['days']:
        fl = json.loads(git_text(f'rca_data/{day}/{day}-fault_list.json'))
        dfaults = [f for hour in sorted(fl) for f in fl[hour]]
        for f in dfaults:
            faults.append({'id': f'{system}/{f["inject_time"].replace(" ", "T")}', 'day': day, 'listedTime': f['inject_time'],
                           'listedTimestamp': int(f['inject_timestamp']), 'timestamp': fault_time(f), 'pod': f['inject_pod'],
                           'service': service_of(f['inject_pod']), 'type': f['inject_type']})
        keep = lambda t: any(fault_time(f) - BEFORE <= t <= fault_time(f) + AFTER for f in dfaults)
        services = {}
        for name in ls(f'rca_data/{day}/metric'):
            if not name.endswith('_metric.csv'):
                continue
            rows = [r for r in csv.DictReader(io.StringIO(git_text(f'rca_data/{day}/metric/{name}'))) if keep(epoch(r))]
            if not rows:
                print('no rows in window', day, name, file=sys.stderr)
                continue
            services[service_of(rows[0]['PodName'])] = {'pod': rows[0]['PodName'], 'times': [epoch(r) for r in rows],
                **{k: [num(r[c]) for r in rows] for k, c in POD_SIGNALS.items()}}
        front = [r for r in csv.DictReader(io.StringIO(git_text(f'rca_data/{day}/metric/front_service.csv'))) if keep(epoch(r))]
        entry = {'times': [epoch(r) for r in front], 'latency_p90': [num(r['LatencyP90(s)']) for r in front],
                 'latency_p99': [num(r['LatencyP99(s)']) for r in front],
                 'success_percent': [num(r['SuccessRate(%)']) for r in front]}
        edge_series = {}
        for fname, sig in (('source_50.csv', 'client_p50'), ('destination_50.csv', 'server_p50')):
            text = git_text(f'rca_data/{day}/metric/{fname}')
            if text is None:
                continue
            rows = [r for r in csv.DictReader(io.StringIO(text)) if keep(epoch(r))]
            for col in rows[0]:
                if col in ('time', 'timestamp'):
                    continue
                e = edge_series.setdefault(col.replace('_', '->', 1), {'times': [epoch(r) for r in rows]})
                e[sig] = [num(r[col]) for r in rows]
        dep = git_text(f'rca_data/{day}/metric/dependency.csv')
        if dep:
            for r in csv.DictReader(io.StringIO(dep)):
                if r['Target'] in services or r['Target'] in ('redis', 'mysql'):
                    edges[(r['Source'], r['Target'], 'nezha dependency.csv')] += 1
        traces, trace_edges, missing = trace_latency(day, spec['entry'])
        for (a, b) in trace_edges:
            edges[(a, b, 'nezha traces')] += 1
        days.append({'day': day, 'services': services, 'entry': entry, 'edges': edge_series, 'traceLatency': traces,
                     'traceFilesAbsent': missing})
    graph = sorted({(a, b) for (a, b, _) in edges})
    origins = {(a, b): sorted({o for (x, y, o) in edges if (x, y) == (a, b)}) for (a, b) in graph}
    return {'system': system, 'entry': spec['entry'],
            'source': {'repo': 'https://github.com/IntelligentDDS/Nezha', 'commit': COMMIT, 'license': 'MIT'},
            'graph': [{'caller': a, 'callee': b, 'origins': origins[(a, b)]} for (a, b) in graph],
            'faults': faults, 'days': days}


def trace_latency(day, entry):
    """Per service, p90 of its server spans (a span whose parent is another service, or a root) per TRACE_STEP seconds."""
    points = collections.defaultdict(lambda: collections.defaultdict(list))
    edges, missing = set(), []
    files = [f'rca_data/{day}/trace/{n}' for n in ls(f'rca_data/{day}/trace')] + [f'construct_data/{day}/trace/{n}' for n in ls(f'construct_data/{day}/trace')]
    for path in files:
        text = git_text(path)
        if text is None:
            missing.append(path)
            continue
        rows = list(csv.DictReader(io.StringIO(text)))
        svc = {r['SpanID']: service_of(r['PodName']) for r in rows}
        for r in rows:
            me, parent = service_of(r['PodName']), svc.get(r['ParentID'])
            if parent is not None and parent != me:
                edges.add((parent, me))
            if parent is None and r['ParentID'] != 'root':
                continue  # the parent span fell outside this file: we cannot tell whether this is a server span
            if parent == me:
                continue
            start = int(r['StartTimeUnixNano'])
            seconds = (int(r['EndTimeUnixNano']) - start) / 1e9
            points[me][start // 10**9 // TRACE_STEP * TRACE_STEP].append(seconds)
    out = {}
    for me, buckets in sorted(points.items()):
        ts = sorted(buckets)
        out[me] = {'times': ts, 'latency_p90': [float(f'{quantile(buckets[t], 0.9):.4g}') for t in ts],
                   'spans': [len(buckets[t]) for t in ts]}
    return out, sorted(edges), missing


def main():
    for system, spec in SYSTEMS.items():
        data = convert(system, spec)
        raw = json.dumps(data, sort_keys=True, separators=(',', ':')).encode()
        with open(f'{OUT}/{system}.json.gz', 'wb') as fh:
            with gzip.GzipFile(fileobj=fh, mode='wb', mtime=0, filename='') as gz:
                gz.write(raw)
        print(system, len(data['faults']), 'faults', len(data['graph']), 'edges', len(raw), 'bytes raw')


if __name__ == '__main__':
    main()
