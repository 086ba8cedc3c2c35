package io.puraifi.enginecontrol;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.support.EngineControlProcess;
import io.puraifi.enginecontrol.support.EngineControlProcesses;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} in the middle of event ingestion and registrations loses nothing that
 * was acknowledged and leaves nothing half-written, on H2 (a file) and on PostgreSQL.
 * Engine Control runs in a JVM of its own; senders post event batches and register
 * engines concurrently, the process is killed while requests are in flight, and a new
 * process on the same store is then asked what it has.
 */
class CrashIntegrationTests {

	private static final String ADMIN_KEY = "crash-tests-admin-key-0123456789abcdefghijklmnop";

	private static final int EVENT_SENDERS = 3;

	private static final int REGISTRARS = 2;

	private static final int BATCH_SIZE = 50;

	/** Load runs at least this long, and until enough has been acknowledged. */
	private static final Duration LOAD = Duration.ofMillis(1500);

	private static final String CAPABILITIES = "{\"gmail\":[\"read_email\",\"send_email\"],\"slack\":[\"post_message\"]}";

	@RegisterExtension
	final EngineControlProcesses processes = new EngineControlProcesses();

	@TempDir
	Path workDir;

	static Stream<Arguments> stores() {
		return Stream.of(Arguments.of("H2 file", (Function<Path, Map<String, String>>) (dataDir) -> Map.of()),
				Arguments.of("PostgreSQL", (Function<Path, Map<String, String>>) (dataDir) -> {
					TestDatabase database = TestDatabases.emptyPostgres(CrashIntegrationTests.class);
					return Map.of("ENGINE_CONTROL_DB_URL", database.url(), "ENGINE_CONTROL_DB_USERNAME",
							database.username(), "ENGINE_CONTROL_DB_PASSWORD", database.password());
				}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("stores")
	void killDuringWritesLosesNothingAcknowledgedAndLeavesNothingHalfWritten(String store,
			Function<Path, Map<String, String>> storeSettings) throws Exception {
		Map<String, String> environment = new HashMap<>(storeSettings.apply(this.workDir));
		environment.put("ENGINE_CONTROL_DATA_DIR", this.workDir.resolve("data").toString());
		environment.put("ENGINE_CONTROL_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
		EngineControlProcess first = this.processes.start("first", this.workDir, environment);
		EngineControlClient admin = new EngineControlClient(first.port(), "admin", ADMIN_KEY);
		List<EngineControlClient> senders = new ArrayList<>();
		for (int i = 0; i < EVENT_SENDERS; i++) {
			Response sender = admin.post("/engines/register",
					"{\"engine_id\":\"sender-" + i + "\",\"capabilities\":" + CAPABILITIES + "}");
			assertThat(sender.status()).isEqualTo(201);
			senders
				.add(new EngineControlClient(first.port(), "sender-" + i, sender.json().get("engine_key").asString()));
		}

		Load load = new Load();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < EVENT_SENDERS; i++) {
			EngineControlClient sender = senders.get(i);
			threads.add(new Thread(() -> load.sendBatches(sender), "event-sender-" + i));
		}
		for (int i = 0; i < REGISTRARS; i++) {
			int registrar = i;
			EngineControlClient client = new EngineControlClient(first.port(), "admin", ADMIN_KEY);
			threads.add(new Thread(() -> load.register(client, "reg-" + registrar + "-"), "registrar-" + i));
		}
		threads.forEach(Thread::start);
		long loadStart = System.nanoTime();
		await("acknowledged writes").atMost(Duration.ofSeconds(30))
			.until(() -> load.batches.size() >= 10 && load.registrations.size() >= 10
					&& System.nanoTime() - loadStart >= LOAD.toNanos());
		int inFlightAtKill = load.inFlight.get();
		first.kill();
		load.stop.set(true);
		for (Thread thread : threads) {
			thread.join(30_000);
		}
		Set<String> acknowledgedBatches = new TreeSet<>(load.batches);
		Map<String, String> acknowledgedEngines = new HashMap<>(load.registrations);

		EngineControlProcess second = this.processes.start("second", this.workDir, environment);
		EngineControlClient afterRestart = new EngineControlClient(second.port(), "admin", ADMIN_KEY);
		Map<String, Set<Integer>> storedBatches = storedBatches(afterRestart);
		Map<String, JsonNode> storedEngines = storedEngines(afterRestart);

		List<String> lostBatches = acknowledgedBatches.stream().filter((id) -> !storedBatches.containsKey(id)).toList();
		List<String> partialBatches = storedBatches.entrySet()
			.stream()
			.filter((batch) -> batch.getValue().size() != BATCH_SIZE)
			.map((batch) -> batch.getKey() + " has " + batch.getValue().size())
			.toList();
		List<String> lostEngines = acknowledgedEngines.keySet()
			.stream()
			.filter((id) -> !storedEngines.containsKey(id))
			.sorted()
			.toList();
		List<String> partialEngines = new ArrayList<>();
		for (Map.Entry<String, JsonNode> engine : storedEngines.entrySet()) {
			if (!engine.getKey().startsWith("reg-")) {
				continue;
			}
			JsonNode capabilities = engine.getValue().get("capabilities");
			Response keys = afterRestart.get("/admin/engines/" + engine.getKey() + "/keys");
			if (capabilities == null || !capabilities.toString().equals(CAPABILITIES)
					|| keys.json().get("keys").size() != 1) {
				partialEngines.add(engine.getKey() + ": " + engine.getValue() + " " + keys.body());
			}
		}
		List<String> refusedKeys = new ArrayList<>();
		acknowledgedEngines.forEach((id, key) -> {
			if (storedEngines.containsKey(id)) {
				Response check = afterRestart.as(id, key)
					.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
				if (check.status() != 200 || !check.json().get("allowed").asBoolean()) {
					refusedKeys.add(id + ": " + check.status() + " " + check.body());
				}
			}
		});

		System.out.printf(
				"%s: %d batches of %d events and %d registrations acknowledged, %d requests in flight at kill -9; "
						+ "after restart %d batches and %d registered engines stored; lost %d batches, %d engines%n",
				store, acknowledgedBatches.size(), BATCH_SIZE, acknowledgedEngines.size(), inFlightAtKill,
				storedBatches.size(), storedEngines.keySet().stream().filter((id) -> id.startsWith("reg-")).count(),
				lostBatches.size(), lostEngines.size());
		assertThat(lostBatches).as("acknowledged event batches missing after kill -9").isEmpty();
		assertThat(lostEngines).as("acknowledged registrations missing after kill -9").isEmpty();
		assertThat(partialBatches).as("event batches stored in part").isEmpty();
		assertThat(partialEngines).as("engines stored without their grants or key").isEmpty();
		assertThat(refusedKeys).as("acknowledged engines whose key no longer works").isEmpty();
	}

	/**
	 * Every stored probe event, grouped by batch (its message), as the set of indexes.
	 */
	private static Map<String, Set<Integer>> storedBatches(EngineControlClient admin) {
		Map<String, Set<Integer>> batches = new HashMap<>();
		String cursor = null;
		do {
			Response page = admin
				.get("/admin/events?event_type=crash.probe&limit=500" + ((cursor != null) ? "&cursor=" + cursor : ""));
			assertThat(page.status()).isEqualTo(200);
			for (JsonNode event : page.json().get("events")) {
				batches.computeIfAbsent(event.get("message").asString(), (id) -> new TreeSet<>())
					.add(event.get("attributes").get("index").asInt());
			}
			JsonNode next = page.json().get("next_cursor");
			cursor = (next != null) ? next.asString() : null;
		}
		while (cursor != null);
		return batches;
	}

	private static Map<String, JsonNode> storedEngines(EngineControlClient admin) {
		Map<String, JsonNode> engines = new HashMap<>();
		String cursor = null;
		do {
			Response page = admin.get("/admin/engines?limit=500" + ((cursor != null) ? "&cursor=" + cursor : ""));
			assertThat(page.status()).isEqualTo(200);
			for (JsonNode engine : page.json().get("engines")) {
				engines.put(engine.get("engine_id").asString(), engine);
			}
			JsonNode next = page.json().get("next_cursor");
			cursor = (next != null) ? next.asString() : null;
		}
		while (cursor != null);
		return engines;
	}

	/**
	 * What the senders did: the batches and registrations that were acknowledged (2xx).
	 */
	private static final class Load {

		final AtomicBoolean stop = new AtomicBoolean();

		final AtomicInteger inFlight = new AtomicInteger();

		final Set<String> batches = ConcurrentHashMap.newKeySet();

		final Map<String, String> registrations = new ConcurrentHashMap<>();

		void sendBatches(EngineControlClient sender) {
			for (int n = 0; !this.stop.get(); n++) {
				String batch = sender.engineId() + "-batch-" + n;
				String events = String.join(",",
						IntStream.range(0, BATCH_SIZE)
							.mapToObj((i) -> "{\"level\":\"info\",\"event_type\":\"crash.probe\",\"message\":\"" + batch
									+ "\",\"attributes\":{\"index\":" + i + "}}")
							.toList());
				Integer status = send(() -> sender.post("/log/engine_events", "{\"events\":[" + events + "]}"));
				if (status == null) {
					return;
				}
				if (status == 202) {
					this.batches.add(batch);
				}
			}
		}

		void register(EngineControlClient admin, String prefix) {
			for (int n = 0; !this.stop.get(); n++) {
				String engineId = prefix + n;
				Response[] answer = new Response[1];
				Integer status = send(() -> {
					answer[0] = admin.post("/engines/register",
							"{\"engine_id\":\"" + engineId + "\",\"capabilities\":" + CAPABILITIES + "}");
					return answer[0];
				});
				if (status == null) {
					return;
				}
				if (status == 201) {
					this.registrations.put(engineId, answer[0].json().get("engine_key").asString());
				}
			}
		}

		/** The status, or null once the connection fails (the process is gone). */
		private Integer send(Supplier<Response> request) {
			this.inFlight.incrementAndGet();
			try {
				return request.get().status();
			}
			catch (UncheckedIOException ex) {
				return null;
			}
			finally {
				this.inFlight.decrementAndGet();
			}
		}

	}

}
