#!/usr/bin/env bash
# Runs the history-store tests against a real, throwaway PostgreSQL server:
#   scripts/test.sh -Ppostgres        (or this script directly; extra arguments go to Maven)
# Installs Debian's postgresql package when no server binaries are found (needs root), starts
# a fresh cluster in a temporary directory on a free loopback port as an unprivileged user,
# runs the readside module's tests with exchange.history.test.jdbc-url pointing at it, and
# stops and deletes the cluster on exit, whatever the outcome.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

bin=$(pg_bin || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres-tests: PostgreSQL is not installed and this user cannot install it (run as root, or apt-get install postgresql)" >&2
    exit 1
  fi
  echo "postgres-tests: installing PostgreSQL from Debian packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bin=$(pg_bin)
fi

# The server refuses to run as root: as root, use (and create once) an unprivileged system user.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  pg_user=exchange-pg
  id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
  run_as=(runuser -u "$pg_user" --)
fi

work=$(mktemp -d /tmp/exchange-pg.XXXXXX)
chmod 755 "$work"
[ ${#run_as[@]} -gt 0 ] && chown "$pg_user" "$work"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if port_free "$candidate"; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "postgres-tests: no free port found" >&2; exit 1; }

stop_server() {
  "${run_as[@]}" "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop_server EXIT

"${run_as[@]}" "$bin/initdb" -D "$work/data" -U exchange --auth=trust -E UTF8 >/dev/null
"${run_as[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"${run_as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U exchange -d postgres -q -c "CREATE DATABASE history_test" >/dev/null
echo "postgres-tests: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

args=()
for a in "$@"; do [ "$a" != "-Ppostgres" ] && args+=("$a"); done
mvn -B -ntp -Ppostgres -pl readside -am verify \
  -Dtest='exchange.readside.**' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dexchange.history.test.jdbc-url="jdbc:postgresql://127.0.0.1:$port/history_test" \
  -Dexchange.history.test.user=exchange "${args[@]}"
