#!/usr/bin/env bash
# A private Zabbix 6.0 LTS from Debian's packages on loopback, for ZabbixProblemIT and for trying the media type
# by hand (docs/zabbix.md):
#   zabbix_server (zabbix-server-pgsql) on 127.0.0.1:$ZBX_SERVER_PORT (trapper: what zabbix_sender talks to)
#   the frontend (zabbix-frontend-php, a private copy) under PHP's built-in server on 127.0.0.1:$ZBX_WEB_PORT,
#     its JSON-RPC API at http://127.0.0.1:$ZBX_WEB_PORT/api_jsonrpc.php
#   a private database $ZBX_DB in the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), copied from
#     a template database (zabbix_it_template) made once from the package's schema.sql.gz, images.sql.gz and
#     data.sql.gz: importing those takes 60-90 s on 2 busy cores, copying the template under a second.
#
# Usage: scripts/zabbix.sh up | down | status
# Environment: ZBX_DIR (state, default target/zabbix), ZBX_DB (default zabbix_it), ZBX_SERVER_PORT (default 10151),
# ZBX_WEB_PORT (default 18091). The ports are parameters so a test can pick free ones and need no lock.
# `down` stops exactly what `up` started (pid files) and drops $ZBX_DB; the template stays for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=$(realpath -m "${ZBX_DIR:-target/zabbix}")
DB=${ZBX_DB:-zabbix_it}
SERVER_PORT=${ZBX_SERVER_PORT:-10151}
WEB_PORT=${ZBX_WEB_PORT:-18091}
TEMPLATE=zabbix_it_template
SQL=/usr/share/zabbix-server-pgsql
PG=(-h 127.0.0.1 -p 5432 -U postgres)

log() { printf '[zabbix] %s\n' "$*"; }
die() { printf '[zabbix] ERROR: %s\n' "$*" >&2; exit 1; }

# Installs what is missing when run as root (as .ci/run does), else names the package and stops.
need() {
  local missing=()
  command -v zabbix_server >/dev/null || missing+=(zabbix-server-pgsql)
  [ -f /usr/share/zabbix/api_jsonrpc.php ] || missing+=(zabbix-frontend-php php8.2-cgi)
  command -v php >/dev/null || missing+=(php8.2-cli)
  php -m 2>/dev/null | grep -qx pgsql || missing+=(php8.2-pgsql)
  command -v psql >/dev/null || missing+=(postgresql-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing: ${missing[*]} (install them: apt-get install --no-install-recommends ${missing[*]})"
  fi
}

# Poll until the command succeeds or the deadline (seconds) passes.
wait_for() {
  local what=$1 deadline=$2; shift 2
  local end=$((SECONDS + deadline))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $end ] && die "$what not ready after ${deadline}s"
    sleep 0.3
  done
}

package_version() { dpkg-query -W -f='${Version}' zabbix-server-pgsql 2>/dev/null || zabbix_server -V | head -1; }

# The template database, rebuilt when the installed package's version differs from the one it was made from.
template() {
  local want have
  want="zabbix-server-pgsql $(package_version)"
  have=$(psql "${PG[@]}" -d postgres -Atc "select shobj_description(oid, 'pg_database') from pg_database where datname = '$TEMPLATE'")
  [ "$have" = "$want" ] && return 0
  log "making the template database $TEMPLATE from $SQL (once per package version; 60-90 s)"
  psql "${PG[@]}" -d postgres -qc "drop database if exists $TEMPLATE" >/dev/null
  psql "${PG[@]}" -d postgres -qc "create database $TEMPLATE"
  zcat "$SQL/schema.sql.gz" "$SQL/images.sql.gz" "$SQL/data.sql.gz" \
    | psql "${PG[@]}" -d "$TEMPLATE" -q -v ON_ERROR_STOP=1 >"$DIR/import.log" 2>&1 || die "import failed: $(tail -5 "$DIR/import.log")"
  # the comment marks a finished import: an interrupted one is made again
  psql "${PG[@]}" -d postgres -qc "comment on database $TEMPLATE is '$want'"
}

