#!/usr/bin/env bash
# bench/storm.sh [h2|postgresql]  — an alert storm against the packaged service (fresh store) with a
# counting fake Prometheus (bench/storm.py): the 2,000-alert body, then 10,000 alerts over 60 s across
# 50 groups. JAVA_OPTS is passed to the service, e.g. JAVA_OPTS='-Xmx128m -XX:+UseSerialGC' (the
# documented small heap). PostgreSQL: database $BENCH_PGDB (default rc_bench) on 127.0.0.1:5432 is
# dropped and created anew (user postgres, trust). Prints time to ready, RSS idle / after, the storm's
# figures, and exits non-zero when an alert was lost.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-h2}
PORT=18280
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
command -v python3 >/dev/null || { echo "python3 missing" >&2; exit 3; }
WORK=$(pwd)/target/bench/storm-$STORE; rm -rf "$WORK"; mkdir -p "$WORK"
{ echo "quarkus.http.port=$PORT"; echo "quarkus.http.host=127.0.0.1"; echo "quarkus.log.level=WARN"; echo "quarkus.log.category.\"io.quarkus\".level=INFO"
  echo "rootcause.rules.dir=$(pwd)/rules"; echo "rootcause.sources.prometheus.url=http://127.0.0.1:18290"
  echo "quarkus.datasource.h2.jdbc.url=jdbc:h2:file:$WORK/data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
  if [ "$STORE" = postgresql ]; then
    DB=${BENCH_PGDB:-rc_bench}
    psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $DB" -c "create database $DB" >&2
    echo "quarkus.datasource.h2.active=false"; echo "quarkus.datasource.postgresql.active=true"
    echo "quarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB"
    echo "quarkus.datasource.postgresql.username=postgres"
  fi; } > "$WORK/application.properties"
start=$(date +%s%N)
(cd "$WORK" && exec java ${JAVA_OPTS:-} -jar "$OLDPWD/$JAR" >"$WORK/service.log" 2>&1) &
PID=$!
stop() { kill "$PID" 2>/dev/null || true; local end=$((SECONDS + 30)); while kill -0 "$PID" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done; }
trap stop EXIT
end=$((SECONDS + 90))
until curl -sf -o /dev/null http://127.0.0.1:$PORT/q/health/ready; do
  kill -0 "$PID" 2>/dev/null && [ $SECONDS -lt $end ] || { echo "service not ready; see $WORK/service.log" >&2; exit 1; }
  sleep 0.1
done
echo "store=$STORE JAVA_OPTS='${JAVA_OPTS:-}': ready in $(( ($(date +%s%N) - start) / 1000000 )) ms after java -jar;" \
  "Quarkus: $(grep -o 'started in [0-9.]*s' "$WORK/service.log" || echo '?'); RSS idle $(ps -o rss= -p "$PID" | tr -d ' ') kB"
rc=0
APP=http://127.0.0.1:$PORT python3 bench/storm.py || rc=$?
echo "RSS after the storm $(ps -o rss= -p "$PID" | tr -d ' ') kB, peak $(awk '/VmHWM/{print $2}' /proc/$PID/status) kB"
exit $rc
