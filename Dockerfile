# Engine Control: build with the Maven wrapper on a JDK, run on a JRE 25 as a non-root user.
#   docker build -t engine-control .
#   docker run -p 8080:8080 -v engine-control-data:/app/data engine-control
# Every setting comes from the environment (ENGINE_CONTROL_*, SERVER_PORT); see README.md.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
# The wrapper and the POM first: dependencies stay in a cached layer until pom.xml changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package \
    && cp target/engine-control-*.jar /build/engine-control.jar

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 enginecontrol \
    && useradd --system --uid 10001 --gid enginecontrol --home-dir /app --shell /usr/sbin/nologin enginecontrol \
    && mkdir -p /app/data \
    && chown enginecontrol:enginecontrol /app/data
WORKDIR /app
# The jar extracted (classes load from plain jars, which class-data sharing needs) and a JDK 25
# AOT cache trained on this image's own JVM by one start that stops after the context refresh:
# bench/startup.sh measured 14.5 s -> 6.0 s to ready (extracted jar, without -> with the cache,
# median of 3 on a loaded 2-core machine; the fat jar took 35.7 s there). See BENCHMARKS.md.
COPY --from=build /build/engine-control.jar /tmp/engine-control.jar
RUN java -Djarmode=tools -jar /tmp/engine-control.jar extract --destination /app/lib-extract \
    && mv /app/lib-extract/engine-control.jar /app/engine-control.jar && mv /app/lib-extract/lib /app/lib \
    && rm -rf /app/lib-extract /tmp/engine-control.jar \
    && ENGINE_CONTROL_DATA_DIR=/tmp/aot-training java -XX:AOTCacheOutput=/app/engine-control.aot \
         -Dspring.context.exit=onRefresh -jar /app/engine-control.jar \
    && rm -rf /tmp/aot-training
USER enginecontrol
# The embedded H2 database and the generated operator key (data/bootstrap-admin.key) live here.
VOLUME /app/data
EXPOSE 8080
# No curl or wget needed: bash's /dev/tcp asks the liveness probe, HTTP/1.0 so the server closes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf "GET /actuator/health/liveness HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200"'
# G1 starts a marking cycle at a fixed 70% of the heap rather than at its adaptive threshold:
# the engine caches stay live for good, and with 100,000 engines in a 512 MB heap the adaptive
# threshold sat below them, so a cycle that freed nothing ran every 2 s (BENCHMARKS.md, 5c).
# Under SerialGC (the JVM's choice below 2 CPUs or 1792 MB) these two flags do nothing.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=70", \
    "-XX:AOTCache=/app/engine-control.aot", "-jar", "/app/engine-control.jar"]
