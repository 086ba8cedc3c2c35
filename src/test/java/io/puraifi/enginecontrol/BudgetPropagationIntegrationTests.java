package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

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
 * A budget override set through one replica is enforced by another on the same PostgreSQL
 * within a second, and so is its removal: the change travels like every decision-changing
 * write.
 */
class BudgetPropagationIntegrationTests {

	private static final String ADMIN_KEY = "budget-propagation-tests-admin-key-0123456789";

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
		this.database = TestDatabases.emptyPostgres(BudgetPropagationIntegrationTests.class);
		this.replicaA = start("a");
		this.replicaB = start("b");
		this.adminA = new EngineControlClient(port(this.replicaA), "admin", ADMIN_KEY);
		Response registered = this.adminA.post("/engines/register",
				"{\"engine_id\":\"mailer\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		this.engineB = new EngineControlClient(port(this.replicaB), "mailer",
				registered.json().get("engine_key").asString());
		assertThat(check(this.engineB).status()).isEqualTo(200);
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
	void overrideThroughOneReplicaIsEnforcedByTheOtherWithinASecondAndSoIsItsRemoval() {
		Response set = this.adminA.put("/admin/engines/mailer/budget", "{\"checks_per_second\":1,\"checks_burst\":1}");
		assertThat(set.status()).as(set.body()).isEqualTo(200);
		// Under the default budget (burst 2,000) no check is refused.
		assertThat(timeUntil(() -> check(this.engineB).status() == 429)).isLessThan(BOUND);
		EngineControlClient adminB = new EngineControlClient(port(this.replicaB), "admin", ADMIN_KEY);
		assertThat(adminB.get("/admin/engines/mailer/budget").json().get("checks_burst").asInt()).isEqualTo(1);

		assertThat(this.adminA.send("DELETE", "/admin/engines/mailer/budget", null).status()).isEqualTo(204);
		// Five checks in a row pass only once the burst of 1 is gone.
		assertThat(timeUntil(() -> IntStream.range(0, 5).allMatch((i) -> check(this.engineB).status() == 200)))
			.isLessThan(BOUND);
	}

	/**
	 * Starts a replica that reconciles only every 10 s, so that a change seen within a
	 * second was seen by notification.
	 */
	private ConfigurableApplicationContext start(String name) {
		return new SpringApplicationBuilder(EngineControlApplication.class).run("--server.port=0",
				"--engine-control.propagation.reconcile-interval=10s", "--spring.datasource.url=" + this.database.url(),
				"--spring.datasource.username=" + this.database.username(),
				"--spring.datasource.password=" + this.database.password(),
				"--engine-control.data-dir=" + this.dataDir.resolve(name),
				"--engine-control.bootstrap-admin-key=" + ADMIN_KEY);
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static Response check(EngineControlClient engine) {
		return engine.post("/actions/check", "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
	}

	/**
	 * Polls every 10 ms, for at most 5 s, until the condition holds.
	 * @return how long that took
	 */
	private static Duration timeUntil(BooleanSupplier condition) {
		long start = System.nanoTime();
		long deadline = start + Duration.ofSeconds(5).toNanos();
		while (!condition.getAsBoolean()) {
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
