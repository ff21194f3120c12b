#!/usr/bin/env bash
# HTTP load run against a real exchange server on loopback, with wrk (Debian package, installed
# here if missing). Measures, in the same run and on the same server:
#   1. GET /health              - the framework's own ceiling (trivial endpoint)
#   1b. GET /health (scripted)  - the same, each request built by a wrk Lua function with an
#                                 order-sized header, as the order runs' requests are: wrk shares
#                                 the cores, so this shows the client's own share of the gap
#   2. POST /probe/orders       - order entry's HTTP half alone: auth, rate limit, JSON in and out,
#                                 no ring (served because the run's config sets load_probes)
#   3. POST /probe/orders-async - the same, answered through the future + thread-pool hand-off
#   4. POST /v1/orders          - order entry through auth, JSON, ring, journal, engine, response
# and prints req/s, p50/p99 and each rate as a ratio of /health's. wrk's p50/p99 run from the
# moment it writes a request to the moment it has read the response; the server's (srv columns)
# run from the request's arrival (Jetty's selector finding its connection readable, so a wait for
# a request thread counts) to Javalin finishing it, read from the route's latency histogram in
# /metrics over the measured seconds only (its bucket bounds: "<=2.5ms" means the quantile falls in
# the bucket ending at 2.5 ms). Where wrk's figure is far above the server's, the time goes outside
# the request handling: sockets, Jetty's writes, the scheduler, wrk itself.
# "srv CPU" is the server process's CPU time (all its threads, user + system, from /proc) during
# the measured run divided by the requests served: what a request costs the server, which moves
# less with the shared machine's scheduling than the rates do.
#
# The ratio of a single pair of runs moves by about +-0.04 with the shared machine's noise, and
# /health and the orders run are measured at different moments. So after the table the script
# runs /health and /v1/orders alternately --rounds times in all (the table's pair is the first
# round) and prints each round's ratio and their median: the figure to report.
#
# The server's heap is LOADTEST_HEAP (default 4g), fixed and pre-touched: the engine keeps every
# order of the day, about 250 bytes each here, and the default three rounds place some 2.4M orders.
# In a 1 GB heap the live set passed 600 MB by the third round of five and G1 then ran marking
# cycles and mixed collections back to back, which cost order entry 15-20% of its rate by the
# fifth round: the test measured the heap size, not the order path.
# During every orders run the history writer's lag (the gauge exchange_history_lag_millis: now
# minus the stamp of the oldest event the history database has not applied) is sampled every
# 100 ms; its p50, p99 and max over all samples are printed last.
# LOADTEST_JAVA_OPTS adds server JVM options (e.g. a JFR recording); LOADTEST_RING_SIZE sets the
# config's ring_size (default: the server's). LOADTEST_THREAD_CPU=1 adds, per /health and orders
# round, each server thread's CPU and voluntary context switches (wake-ups) per request over the
# measured run (from /proc/<pid>/task/*/schedstat and status), threads of one name summed.
# LOADTEST_JAR runs another build's exchange.jar (an A/B's "before") instead of this tree's.
#
# Then the latency part (issue 21), on the same server: HttpLatencyDriver (benchmarks module, built
# here if needed) measures one client in a closed loop and open loops at fixed rates (--rates), each
# against GET /health in alternated rounds (--latency-rounds), the open loops from each request's
# intended send time (no coordinated omission), and prints orders/s, p50, p99 and p99.9 per mode
# with the median ratio to /health, plus RESULT lines. Each closed-loop round also measures the two
# probes, and a decomposition after the table splits the order's p50 over /health into HTTP work
# (probe - health), the async answer (probe async - probe) and the ring's round trip (orders -
# probe async). --only throughput|latency runs one part.
# usage: scripts/loadtest.sh [--duration SECONDS] [--connections N] [--threads N] [--durability process|sync]
#                            [--wait-strategy blocking_parking|blocking|lite_blocking|sleeping] [--warmup SECONDS]
#                            [--http-threads N] [--rounds N] [--only throughput|latency]
#                            [--latency-rounds N] [--latency-seconds S] [--rates R1,R2,...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/jvm-flags.sh"

duration=15 connections=32 threads=1 durability=process warmup=5 wait=blocking_parking http_threads=64 rounds=3
only=all latency_rounds=3 latency_seconds=5 rates=1000,5000,10000
heap="${LOADTEST_HEAP:-4g}"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --durability) durability="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --wait-strategy) wait="$2"; shift 2 ;;
    --http-threads) http_threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --latency-rounds) latency_rounds="$2"; shift 2 ;;
    --latency-seconds) latency_seconds="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "--rounds must be a positive integer" >&2; exit 2 ;; esac
