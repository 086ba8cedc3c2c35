package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retention job with a short retention: an event is listed, then deleted in the
 * background once older than the retention.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventRetentionIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-retention-0123456789abcdefgh";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.events.retention", () -> "2s");
		registry.add("engine-control.events.retention-interval", () -> "300ms");
		registry.add("engine-control.events.retention-batch-size", () -> "2");
	}

	@LocalServerPort
	int port;

	@Test
	void eventsOlderThanTheRetentionAreDeletedInTheBackground() {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		for (int i = 0; i < 5; i++) {
			Response stored = admin.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"short-lived\"}");
			assertThat(stored.status()).isEqualTo(202);
		}
		assertThat(admin.get("/admin/events?event_type=short-lived").json().get("events")).hasSize(5);
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(
					() -> assertThat(admin.get("/admin/events?event_type=short-lived").json().get("events")).isEmpty());
		String metrics = admin.get("/actuator/prometheus").body();
		assertThat(metrics).contains("engine_control_events_deleted_total 5.0");
	}

}
