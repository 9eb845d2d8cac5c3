#!/usr/bin/env bash
# load.sh URL MODE CONNECTIONS SECONDS  -- closed-loop HTTP POST load with wrk + alerts.lua
#   MODE: a|storm   1 postable alert / request, every label set new        (POST /api/v2/alerts shape)
#         b|dedup   1 alert / request, the same 100 alerts over and over   (POST /api/v2/alerts shape)
#         c|batch   50 new alerts / request                                (POST /api/v2/alerts shape)
#         webhook1  Alertmanager webhook v4 notification, group of 1 alert
#         webhook50 Alertmanager webhook v4 notification, group of 50 alerts
#         webhookdedup  webhook v4 notifications of 100 fixed groups, re-sent over and over (dedup path)
#   URL is used as given, e.g. http://127.0.0.1:19193/api/v2/alerts or http://127.0.0.1:8080/webhook
# env (all optional):
#   LOAD_CPUS   taskset CPU list for wrk (e.g. 1); unset = unpinned
#   THREADS     wrk threads (default: min(CONNECTIONS, CPUs in LOAD_CPUS or nproc))
#   TARGET_PID  pid of the server under test: its CPU% over the run, RSS and peak RSS (VmHWM) after
#   BATCH (50)  DEDUP_N (100)  RECEIVER (bot)  EXTERNAL_URL  TIMEOUT (wrk --timeout, 10s)
#   OUT         append one TSV result line to this file (header written if the file is new)
#   LABEL       free text put in the TSV's first column
# stdout: wrk's report, then one line "RESULT key=value ..."
set -euo pipefail
[ $# -eq 4 ] || { sed -n 2,17p "$0"; exit 2; }
URL=$1; MODE=$2; CONNS=$3; SECS=$4
case "$MODE" in a) MODE=storm;; b) MODE=dedup;; c) MODE=batch;; storm|dedup|batch|webhook1|webhook50|webhookdedup) ;;
  *) echo "unknown MODE $MODE" >&2; exit 2;; esac
[ "$MODE" = webhook50 ] && export BATCH=${BATCH:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y --no-install-recommends wrk" >&2; exit 3; }

ncpu_list() { # "0-1,3" -> 3
  local n=0 p; IFS=, read -ra parts <<<"$1"
  for p in "${parts[@]}"; do if [[ $p == *-* ]]; then n=$((n + ${p#*-} - ${p%-*} + 1)); else n=$((n+1)); fi; done; echo $n; }
if [ -n "${LOAD_CPUS:-}" ]; then NC=$(ncpu_list "$LOAD_CPUS"); PIN=(taskset -c "$LOAD_CPUS"); else NC=$(nproc); PIN=(); fi
T=${THREADS:-$(( CONNS < NC ? CONNS : NC ))}

export MODE NONCE=${NONCE:-$(printf '%x' $(( $(date +%s%N) / 1000000 % 0xfffffff )))} T0=$(date +%s)
HZ=$(getconf CLK_TCK)
pcpu() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }   # utime+stime ticks
cpus() { grep '^cpu[0-9]' /proc/stat | awk '{b=$2+$3+$4+$7+$8; t=b+$5+$6; print $1, b, t}'; }

C0=$(cpus); [ -n "${TARGET_PID:-}" ] && P0=$(pcpu "$TARGET_PID")
W0=$(date +%s%N)
TIMEFORMAT='%U %S'
TF=$(mktemp); WO=$(mktemp)
{ time "${PIN[@]}" wrk -t"$T" -c"$CONNS" -d"${SECS}s" --timeout "${TIMEOUT:-10s}" -s "$HERE/alerts.lua" "$URL" >"$WO" ; } 2>"$TF"
W1=$(date +%s%N); C1=$(cpus)
WALL=$(awk -v a=$W0 -v b=$W1 'BEGIN{printf "%.3f", (b-a)/1e9}')
cat "$WO"
LR=$(grep '^LUA_RESULT' "$WO" | sed 's/^LUA_RESULT //'); declare -A R
for kv in $LR; do R[${kv%%=*}]=${kv#*=}; done
read -r WU WS < <(tail -1 "$TF"); rm -f "$TF" "$WO"
WRK_CPU=$(awk -v u=$WU -v s=$WS -v w=$WALL 'BEGIN{printf "%.0f", (u+s)/w*100}')
CPU_BUSY=$(paste <(echo "$C0") <(echo "$C1") | awk '{printf "%s%s=%.0f", (NR>1?",":""), $1, ($5-$2)/(($6-$3)>0?($6-$3):1)*100}')
TCPU=-; RSS=-; HWM=-
if [ -n "${TARGET_PID:-}" ] && [ -d /proc/$TARGET_PID ]; then
  P1=$(pcpu "$TARGET_PID"); TCPU=$(awk -v a=$P0 -v b=$P1 -v h=$HZ -v w=$WALL 'BEGIN{printf "%.0f", (b-a)/h/w*100}')
  RSS=$(ps -o rss= -p "$TARGET_PID" | tr -d ' '); HWM=$(awk '/VmHWM/{print $2}' /proc/$TARGET_PID/status)
fi
DUR=$(awk -v d=${R[duration_us]} 'BEGIN{print d/1e6}')
OK=$(( R[requests] - R[err_status] ))
RPS=$(awk -v n=${R[requests]} -v d=$DUR 'BEGIN{printf "%.1f", n/d}')
APS=$(awk -v n=$OK -v k=${R[per_req]} -v d=$DUR 'BEGIN{printf "%.0f", n*k/d}')
ms() { awk -v u=$1 'BEGIN{printf "%.2f", u/1000}'; }
SOCKERR=$(( R[err_connect] + R[err_read] + R[err_write] + R[err_timeout] ))
LINE="mode=$MODE conns=$CONNS threads=$T secs=$SECS requests=${R[requests]} rps=$RPS alerts_per_s=$APS p50_ms=$(ms ${R[p50_us]}) p90_ms=$(ms ${R[p90_us]}) p99_ms=$(ms ${R[p99_us]}) max_ms=$(ms ${R[max_us]}) http_errors=${R[err_status]} sock_errors=$SOCKERR target_cpu_pct=$TCPU target_rss_kb=$RSS target_hwm_kb=$HWM wrk_cpu_pct=$WRK_CPU busy=$CPU_BUSY"
echo "RESULT $LINE"
if [ -n "${OUT:-}" ]; then
  [ -s "$OUT" ] || { printf 'label'; for kv in $LINE; do printf '\t%s' "${kv%%=*}"; done; echo; } >"$OUT"
  { printf '%s' "${LABEL:--}"; for kv in $LINE; do printf '\t%s' "${kv#*=}"; done; echo; } >>"$OUT"
fi
