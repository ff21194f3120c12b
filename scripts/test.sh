#!/usr/bin/env bash
# The project's test command (README): builds every module and runs the default test suite.
# Long runs (crash soak, 10M-command simulation, large multi-session run) are behind: scripts/test.sh -Psoak
# The history store against a real PostgreSQL server (installed when missing): scripts/test.sh -Ppostgres
set -euo pipefail
cd "$(dirname "$0")/.."
for a in "$@"; do
  if [ "$a" = "-Ppostgres" ]; then
    exec scripts/postgres-tests.sh "$@"
  fi
done
exec mvn -B -ntp verify "$@"
