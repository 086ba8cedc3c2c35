#!/usr/bin/env bash
# The check benchmark: builds Engine Control and a bare Spring Boot baseline, seeds a store
# with ENGINES engines, starts both, and drives POST /actions/check with wrk over keep-alive
# HTTP in ROUNDS rounds, each of three runs one after the other: allowed-only checks on Engine
# Control, the same requests on the baseline, and the mixed workload (1 check in DENY_EVERY (4)
# denied, the same denial from DENY_ENGINES engines). Each round prints its throughputs and
# latency percentiles and its ratios (a change in the machine's load falls on all three runs of a
# round); then the medians over the rounds, with their targets, the store queries during the
# rounds, the store growth per 100,000 denied checks, heap after a full GC and the time to ready.
# Then, on the same warm application, the allowed-only workload with every checked action under a
# generous quota rule (one rule per platform, every action, every engine, never exhausted), the
# fixed-rate run (latency at RATE checks/s) and the writes. See BENCHMARKS.md.
#
#   bench/run.sh                                   # 100 engines, 30 s, 32 connections, H2
#   ENGINES=100000 bench/run.sh                    # checks spread over 100,000 engines
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh
#   ENGINE_CONTROL_DB_URL=jdbc:postgresql://localhost/ec ENGINE_CONTROL_DB_USERNAME=ec \
#     ENGINE_CONTROL_DB_PASSWORD=secret bench/run.sh
#
# Settings (environment): ROUNDS (3), DURATION (30s, each run of a round), WARMUP (30s), CONNECTIONS (32), THREADS (wrk, 2),
# ENGINES (100), JAVA_OPTS (-Xms512m -Xmx512m and the Dockerfile's two G1 flags, for both
# apps), RATE (2000; 0 skips the fixed-rate run), BASELINE (1; 0 skips it), DECISION_LOG (on|off), APP_ARGS (extra
# --settings for Engine Control), INGEST (1: then REGISTRATIONS=1000 registrations and
# EVENT_REQUESTS=100 event batches of 500, 8 senders; 0 skips), PROFILE (1: JFR recordings of round 1's
# allowed-only and baseline runs: check.jfr, baseline.jfr),
# SKIP_BUILD (1: use the jars already built), PORT (38090; the baseline uses PORT+1),
# MIXED (1; 0 skips the mixed runs), DENY_EVERY (4), DENY_ENGINES (16: each engine's denials stay
# under its check budget of 1,000/s; with 1, most of them are refused 429 by the budget instead),
# QUOTA (1; 0 skips the quota run).
# Needs wrk (Debian: apt-get install -y wrk) and curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ENGINES=${ENGINES:-100}
RATE=${RATE:-2000}
BASELINE=${BASELINE:-1}
DECISION_LOG=${DECISION_LOG:-on}
JAVA_OPTS=${JAVA_OPTS:--Xms512m -Xmx512m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70}
APP_ARGS=${APP_ARGS:-}
MIXED=${MIXED:-1}
QUOTA=${QUOTA:-1}
ROUNDS=${ROUNDS:-3}
DENY_EVERY=${DENY_EVERY:-4}
DENY_ENGINES=${DENY_ENGINES:-16}
PORT=${PORT:-38090}
BASE_PORT=$((PORT + 1))
OUT=$ROOT/bench/out/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
export BENCH_DIR=$OUT
ADMIN_KEY=bench-admin-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
PIDS=()

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

