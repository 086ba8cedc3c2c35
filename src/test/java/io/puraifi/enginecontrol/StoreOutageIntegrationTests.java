package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.support.StoppablePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store goes away under load and comes back. Engine Control keeps answering checks
 * for engines it has cached, marked stale, for {@code max-staleness}; fails closed with
 * 503 for anything it cannot decide and after that bound; refuses writes with 503;
 * reports not ready but live; and recovers by itself when the store returns.
 */
class StoreOutageIntegrationTests {

	private static final String ADMIN_KEY = "store-outage-tests-admin-key-0123456789abcdef";

	private static final Duration MAX_STALENESS = Duration.ofSeconds(4);

	private static final String CHECK = "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}";

	@TempDir
	Path dataDir;

	private StoppablePostgres postgres;

	private ConfigurableApplicationContext app;

	private EngineControlClient admin;

	@BeforeEach
	void start() {
		this.postgres = new StoppablePostgres(this.dataDir.resolve("pg"));
		this.app = new SpringApplicationBuilder(EngineControlApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + this.postgres.url(),
				"--spring.datasource.username=" + this.postgres.username(),
				"--spring.datasource.password=" + this.postgres.password(),
				"--spring.datasource.hikari.connection-timeout=500",
				"--engine-control.data-dir=" + this.dataDir.resolve("app"),
				"--engine-control.bootstrap-admin-key=" + ADMIN_KEY,
				"--engine-control.propagation.reconcile-interval=200ms",
				"--engine-control.propagation.max-staleness=" + MAX_STALENESS.toMillis() + "ms");
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		this.admin = new EngineControlClient(port, "admin", ADMIN_KEY);
	}

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void storeOutageUnderLoadServesStaleThenFailsClosedThenRecovers() throws Exception {
		EngineControlClient cached = register("cached");
		EngineControlClient uncached = register("uncached");
		assertThat(cached.post("/actions/check", CHECK).json().get("allowed").asBoolean()).isTrue();

		List<Answer> answers = new CopyOnWriteArrayList<>();
		AtomicBoolean loading = new AtomicBoolean(true);
		List<Thread> load = List.of(new Thread(() -> drive(cached, loading, answers)),
				new Thread(() -> drive(cached, loading, answers)));
		load.forEach(Thread::start);
		await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() >= 20);

		Instant storeStopped = Instant.now();
		this.postgres.stop();

		// Cached: answered from the last known state, and marked so.
		JsonNode stale = await().atMost(Duration.ofSeconds(5))
			.until(() -> cached.post("/actions/check", CHECK), (r) -> r.status() == 200 && r.json().has("stale"))
			.json();
		assertThat(stale.get("allowed").asBoolean()).isTrue();
		assertThat(stale.get("stale").asBoolean()).isTrue();
		Instant staleSince = Instant.parse(stale.get("stale_since").asString());
		assertThat(staleSince).isBefore(Instant.now()).isAfter(storeStopped.minusSeconds(2));

