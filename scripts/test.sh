#!/usr/bin/env bash
# The project's test command (README): builds every module and runs the default test suite.
# Long runs (crash soak, 10M-command simulation, large multi-session run) are behind: scripts/test.sh -Psoak
# The history store against a real PostgreSQL server (installed when missing): scripts/test.sh -Ppostgres
# The web page in headless Chromium (chromium and chromium-driver installed when missing), besides
# the default suite: scripts/test.sh -Pbrowser
# npm (for the page's charting library, fetched by the build) is installed when missing.
# Unmodified Binance client libraries (ccxt, @binance/connector) against the Binance face, besides
# the default suite (packages by npm ci): scripts/test.sh -Pcompat
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
exchange_ensure_npm
for a in "$@"; do
  if [ "$a" = "-Ppostgres" ]; then
    exec scripts/postgres-tests.sh "$@"
  fi
  if [ "$a" = "-Pbrowser" ]; then
    exchange_ensure_chromium
  fi
done
exec mvn -B -ntp verify "$@"
