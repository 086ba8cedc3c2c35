#!/usr/bin/env bash
# Top frames of a JFR recording's execution samples: self (top frame) and inclusive (any
# frame, by method), as percentages. Usage: bench/top-frames.sh FILE.jfr [N]
set -euo pipefail
JFR=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
"$JFR" print --events jdk.ExecutionSample --stack-depth 64 "$1" | awk -v n="${2:-25}" '
	/jdk.ExecutionSample/ { samples++; depth = 0; delete seen; next }
	/^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*line:/ {
		frame = $1; sub(/\(.*/, "", frame)
		if (depth == 0) self[frame]++
		if (!(frame in seen)) { total[frame]++; seen[frame] = 1 }
		depth++
	}
	END {
		printf "%d samples\n-- self --\n", samples
		for (f in self) printf "%5.1f%% %s\n", 100 * self[f] / samples, f | "sort -rn | head -" n
		close("sort -rn | head -" n)
		printf "-- inclusive --\n"
		for (f in total) printf "%5.1f%% %s\n", 100 * total[f] / samples, f | "sort -rn | head -" n
	}'
