#!/usr/bin/env bash
# The journal replay tool: scripts/replay.sh --data-dir DIR [--verify | --to-seq N | --dump | --report YYYY-MM-DD]
# Rebuilds the exchange from a data directory (read-only: it never modifies it) and prints its
# state, verifies determinism and the derived files, dumps the journal as JSON lines, or
# regenerates an end-of-day report. --help prints every option. Builds the jar first if needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/jvm-flags.sh"
exchange_build_if_needed
exec java "${JVM_FLAGS[@]}" ${EXCHANGE_JAVA_OPTS:-} -cp "$EXCHANGE_JAR" exchange.journal.replay.ReplayTool "$@"
