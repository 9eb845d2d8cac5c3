#!/usr/bin/env bash
# scripts/stack.sh up|down|status — the real monitoring stack on loopback, for end-to-end tests and demos.
#
#   3 Redis servers          127.0.0.1:16379 16380 16381   (services cache-a, cache-b, cache-c)
#   3 redis_exporter         127.0.0.1:19121 19122 19123   (scraped with label service=<cache>)
#   Prometheus 2.42          127.0.0.1:19090               (scrape and rule evaluation every 1s)
#   Alertmanager 0.25        127.0.0.1:19093               (group_wait 1s; webhook to rootcause)
#   blackbox_exporter 0.23   127.0.0.1:19115               (HTTP probes of BLACKBOX_TARGETS, scraped every 2s)
#   node_exporter 1.5        127.0.0.1:19100               (netstat collector only, scraped as job "node")
#   Zipkin 3.5.1             127.0.0.1:19411               (in-memory storage; trace source)
#
# `up` starts everything; `up metrics` only the first four, `up zipkin` only Zipkin. Zipkin's exec jar
# comes from Maven Central (io.zipkin:zipkin-server:3.5.1:jar:exec) through the Maven wrapper into
# ~/.m2 unless ZIPKIN_JAR names one.
# Alert rule: Catalog-Page-3 fires when cache:hit_ratio:rate15s < 0.5 for 5s, one group per service. Its name
# and annotations say no symptom on purpose: only its expression (generatorURL g0.expr) tells rootcause it is
# about a cache (docs/alert-reading.md).
# Env: STACK_DIR (default target/stack): configs, data, logs and pid files.
#      ROOTCAUSE_WEBHOOK_URL (default http://127.0.0.1:18080/api/v1/alerts/alertmanager).
#      EXTRA_SCRAPE_TARGETS: host:port list (comma-separated) scraped as job "testdata", e.g. a test's own
#      /metrics endpoint.
#      BLACKBOX_TARGETS: service=url list (comma-separated) the blackbox exporter probes (module http_2xx),
#      each scraped as job "blackbox" with labels service=<service>, instance=<url>.
#      PROM_BLOCKS: a directory of TSDB blocks (`promtool tsdb create-blocks-from openmetrics` output, e.g.
#      from the tests' PromBackfill) copied into Prometheus' empty data dir before it starts: backfilled
#      history. Retention is 15 days so history days old is kept.
#      PROM_RULE_FILES: Prometheus rule files (comma-separated paths) loaded besides the stack's own, e.g. a
#      test's alerting rule over its own series.
# Installs missing Debian packages (prometheus prometheus-alertmanager prometheus-redis-exporter
# redis-server prometheus-blackbox-exporter prometheus-node-exporter).
# `down` stops exactly the processes `up` started (pid files), nothing else.
set -euo pipefail

