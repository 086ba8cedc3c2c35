#!/usr/bin/env bash
# The soak run: Engine Control under a steady, moderate load for a set time, to show that
# nothing leaks or degrades. It builds the jar, starts it on a fresh H2 file store in the run's
# directory (or on PostgreSQL when ENGINE_CONTROL_DB_URL, _USERNAME and _PASSWORD are set)
# with a generated operator key, and runs scripts/Soak.java against it: checks at a fixed
# rate, event batches at a fixed rate, and operator changes in a loop (a kill switch off and
# on, a platform in maintenance and back, an engine suspended and resumed, new engines
# registered and old ones deleted, keys rotated), all at once.
#
# After WARMUP it takes the "start" sample, then one a minute, the "end" sample DURATION after
# the start (load still running), and an "idle" one once the load has stopped. A sample is:
# heap used after a full GC (jcmd GC.run, then GC.heap_info), RSS, open file descriptors
# (/proc/PID/fd), live threads (/proc/PID/status), and the generator's running totals. They
# go to samples.csv; summary.txt has the start and end figures, the totals, the check
# latencies and the verdict. Exits 1 when there was any error: a transport failure, a 5xx, or
# a 4xx or denial that no operator change explains (see scripts/Soak.java).
#
#   scripts/soak.sh                                  # 10 minutes, H2
#   DURATION=2m SKIP_BUILD=1 scripts/soak.sh         # a short run on the jar already built
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 scripts/soak.sh
#   ENGINE_CONTROL_DB_URL=jdbc:postgresql://localhost/ec ENGINE_CONTROL_DB_USERNAME=ec \
#     ENGINE_CONTROL_DB_PASSWORD=secret scripts/soak.sh
#
# Settings (environment):
#   DURATION (10m; s, m or h)        measured time, from the start sample to the end sample
#   WARMUP (60s)                     the same load before the start sample (caches, JIT, pools)
#   CHECK_RATE (500)                 checks a second, open loop (not as fast as possible)
#   CONNECTIONS (4)                  keep-alive connections the checks are spread over
#   EVENT_RATE (2)                   event batches a second, to POST /log/engine_events
#   EVENT_BATCH (50)                 events a batch (1 to 500)
#   ADMIN_PAUSE_MS (2000)            pause between two operator changes
#   ADMIN_HOLD_MS (1000)             how long a change that is undone stays in effect
#   ENGINES (20)                     engines registered at the start; checks pick one at random
#   EXTRA_ENGINES (10)               engines registered during the run kept before the oldest is deleted
#   SAMPLE_EVERY (60)                seconds between two samples
#   DECISION_LOG (on|off)            the decision log line of every check (on by default, as in production)
#   JAVA_OPTS (-Xms256m -Xmx512m)    for Engine Control
#   PORT (38190)                     Engine Control's port
#   SKIP_BUILD (1: use the jar already built)
# Results: scripts/out/soak-<time>/ (ignored by git): summary.txt, samples.csv, totals.txt,
# errors.txt (the first 200 unexpected answers), app.log, soak.log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
DURATION=${DURATION:-10m}
WARMUP=${WARMUP:-60s}
CHECK_RATE=${CHECK_RATE:-500}
CONNECTIONS=${CONNECTIONS:-4}
EVENT_RATE=${EVENT_RATE:-2}
EVENT_BATCH=${EVENT_BATCH:-50}
ADMIN_PAUSE_MS=${ADMIN_PAUSE_MS:-2000}
ADMIN_HOLD_MS=${ADMIN_HOLD_MS:-1000}
ENGINES=${ENGINES:-20}
EXTRA_ENGINES=${EXTRA_ENGINES:-10}
SAMPLE_EVERY=${SAMPLE_EVERY:-60}
DECISION_LOG=${DECISION_LOG:-on}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx512m}
PORT=${PORT:-38190}

die() { printf 'soak: %s\n' "$*" >&2; exit 2; }

# seconds 90s|10m|1h|600 -> seconds
seconds() {
	local value=$1
	case $value in
	*h) echo $((${value%h} * 3600)) ;;
	*m) echo $((${value%m} * 60)) ;;
	*s) echo $((${value%s})) ;;
	*) echo $((value)) ;;
	esac
}
DURATION_S=$(seconds "$DURATION") || die "DURATION: say 90s, 10m or 1h"
WARMUP_S=$(seconds "$WARMUP") || die "WARMUP: say 30s, 1m"
((DURATION_S > 0)) || die "DURATION must be more than 0"

for tool in "$JAVA" "$JCMD" curl; do
	command -v "$tool" >/dev/null || die "$tool is needed"
done

OUT=$ROOT/scripts/out/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
# The operator key: generated, passed through the environment, written nowhere.
ADMIN_KEY=soak-admin-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
APP_PID=
SOAK_PID=
SAMPLER_PID=

