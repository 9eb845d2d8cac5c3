#!/usr/bin/env bash
# bench/all.sh — every benchmark in sequence (≈ 15 min on 2 cores), each one's output in
# target/bench/all/<name>.txt and on stdout: intake vs Alertmanager, diagnosis vs critical path, the
# storm on H2 (default heap and the small heap) and on PostgreSQL, log-pattern grouping. Prints the
# load average before each, since the figures are only comparable on a quiet machine.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench/all; mkdir -p "$OUT"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B -DskipTests package
step() { # name, command...
  local name=$1; shift
  echo "=== $name ($(date -u +%H:%M:%S) UTC, load average: $(cut -d' ' -f1-3 /proc/loadavg))" | tee "$OUT/$name.txt"
  "$@" 2>&1 | tee -a "$OUT/$name.txt" | grep -v '^\s*at ' | grep -v 'INFO\|WARN' || true
}
step intake bench/intake.sh "${SECS:-10}" 16
step critical-path bench/critical-path.sh
step storm-h2 bench/storm.sh h2
JAVA_OPTS='-Xmx128m -XX:+UseSerialGC' step storm-h2-small-heap bench/storm.sh h2
step storm-postgresql bench/storm.sh postgresql
step log-patterns bench/log-patterns.sh
