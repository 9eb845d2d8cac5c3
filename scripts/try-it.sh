#!/usr/bin/env bash
# scripts/try-it.sh <flow> — one of the seed's incidents, end to end on this machine, in a few minutes.
#
#   cache-penetration   a Redis cache asked for keys that do not exist: hit ratio collapses, the report
#                       cites the metrics, the cache's own INFO and the miss-key log pattern
#                       (control: a mass TTL expiry on a second cache is blamed on expiry, not penetration)
#   slow-downstream     latency rises because a dependency of a dependency slowed (orders → payments →
#                       payments-db): the walk down the graph Zipkin's links give names it with the chain, its
#                       share of the critical path in the traces and a trace link; also a 3-hop chain and a
#                       later-slowing consequence (control: all downstreams slowed alike, no single one is blamed)
#   5xx-after-deploy    the 5xx ratio jumps after a deploy: the report names the deploy and the before/after
#                       5xx ratio and p99 (control: no deploy in the window); a Grafana-managed alert with
#                       no expression reaches the same deploy
#
# The alerts have opaque names (Catalog-Page-3, TeamA-Page-7, Shop-P1-42): only their expressions, carried in
# Prometheus' generatorURL, choose the diagnosis (the report's "Read as:" line).
#
# What happens: the service is built and packaged (Maven wrapper), the real stack comes up on loopback
# (scripts/stack.sh: Prometheus, Alertmanager, Redis + redis_exporter, Zipkin, ...), the packaged service
# starts, the flow's end-to-end test reproduces the incident through Alertmanager's webhook, and the report
# and the ticket the service wrote are printed here. Everything it started is stopped at the end, also on
# failure or Ctrl-C. Needs Java 17+ and curl; the stack's Debian packages are installed if missing (root).
# Full Maven log: target/try-it/<flow>.log.
#
# Usage: scripts/try-it.sh <flow>      scripts/try-it.sh --help
set -euo pipefail

usage() { sed -n 2,24p "$0" | sed 's/^# \{0,1\}//'; }
die() { printf '[try-it] ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf '[try-it] %s\n' "$*"; }

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  cache-penetration) IT=CacheHitRateIT ;;
  slow-downstream) IT=FlowSlowDownstreamIT ;;
  5xx-after-deploy) IT=Flow5xxAfterDeployIT ;;
  "") usage >&2; exit 2 ;;
  *) printf '[try-it] unknown flow "%s"\n\n' "$1" >&2; usage >&2; exit 2 ;;
esac
FLOW=$1

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
[ -f "src/test/java/dev/rootcause/e2e/$IT.java" ] \
  || die "flow $FLOW needs src/test/java/dev/rootcause/e2e/$IT.java, which this checkout does not have yet (it lands on main with that flow's branch)"

# Binaries: Java and curl are needed as they are; the stack's own binaries are installed by stack.sh if missing.
command -v java >/dev/null || die "java not found: install a JDK 17 or newer (e.g. apt-get install openjdk-17-jdk-headless)"
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)
[ "${JAVA_MAJOR:-0}" -ge 17 ] 2>/dev/null || die "java ${JAVA_MAJOR:-?} found: Java 17 or newer is needed"
command -v curl >/dev/null || die "curl not found: install it (apt-get install curl)"
missing=()
for b in prometheus promtool prometheus-alertmanager prometheus-redis-exporter redis-server redis-cli \
    prometheus-blackbox-exporter prometheus-node-exporter; do
  command -v "$b" >/dev/null || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    die "missing: ${missing[*]}. Install the Debian packages prometheus prometheus-alertmanager prometheus-redis-exporter redis-server prometheus-blackbox-exporter prometheus-node-exporter (scripts/stack.sh does it when run as root)"
  fi
  say "missing ${missing[*]}: scripts/stack.sh will install them with apt-get"
fi

OUT_DIR=$REPO/target/try-it
mkdir -p "$OUT_DIR"
LOG=$OUT_DIR/$FLOW.log
REPORT=$OUT_DIR/$FLOW.txt
rm -f "$REPORT" "$LOG"

# The stack's ports are fixed: one user at a time (the same lock the test suite takes).
if command -v flock >/dev/null; then
  exec 9>/tmp/rootcause-stack.lock
  if ! flock -n 9; then
    say "another run holds the stack (/tmp/rootcause-stack.lock, e.g. the test suite: up to ~15 min); waiting for it"
    waited_from=$SECONDS
    flock 9
    say "waited $((SECONDS - waited_from)) s for the stack"
  fi
fi

MVN_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$MVN_PID" ] && kill -0 "$MVN_PID" 2>/dev/null; then
    say "stopping the build and the service (process group $MVN_PID)"
    kill -TERM -- "-$MVN_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$MVN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$MVN_PID" 2>/dev/null || true
  fi
  # Whatever a test's stack left behind (normally nothing: the tests stop it): exactly what its pid files name.
  local d
  for d in "$REPO"/target/stack*/; do
    if compgen -G "$d/pids/*.pid" >/dev/null; then
      say "stopping the stack in $d"
      STACK_DIR=$d "$REPO/scripts/stack.sh" down >/dev/null 2>&1 || true
    fi
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

START=$SECONDS
say "flow $FLOW: building the service and running $IT (log: $LOG)"
# Its own process group, so Ctrl-C or a failure stops Maven, the test JVM and the service it started.
ROOTCAUSE_TRYIT_OUT=$REPORT setsid "$REPO/mvnw" -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$IT" >"$LOG" 2>&1 </dev/null &
MVN_PID=$!

# Progress from the log, each milestone once.
seen=""
milestone() { # pattern, message
  if [[ $seen != *"|$1|"* ]] && grep -q -- "$1" "$LOG" 2>/dev/null; then
    seen+="|$1|"; say "$(printf '%3ds' $((SECONDS - START))) $2"
  fi
}
while kill -0 "$MVN_PID" 2>/dev/null; do
  milestone "quarkus:.*:build" "packaging the service (quarkus-app/quarkus-run.jar)"
  milestone "Running dev.rootcause" "stack up, service starting, incident being reproduced (this takes a minute or two)"
  milestone "Tests run:" "done; tearing down"
  sleep 1
done
set +e
wait "$MVN_PID"
RC=$?
set -e
MVN_PID=

if [ -s "$REPORT" ]; then
  cat "$REPORT"
else
  # A flow test that does not write $ROOTCAUSE_TRYIT_OUT: show what it printed (its stdout in the Maven log).
  sed -n "/Running dev.rootcause.e2e.$IT\$/,/Tests run:/p" "$LOG" | sed '1d;$d' > "$REPORT" || true
  cat "$REPORT"
fi
if [ $RC -ne 0 ]; then
  grep -E '^\[stack\] ERROR|Tests run:.*Fail|<<< (FAILURE|ERROR)|BUILD FAILURE|\[ERROR\] +[A-Za-z].*:[0-9]+' "$LOG" | head -20 >&2 || true
  die "flow $FLOW failed after $((SECONDS - START)) s (exit $RC); full log: $LOG"
fi
[ -s "$REPORT" ] || die "the test passed but printed no report (FlowReports.print writes it); log: $LOG"
say "flow $FLOW: report and ticket above, $((SECONDS - START)) s in all; everything started has been stopped"
