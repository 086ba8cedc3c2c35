#!/usr/bin/env bash
# Server CPU time per check: a measure that holds on a shared, loaded machine, where
# throughput measures the neighbours. For each variant, starts the server (Engine Control
# with extra --settings, or the bare baseline), warms it at a fixed rate, measures its idle
# CPU (background work such as the change reconciler), then drives exactly N = RATE x SECONDS
# checks at a fixed rate (bench/FixedRate.java) and reads the server's utime+stime from
# /proc/<pid>/stat before and after:
#
#   CPU us/request = delta ticks x (1,000,000 / CLK_TCK) / N
#
# "net" subtracts the idle CPU rate measured just before (times the run's duration). The
# per-thread split comes from /proc/<pid>/task/*/stat: request threads (virtual-thread
# carriers ForkJoinPool-*, Tomcat's http-nio-* poller and acceptor), GC threads, JIT
# compilers, the log appender's thread, and the rest. Variants run interleaved
# (A B A B ...) REPEATS times, each on a fresh JVM; the summary gives median, min and max.
#
#   bench/cpu.sh                                  # app and baseline, 2 rounds
#   bench/cpu.sh app baseline 'nolog:--logging.level.engine-control.decision=OFF'
#   REPEATS=3 RATE=1000 DURATION=30 bench/cpu.sh app 'noobs:--management.observations.enable.http.server.requests=false'
#
# A variant is "app", "baseline", or "NAME:ARG,ARG,..." (Engine Control with those
# arguments; a NAME starting with "baseline" runs the baseline jar with them). A first
# ARG "jar=PATH" runs another build of Engine Control, to compare before and after a change:
#   cp target/engine-control-*.jar /tmp/before.jar; (change, ./mvnw package)
#   bench/cpu.sh before:jar=/tmp/before.jar app
# Settings (environment): JAVA_HOME (use JDK 25: /usr/lib/jvm/temurin-25-jdk-amd64),
# JAVA_OPTS (-Xms512m -Xmx512m and the Dockerfile's two G1 flags), RATE (1000 checks/s),
# DURATION (30 s, measured), WARMUP (20 s at
# RATE before measuring), IDLE (5 s of idle CPU measured before the run), REPEATS (2), ENGINES
# (100), CONNECTIONS (32, of the generator), SKIP_BUILD (1: use the jars already built), PROFILE
# (1: a JFR recording of each measured run, with 1 ms execution samples and allocation
# samples: bench/top-frames.sh FILE.jfr), PORT (38470; the baseline uses the same port).
# Results: bench/out/cpu-<time>/ (summary.txt, runs.tsv, one log per run). See BENCHMARKS.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
JAVA_OPTS=${JAVA_OPTS:--Xms512m -Xmx512m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70}
RATE=${RATE:-1000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-20}
IDLE=${IDLE:-5}
REPEATS=${REPEATS:-2}
ENGINES=${ENGINES:-100}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-38470}
HZ=$(getconf CLK_TCK)
OUT=$ROOT/bench/out/cpu-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
ADMIN_KEY=bench-admin-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(app baseline)
SERVER_PID=

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

say() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "building (quietly)..."
	./mvnw -B -q -DskipTests package
	./mvnw -B -q -DskipTests package -f bench/baseline/pom.xml
fi
APP_JAR=$(ls target/engine-control-*.jar | grep -v plain | head -1)
BASE_JAR=bench/baseline/target/engine-control-baseline-0.1.0-SNAPSHOT.jar
"$JAVAC" -d "$OUT/classes" bench/FixedRate.java
DB_URL="jdbc:h2:file:$OUT/data/engine-control;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE"

