#!/usr/bin/env bash
# Runs the quote simulator: a pretend outside venue on 127.0.0.1 serving Binance's public
# market-data format (WebSocket <symbol>@bookTicker and <symbol>@trade, raw at /ws/<stream> and
# combined at /stream?streams=, REST /api/v3/ticker/bookTicker and /api/v3/ping) from a seeded
# random walk, for a quote source (quote_sources in the config) to connect to.
# usage: scripts/quote-sim.sh [--port N] [--seed S] [--symbols SYM:PRICE,...] [--rate UPDATES_PER_SECOND]
#   defaults: port 9001, a random seed (printed), the demo symbols AAPLUSD:190.00,MSFTUSD:420.00,
#   GOOGLUSD:170.00,AMZNUSD:185.00,TSLAUSD:250.00, 100 quote updates a second across them.
# Its /sim/* control API (pin a quote, change the rate, drop connections, ...) is for tests and
# demos only; see exchange.gateway.quotes.sim.QuoteSimulator. Ctrl-C / SIGTERM stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/jvm-flags.sh"
exchange_build_if_needed
exec java "${JVM_FLAGS[@]}" -Xmx256m ${QUOTE_SIM_JAVA_OPTS:-} -cp "$EXCHANGE_JAR" \
  exchange.gateway.quotes.sim.QuoteSimulator "$@"
