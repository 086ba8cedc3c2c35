package io.puraifi.enginecontrol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import io.puraifi.enginecontrol.engine.EngineKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret leaks: after registrations, a rotation, an enrollment token and an
 * enrollment, failed logins with near-miss keys and tokens, and refused validations, no
 * key, key hash or token (nor the first 40 characters of one, which a near miss would
 * show) appears in the log output, in any error body, in {@code /actuator/prometheus},
 * {@code /actuator/health}, {@code /actuator/info} or {@code /v3/api-docs}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SecretsIntegrationTests {

	private static final String ADMIN_KEY = "secrets-tests-admin-key-0123456789abcdefghij";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
		// Near misses by the dozen from one address: let them all be judged.
		registry.add("engine-control.auth-limits.failures-per-address", () -> 1_000);
		registry.add("engine-control.auth-limits.failures-per-engine", () -> 1_000);
	}

	@LocalServerPort
	int port;

	@Test
	void noKeyHashOrTokenAppearsAnywhere(CapturedOutput output) {
		EngineControlClient admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		Set<String> secrets = new LinkedHashSet<>(List.of(ADMIN_KEY));
		List<String> exposed = new ArrayList<>();

		Response registered = admin.post("/engines/register",
				"{\"engine_id\":\"keeper\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).isEqualTo(201);
		String key = registered.json().get("engine_key").asString();
		secrets.add(key);
		Response rotated = admin.post("/admin/engines/keeper/keys/rotate", "{\"overlap\":\"PT1H\"}");
		assertThat(rotated.status()).isEqualTo(201);
		String rotatedKey = rotated.json().get("engine_key").asString();
		secrets.add(rotatedKey);
		Response token = admin.post("/admin/enrollment-tokens",
				"{\"capabilities\":{\"gmail\":[\"send_email\"]},\"uses\":2}");
		assertThat(token.status()).as(token.body()).isEqualTo(201);
		String enrollmentToken = token.json().get("enrollment_token").asString();
		secrets.add(enrollmentToken);
		Response enrolled = new EngineControlClient(this.port, null, null)
			.withHeader("X-Enrollment-Token", enrollmentToken)
			.post("/engines/register", "{\"engine_id\":\"newcomer\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
		secrets.add(enrolled.json().get("engine_key").asString());

		EngineControlClient keeper = admin.as("keeper", rotatedKey);
		assertThat(keeper.get("/config/global").status()).isEqualTo(200);
		for (String secret : List.copyOf(secrets)) {
			for (String nearMiss : nearMisses(secret)) {
				exposed.add(admin.as("keeper", nearMiss).get("/config/global").body());
				exposed.add(admin.as("admin", nearMiss).post("/actions/check", "{\"platform\":\"gmail\"}").body());
				exposed.add(keeper
					.post("/engines/validate", "{\"engine_id\":\"newcomer\",\"engine_key\":\"" + nearMiss + "\"}")
					.body());
				exposed.add(new EngineControlClient(this.port, null, null).withHeader("X-Enrollment-Token", nearMiss)
					.post("/engines/register",
							"{\"engine_id\":\"sneaky\",\"capabilities\":{\"gmail\":[\"send_email\"]}}")
					.body());
			}
			exposed.add(
					keeper
						.post("/engines/validate",
								"{\"engine_id\":\"newcomer\",\"engine_key\":\"" + secret + "\",\"extra\":\"" + secret
										+ "\"}")
						.body());
			exposed.add(admin.as("keeper", secret).post("/actions/check", "{\"platform\":").body());
		}
		for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/info", "/v3/api-docs",
				"/admin/engines/keeper/keys", "/admin/enrollment-tokens", "/admin/audit")) {
			Response response = admin.get(path);
			assertThat(response.status()).as(path).isEqualTo(200);
			exposed.add(response.body());
		}
		exposed.add(output.getAll());

		for (String secret : secrets) {
			for (String form : List.of(secret, EngineKeys.hash(secret), secret.substring(0, 40))) {
				for (String text : exposed) {
					assertThat(text).as("a secret's %d characters", form.length()).doesNotContain(form);
				}
			}
		}
	}

	/**
	 * The secret with its last character, its first character, or its checksum changed.
	 */
	private static List<String> nearMisses(String secret) {
		char last = secret.charAt(secret.length() - 1);
		return List.of(secret.substring(0, secret.length() - 1) + ((last == 'a') ? 'b' : 'a'),
				secret.substring(0, secret.length() - 6) + "000000", secret + "x");
	}

}
