package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: an engine that keeps sending events keeps only its newest
 * {@code max-per-engine}; every batch is still acknowledged, and another engine's events
 * are untouched.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventCapIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-event-cap-0123456789abcdefgh";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.events.max-per-engine", () -> "10");
	}

	@LocalServerPort
	int port;

	@Test
	void engineOverItsCapKeepsItsNewestEventsAndOthersKeepTheirs() {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		EngineControlClient loud = register(admin, "loud");
		EngineControlClient quiet = register(admin, "quiet");
		assertThat(quiet.post("/log/engine_events", batch("quiet", 5)).status()).isEqualTo(202);
		for (int round = 1; round <= 3; round++) {
			assertThat(loud.post("/log/engine_events", batch("round-" + round, 10)).status()).isEqualTo(202);
		}
		assertThat(types(admin, "loud")).hasSize(10).containsOnly("round-3");
		assertThat(types(admin, "quiet")).hasSize(5).containsOnly("quiet");
		assertThat(admin.get("/actuator/prometheus").body()).contains("engine_control_events_deleted_total 20.0");
	}

	@Test
	void batchIsListedNewestFirstInTheOrderItWasSent() {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		EngineControlClient ordered = register(admin, "ordered");
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			events.add("{\"level\":\"info\",\"event_type\":\"step-" + i + "\"}");
		}
		Response stored = ordered.post("/log/engine_events", "{\"events\":[" + String.join(",", events) + "]}");
		assertThat(stored.status()).isEqualTo(202);
		assertThat(types(admin, "ordered")).containsExactly("step-9", "step-8", "step-7", "step-6", "step-5", "step-4",
				"step-3", "step-2", "step-1", "step-0");
	}

	private static String batch(String type, int size) {
		List<String> events = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			events.add("{\"level\":\"info\",\"event_type\":\"" + type + "\"}");
		}
		return "{\"events\":[" + String.join(",", events) + "]}";
	}

	private static List<String> types(EngineControlClient admin, String engineId) {
		List<String> types = new ArrayList<>();
		for (JsonNode event : admin.get("/admin/events?limit=100&engine_id=" + engineId).json().get("events")) {
			types.add(event.get("event_type").asString());
		}
		return types;
	}

	private static EngineControlClient register(EngineControlClient admin, String engineId) {
		Response registered = admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		return admin.as(engineId, registered.json().get("engine_key").asString());
	}

}
