#!/usr/bin/env bash
# bench/startup.sh [runs]  — start-up time of the packaged service in JVM mode on a fresh H2 store (issue 23):
# `java -jar` to the first 200 on /q/health/ready, `runs` times (default 5), then the median; in each run one
# Alertmanager webhook is posted as soon as the service is ready and the time until its incident has a report is
# printed too (rules loaded and the first diagnosis not deferred past readiness). Prometheus is pointed at a closed
# port, so the diagnosis ends at once with its metric evidence "error" (a report all the same).
# JAVA_OPTS is passed to the JVM (e.g. JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC", BENCHMARKS.md "Start-up"); the AppCDS archive written by the package build
# (quarkus.package.jar.appcds.enabled, target/quarkus-app/app-cds.jsa) is used unless CDS=off.
# STORE=migrated (default: each run starts on a copy of an empty store that a first, uncounted start migrated — a
# restart) or STORE=fresh (each run creates and migrates the H2 file: a first start ever, Flyway's 10 migrations).
# Prints the load average first: the machine is shared, compare runs taken at a similar load.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
ROOT=$(pwd)
PORT=${PORT:-18230}
APP_GIVEN=${APP:-}
APP=$(realpath "${APP:-target/quarkus-app}")
JAR=$APP/quarkus-run.jar
if [ ! -f "$JAR" ]; then [ -z "${APP_GIVEN:-}" ] || { echo "no $JAR" >&2; exit 1; }; ./mvnw -q -B -DskipTests package; fi
JAVA=${JAVA:-java}
CDS_OPTS=()
if [ "${AOT:-on}" != off ] && [ -f "$APP/app.aot" ]; then
  # JDK 24+ AOT cache (JEP 483/514/515) written by bench/aot-train.sh; it replaces the AppCDS archive
  CDS_OPTS=(-XX:AOTCache=app.aot -XX:AOTMode=on)
elif [ "${CDS:-on}" != off ] && [ -f "$APP/app-cds.jsa" ]; then
  CDS_OPTS=(-XX:SharedArchiveFile=app-cds.jsa -Xshare:auto)
fi
BODY=$(pwd)/src/test/resources/alerts/alertmanager-real-cache-hit-rate-low.json
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); java: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS='${JAVA_OPTS:-}' CDS=${#CDS_OPTS[@]}"
STORE=${STORE:-migrated}
TEMPLATE=$(pwd)/target/bench/startup-template-$(basename "$APP")
# Configuration as system properties: the JVM must run in the application's directory for the AppCDS archive
# (it records quarkus-run.jar by a relative path), so no application.properties in the working directory.
props() { # store dir
  echo "-Dquarkus.http.port=$PORT -Dquarkus.http.host=127.0.0.1 -Drootcause.rules.dir=$ROOT/rules"
  echo "-Drootcause.sources.prometheus.url=http://127.0.0.1:1"
  echo "-Dquarkus.datasource.h2.jdbc.url=jdbc:h2:file:$1/data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
}
if [ "$STORE" = migrated ] && ! { [ -n "${REUSE_TEMPLATE:-}" ] && [ -d "$TEMPLATE/data" ]; }; then
  # one uncounted start migrates an empty store, copied into each run (REUSE_TEMPLATE=1 keeps an earlier one)
  rm -rf "$TEMPLATE"; mkdir -p "$TEMPLATE"
  (cd "$APP" && exec "$JAVA" $(props "$TEMPLATE") -jar quarkus-run.jar >"$TEMPLATE/service.log" 2>&1) &
  PID=$!; end=$((SECONDS + ${DEADLINE:-300}))
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$PID" 2>/dev/null && [ $SECONDS -lt $end ] || { echo "template start failed; see $TEMPLATE/service.log" >&2; kill "$PID" 2>/dev/null; exit 1; }
    sleep 0.1
  done
  kill "$PID"; wait "$PID" 2>/dev/null || true
fi
echo "store: $STORE"
ready=(); report=(); cpu=()
for run in $(seq 1 "$RUNS"); do
  WORK=$(pwd)/target/bench/startup-$(basename "$APP")-$run; rm -rf "$WORK"; mkdir -p "$WORK"
  [ "$STORE" = migrated ] && cp -r "$TEMPLATE/data" "$WORK/data"
  start=$(now_ms)
  (cd "$APP" && exec "$JAVA" ${JAVA_OPTS:-} "${CDS_OPTS[@]}" $(props "$WORK") -jar quarkus-run.jar >"$WORK/service.log" 2>&1) &
  PID=$!
  end=$((SECONDS + ${DEADLINE:-300}))
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
    kill -0 "$PID" 2>/dev/null && [ $SECONDS -lt $end ] || { echo "service not ready; see $WORK/service.log" >&2; kill "$PID" 2>/dev/null; exit 1; }
    sleep 0.02
  done
  t_ready=$(( $(now_ms) - start ))
  # CPU time the JVM spent until ready (user + system, /proc/PID/stat fields 14-15 in clock ticks): on a shared
  # machine it moves far less with the load than the wall time does
  cpu_ready=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$PID/stat")
  curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$BODY" "http://127.0.0.1:$PORT/api/v1/alerts/alertmanager"
  posted=$(now_ms)
  until curl -sf "http://127.0.0.1:$PORT/api/v1/incidents/1" 2>/dev/null | grep -q '"markdown"'; do
    [ $SECONDS -lt $end ] || { echo "no report within the deadline; see $WORK/service.log" >&2; kill "$PID"; exit 1; }
    sleep 0.02
  done
  t_report=$(( $(now_ms) - posted ))
  kill "$PID"; wait "$PID" 2>/dev/null || true
  ready+=("$t_ready"); report+=("$t_report"); cpu+=("$cpu_ready")
  # the JVM only warns (at -Xshare:auto) when it cannot map the archive, e.g. after a `cp` without `-a` changed the
  # jars' modification times; such a run is a run without AppCDS and is marked so
  cds_note=""
  if [ ${#CDS_OPTS[@]} -gt 0 ] && grep -q "Unable to use shared archive" "$WORK/service.log"; then
    cds_note=" [AppCDS archive NOT used, see $WORK/service.log]"
  fi
  echo "run $run: ready ${t_ready} ms after java -jar, ${cpu_ready} ms CPU (Quarkus: $(grep -o 'started in [0-9.]*s' "$WORK/service.log" || echo '?')); first webhook -> report ${t_report} ms${cds_note}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "median of $RUNS: ready $(median "${ready[@]}") ms ($(median "${cpu[@]}") ms CPU), first webhook -> report $(median "${report[@]}") ms; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
