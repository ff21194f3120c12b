#!/usr/bin/env bash
# Starts the exchange: scripts/run.sh [--simulate] [--config FILE] [--port N] [--data-dir DIR]
# With no --config it runs the embedded demo configuration (always-open calendar, demo
# accounts funded, their API keys printed). Ctrl-C / SIGTERM stops it cleanly.
#
# --simulate: reference prices from a simulated venue. Starts the quote simulator
# (scripts/quote-sim.sh) on 127.0.0.1:9001 in the background and runs the exchange on
# gateway/src/main/resources/config/demo-simulate.json, the demo configuration plus a quote source
# named "sim" pointed at it (AAPLUSD -> AAPL, ...) and fills against the outside market for AAPL
# and MSFT (liquidity provider: the demo account lp), with data in ./data-simulate; stopping the
# exchange stops the simulator.
# QUOTE_SIM_SEED (default 42) and QUOTE_SIM_RATE (quote updates a second, default 20) tune it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/jvm-flags.sh"
simulate=0
args=()
for a in "$@"; do
  if [ "$a" = "--simulate" ]; then
    simulate=1
  else
    args+=("$a")
  fi
done
exchange_build_if_needed
if [ "$simulate" = 0 ]; then
  exec java "${JVM_FLAGS[@]}" "${SERVER_JVM_FLAGS[@]}" ${EXCHANGE_JAVA_OPTS:-} -jar "$EXCHANGE_JAR" ${args[@]+"${args[@]}"}
fi

for a in ${args[@]+"${args[@]}"}; do
  if [ "$a" = "--config" ]; then
    echo "run.sh: --simulate runs its own configuration (config/demo-simulate.json); leave out --config" >&2
    exit 2
  fi
done
config="$here/../gateway/src/main/resources/config/demo-simulate.json"
"$here/quote-sim.sh" --port 9001 --seed "${QUOTE_SIM_SEED:-42}" --rate "${QUOTE_SIM_RATE:-20}" &
sim_pid=$!
java "${JVM_FLAGS[@]}" "${SERVER_JVM_FLAGS[@]}" ${EXCHANGE_JAVA_OPTS:-} -jar "$EXCHANGE_JAR" --config "$config" \
  ${args[@]+"${args[@]}"} &
exchange_pid=$!
stop_both() {
  kill -TERM "$exchange_pid" 2>/dev/null || true
  wait "$exchange_pid" 2>/dev/null || true
  kill -TERM "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
}
trap 'stop_both; exit 130' INT TERM
status=0
wait "$exchange_pid" || status=$?
kill -TERM "$sim_pid" 2>/dev/null || true
wait "$sim_pid" 2>/dev/null || true
exit "$status"