api_answers() {
  curl -sf -H 'Content-Type: application/json-rpc' -d '{"jsonrpc":"2.0","method":"apiinfo.version","params":{},"id":1}' \
    "http://127.0.0.1:$WEB_PORT/api_jsonrpc.php" | grep -q '"result"'
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$(cat "$1")/status" 2>/dev/null; }

up() {
  need
  mkdir -p "$DIR/pids" "$DIR/run" "$DIR/alertscripts"
  pg_isready "${PG[@]}" -q || die "PostgreSQL is not answering on 127.0.0.1:5432 (.ci/run starts it)"
  # one template for every checkout: two runs starting at once make it once
  exec 9>/tmp/rootcause-zabbix-template.lock
  flock 9
  template
  flock -u 9
  psql "${PG[@]}" -d postgres -qc "drop database if exists $DB" >/dev/null 2>&1
  createdb "${PG[@]}" -T "$TEMPLATE" "$DB"

  # the frontend: a private copy whose configuration file is ours (Debian's build reads the absolute path
  # /etc/zabbix/zabbix.conf.php, CConfigFile::CONFIG_FILE_PATH; the copy is pointed at its own conf/)
  rm -rf "$DIR/web"
  cp -r /usr/share/zabbix "$DIR/web"
  sed -i "s#const CONFIG_FILE_PATH = '[^']*'#const CONFIG_FILE_PATH = '$DIR/web/conf/zabbix.conf.php'#" \
    "$DIR/web/include/classes/core/CConfigFile.php"
  grep -q "$DIR/web/conf/zabbix.conf.php" "$DIR/web/include/classes/core/CConfigFile.php" \
    || die "could not point the frontend copy at its configuration (CConfigFile::CONFIG_FILE_PATH not found)"
  cat >"$DIR/web/conf/zabbix.conf.php" <<EOF
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '127.0.0.1';
\$DB['PORT'] = '5432';
\$DB['DATABASE'] = '$DB';
\$DB['USER'] = 'postgres';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$SERVER_PORT';
\$ZBX_SERVER_NAME = 'rootcause-it';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
  if ! running "$DIR/pids/php.pid"; then
    setsid php -d memory_limit=256M -d post_max_size=16M -d max_execution_time=300 -d date.timezone=UTC \
      -S "127.0.0.1:$WEB_PORT" -t "$DIR/web" >"$DIR/php.log" 2>&1 < /dev/null &
    echo $! >"$DIR/pids/php.pid"
  fi

  # the server: few processes (2 busy cores), the configuration cache reloaded every second so items and
  # triggers created over the API are known at once (the default is 60 s)
  cat >"$DIR/zabbix_server.conf" <<EOF
ListenIP=127.0.0.1
ListenPort=$SERVER_PORT
LogFile=$DIR/zabbix_server.log
LogFileSize=0
PidFile=$DIR/run/zabbix_server.pid
SocketDir=$DIR/run
TmpDir=$DIR/run
AlertScriptsPath=$DIR/alertscripts
DBHost=127.0.0.1
DBPort=5432
DBName=$DB
DBUser=postgres
StartPollers=1
StartPollersUnreachable=1
StartHistoryPollers=1
StartPreprocessors=1
StartTrappers=2
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartDBSyncers=1
StartLLDProcessors=1
StartODBCPollers=0
CacheUpdateFrequency=1
HousekeepingFrequency=0
Timeout=10
$( [ "$(id -u)" = 0 ] && echo AllowRoot=1 )
EOF
  if ! running "$DIR/run/zabbix_server.pid"; then
    zabbix_server -c "$DIR/zabbix_server.conf" || die "zabbix_server did not start: $(tail -5 "$DIR/zabbix_server.log" 2>/dev/null)"
  fi
  wait_for "zabbix_server pid file" 30 test -s "$DIR/run/zabbix_server.pid"
  cp "$DIR/run/zabbix_server.pid" "$DIR/pids/zabbix_server.pid"
  wait_for "zabbix_server trapper on :$SERVER_PORT" 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SERVER_PORT"
  # JSON-RPC errors come with HTTP 200: wait for a "result"
  wait_for "the Zabbix API on :$WEB_PORT" 60 api_answers
  log "up: API http://127.0.0.1:$WEB_PORT/api_jsonrpc.php, trapper 127.0.0.1:$SERVER_PORT, database $DB"
}

down() {
  for f in "$DIR"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      end=$((SECONDS + 20))
      while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  # zabbix_server's children may hold the database a moment after the parent exits
  end=$((SECONDS + 20))
  until psql "${PG[@]}" -d postgres -qc "drop database if exists $DB" >/dev/null 2>&1 || [ $SECONDS -ge $end ]; do sleep 0.5; done
  log "down"
}

status() {
  for f in "$DIR"/pids/*.pid; do
    [ -f "$f" ] || continue
    if running "$f"; then echo "$(basename "$f" .pid) running (pid $(cat "$f"))"; else echo "$(basename "$f" .pid) stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
