#!/usr/bin/env bash
# A throwaway PostgreSQL for the Pulumi state of a fleet (the CLI's postgres:// DIY backend):
#   scripts/postgres.sh start    initdb in a temp dir, listen on 127.0.0.1 only on a free port, password auth,
#                                database `pulumi`; installs Debian's `postgresql` with apt-get when no server is found
#   eval "$(scripts/postgres.sh env)"   export PULUMI_BACKEND_URL=postgres://... (what `npm run fleet` and `pulumi` use)
#   scripts/postgres.sh url      that URL alone (for scripts and tests that pass it on themselves)
#   scripts/postgres.sh status   running or stopped, and the URL without its password
#   scripts/postgres.sh query SQL   psql -At of one statement (the benchmark reads the server's statistics with it)
#   scripts/postgres.sh stop     stop the server and delete its data (nothing is left behind)
# The data dir is $OPENCLAW_FLEET_PG_DIR (default: $TMPDIR/openclaw-fleet-postgres-<uid>-<cache>, one server per
# cache, so checkouts with caches of their own (OPENCLAW_FLEET_CACHE) never stop each other's). As root, the server
# runs as the system user `openclaw-pg` (created once): initdb and postgres refuse to run as root.
set -euo pipefail
cache_root="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
dir="${OPENCLAW_FLEET_PG_DIR:-${TMPDIR:-/tmp}/openclaw-fleet-postgres-$(id -u)-$(printf '%s' "$cache_root" | sha256sum | cut -c1-8)}"
data="$dir/data"
state="$dir/connection"   # port and password, readable by the invoking user only
db_user=pulumi
db_name=pulumi

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] && command -v pg_ctl >/dev/null 2>&1; then bin="$(dirname "$(command -v pg_ctl)")"; fi
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && echo "$bin"
}

ensure_server() {
  local bin
  if bin="$(pg_bin)"; then echo "$bin"; return; fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "postgres.sh: installing Debian's postgresql (apt-get)" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
  # The package starts a cluster of its own on 5432 where systemd runs; this script never uses it.
  pg_bin || { echo "postgres.sh: postgresql installed but initdb/pg_ctl not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
}

# Runs a server command as the data dir's owner: the invoking user, or `openclaw-pg` when that is root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u openclaw-pg -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    # Nothing answers on it: free (a race with another process is possible; pg_ctl then fails and says so).
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "postgres.sh: no free port found" >&2; exit 1
}

read_state() { port="$(sed -n 1p "$state")"; password="$(sed -n 2p "$state")"; }
url() { echo "postgres://$db_user:$1@127.0.0.1:$port/$db_name?sslmode=disable"; }
running() { [ -f "$state" ] && [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

cmd="${1:-}"
case "$cmd" in
  start)
    bin="$(ensure_server)"
    if running; then read_state; echo "postgres.sh: already running on 127.0.0.1:$port" >&2; exit 0; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      id openclaw-pg >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin openclaw-pg
      # The server user needs its way to the data dir: the dir itself is its own, the state file stays root's.
      mkdir -p "$data"
      chown openclaw-pg: "$data"
      chmod 711 "$dir"
    fi
    password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    port="$(free_port)"
    printf '%s\n%s\n' "$port" "$password" > "$state"
    chmod 600 "$state"
    pwfile="$(mktemp)"
    printf '%s\n' "$password" > "$pwfile"
    [ "$(id -u)" -eq 0 ] && chown openclaw-pg: "$pwfile"
    as_owner "$bin/initdb" -D "$data" --username="$db_user" --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    # Loopback only, no Unix socket (its default directory may not exist or be writable here).
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=''" start >/dev/null
    PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$db_user" "$db_name"
    echo "postgres.sh: running on 127.0.0.1:$port (data $data); eval \"\$(scripts/postgres.sh env)\" to use it" >&2
    ;;
  env|url)
    [ -f "$state" ] || { echo "postgres.sh: not started (scripts/postgres.sh start)" >&2; exit 1; }
    read_state
    if [ "$cmd" = url ]; then url "$password"; else echo "export PULUMI_BACKEND_URL='$(url "$password")'"; fi
    ;;
  status)
    bin="$(pg_bin)" || { echo "stopped (no PostgreSQL server installed)"; exit 1; }
    if running; then read_state; echo "running $(url '***')"; else echo "stopped"; exit 1; fi
    ;;
  query)
    [ -n "${2:-}" ] || { echo "usage: scripts/postgres.sh query SQL" >&2; exit 2; }
    bin="$(pg_bin)" && [ -f "$state" ] || { echo "postgres.sh: not started (scripts/postgres.sh start)" >&2; exit 1; }
    read_state
    PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$db_user" -d "$db_name" -At -v ON_ERROR_STOP=1 -c "$2"
    ;;
  stop)
    if bin="$(pg_bin)" && [ -f "$data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    echo "postgres.sh: stopped, $dir removed" >&2
    ;;
  *)
    echo "usage: scripts/postgres.sh start|env|url|status|query SQL|stop" >&2
    exit 2
    ;;
esac
