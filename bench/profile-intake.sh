#!/usr/bin/env bash
# bench/profile-intake.sh [h2|postgresql] [MODE] [SECONDS] [CONNECTIONS]
# Starts the packaged service (own port 18380, fresh store), warms it up with WARMUP (15) s of MODE
# load, then records SECONDS (10) s of the same load with JFR (settings=profile) and prints where the
# CPU went (bench/jfr-top.py): hottest methods self / on stack, and self time per package.
# MODE: webhook1 (default) | webhookdedup | webhook50. PROCESSING=false profiles an intake-only replica.
# Recording: target/bench/profile/<store>-<mode>.jfr. PostgreSQL: database $BENCH_PGDB (rc_bench) is recreated.
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:-h2}; MODE=${2:-webhook1}; SECS=${3:-10}; CONNS=${4:-16}
PORT=18380
JAR=target/quarkus-app/quarkus-run.jar
WORK=$(pwd)/target/bench/profile; DIR=$WORK/$STORE-$MODE
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
rm -rf "$DIR"; mkdir -p "$DIR"
{ echo "quarkus.http.port=$PORT"; echo "quarkus.http.host=127.0.0.1"
  echo "rootcause.rules.dir=$(pwd)/rules"; echo "rootcause.sources.prometheus.url=http://127.0.0.1:1"
  echo "quarkus.log.level=WARN"; echo "rootcause.incidents.processing-enabled=${PROCESSING:-true}"
  echo "quarkus.datasource.h2.jdbc.url=jdbc:h2:file:$DIR/data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
  if [ "$STORE" = postgresql ]; then
    DB=${BENCH_PGDB:-rc_bench}; psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $DB" -c "create database $DB" >&2
    echo "quarkus.datasource.h2.active=false"; echo "quarkus.datasource.postgresql.active=true"
    echo "quarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB"
    echo "quarkus.datasource.postgresql.username=postgres"
  fi; } > "$DIR/application.properties"
(cd "$DIR" && exec java ${JAVA_OPTS:-} -jar "$OLDPWD/$JAR" >"$DIR/service.log" 2>&1) &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
end=$((SECONDS + 60))
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; do
  [ $SECONDS -lt $end ] || { echo "not ready; see $DIR/service.log" >&2; exit 1; }; sleep 0.2; done
URL="http://127.0.0.1:$PORT/api/v1/alerts/alertmanager"
bench/load.sh "$URL" "$MODE" "$CONNS" "${WARMUP:-15}" >/dev/null
jcmd $APP JFR.start name=bench settings=profile >/dev/null
TARGET_PID=$APP bench/load.sh "$URL" "$MODE" "$CONNS" "$SECS" | grep '^RESULT'
jcmd $APP JFR.stop name=bench filename="$WORK/$STORE-$MODE.jfr" >/dev/null
curl -s "http://127.0.0.1:$PORT/q/metrics" | awk '/^rootcause_intake_commit_bodies_count/ {c = $2} /^rootcause_intake_commit_bodies_sum/ {s = $2}
  END { if (c > 0) printf "intake commits %d, bodies %d, mean bodies per commit %.1f\n", c, s, s / c }'
python3 bench/jfr-top.py "$WORK/$STORE-$MODE.jfr" "${TOP:-25}"
