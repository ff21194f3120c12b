#!/usr/bin/env bash
# The project's test command (README): builds every module and runs the default test suite.
# Long runs (crash soak, 10M-command simulation, large multi-session run) are behind: scripts/test.sh -Psoak
# The history store against a real PostgreSQL server (installed when missing): scripts/test.sh -Ppostgres
# Unmodified Binance client libraries (ccxt, @binance/connector) against the Binance face, besides
# the default suite (node and npm installed when missing, packages by npm ci): scripts/test.sh -Pcompat
set -euo pipefail
cd "$(dirname "$0")/.."
for a in "$@"; do
  if [ "$a" = "-Ppostgres" ]; then
    exec scripts/postgres-tests.sh "$@"
  fi
  if [ "$a" = "-Pcompat" ] && ! { command -v node && command -v npm; } >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "ERROR: -Pcompat needs node and npm: apt-get install -y nodejs npm" >&2
      exit 1
    fi
    echo "Installing nodejs and npm from Debian packages..." >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
done
exec mvn -B -ntp verify "$@"
