#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on a local port for the platform tests and print
#   export DUDAO_TEST_PG=postgresql+psycopg://…
# Installs Debian's postgresql when it is missing (as root). Used by `make test` and .ci/run.
set -euo pipefail
PORT="${DUDAO_PG_PORT:-55432}"
DIR="${DUDAO_PG_DIR:-/tmp/dudao-pg-$PORT}"
bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin="$d"; done
if [ -z "$bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin="$d"; done
  fi
fi
[ -n "$bin" ] || { echo "PostgreSQL 不可用：请安装 postgresql（apt-get install postgresql）" >&2; exit 1; }
# The server refuses to run as root: run it as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! as_pg "$bin/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR"; mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_pg "$bin/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$bin/pg_ctl" -D "$DIR" -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" \
        -l "$DIR/server.log" -w start >/dev/null
fi
echo "export DUDAO_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
