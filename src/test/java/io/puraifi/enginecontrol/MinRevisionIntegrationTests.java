package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code min_revision} cannot hold the service: a revision the store has not reached is
 * refused at once, naming the store's revision, and a batch waits once, not per item.
 * Over real HTTP, on the default H2 store, with the longest wait allowed set high so that
 * a wait would show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MinRevisionIntegrationTests {

	private static final String ADMIN_KEY = "min-revision-tests-admin-key-0123456789abcdef";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		registry.add("engine-control.propagation.max-revision-wait", () -> "10s");
	}

	@LocalServerPort
	int port;

	EngineControlClient admin;

	@BeforeEach
	void client() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
	}

	@Test
	void checkWhenMinRevisionIsAboveTheStoreThenRefusedAtOnceNamingTheStoreRevision() {
		long store = storeRevision();
		long start = System.nanoTime();
		Response check = this.admin.post("/actions/check",
				"{\"platform\":\"gmail\",\"action_type\":\"send_email\",\"min_revision\":9223372036854775807}");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(check.status()).as(check.body()).isEqualTo(400);
		assertThat(check.contentType()).startsWith("application/problem+json");
		assertThat(check.json().get("current_revision").asLong()).isEqualTo(store);
		assertThat(check.json().get("errors").get(0).get("field").asString()).isEqualTo("min_revision");
	}

	@Test
	void batchOfHundredChecksWithUnreachableMinRevisionIsAnsweredUnderOneSecond() {
		StringJoiner checks = new StringJoiner(",", "{\"checks\":[", "]}");
		for (int i = 0; i < 100; i++) {
			checks.add("{\"correlation_id\":\"c" + i
					+ "\",\"platform\":\"gmail\",\"action_type\":\"send_email\",\"min_revision\":9223372036854775807}");
		}
		long start = System.nanoTime();
		Response batch = this.admin.post("/actions/check/batch", checks.toString());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(batch.status()).as(batch.body()).isEqualTo(200);
		JsonNode results = batch.json().get("results");
		assertThat(results).hasSize(100);
		for (JsonNode result : results) {
			assertThat(result.get("error").get("status").asInt()).isEqualTo(400);
			assertThat(result.get("error").get("detail").asString())
				.contains("above the store's current revision " + storeRevision());
		}
	}

	@Test
	void batchItemsWithReachableMinRevisionAreDecidedBesideUnreachableOnes() {
		Response write = this.admin.put("/admin/platforms/slack/status", "{\"status\":\"maintenance\"}");
		long revision = Long.parseLong(write.header("X-Store-Revision"));
		Response batch = this.admin.post("/actions/check/batch",
				"{\"checks\":[{\"platform\":\"slack\",\"action_type\":\"post_message\",\"min_revision\":" + revision
						+ "},{\"platform\":\"gmail\",\"action_type\":\"send_email\",\"min_revision\":"
						+ (revision + 1_000_000) + "}]}");
		JsonNode results = batch.json().get("results");
		assertThat(results.get(0).has("error")).as(batch.body()).isFalse();
		assertThat(results.get(0).get("reason").asString()).isNotBlank();
		assertThat(results.get(0).get("revision").asLong()).isGreaterThanOrEqualTo(revision);
		assertThat(results.get(1).get("error").get("status").asInt()).isEqualTo(400);
		this.admin.put("/admin/platforms/slack/status", "{\"status\":\"available\"}");
	}

	private long storeRevision() {
		return Long.parseLong(this.admin.get("/platforms/list").header("X-Store-Revision"));
	}

}
