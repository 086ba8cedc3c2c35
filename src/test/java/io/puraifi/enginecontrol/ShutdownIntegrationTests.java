package io.puraifi.enginecontrol;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.puraifi.enginecontrol.support.EngineControlProcess;
import io.puraifi.enginecontrol.support.EngineControlProcesses;
import io.puraifi.enginecontrol.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM: readiness goes down first while requests are still served for the readiness
 * grace, then the port closes, the request in flight finishes with its 2xx, and the
 * process exits within the drain bound, logging an orderly shutdown.
 */
class ShutdownIntegrationTests {

	private static final String ADMIN_KEY = "shutdown-tests-admin-key-0123456789abcdefghijklmn";

	private static final Duration GRACE = Duration.ofSeconds(3);

	/** {@code spring.lifecycle.timeout-per-shutdown-phase} in application.properties. */
	private static final Duration DRAIN_BOUND = Duration.ofSeconds(10);

	private static final Map<String, String> ADMIN = Map.of("X-Engine-ID", "admin", "X-Engine-Key", ADMIN_KEY);

	@RegisterExtension
	final EngineControlProcesses processes = new EngineControlProcesses();

	@TempDir
	Path workDir;

	@Test
	void sigtermTakesReadinessDownThenDrainsInFlightRequestsAndExits() throws Exception {
		Path dataDir = this.workDir.resolve("data");
		EngineControlProcess app = this.processes.start("app", this.workDir,
				Map.of("ENGINE_CONTROL_DATA_DIR", dataDir.toString(), "ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY,
						"ENGINE_CONTROL_SHUTDOWN_READINESS_GRACE", GRACE.toSeconds() + "s"));
		int port = app.port();
		RawHttp.Response registered = RawHttp.send(port, "POST", "/engines/register", ADMIN,
				"{\"engine_id\":\"probe\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		String probeKey = registered.body().replaceAll(".*\"engine_key\":\"([^\"]+)\".*", "$1");
		Map<String, String> probe = Map.of("X-Engine-ID", "probe", "X-Engine-Key", probeKey);

		String batch = "in-flight-at-sigterm";
		byte[] body = ("{\"events\":[" + String.join(",",
				IntStream.range(0, 20)
					.mapToObj((i) -> "{\"level\":\"info\",\"event_type\":\"shutdown.probe\",\"message\":\"" + batch
							+ "\",\"attributes\":{\"index\":" + i + "}}")
					.toList())
				+ "]}")
			.getBytes(StandardCharsets.UTF_8);
		int half = body.length / 2;
		try (Socket inFlight = RawHttp.open(port)) {
			inFlight.getOutputStream().write(RawHttp.head("POST", "/log/engine_events", ADMIN, body.length));
			inFlight.getOutputStream().write(body, 0, half);
			inFlight.getOutputStream().flush();

			long sigterm = System.nanoTime();
			app.terminate();

			await("readiness 503").atMost(GRACE)
				.pollInterval(Duration.ofMillis(50))
				.until(app::readiness, (status) -> status == 503);
			RawHttp.Response check = RawHttp.send(port, "POST", "/actions/check", probe,
					"{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
			long checkServed = System.nanoTime() - sigterm;
			assertThat(check.status()).as(check.body()).isEqualTo(200);
			assertThat(check.body()).contains("\"allowed\":true");

			await("port closed").atMost(GRACE.plusSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> refusesConnections(port));
			long portClosed = System.nanoTime() - sigterm;
			assertThat(Duration.ofNanos(portClosed)).isGreaterThanOrEqualTo(GRACE);
			assertThat(app.isAlive()).as("waits for the request in flight").isTrue();

			inFlight.getOutputStream().write(body, half, body.length - half);
			inFlight.getOutputStream().flush();
			RawHttp.Response accepted = RawHttp.read(inFlight.getInputStream());
			assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);

			Integer exit = app.waitForExit(GRACE.plus(DRAIN_BOUND).plusSeconds(10));
			long exited = System.nanoTime() - sigterm;
			assertThat(exit).as("exit code after SIGTERM").isZero();
			System.out.printf(
					"SIGTERM: readiness 503 and a check served at %d ms, port closed at %d ms, exited at %d ms%n",
					checkServed / 1_000_000, portClosed / 1_000_000, exited / 1_000_000);
		}

		List<String> log = app.logLines();
		int down = indexOf(log, "Shutting down: readiness is down");
		int draining = indexOf(log, "Readiness grace over");
		int commencing = indexOf(log, "Commencing graceful shutdown");
		int complete = indexOf(log, "Graceful shutdown complete");
		assertThat(List.of(down, draining, commencing, complete)).doesNotContain(-1).isSorted();
		log.subList(down, log.size())
			.stream()
			.filter((line) -> !line.contains("\"logger_name\":\"engine-control.event\""))
			.map((line) -> line.replaceAll(".*\"message\":\"([^\"]*)\".*", "  $1"))
			.forEach(System.out::println);
		assertThat(log.subList(down, log.size())).noneMatch((line) -> line.contains("\"level\":\"ERROR\""))
			.noneMatch((line) -> line.contains("\"level\":\"WARN\""));
		assertThat(log.get(log.size() - 1)).contains("Shutdown completed");

		JdbcClient store = JdbcClient.create(new DriverManagerDataSource(
				"jdbc:h2:file:" + dataDir.resolve("engine-control") + ";AUTO_SERVER=FALSE", "sa", ""));
		assertThat(store.sql("select count(*) from engine_event where message = ?")
			.param(batch)
			.query(Integer.class)
			.single()).as("events of the batch in flight at SIGTERM").isEqualTo(20);
	}

	private static boolean refusesConnections(int port) {
		try (Socket socket = RawHttp.open(port)) {
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int indexOf(List<String> lines, String message) {
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(message)) {
				return i;
			}
		}
		return -1;
	}

}