case "$only" in all|throughput|latency) ;; *) echo "--only must be throughput or latency" >&2; exit 2 ;; esac

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (apt-get)..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && apt-get install -y -qq wrk >&2
  else sudo apt-get update -qq >&2 && sudo apt-get install -y -qq wrk >&2; fi
fi
if [ -n "${LOADTEST_JAR:-}" ]; then EXCHANGE_JAR="$LOADTEST_JAR"; else exchange_build_if_needed; fi
bench_jar="$root/benchmarks/target/benchmarks.jar"
if [ "$only" != throughput ] && { [ ! -f "$bench_jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$bench_jar" -print -quit)" ]; }; then
  echo "Building the benchmarks jar (mvn package, tests skipped)..." >&2
  (cd "$root" && mvn -B -ntp -q -DskipTests package -pl benchmarks -am) >&2
fi

work="$(mktemp -d -t exchange-load.XXXXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 18080)
admin="loadtest-admin-key-$(date +%s)"
ring_size_line=""
if [[ -n "${LOADTEST_RING_SIZE:-}" ]]; then
  ring_size_line=$'\n'"  \"ring_size\": $LOADTEST_RING_SIZE,"
fi
cat > "$work/config.json" <<JSON
{
  "port": $port,
  "data_dir": "$work/data",
  "durability": "$durability",
  "wait_strategy": "$wait",$ring_size_line
  "rate_limit": {"tokens_per_second": 100000000, "burst": 100000000},
  "snapshot_every_commands": 0,
  "load_probes": true,
  "http_threads": $http_threads,
  "calendar": {"type": "always_open"},
  "symbols": [{"symbol": "AAPL", "reference_price": "100.00"}],
  "engine": {"max_open_orders_per_account": 1000000}
}
JSON
EXCHANGE_ADMIN_KEY="$admin" java "${JVM_FLAGS[@]}" "${SERVER_JVM_FLAGS[@]}" -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch ${LOADTEST_JAVA_OPTS:-} -jar "$EXCHANGE_JAR" --config "$work/config.json" \
  > "$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

api() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
buyer=$(api -X POST "http://127.0.0.1:$port/v1/admin/accounts" -d '{"name":"load-buyer"}')
seller=$(api -X POST "http://127.0.0.1:$port/v1/admin/accounts" -d '{"name":"load-seller"}')
buyer_id=$(echo "$buyer" | field account_id); buyer_key=$(echo "$buyer" | field api_key)
seller_id=$(echo "$seller" | field account_id); seller_key=$(echo "$seller" | field api_key)
api -X POST "http://127.0.0.1:$port/v1/admin/accounts/$buyer_id/deposits" \
  -d '{"asset":"USD","amount":"5000000000.00","transfer_id":"load-usd"}' >/dev/null
api -X POST "http://127.0.0.1:$port/v1/admin/accounts/$seller_id/deposits" \
  -d '{"asset":"AAPL","amount":"50000000","transfer_id":"load-aapl"}' >/dev/null

# Each request alternates buyer and seller at the same price, so every pair trades and the
# book stays small: the load exercises accept + match + settle + journal, not a growing book.
# Every wrk run passes its own tag (after "--"), so no run repeats another's client order ids:
# wrk's Lua random numbers start from the same seed in every run, and ids drawn from them made
# the measured run's first orders idempotent repeats of the warm-up's.
cat > "$work/orders.lua" <<LUA
local counter = 0
local prefix = ""
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) prefix = (args[1] or "run") .. "-" .. tid end
request = function()
  counter = counter + 1
  local side, key
  if counter % 2 == 0 then side, key = "buy", "$buyer_key" else side, key = "sell", "$seller_key" end
  local body = '{"client_order_id":"w' .. prefix .. '-' .. counter .. '","symbol":"AAPL","side":"' .. side
    .. '","qty":1,"limit_price":"100.00","time_in_force":"day"}'
  return wrk.format("POST", "/v1/orders", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. key}, body)
end
LUA