cleanup() {
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT INT TERM

say() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }
load() { printf 'load average %s' "$(cut -d' ' -f1-3 /proc/loadavg)"; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "building (quietly)..."
	./mvnw -B -q -DskipTests package
	./mvnw -B -q -DskipTests package -f bench/baseline/pom.xml
fi
APP_JAR=$(ls target/engine-control-*.jar | grep -v plain | head -1)
BASE_JAR=bench/baseline/target/engine-control-baseline-0.1.0-SNAPSHOT.jar

if [ -n "${ENGINE_CONTROL_DB_URL:-}" ]; then
	DB_URL=$ENGINE_CONTROL_DB_URL
	DB_USER=${ENGINE_CONTROL_DB_USERNAME:-}
	DB_PASSWORD=${ENGINE_CONTROL_DB_PASSWORD:-}
else
	DB_URL="jdbc:h2:file:$OUT/data/engine-control;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE"
	DB_USER=sa
	DB_PASSWORD=
fi

# start NAME JAR PORT ARGS...: starts a jar, waits for readiness, prints the time to ready.
start() {
	local name=$1 jar=$2 port=$3
	shift 3
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "port $port is in use: set PORT" >&2
		exit 1
	fi
	local t0
	t0=$(date +%s%N)
	# No readiness grace: nothing balances over these, and each stop would wait for it.
	# shellcheck disable=SC2086
	ENGINE_CONTROL_DB_URL=$DB_URL ENGINE_CONTROL_DB_USERNAME=$DB_USER ENGINE_CONTROL_DB_PASSWORD=$DB_PASSWORD \
		ENGINE_CONTROL_DATA_DIR=$OUT/data ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY=$ADMIN_KEY \
		ENGINE_CONTROL_SHUTDOWN_READINESS_GRACE=0s \
		"$JAVA" $JAVA_OPTS -jar "$jar" --server.port="$port" "$@" >"$OUT/$name.log" 2>&1 &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
	local path=/actuator/health/readiness
	[ "$name" = baseline ] && path=/actions/check
	for _ in $(seq 1 1200); do
		if [ "$name" = baseline ]; then
			code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
				-d '{"platform":"gmail","action_type":"send_email"}' "http://127.0.0.1:$port$path" || true)
		else
			code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path" || true)
		fi
		[ "$code" = 200 ] && break
		kill -0 "$LAST_PID" 2>/dev/null || { echo "$name did not start; see $OUT/$name.log" >&2; exit 1; }
		sleep 0.05
	done
	READY_MS=$((($(date +%s%N) - t0) / 1000000))
}

stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

metrics() {
	curl -s -H "X-Engine-ID: admin" -H "X-Engine-Key: $ADMIN_KEY" "http://127.0.0.1:$PORT/actuator/prometheus"
}

