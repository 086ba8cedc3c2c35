package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three replicas of the whole application on one PostgreSQL, over real HTTP: one quota
 * rule spent concurrently through all three allows exactly {@code max} checks, and a rule
 * written through one replica is enforced, and its removal seen, by the others within a
 * second (they reconcile only every 10 s, so that is the notification).
 */
class QuotaMultiInstanceIntegrationTests {

	private static final String ADMIN_KEY = "quota-multi-instance-admin-key-0123456789abcdef";

	private static final Duration BOUND = Duration.ofSeconds(1);

	private static final int MAX = 300;

	@TempDir
	Path dataDir;

	private TestDatabase database;

	private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

	private EngineControlClient adminA;

	private final List<EngineControlClient> engines = new ArrayList<>();

	@BeforeEach
	void startThreeReplicas() {
		this.database = TestDatabases.emptyPostgres(QuotaMultiInstanceIntegrationTests.class);
		for (String name : List.of("a", "b", "c")) {
			this.replicas.add(start(name));
		}
		this.adminA = new EngineControlClient(port(this.replicas.get(0)), "admin", ADMIN_KEY);
		Response registered = this.adminA.post("/engines/register",
				"{\"engine_id\":\"mailer\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		String key = registered.json().get("engine_key").asString();
		for (ConfigurableApplicationContext replica : this.replicas) {
			this.engines.add(new EngineControlClient(port(replica), "mailer", key));
		}
	}

	@AfterEach
	void stopReplicas() {
		this.replicas.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void oneRuleSpentThroughThreeReplicasAtOnceAllowsExactlyMax() throws Exception {
		putRule("mailer-daily", "{\"engine_id\":\"mailer\",\"platform\":\"gmail\",\"action_type\":\"send_email\","
				+ "\"limits\":[{\"max\":" + MAX + ",\"per\":\"P1D\"}]}");
		for (EngineControlClient engine : this.engines) {
			assertThat(timeUntil(() -> check(engine).has("quota_remaining"))).isLessThan(BOUND);
		}
		AtomicInteger allowed = new AtomicInteger(1 + 1 + 1);
		AtomicInteger unexpected = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(12);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (EngineControlClient engine : this.engines) {
				for (int i = 0; i < 4; i++) {
					running.add(threads
						.submit(() -> spendUntilDeniedFor(engine, Duration.ofMillis(1500), allowed, unexpected)));
				}
			}
			for (Future<?> thread : running) {
				thread.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(unexpected.get()).as("answers other than allowed or QUOTA_EXCEEDED").isZero();
		assertThat(allowed.get()).isEqualTo(MAX);
		long leased = this.database.jdbcClient()
			.sql("select leased from quota_usage where rule_name = 'mailer-daily'")
			.query(Long.class)
			.single();
		assertThat(leased).isEqualTo(MAX);
		for (EngineControlClient engine : this.engines) {
			assertThat(check(engine).get("reason").asString()).isEqualTo("QUOTA_EXCEEDED");
		}
	}

	@Test
	void ruleWrittenThroughOneReplicaIsEnforcedAndRemovedOnTheOthersWithinASecond() {
		putRule("mailer-one", "{\"engine_id\":\"mailer\",\"platform\":\"gmail\",\"action_type\":\"send_email\","
				+ "\"limits\":[{\"max\":1,\"per\":\"P1D\"}]}");
		for (EngineControlClient engine : this.engines.subList(1, 3)) {
			assertThat(timeUntil(() -> "QUOTA_EXCEEDED".equals(check(engine).get("reason").asString())))
				.isLessThan(BOUND);
		}
		assertThat(this.adminA.send("DELETE", "/admin/quotas/mailer-one", null).status()).isEqualTo(204);
		for (EngineControlClient engine : this.engines.subList(1, 3)) {
			assertThat(timeUntil(() -> {
				var answer = check(engine);
				return answer.get("allowed").asBoolean() && !answer.has("quota_remaining");
			})).isLessThan(BOUND);
		}
	}

	/**
	 * Checks until every answer for {@code quiet} has been {@code QUOTA_EXCEEDED}: long
	 * enough for idle replicas to give back units they held.
	 */
	private static void spendUntilDeniedFor(EngineControlClient engine, Duration quiet, AtomicInteger allowed,
			AtomicInteger unexpected) {
		long deniedSince = 0;
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			Response response = engine.post("/actions/check",
					"{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
			String reason = (response.status() == 200) ? response.json().get("reason").asString()
					: "HTTP " + response.status();
			if (reason.equals("ALLOWED")) {
				allowed.incrementAndGet();
				deniedSince = 0;
			}
			else if (reason.equals("QUOTA_EXCEEDED")) {
				long now = System.nanoTime();
				if (deniedSince == 0) {
					deniedSince = now;
				}
				else if (now - deniedSince > quiet.toNanos()) {
					return;
				}
			}
			else {
				unexpected.incrementAndGet();
			}
		}
		unexpected.incrementAndGet();
	}

	private void putRule(String name, String body) {
		Response set = this.adminA.put("/admin/quotas/" + name, body);
		assertThat(set.status()).as(set.body()).isEqualTo(200);
	}

	private ConfigurableApplicationContext start(String name) {
		return new SpringApplicationBuilder(EngineControlApplication.class).run("--server.port=0",
				"--engine-control.propagation.reconcile-interval=10s", "--spring.datasource.url=" + this.database.url(),
				"--spring.datasource.username=" + this.database.username(),
				"--spring.datasource.password=" + this.database.password(),
				"--engine-control.data-dir=" + this.dataDir.resolve(name),
				"--engine-control.bootstrap-admin-key=" + ADMIN_KEY, "--engine-control.budgets.enabled=false");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static tools.jackson.databind.JsonNode check(EngineControlClient engine) {
		Response response = engine.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
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