# CPU time the server process has used (user + system, all threads), in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# With LOADTEST_THREAD_CPU=1: per server thread, "tid name cpu-ns voluntary-switches" (run time
# from schedstat, ns; the name from comm, digits folded to # so pool threads add up)
thread_snapshot() {
  local t
  for t in /proc/"$server"/task/*; do
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' '_' < "$t/comm" | sed 's/[0-9][0-9]*/#/g')" \
      "$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null || echo 0)" \
      "$(awk '$1 == "voluntary_ctxt_switches:" {print $2}' "$t/status" 2>/dev/null || echo 0)"
  done 2>/dev/null
}
# thread_report label requests: CPU (us) and voluntary context switches (wake-ups) per request
# during the measured run, summed by thread name (x: how many threads share it), largest first
thread_report() {
  awk -v n="$2" '
    FILENAME ~ /before$/ { c0[$1] = $3; v0[$1] = $4; next }
    { cpu[$2] += $3 - c0[$1]; vcs[$2] += $4 - v0[$1]; cnt[$2]++; total += $3 - c0[$1]; vt += $4 - v0[$1] }
    END {
      for (k in cpu) if (cpu[k] / 1000 / n >= 0.05 || vcs[k] / n >= 0.001)
        printf "  %-18s x%-3d %8.2f us %8.3f vcsw\n", k, cnt[k], cpu[k] / 1000 / n, vcs[k] / n
      printf "  %-18s      %8.2f us %8.3f vcsw\n", "(all threads)", total / 1000 / n, vt / n
    }' "$work/$1.threads.before" "$work/$1.threads.after" | sort -k3 -rn
}
metrics() { curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/metrics" || true; }
# appends exchange_history_lag_millis to a file every 100 ms until killed
lag_sampler() {
  while :; do metrics | awk '$1 == "exchange_history_lag_millis" {print $2}' >> "$1"; sleep 0.1; done
}
run() { # label, wrk args... (the URL last)
  local label="$1" sampler=""; shift
  wrk -t"$threads" -c"$connections" -d"${warmup}s" "$@" -- "$label-warm" >/dev/null 2>&1 || true
  metrics > "$work/$label.before"
  [ -z "${LOADTEST_THREAD_CPU:-}" ] || thread_snapshot > "$work/$label.threads.before"
  cpu_ticks > "$work/$label.cpu"
  case "$label" in orders*) lag_sampler "$work/$label.lag" & sampler=$! ;; esac
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" -- "$label-measured" > "$work/$label.txt" 2>&1
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; fi
  echo $(( $(cpu_ticks) - $(cat "$work/$label.cpu") )) > "$work/$label.cpu"
  [ -z "${LOADTEST_THREAD_CPU:-}" ] || thread_snapshot > "$work/$label.threads.after"
  metrics > "$work/$label.after"
}
sed 's|"/v1/orders"|"/probe/orders"|' "$work/orders.lua" > "$work/probe.lua"
sed 's|"/v1/orders"|"/probe/orders-async"|' "$work/orders.lua" > "$work/probe-async.lua"
if [ "$only" != latency ]; then
run health "http://127.0.0.1:$port/health"
# The same trivial endpoint, but each request built by a Lua function with an order-sized header,
# as the order runs build theirs: shows how much of the gap is wrk's own cost on the shared cores.
cat > "$work/health.lua" <<LUA
local counter = 0
request = function()
  counter = counter + 1
  local pad = '{"client_order_id":"w-' .. counter .. '","symbol":"AAPL","side":"buy","qty":1,"limit_price":"100.00"}'
  return wrk.format("GET", "/health", {["X-Pad"] = pad, ["Authorization"] = "Bearer $buyer_key"})
end
LUA
run health-scripted -s "$work/health.lua" "http://127.0.0.1:$port/health"
run probe -s "$work/probe.lua" "http://127.0.0.1:$port/probe/orders"
run probe-async -s "$work/probe-async.lua" "http://127.0.0.1:$port/probe/orders-async"
run orders -s "$work/orders.lua" "http://127.0.0.1:$port/v1/orders"
for r in $(seq 2 "$rounds"); do
  run "health-r$r" "http://127.0.0.1:$port/health"
  run "orders-r$r" -s "$work/orders.lua" "http://127.0.0.1:$port/v1/orders"
