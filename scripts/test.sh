#!/usr/bin/env bash
# The project's test command (README): builds every module and runs the default test suite.
# Long runs (crash soak, 10M-command simulation) are behind: scripts/test.sh -Psoak
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
