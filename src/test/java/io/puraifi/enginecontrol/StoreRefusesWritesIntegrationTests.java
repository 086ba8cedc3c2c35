package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store refuses writes while it is still reachable (full, read-only, rights
 * withdrawn): writes are answered 503 problem+json with {@code Retry-After}, checks from
 * cached state are still answered, and once writes are allowed again everything that was
 * acknowledged before is still there and nothing refused was half-stored. On H2 the
 * application's user loses its write rights; on PostgreSQL the database turns read-only.
 */
class StoreRefusesWritesIntegrationTests {

	private static final String ADMIN_KEY = "store-refuses-writes-admin-key-0123456789abc";

	private static final String CHECK = "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}";

	private static final String EVENTS = "{\"events\":[{\"level\":\"info\",\"event_type\":\"refusal.before\"},"
			+ "{\"level\":\"warn\",\"event_type\":\"refusal.before\"}]}";

	private static final String REFUSES_WRITES = "The store refuses writes";

	@TempDir
	Path dataDir;

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void h2UserWithoutWriteRightsThenWritesAre503AndChecksStillAnswered() {
		TestDatabase database = TestDatabases.h2(StoreRefusesWritesIntegrationTests.class);
		JdbcClient owner = database.jdbcClient();
		owner.sql("create user refusal_app password 'app'").update();
		owner.sql("grant select, insert, update, delete on schema public to refusal_app").update();
		// Settings in the URL need admin rights, which the application's user lacks.
		EngineControlClient admin = start(database.url().replace(";DB_CLOSE_DELAY=-1", ""), "refusal_app", "app");

		refuseWritesThenAllow(admin,
				() -> owner.sql("revoke insert, update, delete on schema public from refusal_app").update(),
				() -> owner.sql("grant insert, update, delete on schema public to refusal_app").update());
	}

	@Test
	void postgresReadOnlyThenWritesAre503AndChecksStillAnswered() {
		TestDatabase database = TestDatabases.postgres(StoreRefusesWritesIntegrationTests.class);
		String name = database.url().replaceAll(".*/([^/?]+).*", "$1");
		try (SingleConnectionDataSource superuser = new SingleConnectionDataSource(database.url(), database.username(),
				database.password(), true)) {
			JdbcClient owner = JdbcClient.create(superuser);
			EngineControlClient admin = start(database.url(), database.username(), database.password());
			// Read-only applies to sessions opened after it: end the application's
			// sessions, as a failover to a read-only server would.
			refuseWritesThenAllow(admin, () -> {
				owner.sql("alter database " + name + " set default_transaction_read_only = on").update();
				endOtherSessions(owner, name);
			}, () -> {
				owner.sql("alter database " + name + " reset default_transaction_read_only").update();
				endOtherSessions(owner, name);
			});
		}
	}

	private void refuseWritesThenAllow(EngineControlClient admin, Runnable refuse, Runnable allow) {
		EngineControlClient before = register(admin, "before-refusal");
		assertThat(before.post("/log/engine_events", EVENTS).status()).isEqualTo(202);
		assertThat(before.post("/actions/check", CHECK).json().get("allowed").asBoolean()).isTrue();
		List<String> eventsBefore = eventIds(admin);
		assertThat(eventsBefore).hasSize(2);

		refuse.run();

		// Sessions ended by the refusal are a plain outage (also 503); the first answer
		// from a session that reached the store is the refusal.
		Response first = await().atMost(Duration.ofSeconds(20))
			.until(() -> registration(admin, "during-refusal"),
					(r) -> r.status() != 503 || r.json().get("detail").asString().startsWith(REFUSES_WRITES));
		assertRefusesWrites(first);
		assertRefusesWrites(registration(admin, "during-refusal"));
		assertRefusesWrites(before.post("/log/engine_events",
				"{\"events\":[{\"level\":\"info\",\"event_type\":\"refusal.during\"}]}"));
		assertRefusesWrites(before.post("/log/engine_event", "{\"level\":\"info\",\"event_type\":\"refusal.during\"}"));
		assertRefusesWrites(admin.put("/admin/platforms/gmail/status", "{\"status\":\"disabled\"}"));

		// Checks are decided from cached state: answered and allowed. Ended sessions can
		// make one reconcile fail (marked stale for a moment); the store still reads, so
		// the next reconcile confirms the state fresh.
		for (int i = 0; i < 5; i++) {
			Response check = before.post("/actions/check", CHECK);
			assertThat(check.status()).as(check.body()).isEqualTo(200);
			assertThat(check.json().get("allowed").asBoolean()).isTrue();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> !before.post("/actions/check", CHECK).json().has("stale"));

		allow.run();

		await().atMost(Duration.ofSeconds(20)).until(() -> registration(admin, "after-refusal").status() == 201);
		assertThat(admin.get("/admin/engines/before-refusal").status()).isEqualTo(200);
		assertThat(admin.get("/admin/engines/during-refusal").status()).isEqualTo(404);
		assertThat(eventIds(admin)).containsExactlyInAnyOrderElementsOf(eventsBefore);
		assertThat(admin.get("/platforms").body()).doesNotContain("\"disabled\"");
		assertThat(before.post("/actions/check", CHECK).json().get("allowed").asBoolean()).isTrue();
	}

	private EngineControlClient start(String url, String username, String password) {
		this.app = new SpringApplicationBuilder(EngineControlApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url, "--spring.datasource.username=" + username,
				"--spring.datasource.password=" + password, "--spring.flyway.enabled=false",
				"--spring.datasource.hikari.connection-timeout=1000",
				"--engine-control.data-dir=" + this.dataDir.resolve("app"),
				"--engine-control.bootstrap-admin-key=" + ADMIN_KEY,
				"--engine-control.propagation.reconcile-interval=200ms");
		int port = ((WebServerApplicationContext) this.app).getWebServer().getPort();
		return new EngineControlClient(port, "admin", ADMIN_KEY);
	}

	private static void endOtherSessions(JdbcClient owner, String database) {
		owner.sql("""
				select pg_terminate_backend(pid) from pg_stat_activity
				where datname = :database and pid <> pg_backend_pid()""")
			.param("database", database)
			.query()
			.listOfRows();
	}

	private static Response registration(EngineControlClient admin, String engineId) {
		return admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
	}

	private static EngineControlClient register(EngineControlClient admin, String engineId) {
		Response registered = registration(admin, engineId);
		assertThat(registered.status()).isEqualTo(201);
		return admin.as(engineId, registered.json().get("engine_key").asString());
	}

	private static List<String> eventIds(EngineControlClient admin) {
		List<String> ids = new ArrayList<>();
		for (JsonNode event : admin.get("/admin/events?engine_id=before-refusal").json().get("events")) {
			ids.add(event.get("event_id").asString());
		}
		return ids;
	}

	private static void assertRefusesWrites(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(503);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("type").asString())
			.isEqualTo("https://puraifi.io/problems/engine-control/store-unavailable");
		assertThat(problem.get("detail").asString()).startsWith(REFUSES_WRITES);
		assertThat(response.header("Retry-After")).isNotNull();
	}

}
