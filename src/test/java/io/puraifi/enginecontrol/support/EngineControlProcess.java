package io.puraifi.enginecontrol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Engine Control in a JVM of its own, so a test can end it the way an operating system or
 * an orchestrator does: {@link #kill()} is SIGKILL ({@code kill -9}),
 * {@link #terminate()} is SIGTERM. It runs the test's own classpath (surefire's
 * manifest-only booter jar works as one) with the settings given as environment
 * variables, on a port the application picks itself and reports in its log; its output
 * goes to a file. Start instances through {@link EngineControlProcesses}, which ends them
 * after each test and prints their output when a test fails.
 */
public final class EngineControlProcess {

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private static final Duration STARTUP = Duration.ofSeconds(90);

	private final String name;

	private final Process process;

	private final Path output;

	private volatile int port = -1;

	private EngineControlProcess(String name, Process process, Path output) {
		this.name = name;
		this.process = process;
		this.output = output;
	}

	static EngineControlProcess start(String name, Path directory, Map<String, String> environment) {
		Path output = directory.resolve(name + ".log");
		String java = ProcessHandle.current().info().command().orElseThrow();
		// C1 only, the serial collector and a small heap: a faster start and fewer
		// threads on
		// a small shared machine. Port 0: the port is bound by the process itself and
		// read
		// from its log, so no other process can take it between choosing and binding.
		List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m", "-cp",
				System.getProperty("java.class.path"), "io.puraifi.enginecontrol.EngineControlApplication",
				"--server.port=0");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.directory(directory.toFile());
		builder.environment()
			.keySet()
			.removeIf((key) -> key.startsWith("ENGINE_CONTROL_") || key.startsWith("SPRING_"));
		builder.environment().putAll(environment);
		EngineControlProcess started;
		try {
			started = new EngineControlProcess(name, builder.start(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name, ex);
		}
		try {
			started.awaitReady();
			return started;
		}
		catch (RuntimeException | Error ex) {
			started.kill();
			throw ex;
		}
	}

	private void awaitReady() {
		await(this.name + " ready").atMost(STARTUP).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue());
			}
			if (this.port < 0) {
				Matcher started = STARTED.matcher(log());
				if (!started.find()) {
					return false;
				}
				this.port = Integer.parseInt(started.group(1));
			}
			return readiness() == 200;
		});
	}

	/**
	 * The status of {@code GET /actuator/health/readiness}, on a new connection.
	 * @return the status code
	 * @throws IOException when nothing answers
	 */
	public int readiness() throws IOException {
		return RawHttp.send(this.port, "GET", "/actuator/health/readiness", Map.of(), null).status();
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * SIGKILL, then waits until the process is gone.
	 */
	public void kill() {
		this.process.destroyForcibly();
		waitForExit(Duration.ofSeconds(30));
	}

	/**
	 * SIGTERM; returns at once.
	 */
	public void terminate() {
		this.process.destroy();
	}

	/**
	 * Waits for the process to end.
	 * @param timeout the longest wait
	 * @return the exit code, or null if it still runs
	 */
	public Integer waitForExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Everything the process wrote so far, stdout and stderr.
	 * @return the output
	 */
	public String log() {
		try {
			return Files.readString(this.output, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The output as lines.
	 * @return the lines
	 */
	public List<String> logLines() {
		return log().lines().toList();
	}

	String tail(int lines) {
		List<String> all = new ArrayList<>(logLines());
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

}
