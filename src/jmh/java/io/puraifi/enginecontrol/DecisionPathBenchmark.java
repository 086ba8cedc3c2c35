package io.puraifi.enginecontrol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.Engine;
import io.puraifi.enginecontrol.engine.EngineRegistry;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.permission.PermissionService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The in-process decision path on the real beans, without HTTP: key verification and
 * registry lookup ({@link EngineRegistry#authenticate}), the decision
 * ({@link PermissionService#check}, which records the decision), and both, over
 * {@code engines} warm engines. The decision log line is built and handed to an appender
 * that discards it (what writing it costs is measured over HTTP by bench/run.sh with
 * DECISION_LOG=on and off).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecisionPathBenchmark {

	private static final String[][] ACTIONS = { { "gmail", "send_email" }, { "gmail", "read_email" },
			{ "slack", "post_message" }, { "google_calendar", "create_event" } };

	@Param("1000")
	int engines;

	private ConfigurableApplicationContext context;

	private EngineRegistry registry;

	private PermissionService permissions;

	private String[] ids;

	private String[] keys;

	private int next;

	@Setup(Level.Trial)
	public void start() throws IOException {
		// The decision line goes through logback to an appender that discards it: the
		// logging call is measured, the console is not flooded.
		Path logback = Files.createTempFile("jmh-logback", ".xml");
		Files.writeString(logback, """
				<configuration>
				  <appender name="NOP" class="ch.qos.logback.core.helpers.NOPAppender"/>
				  <logger name="engine-control.decision" level="INFO" additivity="false">
				    <appender-ref ref="NOP"/>
				  </logger>
				  <root level="WARN"><appender-ref ref="NOP"/></root>
				</configuration>""");
		this.context = new SpringApplicationBuilder(EngineControlApplication.class)
			.properties("server.port=0", "engine-control.db.url=jdbc:h2:mem:jmh;DB_CLOSE_DELAY=-1",
					"engine-control.bootstrap-admin-key=jmh-admin-key-0123456789abcdefghijklmnop",
					"logging.config=" + logback.toUri())
			.run();
		this.registry = this.context.getBean(EngineRegistry.class);
		this.permissions = this.context.getBean(PermissionService.class);
		this.ids = new String[this.engines];
		this.keys = new String[this.engines];
		for (int i = 0; i < this.engines; i++) {
			this.ids[i] = "jmh-" + i;
			this.keys[i] = this.registry
				.register(this.ids[i], "jmh", Map.of("gmail", Set.of("send_email", "read_email"), "slack",
						Set.of("post_message"), "google_calendar", Set.of("create_event")))
				.key();
			this.registry.authenticate(this.ids[i], this.keys[i]);
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	private int nextIndex() {
		int i = this.next++;
		if (this.next == this.engines) {
			this.next = 0;
		}
		return i;
	}

	@Benchmark
	public Engine authenticate() {
		int i = nextIndex();
		return this.registry.authenticate(this.ids[i], this.keys[i]).orElseThrow();
	}

	@Benchmark
	public PermissionService.RevisionedDecision decide() {
		int i = nextIndex();
		String[] action = ACTIONS[i & 3];
		return this.permissions.check(new AuthenticatedEngine(this.ids[i], EngineRole.ENGINE), this.ids[i], action[0],
				action[1], null);
	}

	@Benchmark
	public PermissionService.RevisionedDecision authenticateAndDecide() {
		int i = nextIndex();
		String[] action = ACTIONS[i & 3];
		Engine engine = this.registry.authenticate(this.ids[i], this.keys[i]).orElseThrow();
		return this.permissions.check(new AuthenticatedEngine(engine.engineId(), engine.role()), engine.engineId(),
				action[0], action[1], null);
	}

}
