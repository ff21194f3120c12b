#!/usr/bin/env bash
# JVM flags every exchange JVM needs on Java 17+ (Chronicle Queue and Agrona reach into JDK
# internals). The same list is in the root pom (chronicle.jvm.args) and in the shaded jar's
# manifest; see shared/deps.md for which flag does what. Source this file, then use "${JVM_FLAGS[@]}".
JVM_FLAGS=(
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.util=ALL-UNNAMED
  -Dchronicle.analytics.disable=true
  -Dchronicle.announcer.disable=true
  -Dchronicle.disk.monitor.disable=true
  -Dorg.slf4j.simpleLogger.log.net.openhft=warn
)
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [ "${java_major:-17}" -ge 24 ]; then
  JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi

# Flags for the exchange server's JVM only (run.sh, loadtest.sh, saturation.sh): ZGC. Every young
# pause of G1 stopped order entry for 25-30 ms on this 2-core box (evacuating the engine's
# long-lived order state again and again, and scanning the cards of the ring slots), and at 5k
# orders/s an open-loop run that caught one had its p99 at 10-12 ms; ZGC's pauses are ~0.01 ms and
# HTTP throughput did not fall (BENCHMARKS.md, issue 21). A collector chosen in
# EXCHANGE_JAVA_OPTS or LOADTEST_JAVA_OPTS (e.g. -XX:+UseG1GC) replaces it: two would conflict.
SERVER_JVM_FLAGS=()
case " ${EXCHANGE_JAVA_OPTS:-} ${LOADTEST_JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC "*) ;;
  *) SERVER_JVM_FLAGS+=(-XX:+UseZGC) ;;
esac

# Builds the runnable jar unless it exists and is newer than every source and pom.
exchange_build_if_needed() {
  local root jar
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  jar="$root/gateway/target/exchange.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' -o -path '*/web/package-lock.json' \) -newer "$jar" -print -quit)" ]; then
    echo "Building the exchange (mvn package, tests skipped)..." >&2
    source "$root/scripts/tools.sh"
    exchange_ensure_npm || return 1
    (cd "$root" && mvn -B -ntp -q -DskipTests package -pl gateway -am) >&2 || return 1
  fi
  EXCHANGE_JAR="$jar"
}
