#!/usr/bin/env bash
# Benchmarks (DESIGN section 7): the JMH suite, or the in-process latency harness.
#
#   scripts/bench.sh                          every JMH benchmark (a few minutes)
#   scripts/bench.sh OrderBook -prof gc       any JMH arguments: a benchmark regex, -wi/-i/-w/-r, -p, -prof ...
#   scripts/bench.sh -l                       list the benchmarks
#   scripts/bench.sh --quick [ROUNDS] [FLOW] [PEER_FLOW] [LATENCY_SECONDS]
#                                             the one-command summary (QuickBench, under 5 minutes):
#                                             one "RESULT name=value" line per figure, then the ratios
#   scripts/bench.sh --latency RATE SECONDS SEED [WARMUP_SECONDS] [WAIT_STRATEGY] [JOURNAL]
#                                             fixed-rate latency run through the pipeline (HdrHistogram),
#                                             JOURNAL none (default), process or sync;
#                                             heap from LATENCY_HEAP (default 4g): the engine keeps every order
# Extra JVM options for the harness or the JMH host (e.g. another GC) go in JAVA_TOOL_OPTIONS.
#
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than any source.
# Never pass -jvmArgsAppend to JMH: it replaces the Chronicle flags the benchmarks declare in
# @Fork (see BenchmarkDefaults); use -jvmArgs to add flags.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar

# JVM flags Chronicle Queue and Agrona need on Java 17+ (one list for every launcher).
source scripts/jvm-flags.sh

if [[ ! -f "$JAR" ]] || [[ -n "$(find pom.xml risk engine journal gateway benchmarks \
      \( -name '*.java' -o -name pom.xml \) -newer "$JAR" -not -path '*/target/*' -print -quit)" ]]; then
  echo "building $JAR ..." >&2
  mvn -B -ntp -q -DskipTests package -pl benchmarks -am
fi

if [[ "${1:-}" == "--quick" ]]; then
  shift
  heap="${QUICK_HEAP:-4g}"
  exec java "${JVM_FLAGS[@]}" "-Xms$heap" "-Xmx$heap" -cp "$JAR" exchange.bench.QuickBench "$@"
fi
if [[ "${1:-}" == "--latency" ]]; then
  shift
  heap="${LATENCY_HEAP:-4g}"
  exec java "${JVM_FLAGS[@]}" "-Xms$heap" "-Xmx$heap" -cp "$JAR" exchange.bench.LatencyHarness "$@"
fi
exec java "${JVM_FLAGS[@]}" -jar "$JAR" "$@"
