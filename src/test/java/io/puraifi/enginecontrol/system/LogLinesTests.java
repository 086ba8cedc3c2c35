package io.puraifi.enginecontrol.system;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own logging configuration ({@code logback-spring.xml}) in a logger
 * context of its own, writing to a captured standard output: every line logged is
 * written, whole and in JSON, also when the writer falls behind; a single line arrives
 * without waiting for more.
 */
class LogLinesTests {

	private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

	private PrintStream standardOutput;

	private LoggerContext context;

	@BeforeEach
	void configure() throws Exception {
		this.standardOutput = System.out;
		System.setOut(new PrintStream(this.captured, true, StandardCharsets.UTF_8));
		this.context = new LoggerContext();
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(getClass().getResource("/logback-spring.xml"));
	}

	@AfterEach
	void restore() {
		this.context.stop();
		System.setOut(this.standardOutput);
	}

	@Test
	void everyLineIsWrittenWhenTheWriterFallsBehind() throws Exception {
		everyLineIsWritten(false);
	}

	@Test
	void everyLineIsWrittenFromThreadsWhoseInterruptFlagIsSet() throws Exception {
		everyLineIsWritten(true);
	}

	private void everyLineIsWritten(boolean interrupted) throws Exception {
		Logger logger = this.context.getLogger("engine-control.decision");
		int threads = 4;
		int perThread = 10_000; // 40,000 lines: far more than the ring buffer's 8,192
		List<Thread> loggers = new ArrayList<>();
		AtomicInteger flagsKept = new AtomicInteger();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread logging = new Thread(() -> {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < perThread; i++) {
					logger.atInfo().addKeyValue("thread", thread).addKeyValue("n", i).log("decision");
				}
				if (Thread.currentThread().isInterrupted() == interrupted) {
					flagsKept.incrementAndGet();
				}
			});
			logging.start();
			loggers.add(logging);
		}
		for (Thread thread : loggers) {
			thread.join();
		}
		assertThat(flagsKept).as("interrupt flags as they were").hasValue(threads);
		this.context.stop();
		String[] lines = this.captured.toString(StandardCharsets.UTF_8).split("\n");
		assertThat(lines.length).as("lines written").isEqualTo(threads * perThread);
		JsonMapper json = JsonMapper.builder().build();
		boolean[][] seen = new boolean[threads][perThread];
		for (String line : lines) {
			JsonNode event = json.readTree(line);
			assertThat(event.get("message").asString()).isEqualTo("decision");
			seen[event.get("thread").asInt()][event.get("n").asInt()] = true;
		}
		for (boolean[] thread : seen) {
			for (boolean line : thread) {
				assertThat(line).as("every line written once").isTrue();
			}
		}
	}

	@Test
	void aSingleLineIsWrittenWithoutWaitingForMore() throws Exception {
		this.context.getLogger("engine-control.decision").atInfo().addKeyValue("n", 1).log("decision");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.captured.size() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.captured.toString(StandardCharsets.UTF_8)).as("written before the context stops")
			.startsWith("{")
			.endsWith("}\n")
			.contains("\"n\":1");
	}

}