		// Not cached: nothing to decide from, so 503, never an allow.
		assertStoreUnavailable(uncached.post("/actions/check", CHECK));
		Response onBehalf = this.admin.post("/actions/check",
				"{\"engine_id\":\"uncached\",\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertStoreUnavailable(onBehalf);
		assertThat(onBehalf.json().get("allowed").asBoolean()).isFalse();
		assertThat(onBehalf.json().get("reason").asString()).isEqualTo("STORE_UNAVAILABLE");

		// Writes: 503 problem, nothing changed (checked after recovery).
		assertStoreUnavailable(this.admin.post("/engines/register",
				"{\"engine_id\":\"during-outage\",\"capabilities\":{\"gmail\":[\"send_email\"]}}"));
		assertStoreUnavailable(this.admin.put("/admin/platforms/gmail/status", "{\"status\":\"disabled\"}"));
		assertStoreUnavailable(cached.post("/log/engine_events",
				"{\"events\":[{\"level\":\"info\",\"event_type\":\"outage.test\"}]}"));

		// Not ready, still live.
		assertThat(this.admin.get("/actuator/health/readiness").status()).isEqualTo(503);
		assertThat(this.admin.get("/actuator/health/liveness").status()).isEqualTo(200);

		// Past max-staleness even cached engines fail closed.
		Response closed = await().atMost(MAX_STALENESS.plusSeconds(5))
			.until(() -> cached.post("/actions/check", CHECK), (r) -> r.status() == 503);
		assertStoreUnavailable(closed);
		assertThat(closed.json().get("allowed").asBoolean()).isFalse();
		assertThat(closed.json().get("reason").asString()).isEqualTo("STORE_UNAVAILABLE");
		assertThat(Duration.between(staleSince, Instant.now())).isGreaterThanOrEqualTo(MAX_STALENESS);

		// The store returns: recovery without a restart.
		this.postgres.start();
		Instant storeBack = Instant.now();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Response r = cached.post("/actions/check", CHECK);
			return r.status() == 200 && !r.json().has("stale") && r.json().get("allowed").asBoolean();
		});
		Duration recovery = Duration.between(storeBack, Instant.now());
		loading.set(false);
		for (Thread thread : load) {
			thread.join();
		}
		assertThat(uncached.post("/actions/check", CHECK).json().get("allowed").asBoolean()).isTrue();
		assertThat(this.admin.get("/admin/engines/during-outage").status()).isEqualTo(404);
		assertThat(this.admin.get("/platforms").body()).doesNotContain("\"disabled\"");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.admin.get("/actuator/health/readiness").status() == 200);
		assertThat(this.admin
			.post("/engines/register", "{\"engine_id\":\"after-outage\",\"capabilities\":{\"gmail\":[\"send_email\"]}}")
			.status()).isEqualTo(201);

		// Under load, every answer was a fresh allow, a stale allow within the bound, or
		// a
		// 503 problem: never a 5xx of another kind, never a stale allow past the bound.
		Map<String, Integer> kinds = new TreeMap<>();
		for (Answer answer : answers) {
			kinds.merge(answer.kind(), 1, Integer::sum);
			if (answer.status() == 200 && answer.staleSince() != null) {
				assertThat(Duration.between(answer.staleSince(), answer.sentAt()))
					.isLessThanOrEqualTo(MAX_STALENESS.plusMillis(500));
			}
		}
		System.out.printf("store outage: %d checks under load %s, recovered %d ms after the store was back%n",
				answers.size(), kinds, recovery.toMillis());
		assertThat(kinds.keySet()).containsOnly("allowed", "allowed_stale", "store_unavailable");
		assertThat(kinds).containsKeys("allowed", "allowed_stale", "store_unavailable");
		assertThat(recovery).isLessThan(Duration.ofSeconds(10));
	}

	private EngineControlClient register(String engineId) {
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		return this.admin.as(engineId, registered.json().get("engine_key").asString());
	}

	private static void assertStoreUnavailable(Response response) {
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("type").asString())
			.isEqualTo("https://puraifi.io/problems/engine-control/store-unavailable");
		assertThat(response.header("Retry-After")).isNotNull();
	}

	private static void drive(EngineControlClient client, AtomicBoolean loading, List<Answer> answers) {
		while (loading.get()) {
			Instant sentAt = Instant.now();
			Response response = client.post("/actions/check", CHECK);
			answers.add(Answer.of(sentAt, response));
		}
	}

	private record Answer(Instant sentAt, int status, String kind, Instant staleSince) {

		static Answer of(Instant sentAt, Response response) {
			int status = response.status();
			if (status == 200) {
				JsonNode body = response.json();
				boolean allowed = body.get("allowed").asBoolean();
				Instant staleSince = body.has("stale_since") ? Instant.parse(body.get("stale_since").asString()) : null;
				String kind = !allowed ? "denied" : (staleSince != null) ? "allowed_stale" : "allowed";
				return new Answer(sentAt, status, kind, staleSince);
			}
			boolean problem = "application/problem+json".equals(response.contentType())
					&& response.body().contains("/store-unavailable\"");
			return new Answer(sentAt, status, (status == 503 && problem) ? "store_unavailable" : "status_" + status,
					null);
		}

	}

}
