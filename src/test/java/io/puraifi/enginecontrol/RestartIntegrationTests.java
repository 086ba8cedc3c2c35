package io.puraifi.enginecontrol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart on the same H2 file loses nothing: the generated operator key, engines, their
 * keys and platform statuses all survive.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestartIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void registeredEngineStillAuthenticatesAfterRestart(CapturedOutput output) throws Exception {
		String engineKey;
		String adminKey;
		try (ConfigurableApplicationContext first = start()) {
			Path keyFile = this.dataDir.resolve("bootstrap-admin.key");
			assertThat(keyFile).exists();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
			adminKey = Files.readString(keyFile).trim();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output.getOut()).contains(keyFile.toAbsolutePath().toString()));
			assertThat(output.getOut()).doesNotContain(adminKey);

			EngineControlClient admin = new EngineControlClient(port(first), "admin", adminKey);
			Response registered = admin.post("/engines/register",
					"{\"engine_id\":\"survivor\",\"capabilities\":{\"gmail\":[\"send_email\"],\"slack\":[\"post_message\"]}}");
			assertThat(registered.status()).isEqualTo(201);
			engineKey = registered.json().get("engine_key").asString();
			admin.put("/admin/platforms/slack/status", "{\"status\":\"maintenance\",\"message\":\"upgrade\"}");
		}

		try (ConfigurableApplicationContext second = start()) {
			assertThat(Files.readString(this.dataDir.resolve("bootstrap-admin.key")).trim()).isEqualTo(adminKey);
			EngineControlClient survivor = new EngineControlClient(port(second), "survivor", engineKey);
			Response allowed = survivor.post("/actions/check",
					"{\"platform\":\"gmail\",\"action_type\":\"send_email\"}");
			assertThat(allowed.status()).isEqualTo(200);
			assertThat(allowed.json().get("allowed").asBoolean()).isTrue();
			Response maintenance = survivor.post("/actions/check",
					"{\"platform\":\"slack\",\"action_type\":\"post_message\"}");
			assertThat(maintenance.json().get("reason").asString()).isEqualTo("PLATFORM_MAINTENANCE");
			assertThat(new EngineControlClient(port(second), "admin", adminKey).get("/config/global").status())
				.isEqualTo(200);
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(EngineControlApplication.class)
			.properties("server.port=0", "engine-control.data-dir=" + this.dataDir)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
