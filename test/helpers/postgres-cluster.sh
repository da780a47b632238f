#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suites: initdb and pg_ctl into a temp folder, on a
# free port, as an unprivileged user (the server refuses to run as root).
#
#   eval "$(test/helpers/postgres-cluster.sh start)"   # exports CALCAST_TEST_DATABASE_URL, CALCAST_TEST_PGDATA
#   test/helpers/postgres-cluster.sh restart "$CALCAST_TEST_PGDATA"
#   test/helpers/postgres-cluster.sh stop "$CALCAST_TEST_PGDATA"     # stops and removes the folder
set -euo pipefail

bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin="$d"; done
[ -n "$bin" ] || bin="$(dirname "$(command -v pg_ctl)")"

# Root runs the server as `nobody`; anyone else runs it as themselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_ctl_on() { # dir, action
  as_owner "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 "$2" >/dev/null
}

case "${1:-}" in
  start)
    dir="$(mktemp -d /tmp/calcast-pg.XXXXXX)"
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown nobody "$dir"
    port="$(free_port)"
    as_owner "$bin/initdb" -D "$dir/data" -U calcast --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    # Tests only: no fsync (a crash of the throwaway cluster loses nothing anyone keeps), a
    # socket in the folder, TCP on localhost, room for several test servers' pools.
    cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    pg_ctl_on "$dir" start
    as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U calcast -d postgres -c 'CREATE DATABASE calcast' >/dev/null
    echo "export CALCAST_TEST_DATABASE_URL=postgres://calcast@127.0.0.1:$port/calcast"
    echo "export CALCAST_TEST_PGDATA=$dir"
    ;;
  restart)
    pg_ctl_on "$2" restart
    ;;
  stop-server)
    pg_ctl_on "$2" stop
    ;;
  start-server)
    pg_ctl_on "$2" start
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$2/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$2"
    ;;
  *)
    echo "usage: $0 start | restart DIR | stop-server DIR | start-server DIR | stop DIR" >&2
    exit 2
    ;;
esac
