#!/usr/bin/env bash
# bench/intake.sh [SECONDS] [CONNECTIONS]
# Intake throughput, one run, same load tool (wrk + bench/alerts.lua via bench/load.sh), same machine:
#   Alertmanager 0.25's own POST /api/v2/alerts           modes storm | dedup | batch (50 alerts/request)
#   rootcause POST /api/v1/alerts/alertmanager on H2      modes webhook1 | webhookdedup | webhook50
#   rootcause POST /api/v1/alerts/alertmanager on PostgreSQL (same modes)
# Every rootcause answer is durable (stored before the 202) and deduplicated by a unique index. Each store
# runs twice: "full" (the service also turns deliveries into incidents, runs diagnoses and the outbox on
# the same 2 cores; Prometheus is pointed at a closed port, so diagnoses end fast) and "intake" (an
# intake-only replica, rootcause.incidents.processing-enabled=false, the documented scale-out mode).
# Each rootcause JVM gets WARMUP (15) seconds of unmeasured load first; Alertmanager (Go) needs none.
# Between modes the script waits until the service has worked off its backlog (pending deliveries and
# effects 0), so no mode pays for the previous one. PostgreSQL: database $BENCH_PGDB (default rc_bench)
# is dropped and created anew. STORES (default "h2 postgresql") and VARIANTS ("full intake") narrow a run.
# Prints each run's RESULT line and a table of ratios; TSV in target/bench/intake.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-15}
CONNS=${2:-16}
WORK=$(pwd)/target/bench/intake
OUT=$(pwd)/target/bench/intake.tsv
AM_PORT=19193
APP_PORT=18180
JAR=target/quarkus-app/quarkus-run.jar
log() { printf '[intake] %s\n' "$*" >&2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -f "$JAR" ] || { log "building $JAR"; ./mvnw -q -B -DskipTests package; }
rm -rf "$WORK" "$OUT"; mkdir -p "$WORK"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_http() { # url, seconds
  local end=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -lt $end ] || { log "$1 not ready after $2s"; exit 1; }
    sleep 0.2
  done
}
stop() { kill "$1"; local end=$((SECONDS + 20)); while kill -0 "$1" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done; }
run() { # label url mode pid
  LABEL=$1 OUT=$OUT TARGET_PID=$4 bench/load.sh "$2" "$3" "$CONNS" "$SECS" | grep '^RESULT' | sed "s/^RESULT/RESULT $1/"
}

# --- Alertmanager ---
cat > "$WORK/alertmanager.yml" <<YAML
route: {receiver: blackhole, group_by: [alertname, service], group_wait: 30s}
receivers: [{name: blackhole}]
YAML
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-data" \
  --web.listen-address=127.0.0.1:$AM_PORT --cluster.listen-address= >"$WORK/alertmanager.log" 2>&1 &
AM=$!; PIDS+=($AM)
wait_http "http://127.0.0.1:$AM_PORT/-/ready" 30
for mode in storm dedup batch; do run alertmanager "http://127.0.0.1:$AM_PORT/api/v2/alerts" $mode $AM; done
stop $AM

# --- rootcause, H2 then PostgreSQL, full service then intake-only ---
start_app() { # name, extra properties...
  local dir="$WORK/$1"; rm -rf "$dir"; mkdir -p "$dir"; shift
  { echo "quarkus.http.port=$APP_PORT"; echo "quarkus.http.host=127.0.0.1"
    echo "rootcause.rules.dir=$(pwd)/rules"; echo "rootcause.sources.prometheus.url=http://127.0.0.1:1"
    echo "quarkus.log.level=WARN"
    echo "quarkus.datasource.h2.jdbc.url=jdbc:h2:file:$dir/data/rootcause;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
    printf '%s\n' "$@"; } > "$dir/application.properties"
  (cd "$dir" && exec java ${JAVA_OPTS:-} -jar "$OLDPWD/$JAR" >"$dir/service.log" 2>&1) &
  APP_PID=$!; PIDS+=($APP_PID)
  wait_http "http://127.0.0.1:$APP_PORT/q/health/ready" 90
}
backlog() { # pending deliveries + pending effects, from the readiness check
  curl -s "http://127.0.0.1:$APP_PORT/q/health/ready" | python3 -c 'import json,sys
d=[c["data"] for c in json.load(sys.stdin)["checks"] if c["name"]=="incident-store"][0]
print(d.get("pendingDeliveries",0)+d.get("pendingEffects",0))' 2>/dev/null || echo 0; }
settle() { # wait up to 120 s until the full service has no backlog (intake-only keeps its deliveries)
  [ "$1" = intake ] && return 0
  local end=$((SECONDS + 120)) n
  while n=$(backlog); [ "$n" != 0 ] && [ $SECONDS -lt $end ]; do sleep 0.5; done
  [ "$n" = 0 ] || log "backlog still $n after 120 s"
}
for store in ${STORES:-h2 postgresql}; do
  for variant in ${VARIANTS:-full intake}; do
    props=("rootcause.incidents.processing-enabled=$([ $variant = full ] && echo true || echo false)")
    if [ $store = postgresql ]; then
      DB=${BENCH_PGDB:-rc_bench}
      psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $DB" -c "create database $DB" 2>/dev/null
      props+=("quarkus.datasource.h2.active=false" "quarkus.datasource.postgresql.active=true"
        "quarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB" "quarkus.datasource.postgresql.username=postgres")
    fi
    start_app "$store-$variant" "${props[@]}"
    # JIT warm-up: the first seconds of a fresh JVM run at a fraction of its speed; not measured
    LABEL=warmup OUT= bench/load.sh "http://127.0.0.1:$APP_PORT/api/v1/alerts/alertmanager" webhook1 "$CONNS" "${WARMUP:-15}" >/dev/null
    for mode in webhook1 webhookdedup webhook50; do
      settle $variant
      run "rc-$store-$variant" "http://127.0.0.1:$APP_PORT/api/v1/alerts/alertmanager" $mode "$APP_PID"
    done
    stop "$APP_PID"
  done
done

# --- ratios: rootcause / Alertmanager, by alerts per second ---
awk -F'\t' 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { key = $col["label"] "/" $col["mode"]; aps[key] = $col["alerts_per_s"]; p50[key] = $col["p50_ms"]; p99[key] = $col["p99_ms"]; rss[key] = $col["target_hwm_kb"] }
  END {
    n = split("storm:webhook1 dedup:webhookdedup batch:webhook50", pairs, " ")
    printf "%-22s %-18s %10s %10s %8s %8s %8s %9s\n", "comparison", "rootcause", "AM al/s", "rc al/s", "rc/AM", "p50 ms", "p99 ms", "peak MB"
    split("h2-full h2-intake postgresql-full postgresql-intake", variants, " ")
    for (i = 1; i <= n; i++) { split(pairs[i], m, ":"); a = aps["alertmanager/" m[1]]
      printf "%-22s %-18s %10s %10s %8s %8s %8s %9d\n", m[1] " vs " m[2], "(Alertmanager)", a, "", "", p50["alertmanager/" m[1]], p99["alertmanager/" m[1]], rss["alertmanager/" m[1]] / 1024
      for (v = 1; v <= 4; v++) { k = "rc-" variants[v] "/" m[2]; if (!(k in aps)) continue
        printf "%-22s %-18s %10s %10s %8.2f %8s %8s %9d\n", "", variants[v], "", aps[k], (a > 0 ? aps[k] / a : 0), p50[k], p99[k], rss[k] / 1024 } } }' "$OUT"
log "TSV: $OUT"