# The store reads a check can cause are misses of the store-backed caches (engines,
# platforms with their windows, flags); the failure-limit and unknown-id caches miss on
# every good request by design and read nothing. Every statement takes a pooled
# connection, background work included.
store_counters() {
	metrics | awk '
		/^cache_gets_total\{.*cache="(engines|platforms|flags)".*result="miss"/ { misses += $NF }
		/^hikaricp_connections_acquire_seconds_count/ { acquired += $NF }
		/^engine_control_decision_records_dropped_total/ { dropped += $NF }
		END { printf "%d %d %d\n", misses, acquired, dropped }'
}

# Decision records the writer has stored so far (aggregated ones count once).
records_stored() {
	metrics | awk '/^engine_control_decision_records_stored_total/ { n += $NF } END { printf "%d\n", n }'
}

# Bytes of the H2 file, or "-" for another store.
store_bytes() {
	if [ -z "${ENGINE_CONTROL_DB_URL:-}" ] && [ -f "$OUT/data/engine-control.mv.db" ]; then
		stat -c %s "$OUT/data/engine-control.mv.db"
	else
		echo -
	fi
}

run_wrk() { # DURATION CONNECTIONS PORT [env...]
	wrk -t"$THREADS" -c"$2" -d"$1" --latency -s bench/check.lua "http://127.0.0.1:$3" 2>>"$OUT/wrk.err"
}

say "# Engine Control check benchmark $(date -u +%FT%TZ)"
say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GB"
say "java: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS=$JAVA_OPTS"
say "engines=$ENGINES connections=$CONNECTIONS threads=$THREADS duration=$DURATION warmup=$WARMUP decision_log=$DECISION_LOG db=${DB_URL%%;*}"

# 1. Migrate the store (a first start), then seed it with the application stopped.
start app "$APP_JAR" "$PORT"
say "first start (empty store, migrations): ${READY_MS} ms to ready"
stop "$LAST_PID"
lib=$OUT/lib
mkdir -p "$lib"
(cd "$lib" && unzip -qo -j "$ROOT/$APP_JAR" 'BOOT-INF/lib/h2-*.jar' 'BOOT-INF/lib/postgresql-*.jar')
"$JAVA" -cp "$lib/*" bench/Seed.java "$DB_URL" "$DB_USER" "$DB_PASSWORD" "$ENGINES" "$OUT/credentials.txt" | tee -a "$OUT/summary.txt"

# 2. Engine Control on the seeded store, and beside it the baseline (idle while the other runs).
LOG_ARGS=()
[ "$DECISION_LOG" = off ] && LOG_ARGS=(--logging.level.engine-control.decision=OFF)
# shellcheck disable=SC2086
start app "$APP_JAR" "$PORT" "${LOG_ARGS[@]}" $APP_ARGS
APP_PID=$LAST_PID
say "start on the seeded store: ${READY_MS} ms from java -jar to readiness 200"
if [ "$BASELINE" = 1 ]; then
	start baseline "$BASE_JAR" "$BASE_PORT"
	BASE_PID=$LAST_PID
fi
echo "warm-up: every engine once, then $WARMUP of random checks (and of the mixed workload, and on the baseline)"
WARMUP=1 WRK_THREADS=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( ENGINES / 1000 + 10 ))s" -s bench/check.lua \
	"http://127.0.0.1:$PORT" >/dev/null 2>>"$OUT/wrk.err" || true
run_wrk "$WARMUP" "$CONNECTIONS" "$PORT" >/dev/null
[ "$MIXED" = 1 ] && DENY_EVERY=$DENY_EVERY DENY_ENGINES=$DENY_ENGINES run_wrk "$WARMUP" "$CONNECTIONS" "$PORT" >/dev/null
[ "$BASELINE" = 1 ] && run_wrk "$WARMUP" "$CONNECTIONS" "$BASE_PORT" >/dev/null

