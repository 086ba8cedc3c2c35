#!/usr/bin/env bash
# Which part of the server each execution sample of a JFR recording belongs to, as shares
# of all samples: each sample goes to the innermost frame that belongs to a known part
# (validation, logging, metrics and observation, Jackson, Engine Control's own code, Spring
# MVC, Tomcat), so a filter's share is its own work, not the chain it wraps. Samples on the
# log appender's thread count as "logging (appender thread)". Samples in native code are not
# in jdk.ExecutionSample; shares are of Java execution.
# Usage: bench/parts.sh FILE.jfr   (recorded by PROFILE=1 bench/cpu.sh)
set -euo pipefail
JFR=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
"$JFR" print --events jdk.ExecutionSample --stack-depth 128 "$1" | awk '
	function part(frame) {
		if (frame ~ /^(org\.hibernate\.validator|org\.springframework\.validation|jakarta\.validation)/) return "validation (Hibernate Validator)"
		if (frame ~ /^(ch\.qos\.logback|net\.logstash|org\.slf4j)/) return "logging (request thread)"
		if (frame ~ /^(io\.micrometer|org\.springframework\.web\.filter\.ServerHttpObservationFilter|org\.springframework\.http\.server\.observation)/) return "metrics and observation"
		if (frame ~ /^(tools\.jackson|com\.fasterxml\.jackson)/) return "Jackson"
		if (frame ~ /^io\.puraifi\.enginecontrol\..*\.doFilter(Internal)?$/) return ""
		if (frame ~ /^io\.puraifi\.enginecontrol\.engine\.(EngineRegistry|EngineKeys|EngineKey|KeyUsage)/) return "authentication (registry, SHA-256)"
		if (frame ~ /^io\.puraifi\.enginecontrol\.engine\.(AuthenticationLimits|FailureLimiter)/) return "auth failure limits"
		if (frame ~ /^io\.puraifi\.enginecontrol\.permission\.DecisionRecorder/) return "decision record (own code)"
		if (frame ~ /^io\.puraifi\.enginecontrol\.(permission|platform|settings|propagation)/) return "decision (service, checker, caches)"
		if (frame ~ /^io\.puraifi\.enginecontrol\./) return "Engine Control filters and other own code"
		if (frame ~ /^org\.springframework\.web\.(servlet|method|bind|accept|context|filter)|^org\.springframework\.http|^org\.springframework\.core|^org\.springframework\.util|^org\.springframework\.beans/) return "Spring MVC"
		if (frame ~ /^(org\.apache\.catalina|org\.apache\.coyote|org\.apache\.tomcat)/) return "Tomcat"
		if (frame ~ /^(java\.lang\.VirtualThread|java\.util\.concurrent\.ForkJoin|jdk\.internal\.vm\.Continuation)/) return "virtual-thread scheduling"
		return ""
	}
	function finish() {
		if (!samples) return
		p = (thread ~ /logback-appender-/) ? "logging (appender thread)" : (found ? found : ((thread ~ /JFR|Attach/) ? "JFR and attach (measurement)" : "other (JDK, other threads)"))
		count[p]++
	}
	/jdk.ExecutionSample/ { finish(); samples++; found = ""; thread = ""; next }
	/sampledThread = / { thread = $0; next }
	/^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*line:/ {
		if (found) next
		frame = $1; sub(/\(.*/, "", frame)
		found = part(frame)
	}
	END {
		finish()
		printf "%d samples\n", samples
		for (p in count) printf "%5.1f%% %s\n", 100 * count[p] / samples, p | "sort -rn"
	}'