# start NAME JAR ARGS...: starts a server on PORT and waits until it answers.
start() {
	local name=$1 jar=$2
	shift 2
	if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
		echo "port $PORT is in use: set PORT" >&2
		exit 1
	fi
	# shellcheck disable=SC2086
	ENGINE_CONTROL_DB_URL=$DB_URL ENGINE_CONTROL_DB_USERNAME=sa ENGINE_CONTROL_DB_PASSWORD= \
		ENGINE_CONTROL_DATA_DIR=$OUT/data ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY=$ADMIN_KEY \
		"$JAVA" $JAVA_OPTS ${PROFILE_OPTS:-} -jar "$jar" --server.port="$PORT" "$@" >"$OUT/$name.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 2400); do
		if [ "$jar" = "$BASE_JAR" ]; then
			code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
				-d '{"platform":"gmail","action_type":"send_email"}' "http://127.0.0.1:$PORT/actions/check" || true)
		else
			code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/actuator/health/readiness" || true)
		fi
		[ "$code" = 200 ] && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { echo "$name did not start; see $OUT/$name.log" >&2; exit 1; }
		sleep 0.05
	done
	echo "$name not ready after 120 s" >&2
	exit 1
}

stop() {
	kill "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

ticks() { # PID: utime + stime of the whole process
	awk '{ l = $0; sub(/^.*\) /, "", l); split(l, f, " "); print f[12] + f[13] }' "/proc/$1/stat"
}

threads() { # PID: "tid<TAB>group<TAB>ticks" for each live thread
	cat /proc/"$1"/task/*/stat 2>/dev/null | awk '{
		l = $0; op = index(l, "("); cl = 0
		for (i = length(l); i > 0; i--) if (substr(l, i, 1) == ")") { cl = i; break }
		comm = substr(l, op + 1, cl - op - 1)
		split(substr(l, cl + 2), f, " ")
		if (comm ~ /^ForkJoinPool/ || comm ~ /^http-nio/ || comm ~ /^tomcat/) group = "request"
		else if (comm ~ /^GC Thread/ || comm ~ /^G1 /) group = "gc"
		else if (comm ~ /^C[12] Compiler/) group = "jit"
		else if (comm ~ /^logback-append/) group = "log_appender"
		else group = "other"
		printf "%s\t%s\t%d\n", $1, group, f[12] + f[13]
	}'
}

generate() { # RATE SECONDS: exactly RATE x SECONDS checks at a fixed rate
	"$JAVA" -cp "$OUT/classes" FixedRate "http://127.0.0.1:$PORT" "$OUT" "$1" 0 "$2" "$CONNECTIONS"
}

say "# Engine Control CPU per check $(date -u +%FT%TZ)"
say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); java: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS=$JAVA_OPTS"
say "rate=$RATE/s measured=${DURATION}s warmup=${WARMUP}s idle=${IDLE}s repeats=$REPEATS engines=$ENGINES connections=$CONNECTIONS"
say "variants: ${VARIANTS[*]}"

# The store: migrated by a first start, then seeded with the application stopped.
start migrate "$APP_JAR"
stop
mkdir -p "$OUT/lib"
(cd "$OUT/lib" && unzip -qo -j "$ROOT/$APP_JAR" 'BOOT-INF/lib/h2-*.jar')
"$JAVA" -cp "$OUT/lib/*" bench/Seed.java "$DB_URL" sa "" "$ENGINES" "$OUT/credentials.txt" >>"$OUT/summary.txt"

printf 'variant\tround\tload1\tchecks\terrors\tus_per_check\tnet_us_per_check\tidle_ticks_per_s\trequest\tgc\tjit\tlog_appender\tother\texited\n' >"$OUT/runs.tsv"
for round in $(seq 1 "$REPEATS"); do
	for variant in "${VARIANTS[@]}"; do
		name=${variant%%:*}
		args=()
		[[ "$variant" == *:* ]] && IFS=, read -r -a args <<<"${variant#*:}"
		jar=$APP_JAR
		[[ "$name" == baseline* ]] && jar=$BASE_JAR
		if [ ${#args[@]} -gt 0 ] && [[ "${args[0]}" == jar=* ]]; then
			jar=${args[0]#jar=}
			args=("${args[@]:1}")
		fi
		PROFILE_OPTS=
		start "$name-$round" "$jar" "${args[@]}"
		generate "$RATE" "$WARMUP" >"$OUT/$name-$round.warmup.txt"
		i0=$(ticks "$SERVER_PID")
		sleep "$IDLE"
		i1=$(ticks "$SERVER_PID")
		if [ "${PROFILE:-0}" = 1 ]; then
			"$JCMD" "$SERVER_PID" JFR.start name=cpu settings=profile filename="$OUT/$name-$round.jfr" \
				jdk.ExecutionSample#period=1ms >/dev/null
		fi
		load1=$(cut -d' ' -f1 /proc/loadavg)
		threads "$SERVER_PID" >"$OUT/threads0"
		t0=$(ticks "$SERVER_PID")
		n0=$(date +%s%N)
		generate "$RATE" "$DURATION" >"$OUT/$name-$round.run.txt"
		t1=$(ticks "$SERVER_PID")
		n1=$(date +%s%N)
		threads "$SERVER_PID" >"$OUT/threads1"
		[ "${PROFILE:-0}" = 1 ] && "$JCMD" "$SERVER_PID" JFR.stop name=cpu >/dev/null
		stop
		checks=$(sed -n 's/.*completed=\([0-9]*\).*/\1/p' "$OUT/$name-$round.run.txt")
		errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' "$OUT/$name-$round.run.txt")
		awk -F'\t' -v OFS='\t' -v name="$name" -v round="$round" -v load1="$load1" -v n="$checks" -v errors="$errors" \
			-v hz="$HZ" -v total=$((t1 - t0)) -v idle=$((i1 - i0)) -v idle_s="$IDLE" -v run_ns=$((n1 - n0)) '
			FNR == NR { before[$1] = $3; next }
			{ d = ($1 in before) ? $3 - before[$1] : $3; group[$2] += d; known += d }
			END {
				us = 1e6 / hz / n
				idle_rate = idle / idle_s
				net = total - idle_rate * run_ns / 1e9
				printf "%s\t%s\t%s\t%d\t%d\t%.1f\t%.1f\t%.2f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n", name, round, load1, n,
					errors, total * us, net * us, idle_rate, group["request"] * us, group["gc"] * us, group["jit"] * us,
					group["log_appender"] * us, group["other"] * us, (total - known) * us
			}' "$OUT/threads0" "$OUT/threads1" | tee -a "$OUT/runs.tsv"
	done
done

say ""
say "CPU us per check (median [min-max] over $REPEATS runs; net = minus idle background CPU; per-thread columns are medians)"
awk -F'\t' '
	NR == 1 { next }
	{ if (!($1 in seen)) { order[++k] = $1; seen[$1] = 1 }
	  for (c = 6; c <= 14; c++) v[$1, c, ++cnt[$1, c]] = $c; loads[$1] = loads[$1] " " $3; errs[$1] += $5 }
	function median(name, c,   i, j, t, m, a) {
		m = cnt[name, c]
		for (i = 1; i <= m; i++) a[i] = v[name, c, i]
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo = a[1]; hi = a[m]
		return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	END {
		printf "%-22s %-22s %-22s %8s %6s %6s %8s %6s %6s  %s\n", "variant", "total", "net", "request", "gc", "jit", "appender", "other", "errors", "load(1m) per run"
		for (i = 1; i <= k; i++) {
			n = order[i]
			tm = median(n, 6); t = sprintf("%.1f [%.1f-%.1f]", tm, lo, hi)
			nm = median(n, 7); ne = sprintf("%.1f [%.1f-%.1f]", nm, lo, hi)
			printf "%-22s %-22s %-22s %8.1f %6.1f %6.1f %8.1f %6.1f %6d %s\n", n, t, ne, median(n, 9), median(n, 10),
				median(n, 11), median(n, 12), median(n, 13) + median(n, 14), errs[n], loads[n]
		}
	}' "$OUT/runs.tsv" | tee -a "$OUT/summary.txt"
say "results: $OUT"
