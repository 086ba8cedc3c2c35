package io.puraifi.enginecontrol;

import java.nio.file.Path;

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

/**
 * The store goes away while a replica holds units of a quota: the replica spends exactly
 * the units it holds, then answers checks under the rule with {@code STORE_UNAVAILABLE}
 * (503), never allowed on a guess, while checks under no rule are still answered.
 */
class QuotaStoreOutageIntegrationTests {

	private static final String ADMIN_KEY = "quota-store-outage-admin-key-0123456789abcdef";

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
				// held units stay held for the whole test
				"--engine-control.quotas.idle-give-back=10m");
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
	void storeAwaySpendsOnlyHeldUnitsThenStoreUnavailable() {
		Response registered = this.admin.post("/engines/register",
				"{\"engine_id\":\"mailer\",\"capabilities\":{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		EngineControlClient engine = this.admin.as("mailer", registered.json().get("engine_key").asString());
		Response rule = this.admin.put("/admin/quotas/mailer-daily", "{\"engine_id\":\"mailer\",\"platform\":\"gmail\","
				+ "\"action_type\":\"send_email\",\"limits\":[{\"max\":1000,\"per\":\"P1D\"}]}");
		assertThat(rule.status()).as(rule.body()).isEqualTo(200);
		// checks in quick succession lease growing blocks: 1, 2, 4, 8
		int spent = 10;
		for (int i = 0; i < spent; i++) {
			assertThat(engine.post("/actions/check", CHECK).json().get("allowed").asBoolean()).isTrue();
		}
		assertThat(engine.post("/actions/check", "{\"platform\":\"slack\",\"action_type\":\"post_message\"}")
			.json()
			.get("allowed")
			.asBoolean()).isTrue();
		long leased = this.admin.get("/admin/quotas/mailer-daily").json().get("usage").get(0).get("leased").asLong();
		long held = leased - spent;
		assertThat(held).as("units this replica holds").isPositive();

		this.postgres.stop();

		int allowed = 0;
		Response answer;
		while ((answer = engine.post("/actions/check", CHECK)).status() == 200) {
			assertThat(answer.json().get("allowed").asBoolean()).as(answer.body()).isTrue();
			allowed++;
			assertThat(allowed).as("allowed beyond the held units").isLessThanOrEqualTo((int) held);
		}
		assertThat(allowed).isEqualTo(held);
		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.contentType()).isEqualTo("application/problem+json");
		JsonNode body = answer.json();
		assertThat(body.get("type").asString())
			.isEqualTo("https://puraifi.io/problems/engine-control/store-unavailable");
		assertThat(body.get("reason").asString()).isEqualTo("STORE_UNAVAILABLE");
		assertThat(body.get("allowed").asBoolean()).isFalse();
		// still 503 when asked again: the replica does not guess
		assertThat(engine.post("/actions/check", CHECK).status()).isEqualTo(503);
		// a check under no rule is answered from the cached state
		Response unquoted = engine.post("/actions/check", "{\"platform\":\"slack\",\"action_type\":\"post_message\"}");
		assertThat(unquoted.status()).isEqualTo(200);
		assertThat(unquoted.json().get("allowed").asBoolean()).isTrue();
	}

}
