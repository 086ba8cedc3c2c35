package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.support.TestDatabases;
import io.puraifi.enginecontrol.support.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the whole application on one PostgreSQL, over real HTTP: a change made
 * through one is enforced by the other within a second, a missed notification is repaired
 * by the reconcile, and a restarted replica loses nothing.
 */
class MultiInstanceIntegrationTests {

	private static final String ADMIN_KEY = "multi-instance-tests-admin-key-0123456789abcdef";

	private static final Duration BOUND = Duration.ofSeconds(1);

	@TempDir
	Path dataDir;

	private TestDatabase database;

	private ConfigurableApplicationContext replicaA;

	private ConfigurableApplicationContext replicaB;

	private EngineControlClient adminA;

	private EngineControlClient engineB;

	@BeforeEach
	void startTwoReplicas() {
		this.database = TestDatabases.emptyPostgres(MultiInstanceIntegrationTests.class);
		this.replicaA = start("a");
		this.replicaB = start("b");
		this.adminA = new EngineControlClient(port(this.replicaA), "admin", ADMIN_KEY);
		Response registered = this.adminA.post("/engines/register",
				"{\"engine_id\":\"mailer\",\"capabilities\":{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		this.engineB = new EngineControlClient(port(this.replicaB), "mailer",
				registered.json().get("engine_key").asString());
		assertThat(reason(this.engineB, "gmail")).isEqualTo("ALLOWED");
		assertThat(reason(this.engineB, "slack")).isEqualTo("ALLOWED");
	}