stop_pid() { # pid: TERM, then KILL after 30 s
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	[[ -n "$SAMPLER_PID" ]] && stop_pid "$SAMPLER_PID"
	[[ -n "$SOAK_PID" ]] && stop_pid "$SOAK_PID"
	[[ -n "$APP_PID" ]] && stop_pid "$APP_PID"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	echo "building (quietly)..."
	./mvnw -B -q -DskipTests package
fi
APP_JAR=$(find target -maxdepth 1 -name 'engine-control-*.jar' ! -name '*plain*' | head -1)
[[ -n "$APP_JAR" ]] || die "no jar in target/: run without SKIP_BUILD=1"

if [[ -n "${ENGINE_CONTROL_DB_URL:-}" ]]; then
	DB_URL=$ENGINE_CONTROL_DB_URL
	DB_USER=${ENGINE_CONTROL_DB_USERNAME:-}
	DB_PASSWORD=${ENGINE_CONTROL_DB_PASSWORD:-}
else
	DB_URL="jdbc:h2:file:$OUT/data/engine-control;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE"
	DB_USER=sa
	DB_PASSWORD=
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
	die "port $PORT is in use: set PORT"
fi
LOG_ARGS=()
[[ "$DECISION_LOG" == off ]] && LOG_ARGS=(--logging.level.engine-control.decision=OFF)
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
ENGINE_CONTROL_DB_URL=$DB_URL ENGINE_CONTROL_DB_USERNAME=$DB_USER ENGINE_CONTROL_DB_PASSWORD=$DB_PASSWORD \
	ENGINE_CONTROL_DATA_DIR=$OUT/data ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY=$ADMIN_KEY \
	"$JAVA" $JAVA_OPTS -jar "$APP_JAR" --server.port="$PORT" "${LOG_ARGS[@]}" >"$OUT/app.log" 2>&1 &
APP_PID=$!
started=$SECONDS
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/actuator/health/readiness" || true)" == 200 ]]; do
	kill -0 "$APP_PID" 2>/dev/null || die "Engine Control did not start; see $OUT/app.log"
	((SECONDS - started < 300)) || die "Engine Control not ready after 300 s; see $OUT/app.log"
	sleep 0.2
done

