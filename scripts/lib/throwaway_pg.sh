# Sourced by scripts/test and bench/: starts a throwaway PostgreSQL from Debian's packages on
# loopback, exports PG_URL, and stops it (removing its data) when the calling shell exits.
# Usage: start_throwaway_pg [extra postgres -c settings...]
start_throwaway_pg() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    echo "未找到 PostgreSQL（请先运行 scripts/setup）" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/caseflow-pg.XXXXXX)
  PG_PORT=$(( 20000 + RANDOM % 20000 ))
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local opts="-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1"
  for setting in "$@"; do opts="$opts -c $setting"; done
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -o "$opts" -l "$PG_DIR/log" -w start >/dev/null
  trap stop_throwaway_pg EXIT
  "${as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres caseflow
  PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/caseflow"
  export PG_URL PG_DIR
  PG_BINDIR=$bindir
  PG_AS=("${as[@]}")
}

stop_throwaway_pg() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
