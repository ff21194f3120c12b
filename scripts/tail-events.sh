#!/usr/bin/env bash
# Follows the exchange's events queue as JSON lines:
#   scripts/tail-events.sh [--data-dir DIR] [--from-start | --from-seq N] [--no-follow]
# Default data dir ./data; prints only new events unless --from-start/--from-seq. Ctrl-C stops it.
# Builds the jar first if needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/jvm-flags.sh"
exchange_build_if_needed
exec java "${JVM_FLAGS[@]}" ${EXCHANGE_JAVA_OPTS:-} -cp "$EXCHANGE_JAR" exchange.journal.TailEvents "$@"