# sample LABEL: one CSV row. Heap after a full GC; the totals are the generator's latest.
CSV=$OUT/samples.csv
echo "time,elapsed_s,label,heap_used_after_gc_mb,rss_mb,fds,threads,checks_sent,checks_allowed,checks_denied_expected,errors,events_stored,admin_changes,load_1m" >"$CSV"
T0=$SECONDS
sample() {
	local label=$1 heap rss fds threads
	kill -0 "$APP_PID" 2>/dev/null || die "Engine Control is gone; see $OUT/app.log"
	# A failed attach (a very busy machine) costs the heap figure of one sample, not the run.
	heap=$({ "$JCMD" "$APP_PID" GC.run >/dev/null && "$JCMD" "$APP_PID" GC.heap_info; } 2>>"$OUT/jcmd.err" |
		tr '\n' ' ' | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+' || true)
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status")
	threads=$(awk '/^Threads:/ { print $2 }' "/proc/$APP_PID/status")
	fds=$(find "/proc/$APP_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
	local -A totals=()
	if [[ -f "$OUT/totals.txt" ]]; then
		while IFS='=' read -r key value; do totals[$key]=$value; done <"$OUT/totals.txt"
	fi
	printf '%s,%d,%s,%s,%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%s\n' "$(date -u +%FT%TZ)" $((SECONDS - T0)) "$label" \
		"$(awk -v k="$heap" 'BEGIN { if (k == "") print "n/a"; else printf "%.1f", k / 1024 }')" \
		"$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
		"$fds" "$threads" "${totals[checks_sent]:-0}" "${totals[checks_allowed]:-0}" \
		"${totals[checks_denied_expected]:-0}" "${totals[errors]:-0}" "${totals[events_stored]:-0}" \
		"${totals[admin_changes]:-0}" "$(cut -d' ' -f1 /proc/loadavg)" >>"$CSV"
}
# field LABEL COLUMN: a column of the row with that label.
field() {
	awk -F, -v label="$1" -v column="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == column) c = i }
		$3 == label { print $c }' "$CSV"
}

say "# Engine Control soak $(date -u +%FT%TZ)"
say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "java: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS=$JAVA_OPTS"
say "duration=${DURATION_S}s warmup=${WARMUP_S}s check_rate=$CHECK_RATE/s connections=$CONNECTIONS event_rate=$EVENT_RATE batches/s of $EVENT_BATCH admin_pause=${ADMIN_PAUSE_MS}ms admin_hold=${ADMIN_HOLD_MS}ms engines=$ENGINES extra_engines=$EXTRA_ENGINES decision_log=$DECISION_LOG db=${DB_URL%%;*}"
say "ready in $((SECONDS - started)) s, PID $APP_PID"
sample ready

# The load: WARMUP, then DURATION, then a few seconds more so the end sample is under load.
TAIL_S=5
SOAK_ADMIN_KEY=$ADMIN_KEY "$JAVA" -Xmx256m scripts/Soak.java "http://127.0.0.1:$PORT" "$OUT" "$WARMUP_S" \
	"$((DURATION_S + TAIL_S))" "$CHECK_RATE" "$CONNECTIONS" "$EVENT_RATE" "$EVENT_BATCH" "$ADMIN_PAUSE_MS" \
	"$ADMIN_HOLD_MS" "$ENGINES" "$EXTRA_ENGINES" >"$OUT/soak.log" 2>&1 &
SOAK_PID=$!
# The generator compiles itself and registers engines first: count from its first totals.
until [[ -f "$OUT/totals.txt" ]]; do
	kill -0 "$SOAK_PID" 2>/dev/null || { cat "$OUT/soak.log" >&2; die "the generator stopped"; }
	sleep 0.2
done
LOAD_T0=$SECONDS
echo "load running; warm-up ${WARMUP_S} s, then ${DURATION_S} s; samples in $CSV"
# wait_until OFFSET: sleeps until OFFSET seconds after the load started, unless it stopped.
wait_until() {
	while ((SECONDS - LOAD_T0 < $1)); do
		kill -0 "$SOAK_PID" 2>/dev/null || return 1
		sleep 1
	done
}
next=$WARMUP_S
wait_until "$next" && sample start
while ((next + SAMPLE_EVERY < WARMUP_S + DURATION_S)); do
	next=$((next + SAMPLE_EVERY))
	wait_until "$next" || break
	sample "t+$((next - WARMUP_S))s"
	tail -n 1 "$CSV"
done
wait_until $((WARMUP_S + DURATION_S)) && sample end
soak_status=0
wait "$SOAK_PID" || soak_status=$?
SOAK_PID=
sample idle
RESULT=$(grep '^RESULT' "$OUT/soak.log" || true)
[[ -n "$RESULT" ]] || { cat "$OUT/soak.log" >&2; die "the generator ended without a result (exit $soak_status)"; }
kill -0 "$APP_PID" 2>/dev/null || die "Engine Control is gone; see $OUT/app.log"

value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $RESULT"; }
row() { # label
	printf '%-6s heap after GC %6s MB   RSS %6s MB   fds %4s   threads %4s' "$1" "$(field "$1" heap_used_after_gc_mb)" \
		"$(field "$1" rss_mb)" "$(field "$1" fds)" "$(field "$1" threads)"
}
say ""
say "$(row ready)   (before any load)"
say "$(row start)   (after the ${WARMUP_S} s warm-up, under load)"
say "$(row end)   (${DURATION_S} s later, under load)"
say "$(row idle)   (load stopped)"
say "change start -> end: heap $(awk -v a="$(field start heap_used_after_gc_mb)" -v b="$(field end heap_used_after_gc_mb)" 'BEGIN { if (a == "n/a" || b == "n/a") print "n/a"; else printf "%+.1f", b - a }') MB, fds $(($(field end fds) - $(field start fds))), threads $(($(field end threads) - $(field start threads)))"
say ""
say "checks: $(value checks_sent) sent, $(value checks_allowed) allowed, $(value checks_denied_expected) denied while an operator change was in effect"
say "check latency after warm-up (from when each was due): p50 $(value p50_ms) ms, p90 $(value p90_ms) ms, p99 $(value p99_ms) ms, p99.9 $(value p999_ms) ms, max $(value max_ms) ms; $(value checks_sent_late_1ms) sent more than 1 ms late; per minute in latency.csv"
say "warm-up checks skipped (more than 100 ms late, not queued): $(value warmup_skipped); connections closed by the server while idle and reopened: $(value reconnects)"
say "events stored: $(value events_stored) in $(value event_batches) batches"
say "admin changes: $(value admin_changes)"
ERRORS=$(value errors)
say "errors: $ERRORS (check transport $(value check_transport), check 5xx $(value check_5xx), check 4xx unexpected $(value check_4xx_unexpected), check denied unexpected $(value check_denied_unexpected), event batches $(value event_errors), admin $(value admin_errors))"
say "app log: $(grep -c '"level":"ERROR"' "$OUT/app.log" || true) ERROR lines, $(wc -l <"$OUT/app.log") lines in all"
say "results: $OUT"
if [[ "$ERRORS" != 0 ]]; then
	say "FAIL: $ERRORS errors; the first ones are in $OUT/errors.txt"
	exit 1
fi
say "PASS: no errors"