STACK_DIR=${STACK_DIR:-target/stack}
WEBHOOK=${ROOTCAUSE_WEBHOOK_URL:-http://127.0.0.1:18080/api/v1/alerts/alertmanager}
PROM_PORT=19090
AM_PORT=19093
SERVICES=(cache-a cache-b cache-c)
REDIS_PORTS=(16379 16380 16381)
EXPORTER_PORTS=(19121 19122 19123)
BLACKBOX_PORT=19115
NODE_PORT=19100
mkdir -p "$STACK_DIR"
STACK_DIR=$(cd "$STACK_DIR" && pwd)
PIDS=$STACK_DIR/pids
LOGS=$STACK_DIR/logs

ZIPKIN_PORT=19411
ZIPKIN_VERSION=3.5.1
ZIPKIN_JAR=${ZIPKIN_JAR:-$HOME/.m2/repository/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar}
REPO_DIR=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[stack] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Wait until a command succeeds, or fail after a deadline (seconds).
wait_for() {
  local what=$1 deadline=$2; shift 2
  local end=$((SECONDS + deadline))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || die "$what not ready after ${deadline}s (logs: $LOGS)"
    sleep 0.2
  done
}

alive() { # a pid that is running and not a zombie
  local pid=$1 stat
  stat=$(ps -o stat= -p "$pid" 2>/dev/null || true)
  [ -n "$stat" ] && [ "${stat:0:1}" != Z ]
}

ensure_binaries() {
  local missing=()
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
  command -v prometheus-redis-exporter >/dev/null || missing+=(prometheus-redis-exporter)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  command -v prometheus-blackbox-exporter >/dev/null || missing+=(prometheus-blackbox-exporter)
  command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    mkdir -p "$LOGS"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$LOGS/apt.log" 2>&1; then
      die "could not install ${missing[*]} (apt-get failed, see $LOGS/apt.log); the real-stack tests need them"
    fi
  fi
  for b in prometheus prometheus-alertmanager prometheus-redis-exporter redis-server redis-cli curl \
      prometheus-blackbox-exporter prometheus-node-exporter; do
    command -v "$b" >/dev/null || die "binary $b missing after install"
  done
}

start() { # name, command...: start detached, record the server's own pid
  local name=$1; shift
  if [ -f "$PIDS/$name.pid" ] && alive "$(cat "$PIDS/$name.pid")"; then
    die "$name already running (pid $(cat "$PIDS/$name.pid")); run: $0 down"
  fi
  setsid "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

write_configs() {
  local targets="" i
  for i in "${!SERVICES[@]}"; do
    targets+="
      - targets: ['127.0.0.1:${EXPORTER_PORTS[$i]}']
        labels: {service: ${SERVICES[$i]}}"
  done
  local extra=""
  if [ -n "${EXTRA_SCRAPE_TARGETS:-}" ]; then
    extra="
  - job_name: testdata
    static_configs:
      - targets: ['${EXTRA_SCRAPE_TARGETS//,/\',\'}']"
  fi
  # Blackbox: the multi-target pattern (github.com/prometheus/blackbox_exporter#prometheus-configuration).
  # Scrape timeout 2s: the exporter gives each probe the scrape timeout minus 0.5s.
  local blackbox="" entry
  if [ -n "${BLACKBOX_TARGETS:-}" ]; then
    blackbox="
  - job_name: blackbox
    scrape_interval: 2s
    scrape_timeout: 2s
    metrics_path: /probe
    params: {module: [http_2xx]}
    static_configs:"
    IFS=, read -ra entries <<< "$BLACKBOX_TARGETS"
    for entry in "${entries[@]}"; do
      blackbox+="
      - targets: ['${entry#*=}']
        labels: {service: ${entry%%=*}}"
    done
    blackbox+="
    relabel_configs:
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: '127.0.0.1:$BLACKBOX_PORT'}"
  fi
  local rule_files="'$STACK_DIR/rules.yml'" f
  if [ -n "${PROM_RULE_FILES:-}" ]; then
    IFS=, read -ra files <<< "$PROM_RULE_FILES"
    for f in "${files[@]}"; do
      [ -f "$f" ] || die "PROM_RULE_FILES: $f is not a file"
      rule_files+=", '$f'"
    done
  fi
  cat > "$STACK_DIR/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [$rule_files]
alerting:
  alertmanagers:
    - static_configs: [{targets: ['127.0.0.1:$AM_PORT']}]
scrape_configs:
  - job_name: redis
    static_configs:$targets$extra
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$NODE_PORT']$blackbox
YAML
  cat > "$STACK_DIR/blackbox.yml" <<'YAML'
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
YAML
  cat > "$STACK_DIR/rules.yml" <<'YAML'
groups:
  - name: cache
    interval: 1s
    rules:
      - record: cache:hit_ratio:rate15s
        expr: >-
          sum by (service) (rate(redis_keyspace_hits_total[15s]))
          / (sum by (service) (rate(redis_keyspace_hits_total[15s])) + sum by (service) (rate(redis_keyspace_misses_total[15s])))
      - alert: Catalog-Page-3
        expr: cache:hit_ratio:rate15s < 0.5
        for: 5s
        labels: {severity: critical}
        annotations:
          summary: 'Catalog team page: {{ $value | humanizePercentage }}'
          description: paged by the catalog team's rule for 5s
YAML
  cat > "$STACK_DIR/alertmanager.yml" <<YAML
route:
  receiver: rootcause
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: rootcause
    webhook_configs:
      - url: '$WEBHOOK'
        send_resolved: true
YAML
}

ensure_zipkin() {
  command -v java >/dev/null || die "java missing: Zipkin needs it"
  command -v curl >/dev/null || die "curl missing"
  if [ ! -f "$ZIPKIN_JAR" ]; then
    log "fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec from Maven Central"
    mkdir -p "$LOGS"
    (cd "$REPO_DIR" && ./mvnw -B -q dependency:get -Dtransitive=false \
      -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec") >"$LOGS/zipkin-fetch.log" 2>&1 \
      || die "could not fetch the Zipkin jar (see $LOGS/zipkin-fetch.log); the trace tests need it"
    [ -f "$ZIPKIN_JAR" ] || die "Zipkin jar not at $ZIPKIN_JAR after fetching"
  fi
}

up_zipkin() {
  ensure_zipkin
  mkdir -p "$PIDS" "$LOGS"
  # docs/development.md "The real stack": loopback only, in-memory storage, ~160 MB, ready in 6-8 s
  QUERY_PORT=$ZIPKIN_PORT STORAGE_TYPE=mem start zipkin java -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -jar "$ZIPKIN_JAR" "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].port=$ZIPKIN_PORT" \
    "--armeria.ports[0].protocols[0]=http"
}

wait_zipkin() {
  wait_for zipkin 90 curl -sf "http://127.0.0.1:$ZIPKIN_PORT/health"
  log "up: zipkin http://127.0.0.1:$ZIPKIN_PORT"
}

up() {
  case "${1:-all}" in
    zipkin) up_zipkin; wait_zipkin; return ;;
    all) up_zipkin; up_metrics; wait_zipkin ;;
    metrics) up_metrics ;;
    *) die "unknown component ${1}: all, metrics or zipkin" ;;
  esac
}

