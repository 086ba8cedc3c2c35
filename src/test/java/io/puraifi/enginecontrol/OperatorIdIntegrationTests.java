package io.puraifi.enginecontrol;

import java.nio.file.Path;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * There is one operator, the one {@code ENGINE_CONTROL_ADMIN_ENGINE_ID} names: started
 * again on the same H2 file under another id, the former operator is an ordinary engine;
 * an id that belongs to an ordinary engine stops start-up.
 */
class OperatorIdIntegrationTests {

	private static final String FIRST_KEY = "operator-id-tests-first-key-0123456789abc";

	private static final String SECOND_KEY = "operator-id-tests-second-key-0123456789ab";

	@TempDir
	Path dataDir;

	@Test
	void changingTheOperatorIdDemotesTheFormerOperatorAndAnOrdinaryEnginesIdIsRefused() {
		String workerKey;
		try (ConfigurableApplicationContext first = start("admin", FIRST_KEY)) {
			EngineControlClient admin = new EngineControlClient(port(first), "admin", FIRST_KEY);
			Response registered = admin.post("/engines/register",
					"{\"engine_id\":\"worker\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
			assertThat(registered.status()).as(registered.body()).isEqualTo(201);
			workerKey = registered.json().get("engine_key").asString();
		}

		try (ConfigurableApplicationContext second = start("ops", SECOND_KEY)) {
			EngineControlClient ops = new EngineControlClient(port(second), "ops", SECOND_KEY);
			Response former = ops.get("/admin/engines/admin");
			assertThat(former.status()).as(former.body()).isEqualTo(200);
			assertThat(former.json().get("role").asString()).isEqualTo("engine");
			assertThat(ops.get("/admin/audit").body()).contains("engine.demote");
			EngineControlClient demoted = new EngineControlClient(port(second), "admin", FIRST_KEY);
			assertThat(demoted.get("/admin/engines").status()).isEqualTo(403);
			assertThat(demoted.get("/actuator/prometheus").status()).isEqualTo(403);
			assertThat(new EngineControlClient(port(second), "worker", workerKey).get("/config/global").status())
				.isEqualTo(200);
		}

		assertThatThrownBy(() -> start("worker", SECOND_KEY).close())
			.hasStackTraceContaining("ENGINE_CONTROL_ADMIN_ENGINE_ID is 'worker', the id of an ordinary engine");

		try (ConfigurableApplicationContext fourth = start("ops", SECOND_KEY)) {
			Response worker = new EngineControlClient(port(fourth), "ops", SECOND_KEY).get("/admin/engines/worker");
			assertThat(worker.json().get("role").asString()).isEqualTo("engine");
			assertThat(new EngineControlClient(port(fourth), "worker", workerKey).get("/config/global").status())
				.as("the refused start did not replace the engine's key")
				.isEqualTo(200);
		}
	}

	private ConfigurableApplicationContext start(String adminId, String adminKey) {
		return new SpringApplicationBuilder(EngineControlApplication.class)
			.properties("server.port=0", "engine-control.data-dir=" + this.dataDir,
					"engine-control.admin-engine-id=" + adminId, "engine-control.bootstrap-admin-key=" + adminKey)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
