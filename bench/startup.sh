#!/usr/bin/env bash
# Time from `java -jar` to the first 200 of /actuator/health/readiness, on an empty H2
# store each time, RUNS times each: the fat jar, the extracted jar (java -Djarmode=tools
# extract), and the extracted jar with a class-data archive: JDK 25's AOT cache
# (-XX:AOTCache, trained by one run) or, before JDK 24, dynamic CDS (-XX:SharedArchiveFile).
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/startup.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
RUNS=${RUNS:-3}
PORT=${PORT:-38095}
JAVA_OPTS=${JAVA_OPTS:-}
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q -DskipTests package
JAR=$(ls target/engine-control-*.jar | head -1)
WORK=$(mktemp -d /tmp/ec-startup.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')

ready_ms() { # JAR ARGS...
	local jar=$1
	shift
	rm -rf "$WORK/data"
	local t0
	t0=$(date +%s%N)
	# No readiness grace: each run is stopped, and the stop would wait for it.
	# shellcheck disable=SC2086
	ENGINE_CONTROL_DATA_DIR=$WORK/data ENGINE_CONTROL_SHUTDOWN_READINESS_GRACE=0s "$JAVA" $JAVA_OPTS "$@" -jar "$jar" --server.port="$PORT" >"$WORK/app.log" 2>&1 &
	PID=$!
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/actuator/health/readiness")" = 200 ]; do
		kill -0 "$PID" 2>/dev/null || { echo "did not start: $WORK/app.log" >&2; tail -5 "$WORK/app.log" >&2; exit 1; }
		sleep 0.02
	done
	echo $((($(date +%s%N) - t0) / 1000000))
	kill "$PID"
	wait "$PID" 2>/dev/null || true
	PID=
}

series() { # LABEL JAR ARGS...
	local label=$1 times=()
	shift
	for _ in $(seq 1 "$RUNS"); do
		times+=("$(ready_ms "$@")")
	done
	printf '%-34s %s ms (median of %s: %s)\n' "$label" \
		"$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")" "$RUNS" "${times[*]}"
}

echo "java $FEATURE, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
series "fat jar" "$JAR"
series "extracted jar" "$WORK/app/$(basename "$JAR")"
if [ "$FEATURE" -ge 25 ]; then
	rm -rf "$WORK/data"
	# shellcheck disable=SC2086
	ENGINE_CONTROL_DATA_DIR=$WORK/data "$JAVA" $JAVA_OPTS -XX:AOTCacheOutput="$WORK/app.aot" -Dspring.context.exit=onRefresh \
		-jar "$WORK/app/$(basename "$JAR")" >"$WORK/train.log" 2>&1 || true
	series "extracted jar + AOT cache" "$WORK/app/$(basename "$JAR")" -XX:AOTCache="$WORK/app.aot"
else
	rm -rf "$WORK/data"
	# shellcheck disable=SC2086
	ENGINE_CONTROL_DATA_DIR=$WORK/data "$JAVA" $JAVA_OPTS -XX:ArchiveClassesAtExit="$WORK/app.jsa" -Dspring.context.exit=onRefresh \
		-jar "$WORK/app/$(basename "$JAR")" >"$WORK/train.log" 2>&1 || true
	series "extracted jar + CDS archive" "$WORK/app/$(basename "$JAR")" -XX:SharedArchiveFile="$WORK/app.jsa"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
