#!/usr/bin/env bash
# bench/storm.sh — starts the packaged service (H2, fresh store; JAVA_OPTS passed through) with a
# counting fake Prometheus, runs bench/storm.py against it, prints the service's RSS before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
WORK=$(pwd)/target/bench/storm; rm -rf "$WORK"; mkdir -p "$WORK"
cat > "$WORK/application.properties" <<PROPS
quarkus.http.port=18280
quarkus.http.host=127.0.0.1
quarkus.log.level=WARN
rootcause.rules.dir=$(pwd)/rules
rootcause.sources.prometheus.url=http://127.0.0.1:18290
quarkus.datasource.h2.jdbc.url=jdbc:h2:file:$WORK/data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0
PROPS
(cd "$WORK" && exec java ${JAVA_OPTS:-} -jar "$OLDPWD/$JAR" >"$WORK/service.log" 2>&1) &
trap 'kill $(pgrep -f -n "$JAR") 2>/dev/null || true' EXIT
start=$(date +%s%N)
until curl -sf -o /dev/null http://127.0.0.1:18280/q/health/ready; do sleep 0.1; done
PID=$(pgrep -f -n "$JAR")
echo "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms; RSS idle $(ps -o rss= -p "$PID") kB; JAVA_OPTS='${JAVA_OPTS:-}'"
python3 bench/storm.py
echo "RSS after the storm $(ps -o rss= -p "$PID") kB, peak $(awk '/VmHWM/{print $2}' /proc/$PID/status) kB"
