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
 * The decision record retention job with a short bound: beyond {@code max-records}, the
 * oldest records are deleted in the background.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DecisionRetentionIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-decision-retention-0123456789";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.decisions.max-records", () -> "2");
		registry.add("engine-control.decisions.retention-interval", () -> "300ms");
		registry.add("engine-control.decisions.retention-batch-size", () -> "1");
	}

	@LocalServerPort
	int port;

	@Test
	void beyondTheMostRecordsKeptTheOldestAreDeletedInTheBackground() {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		for (String action : new String[] { "one", "two", "three", "four", "five" }) {
			Response check = admin.post("/actions/check",
					"{\"platform\":\"gmail\",\"action_type\":\"" + action + "\"}");
			assertThat(check.status()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(admin.get("/admin/decisions?engine_id=admin")
				.json()
				.get("decisions")
				.valueStream()
				.map((d) -> d.get("action_type").asString())).containsExactly("five", "four"));
		assertThat(admin.get("/actuator/prometheus").body())
			.containsPattern("engine_control_decision_records_deleted_total [3-9]");
	}

}