up_metrics() {
  ensure_binaries
  mkdir -p "$PIDS" "$LOGS"
  rm -rf "$STACK_DIR/prometheus-data" "$STACK_DIR/alertmanager-data"
  mkdir -p "$STACK_DIR/prometheus-data"
  if [ -n "${PROM_BLOCKS:-}" ]; then
    [ -d "$PROM_BLOCKS" ] || die "PROM_BLOCKS=$PROM_BLOCKS is not a directory"
    cp -r "$PROM_BLOCKS"/. "$STACK_DIR/prometheus-data/"
    log "backfilled history: $(find "$PROM_BLOCKS" -mindepth 1 -maxdepth 1 -type d | wc -l) block(s) from $PROM_BLOCKS"
  fi
  write_configs
  promtool check config "$STACK_DIR/prometheus.yml" >/dev/null 2>&1 || die "prometheus.yml invalid: $(promtool check config "$STACK_DIR/prometheus.yml" 2>&1 | tail -3)"
  local i
  for i in "${!SERVICES[@]}"; do
    start "redis-${SERVICES[$i]}" redis-server --bind 127.0.0.1 --port "${REDIS_PORTS[$i]}" --save "" --appendonly no --dir "$STACK_DIR"
    start "exporter-${SERVICES[$i]}" prometheus-redis-exporter -redis.addr "redis://127.0.0.1:${REDIS_PORTS[$i]}" \
      -web.listen-address "127.0.0.1:${EXPORTER_PORTS[$i]}"
  done
  start blackbox prometheus-blackbox-exporter --config.file="$STACK_DIR/blackbox.yml" \
    --web.listen-address="127.0.0.1:$BLACKBOX_PORT"
  start node-exporter prometheus-node-exporter --web.listen-address="127.0.0.1:$NODE_PORT" \
    --collector.disable-defaults --collector.netstat
  start alertmanager prometheus-alertmanager --config.file="$STACK_DIR/alertmanager.yml" \
    --storage.path="$STACK_DIR/alertmanager-data" --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address=
  start prometheus prometheus --config.file="$STACK_DIR/prometheus.yml" --storage.tsdb.path="$STACK_DIR/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --storage.tsdb.retention.time=15d
  for i in "${!SERVICES[@]}"; do
    wait_for "redis ${SERVICES[$i]}" 20 redis-cli -p "${REDIS_PORTS[$i]}" ping
    wait_for "redis_exporter ${SERVICES[$i]}" 20 curl -sf "http://127.0.0.1:${EXPORTER_PORTS[$i]}/metrics"
  done
  wait_for blackbox_exporter 20 curl -sf "http://127.0.0.1:$BLACKBOX_PORT/-/healthy"
  wait_for node_exporter 20 curl -sf "http://127.0.0.1:$NODE_PORT/metrics"
  wait_for alertmanager 30 curl -sf "http://127.0.0.1:$AM_PORT/-/ready"
  wait_for prometheus 30 curl -sf "http://127.0.0.1:$PROM_PORT/-/ready"
  # Ready once every target has been scraped up.
  wait_for "prometheus scraping all ${#SERVICES[@]} exporters" 30 \
    sh -c "curl -sf 'http://127.0.0.1:$PROM_PORT/api/v1/query?query=count(up%7Bjob%3D%22redis%22%7D%3D%3D1)' | grep -q '\"${#SERVICES[@]}\"\]'"
  log "up: prometheus http://127.0.0.1:$PROM_PORT alertmanager http://127.0.0.1:$AM_PORT webhook $WEBHOOK"
}

down() {
  [ -d "$PIDS" ] || { log "nothing to stop"; return 0; }
  local f pid name
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    if alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    local end=$((SECONDS + 10))
    while alive "$pid" && [ $SECONDS -lt $end ]; do sleep 0.1; done
    if alive "$pid"; then log "$name (pid $pid) ignored TERM; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$f"
  done
  log "down"
}

status() {
  local f
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    if alive "$(cat "$f")"; then echo "$(basename "$f" .pid) running (pid $(cat "$f"))"; else echo "$(basename "$f" .pid) stopped"; fi
  done
}

case "${1:-}" in
  up) up "${2:-all}" ;;
  down) down ;;
  status) status ;;
  *) sed -n 2,24p "$0"; exit 2 ;;
esac