done

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/$1.txt"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$work/$1.txt"; }
errors() { sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$work/$1.txt"; }
# server_pct label route quantile: the upper bound of the latency bucket holding that quantile of
# the route's requests during the measured run (the histogram's counts after minus before)
server_pct() {
  awk -v route="$2" -v q="$3" '
    index($0, "exchange_http_request_duration_seconds_bucket{route=\"" route "\",") == 1 {
      le = $0; sub(/.*le="/, "", le); sub(/".*/, "", le)
      if (FILENAME ~ /before$/) { before[le] = $NF } else { after[le] = $NF; order[++n] = le }
    }
    END {
      total = after["+Inf"] - before["+Inf"]
      if (total <= 0) { print "-"; exit }
      for (i = 1; i <= n; i++) {
        le = order[i]
        if (after[le] - before[le] >= q * total) {
          if (le == "+Inf") { print ">" prev } else { printf "<=%gms\n", le * 1000 }
          exit
        }
        prev = sprintf("%gms", le * 1000)
      }
    }' "$work/$1.before" "$work/$1.after"
}
# place_order results during the measured orders run, from the engine's command counters
placed() { # result
  awk -v r="$1" 'index($0, "exchange_commands_total{type=\"place_order\",result=\"" r "\"}") == 1 {
      if (FILENAME ~ /before$/) { b = $NF } else { a = $NF } }
    END { print a - b }' "$work/orders.before" "$work/orders.after"
}
health_rps=$(rps health); orders_rps=$(rps orders)
state=$(api "http://127.0.0.1:$port/v1/admin/state")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); durability $durability; wait strategy $wait; http threads $http_threads; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$threads -c$connections -d${duration}s (after ${warmup}s warm-up), loopback, wrk on the same cores"
# server CPU per request in the measured run, in microseconds
cpu_per_request() {
  awk -v t="$(cat "$work/$1.cpu")" -v hz="$(getconf CLK_TCK)" -v r="$2" -v d="$duration" \
    'BEGIN { printf "%.1fus", t / hz * 1e6 / (r * d) }'
}
row() { # label, endpoint, route
  local r; r=$(rps "$1")
  printf '%-26s %12s %10s %10s %10s %10s %10s %10s %10s\n' "$2" "$r" "$(pct "$1" 50%)" "$(pct "$1" 99%)" \
    "$(server_pct "$1" "$3" 0.5)" "$(server_pct "$1" "$3" 0.99)" "$(cpu_per_request "$1" "$r")" "$(errors "$1")" \
    "$(awk -v o="$r" -v h="$health_rps" 'BEGIN { printf "%.2f", o / h }')"
}
printf '%-26s %12s %10s %10s %10s %10s %10s %10s %10s\n' endpoint 'req/s' p50 p99 'srv p50' 'srv p99' 'srv CPU' non-2xx '/ health'
row health 'GET /health' 'GET /health'
row health-scripted 'GET /health (scripted)' 'GET /health'
row probe 'POST /probe/orders' 'POST /probe/orders'
row probe-async 'POST /probe/orders-async' 'POST /probe/orders-async'
row orders 'POST /v1/orders' 'POST /v1/orders'
awk -v o="$orders_rps" -v h="$health_rps" -v hs="$(rps health-scripted)" \
  'BEGIN { printf "order entry / trivial endpoint = %.2f (%.2f against the scripted one)\n", o / h, o / hs }'
# The alternated rounds: each round's /health and orders rates, its ratio, and the median ratio.
round_label() { if [ "$2" = 1 ]; then echo "$1"; else echo "$1-r$2"; fi; }
for r in $(seq 1 "$rounds"); do
  h=$(round_label health "$r"); o=$(round_label orders "$r")
  printf '%s %s %s %s\n' "$(rps "$h")" "$(rps "$o")" "$(cpu_per_request "$h" "$(rps "$h")")" "$(cpu_per_request "$o" "$(rps "$o")")"
done | awk '{ ratio[NR] = $2 / $1
    printf "round %d: /health %.0f req/s (srv CPU %s), orders %.0f req/s (srv CPU %s) = %.2f\n", NR, $1, $3, $2, $4, ratio[NR] }
  END { n = NR
        for (i = 2; i <= n; i++) { v = ratio[i]; for (j = i - 1; j >= 1 && ratio[j] > v; j--) ratio[j + 1] = ratio[j]; ratio[j + 1] = v }
        m = n % 2 ? ratio[(n + 1) / 2] : (ratio[n / 2] + ratio[n / 2 + 1]) / 2
        printf "order entry / trivial endpoint, median of %d alternated rounds = %.2f\n", n, m }'
if [ -n "${LOADTEST_THREAD_CPU:-}" ]; then
  for r in $(seq 1 "$rounds"); do
    for l in "$(round_label health "$r")" "$(round_label orders "$r")"; do
      echo "per-thread CPU and wake-ups per request, $l:"
      thread_report "$l" "$(awk -v r="$(rps "$l")" -v d="$duration" 'BEGIN { printf "%d", r * d }')"
    done
  done
fi
echo "orders in the first round's measured run: $(placed ok) accepted, $(placed duplicate) idempotent repeats (must be 0)"
echo "engine after the run: $(echo "$state" | sed 's/"accounts".*//')seq and hash above"
cat "$work"/orders*.lag 2>/dev/null | sort -n | awk '
  function q(p) { i = int(p * NR); if (i < p * NR) i++; if (i < 1) i = 1; return v[i] }
  { v[NR] = $1 }
  END { if (NR == 0) { print "history writer lag: no samples"; exit }
        printf "history writer lag during the orders runs (exchange_history_lag_millis every 100 ms, %d samples): p50 %s ms, p99 %s ms, max %s ms\n", NR, q(0.5), q(0.99), v[NR] }'
fi

if [ "$only" != throughput ]; then
  echo
  echo "latency: one client closed loop, then open loops at $rates orders/s, each against GET /health;" \
       "$latency_rounds alternated rounds of ${latency_seconds}s (after 2s warm-up each); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java "${JVM_FLAGS[@]}" -cp "$bench_jar" exchange.bench.HttpLatencyDriver "$port" "$buyer_key" "$seller_key" \
    "$latency_rounds" "$latency_seconds" 2 "$rates" 32
fi