	@AfterEach
	void stopReplicas() {
		for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] { this.replicaA,
				this.replicaB }) {
			if (replica != null) {
				replica.close();
			}
		}
	}

	@Test
	void maintenanceThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
		this.adminA.put("/admin/platforms/gmail/status", "{\"status\":\"maintenance\"}");
		assertThat(timeUntil(() -> reason(this.engineB, "gmail").equals("PLATFORM_MAINTENANCE"))).isLessThan(BOUND);
	}

	@Test
	void killSwitchThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
		this.adminA.put("/admin/flags/action.slack.post_message", "{\"enabled\":false}");
		assertThat(timeUntil(() -> reason(this.engineB, "slack").equals("FLAG_DISABLED"))).isLessThan(BOUND);
	}

	@Test
	void maintenanceWindowThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
		Instant now = Instant.now();
		Response created = this.adminA.post("/admin/platforms/gmail/maintenance-windows", "{\"starts_at\":\"" + now
				+ "\",\"ends_at\":\"" + now.plusSeconds(3600) + "\",\"message\":\"upgrade\"}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(timeUntil(() -> reason(this.engineB, "gmail").equals("PLATFORM_MAINTENANCE"))).isLessThan(BOUND);
		assertThat(check(this.engineB, "gmail").json().get("retry_after").asString()).isNotBlank();
		assertThat(reason(this.engineB, "slack")).isEqualTo("ALLOWED");
	}

	@Test
	void globalKillSwitchThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
		this.adminA.put("/admin/flags/global", "{\"enabled\":false}");
		assertThat(timeUntil(() -> reason(this.engineB, "gmail").equals("FLAG_DISABLED"))).isLessThan(BOUND);
		assertThat(check(this.engineB, "slack").json().get("flag").asString()).isEqualTo("global");
		this.adminA.send("DELETE", "/admin/flags/global", null);
		assertThat(timeUntil(() -> reason(this.engineB, "slack").equals("ALLOWED"))).isLessThan(BOUND);
	}

	@Test
	void suspensionThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
		this.adminA.post("/admin/engines/mailer/suspend", null);
		assertThat(timeUntil(() -> check(this.engineB, "gmail").status() == 403)).isLessThan(BOUND);
	}

	@Test
	void keyRevokedThroughOneReplicaIsRefusedByTheOtherWithinASecond() {
		String keyId = this.adminA.get("/admin/engines/mailer/keys").json().get("keys").get(0).get("key_id").asString();
		Response revoked = this.adminA.post("/admin/engines/mailer/keys/" + keyId + "/revoke", null);
		assertThat(revoked.status()).isEqualTo(200);
		assertThat(timeUntil(() -> check(this.engineB, "gmail").status() == 401)).isLessThan(BOUND);
	}

	@Test
	void keyRotatedOutThroughOneReplicaStopsOnTheOtherWhenItsOverlapEnds() throws InterruptedException {
		Response rotated = this.adminA.post("/admin/engines/mailer/keys/rotate", "{\"overlap\":\"PT3S\"}");
		assertThat(rotated.status()).isEqualTo(201);
		Instant overlapEnd = Instant.parse(rotated.json().get("previous_keys_expire_at").asString());
		EngineControlClient newKeyB = new EngineControlClient(port(this.replicaB), "mailer",
				rotated.json().get("engine_key").asString());
		assertThat(timeUntil(() -> check(newKeyB, "gmail").status() == 200)).isLessThan(BOUND);
		assertThat(Instant.now()).as("still inside the overlap").isBefore(overlapEnd.minusMillis(500));
		assertThat(check(this.engineB, "gmail").status()).as("the old key during the overlap").isEqualTo(200);
		Thread.sleep(Math.max(0, Duration.between(Instant.now(), overlapEnd).toMillis()));
		assertThat(timeUntil(() -> check(this.engineB, "gmail").status() == 401)).isLessThan(BOUND);
		assertThat(check(newKeyB, "gmail").status()).isEqualTo(200);
	}

	@Test
	void grantRemovedThroughOneReplicaIsEnforcedByTheOtherWithinASecond() {
		this.adminA.put("/admin/engines/mailer/capabilities", "{\"capabilities\":{\"slack\":[\"post_message\"]}}");
		assertThat(timeUntil(() -> reason(this.engineB, "gmail").equals("ACTION_NOT_GRANTED"))).isLessThan(BOUND);
	}

	@Test
	void reconcileRepairsAMissedNotification() {
		this.replicaB.close();
		this.replicaB = start("b", "200ms");
		this.engineB = new EngineControlClient(port(this.replicaB), "mailer", this.engineB.key());
		assertThat(reason(this.engineB, "gmail")).isEqualTo("ALLOWED");
		JdbcClient jdbc = this.database.jdbcClient();
		// A write that bumps the revision and logs the change but sends no notification.
		jdbc.sql("update platform set status = 'DISABLED' where platform = 'gmail'").update();
		jdbc.sql("update store_revision set revision = revision + 1 where id = 1").update();
		long revision = jdbc.sql("select revision from store_revision").query(Long.class).single();
		jdbc.sql(
				"insert into change_log (revision, kind, change_key, changed_at) values (?, 'PLATFORM', 'gmail', now())")
			.params(revision)
			.update();
		assertThat(timeUntil(() -> reason(this.engineB, "gmail").equals("PLATFORM_DISABLED"))).isLessThan(BOUND);
	}

	@Test
	void lostListenerConnectionIsReconnectedAndReportedInHealth() {
		JdbcClient jdbc = this.database.jdbcClient();
		String listeners = "select pid from pg_stat_activity where datname = current_database() and query like 'LISTEN%'";
		List<Integer> before = jdbc.sql(listeners).query(Integer.class).list();
		assertThat(before).hasSize(2);
		before.forEach((pid) -> jdbc.sql("select pg_terminate_backend(?)").params(pid).query().singleRow());

		assertThat(timeUntil(() -> {
			List<Integer> now = jdbc.sql(listeners).query(Integer.class).list();
			return now.size() == 2 && now.stream().noneMatch(before::contains);
		})).isLessThan(Duration.ofSeconds(5));
		assertThat(timeUntil(() -> health(this.replicaB).contains("\"propagation\":{\"status\":\"UP\"")))
			.isLessThan(Duration.ofSeconds(5));
		// Replicas here reconcile only every 10 s: within a second means by notification.
		this.adminA.put("/admin/platforms/gmail/status", "{\"status\":\"maintenance\"}");
		assertThat(timeUntil(() -> reason(this.engineB, "gmail").equals("PLATFORM_MAINTENANCE"))).isLessThan(BOUND);
	}

	private static String health(ConfigurableApplicationContext replica) {
		return new EngineControlClient(port(replica), null, null).get("/actuator/health").body();
	}

	@Test
	void minRevisionMakesAReplicaAnswerWithTheWriteInEffect() {
		Response write = this.adminA.put("/admin/platforms/slack/status", "{\"status\":\"disabled\"}");
		long revision = Long.parseLong(write.header("X-Store-Revision"));
		Response check = this.engineB.post("/actions/check",
				"{\"platform\":\"slack\",\"action_type\":\"post_message\",\"min_revision\":" + revision + "}");
		assertThat(check.json().get("reason").asString()).isEqualTo("PLATFORM_DISABLED");
		assertThat(check.json().get("revision").asLong()).isGreaterThanOrEqualTo(revision);

		Response future = this.engineB.post("/actions/check",
				"{\"platform\":\"slack\",\"action_type\":\"post_message\",\"min_revision\":" + (revision + 1000) + "}");
		assertThat(future.status()).as("a revision the store has not reached: no wait helps").isEqualTo(400);
		assertThat(future.contentType()).startsWith("application/problem+json");
		assertThat(future.json().get("current_revision").asLong()).isGreaterThanOrEqualTo(revision);
	}

	@Test
	void replicasStartingTogetherOnAnEmptyStoreAllStart() throws Exception {
		this.database = TestDatabases.emptyPostgres(MultiInstanceIntegrationTests.class);
		List<CompletableFuture<ConfigurableApplicationContext>> starts = new ArrayList<>();
		for (String name : List.of("c", "d", "e")) {
			starts.add(CompletableFuture.supplyAsync(() -> start(name)));
		}
		List<ConfigurableApplicationContext> replicas = new ArrayList<>();
		try {
			for (CompletableFuture<ConfigurableApplicationContext> start : starts) {
				replicas.add(start.get(120, TimeUnit.SECONDS));
			}
			long revision = this.database.jdbcClient()
				.sql("select revision from store_revision")
				.query(Long.class)
				.single();
			for (ConfigurableApplicationContext replica : replicas) {
				EngineControlClient admin = new EngineControlClient(port(replica), "admin", ADMIN_KEY);
				assertThat(admin.get("/platforms/list").status()).isEqualTo(200);
			}
			replicas.remove(0).close();
			replicas.add(start("c"));
			assertThat(this.database.jdbcClient().sql("select revision from store_revision").query(Long.class).single())
				.as("a restart rewrites nothing that did not change")
				.isEqualTo(revision);
		}
		finally {
			replicas.forEach(ConfigurableApplicationContext::close);
		}
	}

	@Test
	void restartedReplicaLosesNothing() {
		this.adminA.put("/admin/platforms/slack/status", "{\"status\":\"maintenance\"}");
		this.replicaB.close();
		this.replicaB = start("b");
		EngineControlClient engine = new EngineControlClient(port(this.replicaB), "mailer", this.engineB.key());
		assertThat(reason(engine, "gmail")).isEqualTo("ALLOWED");
		assertThat(reason(engine, "slack")).isEqualTo("PLATFORM_MAINTENANCE");
	}

	/**
	 * Starts a replica that reconciles only every 10 s, so that a change seen within a
	 * second was seen by notification.
	 */
	private ConfigurableApplicationContext start(String name) {
		return start(name, "10s");
	}

	private ConfigurableApplicationContext start(String name, String reconcileInterval) {
		return new SpringApplicationBuilder(EngineControlApplication.class).run("--server.port=0",
				"--engine-control.propagation.reconcile-interval=" + reconcileInterval,
				"--spring.datasource.url=" + this.database.url(),
				"--spring.datasource.username=" + this.database.username(),
				"--spring.datasource.password=" + this.database.password(),
				"--engine-control.data-dir=" + this.dataDir.resolve(name),
				"--engine-control.bootstrap-admin-key=" + ADMIN_KEY,
				"--engine-control.propagation.max-revision-wait=300ms");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static Response check(EngineControlClient engine, String platform) {
		String action = platform.equals("gmail") ? "send_email" : "post_message";
		return engine.post("/actions/check", "{\"platform\":\"" + platform + "\",\"action_type\":\"" + action + "\"}");
	}

	private static String reason(EngineControlClient engine, String platform) {
		Response response = check(engine, platform);
		return (response.status() == 200) ? response.json().get("reason").asString() : "HTTP " + response.status();
	}

	/**
	 * Polls every 10 ms, for at most 5 s, until the condition holds.
	 * @return how long that took
	 */
	private static Duration timeUntil(Supplier<Boolean> condition) {
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(5).toNanos();
		while (!condition.get()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not reached within 5 s");
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
