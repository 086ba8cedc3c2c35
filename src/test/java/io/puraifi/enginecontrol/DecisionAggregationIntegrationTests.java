package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A denial storm over real HTTP: identical denials within the window are one stored
 * record with their count, other kinds are records of their own, and the operator sees
 * the counts in {@code GET /admin/decisions}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DecisionAggregationIntegrationTests {

	static final String ADMIN_KEY = "operator-key-for-aggregation-0123456789abcdef";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.decisions.aggregation-window", () -> "10m");
		registry.add("engine-control.decisions.aggregation-flush-interval", () -> "200ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aThousandIdenticalDenialsAreOneRecordWithTheirCountAndOtherKindsAreTheirOwn() {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		Response registered = admin.post("/engines/register",
				"{\"engine_id\":\"stormy\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		EngineControlClient engine = admin.as("stormy", registered.json().get("engine_key").asString());
		Instant before = Instant.now();
		String denied = IntStream.range(0, 100)
			.mapToObj(
					(i) -> "{\"correlation_id\":\"c" + i + "\",\"platform\":\"gmail\",\"action_type\":\"read_email\"}")
			.collect(Collectors.joining(",", "{\"checks\":[", "]}"));
		for (int i = 0; i < 10; i++) {
			Response batch = engine.post("/actions/check/batch", denied);
			assertThat(batch.status()).as(batch.body()).isEqualTo(200);
			assertThat(batch.json().get("results").get(99).get("reason").asString()).isEqualTo("ACTION_NOT_GRANTED");
		}
		Response otherPlatform = engine.post("/actions/check",
				"{\"platform\":\"slack\",\"action_type\":\"post_message\"}");
		assertThat(otherPlatform.json().get("reason").asString()).isEqualTo("ACTION_NOT_GRANTED");
		Response otherReason = engine.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"burn_inbox\"}");
		assertThat(otherReason.json().get("reason").asString()).isEqualTo("UNKNOWN_ACTION");
		Instant after = Instant.now();

		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			JsonNode decisions = admin.get("/admin/decisions?engine_id=stormy").json().get("decisions");
			assertThat(decisions).hasSize(3);
			assertThat(decisions.get(2).get("count").asLong()).isEqualTo(1_000);
		});
		List<JsonNode> decisions = admin.get("/admin/decisions?engine_id=stormy")
			.json()
			.get("decisions")
			.valueStream()
			.toList();
		JsonNode storm = decisions.get(2);
		assertThat(storm.get("platform").asString()).isEqualTo("gmail");
		assertThat(storm.get("action_type").asString()).isEqualTo("read_email");
		assertThat(storm.get("reason").asString()).isEqualTo("ACTION_NOT_GRANTED");
		assertThat(storm.get("correlation_id").asString()).as("the first one's").isEqualTo("c0");
		Instant firstAt = Instant.parse(storm.get("first_at").asString());
		Instant lastAt = Instant.parse(storm.get("last_at").asString());
		assertThat(firstAt).isEqualTo(Instant.parse(storm.get("decided_at").asString()))
			.isAfterOrEqualTo(before.minusSeconds(1));
		assertThat(lastAt).isAfter(firstAt).isBeforeOrEqualTo(after.plusSeconds(1));
		assertThat(decisions.get(1).get("platform").asString()).isEqualTo("slack");
		assertThat(decisions.get(1).get("count").asLong()).isEqualTo(1);
		assertThat(decisions.get(0).get("reason").asString()).isEqualTo("UNKNOWN_ACTION");
		assertThat(decisions.get(0).get("count").asLong()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from decision_record where subject_engine_id = 'stormy'")
			.query(Long.class)
			.single()).isEqualTo(3);
	}

}
