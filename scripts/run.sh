#!/usr/bin/env bash
# Starts the exchange: scripts/run.sh [--config FILE] [--port N] [--data-dir DIR]
# With no --config it runs the embedded demo configuration (always-open calendar, demo
# accounts funded, their API keys printed). Ctrl-C / SIGTERM stops it cleanly.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/jvm-flags.sh"
exchange_build_if_needed
exec java "${JVM_FLAGS[@]}" "${SERVER_JVM_FLAGS[@]}" ${EXCHANGE_JAVA_OPTS:-} -jar "$EXCHANGE_JAR" "$@"
