package io.puraifi.enginecontrol.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts {@link EngineControlProcess}es for a test, kills whatever is still running after
 * it, and prints the tail of each one's output when the test failed. Register with
 * {@code @RegisterExtension}.
 */
public final class EngineControlProcesses implements AfterEachCallback, TestWatcher {

	private static final int TAIL_LINES = 60;

	private final List<EngineControlProcess> started = new ArrayList<>();

	private final Map<String, String> tails = new LinkedHashMap<>();

	/**
	 * Starts Engine Control in a new JVM and waits until its readiness answers 200.
	 * @param name names the output file and the process in messages
	 * @param directory working directory; the output file goes here
	 * @param environment settings, such as {@code ENGINE_CONTROL_DATA_DIR}
	 * @return the running process
	 */
	public EngineControlProcess start(String name, Path directory, Map<String, String> environment) {
		try {
			EngineControlProcess process = EngineControlProcess.start(name, directory, environment);
			this.started.add(process);
			return process;
		}
		catch (RuntimeException ex) {
			this.tails.put(name, tailOf(directory.resolve(name + ".log")));
			throw ex;
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		for (EngineControlProcess process : this.started) {
			if (process.isAlive()) {
				process.kill();
			}
			this.tails.put(process.name() + " (pid " + process.pid() + ")", process.tail(TAIL_LINES));
		}
		this.started.clear();
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		this.tails.forEach((name, tail) -> System.err.println("--- last lines of " + name + " ---\n" + tail));
		this.tails.clear();
	}

	@Override
	public void testSuccessful(ExtensionContext context) {
		this.tails.clear();
	}

	@Override
	public void testAborted(ExtensionContext context, Throwable cause) {
		this.tails.clear();
	}

	@Override
	public void testDisabled(ExtensionContext context, Optional<String> reason) {
		this.tails.clear();
	}

	private static String tailOf(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