# 3. ROUNDS rounds of allowed-only, baseline and mixed, one after the other, so that a change
# in the machine's load falls on all three: each ratio is taken within one round.
rps() { sed -n 's/.*rps=\([0-9]*\).*/\1/p' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
read -r misses0 acquired0 dropped0 < <(store_counters)
stored0=$(records_stored)
bytes0=$(store_bytes)
[ "${PROFILE:-0}" = 1 ] && "$JCMD" "$APP_PID" JFR.start name=bench settings=profile filename="$OUT/check.jfr" >/dev/null
denied=0
for round in $(seq 1 "$ROUNDS"); do
	say "round $round: $(load)"
	run_wrk "$DURATION" "$CONNECTIONS" "$PORT" >"$OUT/app-wrk-$round.txt"
	say "  allowed-only: $(grep RESULT "$OUT/app-wrk-$round.txt")"
	[ "${PROFILE:-0}" = 1 ] && [ "$round" = 1 ] && "$JCMD" "$APP_PID" JFR.stop name=bench >/dev/null \
		&& say "  profile of this run: $OUT/check.jfr"
	if [ "$BASELINE" = 1 ]; then
		[ "${PROFILE:-0}" = 1 ] && [ "$round" = 1 ] && "$JCMD" "$BASE_PID" JFR.start name=bench settings=profile \
			filename="$OUT/baseline.jfr" >/dev/null
		run_wrk "$DURATION" "$CONNECTIONS" "$BASE_PORT" >"$OUT/baseline-wrk-$round.txt"
		[ "${PROFILE:-0}" = 1 ] && [ "$round" = 1 ] && "$JCMD" "$BASE_PID" JFR.stop name=bench >/dev/null \
			&& say "  profile of this run: $OUT/baseline.jfr"
		say "  baseline:     $(grep RESULT "$OUT/baseline-wrk-$round.txt")"
	fi
	if [ "$MIXED" = 1 ]; then
		DENY_EVERY=$DENY_EVERY DENY_ENGINES=$DENY_ENGINES run_wrk "$DURATION" "$CONNECTIONS" "$PORT" \
			>"$OUT/mixed-wrk-$round.txt"
		say "  mixed:        $(grep RESULT "$OUT/mixed-wrk-$round.txt")"
		denied=$((denied + $(sed -n 's/.*denied=\([0-9]*\).*/\1/p' "$OUT/mixed-wrk-$round.txt")))
	fi
	line="  ratios: "
	[ "$BASELINE" = 1 ] && line+="allowed-only / baseline $(ratio "$(rps "$OUT/app-wrk-$round.txt")" "$(rps "$OUT/baseline-wrk-$round.txt")")  "
	[ "$BASELINE" = 1 ] && [ "$MIXED" = 1 ] && line+="mixed / baseline $(ratio "$(rps "$OUT/mixed-wrk-$round.txt")" "$(rps "$OUT/baseline-wrk-$round.txt")")  "
	[ "$MIXED" = 1 ] && line+="mixed / allowed-only $(ratio "$(rps "$OUT/mixed-wrk-$round.txt")" "$(rps "$OUT/app-wrk-$round.txt")")"
	say "$line"
	say "  after round: $(load)"
done
read -r misses1 acquired1 dropped1 < <(store_counters)
say "median over $ROUNDS rounds:"
say "  allowed-only $(for r in $(seq 1 "$ROUNDS"); do rps "$OUT/app-wrk-$r.txt"; done | median) checks/s, p99 $(for r in $(seq 1 "$ROUNDS"); do sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' "$OUT/app-wrk-$r.txt"; done | median) ms"
if [ "$BASELINE" = 1 ]; then
	say "  baseline     $(for r in $(seq 1 "$ROUNDS"); do rps "$OUT/baseline-wrk-$r.txt"; done | median) requests/s"
	say "  ratio allowed-only / baseline: $(for r in $(seq 1 "$ROUNDS"); do ratio "$(rps "$OUT/app-wrk-$r.txt")" "$(rps "$OUT/baseline-wrk-$r.txt")"; echo; done | median) (target: at least 0.70)"
fi
if [ "$MIXED" = 1 ]; then
	say "  mixed        $(for r in $(seq 1 "$ROUNDS"); do rps "$OUT/mixed-wrk-$r.txt"; done | median) checks/s (1 check in $DENY_EVERY denied, from $DENY_ENGINES engine(s))"
	[ "$BASELINE" = 1 ] && say "  ratio mixed / baseline: $(for r in $(seq 1 "$ROUNDS"); do ratio "$(rps "$OUT/mixed-wrk-$r.txt")" "$(rps "$OUT/baseline-wrk-$r.txt")"; echo; done | median) (target: at least 0.65)"
	say "  ratio mixed / allowed-only: $(for r in $(seq 1 "$ROUNDS"); do ratio "$(rps "$OUT/mixed-wrk-$r.txt")" "$(rps "$OUT/app-wrk-$r.txt")"; echo; done | median) (target: at least 0.90)"
fi
say "store during the rounds: $((misses1 - misses0)) cache misses (check-path queries), $((acquired1 - acquired0)) pooled connections taken (background reconcile every 500 ms included), $((dropped1 - dropped0)) decision records dropped"
if [ "$MIXED" = 1 ] && [ "$denied" -gt 0 ]; then
	# Let the writer store what is queued and the open counts (every second), and H2 write its file.
	sleep 3
	stored1=$(records_stored)
	bytes1=$(store_bytes)
	say "denied checks answered in the rounds: $denied; decision records stored meanwhile: $((stored1 - stored0))"
	if [ "$bytes0" != - ]; then
		# H2 appends a chunk per commit and reuses dead ones later, so the file also grows with
		# time alone: this counts the allowed-only and baseline runs' time too.
		say "store growth: $(awk -v b0="$bytes0" -v b1="$bytes1" -v d="$denied" \
			'BEGIN { printf "%.3f MB per 100,000 denied checks (H2 file %.2f -> %.2f MB)", (b1 - b0) / 1048576 / d * 100000, b0 / 1048576, b1 / 1048576 }') (target: under 1 MB)"
	fi
fi
"$JCMD" "$APP_PID" GC.run >/dev/null
sleep 1
HEAP=$("$JCMD" "$APP_PID" GC.heap_info | tr '\n' ' ' | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
say "heap used after full GC: $((HEAP / 1024)) MB"
[ "$BASELINE" = 1 ] && stop "$BASE_PID"
APP_RPS=$(rps "$OUT/app-wrk-$ROUNDS.txt")

if [ "$QUOTA" = 1 ]; then
	# The allowed-only workload, every check under a quota rule that is never exhausted: the cost
	# of quotas on the check path, and how rarely a check has to lease units from the store.
	for platform in $(cut -d' ' -f1 "$OUT/actions.txt" | sort -u); do
		curl -s -o /dev/null -X PUT -H 'Content-Type: application/json' -H "X-Engine-ID: admin" \
			-H "X-Engine-Key: $ADMIN_KEY" "http://127.0.0.1:$PORT/admin/quotas/bench-$platform" \
			-d "{\"platform\":\"$platform\",\"action_type\":\"*\",\"limits\":[{\"max\":1000000000000,\"per\":\"P1D\"}]}"
	done
	run_wrk "$WARMUP" "$CONNECTIONS" "$PORT" >/dev/null
	quota_counters() {
		metrics | awk '
			/^engine_control_quota_checks_total/ { checks += $NF }
			/^engine_control_quota_store_leases_total/ { leases += $NF }
			END { printf "%d %d\n", checks, leases }'
	}
	read -r qchecks0 qleases0 < <(quota_counters)
	say "quota run (every check under a generous quota rule): $(load)"
	run_wrk "$DURATION" "$CONNECTIONS" "$PORT" >"$OUT/quota-wrk.txt"
	say "after run:    $(load)"
	read -r qchecks1 qleases1 < <(quota_counters)
	say "quota:          $(grep RESULT "$OUT/quota-wrk.txt")"
	say "ratio quota / allowed-only (last round): $(ratio "$(rps "$OUT/quota-wrk.txt")" "$APP_RPS") (target: at least 0.90, at most 10% slower)"
	say "quota'd checks: $((qchecks1 - qchecks0)); of them leased from the store: $((qleases1 - qleases0)) ($(awk -v l="$((qleases1 - qleases0))" -v c="$((qchecks1 - qchecks0))" 'BEGIN { if (c > 0) printf "%.3f%%", l / c * 100; else print "-" }'))"
	for platform in $(cut -d' ' -f1 "$OUT/actions.txt" | sort -u); do
		curl -s -o /dev/null -X DELETE -H "X-Engine-ID: admin" -H "X-Engine-Key: $ADMIN_KEY" \
			"http://127.0.0.1:$PORT/admin/quotas/bench-$platform"
	done
fi

if [ "$RATE" != 0 ]; then
	say "fixed rate: $(load)"
	"$JAVA" bench/FixedRate.java "http://127.0.0.1:$PORT" "$OUT" "$RATE" 5 "${DURATION%s}" | tee -a "$OUT/summary.txt"
fi
if [ "${INGEST:-1}" = 1 ]; then
	say "writes: $(load)"
	"$JAVA" bench/Ingest.java "http://127.0.0.1:$PORT" "$ADMIN_KEY" "${REGISTRATIONS:-1000}" "${EVENT_REQUESTS:-100}" 8 \
		| tee -a "$OUT/summary.txt"
fi
stop "$APP_PID"
say "results: $OUT"
