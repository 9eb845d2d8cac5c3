#!/usr/bin/env bash
# bench/aot-train.sh [app dir]  — writes a JDK 25 AOT cache (JEP 483 class loading and linking, JEP 515 method
# profiles; `-XX:AOTCacheOutput`, JEP 514) for the packaged service into <app dir>/app.aot (default
# target/quarkus-app). The training run is what start-up does plus one diagnosis: the service starts on a fresh H2
# store in a temporary folder, one Alertmanager webhook is posted once it is ready, the run waits for its report, then
# the JVM is stopped with SIGTERM and writes the cache at exit. JAVA (default: Temurin 25 under /usr/lib/jvm) must be
# 25 or newer and must be the JDK that runs the cache (the JVM refuses a cache from another build). Use the cache with
#   cd <app dir> && java -XX:AOTCache=app.aot -jar quarkus-run.jar
# (bench/startup.sh picks it up). The aot-jar package (`-Dquarkus.package.jar.type=aot-jar`) puts every class on the
# JVM's class path, where the cache can hold them; the default fast-jar loads the application through Quarkus' own
# class loader, whose classes the JDK does not cache (BENCHMARKS.md "Start-up, third pass").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
APP=$(realpath "${1:-target/quarkus-app}")
[ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar: package first (./mvnw -B -DskipTests package)" >&2; exit 1; }
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || echo java)}
# the feature version from `java -version` (never probe with -XX:AOTCacheOutput: the JVM replaces its output file)
feature=$("$JAVA" -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/')
[ "${feature:-0}" -ge 25 ] 2>/dev/null || { echo "$JAVA is JDK ${feature:-?}: an AOT cache written in one run needs JDK 25+" >&2; exit 1; }
PORT=${PORT:-18232}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
rm -f "$APP/app.aot"
(cd "$APP" && exec "$JAVA" -XX:AOTCacheOutput=app.aot -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
    -Drootcause.rules.dir="$ROOT/rules" -Drootcause.sources.prometheus.url=http://127.0.0.1:1 \
    "-Dquarkus.datasource.h2.jdbc.url=jdbc:h2:file:$WORK/data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0" \
    -jar quarkus-run.jar >"$WORK/service.log" 2>&1) &
PID=$!
end=$((SECONDS + ${DEADLINE:-300}))
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
  kill -0 "$PID" 2>/dev/null && [ $SECONDS -lt $end ] || { echo "training run not ready:" >&2; tail -20 "$WORK/service.log" >&2; exit 1; }
  sleep 0.1
done
curl -sf -o /dev/null -H 'Content-Type: application/json' \
    --data-binary @"$ROOT/src/test/resources/alerts/alertmanager-real-cache-hit-rate-low.json" "http://127.0.0.1:$PORT/api/v1/alerts/alertmanager"
until curl -sf "http://127.0.0.1:$PORT/api/v1/incidents/1" 2>/dev/null | grep -q '"markdown"'; do
  [ $SECONDS -lt $end ] || { echo "no report in the training run" >&2; kill "$PID"; exit 1; }
  sleep 0.1
done
kill -TERM "$PID"; wait "$PID" || true
[ -s "$APP/app.aot" ] || { echo "no cache written:" >&2; tail -20 "$WORK/service.log" >&2; exit 1; }
echo "$APP/app.aot: $(du -m "$APP/app.aot" | cut -f1) MB, $("$JAVA" -version 2>&1 | head -1); classes skipped: $(grep -c 'Skipping' "$WORK/service.log" || true)"
