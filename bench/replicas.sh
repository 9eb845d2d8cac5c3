#!/usr/bin/env bash
# bench/replicas.sh [N ...]  (default: 1 2 3) — the claim path with N packaged replicas on one PostgreSQL
# (issue 21). For each N: a fresh database $BENCH_PGDB (default rc_ha_bench) on 127.0.0.1:5432 (user postgres,
# trust), N replicas with the default processing configuration (console chat, embedded tickets, Prometheus
# pointed at a closed port so diagnoses end at once as partial), then bench/replicas.py sends $BENCH_GROUPS (600)
# new groups, each twice to two different replicas. Prints intake throughput, then end to end: from the first
# request until every group has its incident, its report, its ticket and its chat post delivered (outbox
# done), and the claim path alone (deliveries applied per second). Exits non-zero when a count is off.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
DB=${BENCH_PGDB:-rc_ha_bench}
COUNT=${BENCH_GROUPS:-600}
PSQL=(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc)
PIDS=()
stop() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]:-}"; do [ -n "$p" ] && while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done; PIDS=(); }
trap stop EXIT
trap 'exit 1' INT TERM
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for N in "${@:-1 2 3}"; do
  for n in $N; do
    psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $DB with (force)" -c "create database $DB" >/dev/null
    APPS=()
    for i in $(seq 1 "$n"); do
      PORT=$((18380 + i)); WORK=$(pwd)/target/bench/replicas-$n/r$i; rm -rf "$WORK"; mkdir -p "$WORK"
      { echo "quarkus.http.port=$PORT"; echo "quarkus.http.host=127.0.0.1"; echo "quarkus.log.level=WARN"
        echo "rootcause.rules.dir=$(pwd)/rules"; echo "rootcause.sources.prometheus.url=http://127.0.0.1:18290"
        echo "quarkus.datasource.h2.active=false"; echo "quarkus.datasource.postgresql.active=true"
        echo "quarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB"
        echo "quarkus.datasource.postgresql.username=postgres"; } > "$WORK/application.properties"
      (cd "$WORK" && exec java -Xmx256m -jar "$OLDPWD/$JAR" >"$WORK/service.log" 2>&1) &
      PIDS+=($!); APPS+=("http://127.0.0.1:$PORT")
      end=$((SECONDS + 300))
      until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
        [ $SECONDS -lt $end ] || { echo "replica $i not ready; see $WORK/service.log" >&2; exit 1; }
        sleep 0.2
      done
    done
    echo "== $n replica(s)"
    t0=$(date +%s.%N)
    APPS=$(IFS=,; echo "${APPS[*]}") BENCH_GROUPS=$COUNT python3 bench/replicas.py
    end=$((SECONDS + 600))
    until [ "$("${PSQL[@]}" "select count(*) from outbox where kind = 'chat.report' and status = 'done'")" = "$COUNT" ] \
        && [ "$("${PSQL[@]}" "select count(*) from ticket")" = "$COUNT" ]; do
      [ $SECONDS -lt $end ] || { echo "not done after 600 s" >&2; exit 1; }
      sleep 0.2
    done
    t1=$(date +%s.%N)
    counts=$("${PSQL[@]}" "select (select count(*) from incident)||' incidents, '||(select count(*) from report)||' reports, '||(select count(*) from ticket)||' tickets, '||(select count(*) from outbox where kind='chat.report' and status='done')||' chat reports'")
    claim=$("${PSQL[@]}" "select round(count(*) / greatest(extract(epoch from max(processed_at) - min(received_at)), 0.001))::int from delivery")
    echo "end to end: $COUNT groups in $(echo "$t1 - $t0" | bc) s = $(echo "scale=1; $COUNT / ($t1 - $t0)" | bc) groups/s ($counts); claim path: $claim deliveries applied/s (first stored to last applied)"
    [ "$counts" = "$COUNT incidents, $COUNT reports, $COUNT tickets, $COUNT chat reports" ] || { echo "counts off: $counts" >&2; exit 1; }
    stop
  done
done
